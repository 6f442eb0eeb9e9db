-- Shared formatting and comparison helpers for the progress views.

-- A number as a reader writes it: at most two decimals, no trailing zeros (53 / 53.5 / 7.25).
CREATE OR REPLACE MACRO pw_num(x) AS
    -- (+ 0.0 turns a rounded -0 into 0)
    CASE WHEN x IS NULL THEN '—' ELSE regexp_replace(printf('%.2f', round(x, 2) + 0.0), '\.?0+$', '') END;

-- A value with its unit as a reader writes it: 53%, 7/10万 (unit 1/10万), 8.7‰ (a table printing "1/‰").
CREATE OR REPLACE MACRO pw_val(x, unit) AS
    pw_num(x) || CASE WHEN unit = '1/‰' THEN '‰' WHEN unit LIKE '1/%' THEN substr(unit, 2) ELSE coalesce(unit, '') END;

-- The unit of a difference: percentage points for %, per-mille points for ‰.
CREATE OR REPLACE MACRO pw_diff_unit(unit) AS
    CASE unit WHEN '%' THEN '个百分点' WHEN '‰' THEN '个千分点' ELSE coalesce(unit, '') END;

-- The target as a short label: ≥95%, ≤7/10万, 108左右, 不低于2020年水平.
CREATE OR REPLACE MACRO pw_target_label(op, t, unit, text) AS
    CASE op
        WHEN '>=' THEN '≥' || pw_val(t, unit)
        WHEN '>' THEN '>' || pw_val(t, unit)
        WHEN '<=' THEN '≤' || pw_val(t, unit)
        WHEN '<' THEN '<' || pw_val(t, unit)
        WHEN '=' THEN pw_val(t, unit)
        WHEN '~' THEN pw_val(t, unit) || '左右'
        WHEN 'maintain' THEN '不低于基线水平(' || text || ')'
        ELSE text
    END;

-- Is value v within target (op, t)? For 保持 the reference is the baseline b, in the indicator's better direction.
CREATE OR REPLACE MACRO pw_met(op, v, t, b, better, tol) AS
    CASE op
        WHEN '>=' THEN v >= t - 1e-9
        WHEN '>' THEN v > t
        WHEN '<=' THEN v <= t + 1e-9
        WHEN '<' THEN v < t
        WHEN '=' THEN abs(v - t) <= 1e-9
        WHEN '~' THEN abs(v - t) <= abs(t) * tol + 1e-9
        WHEN 'maintain' THEN better * (v - b) >= -1e-9
    END;

-- Will a projected value reach the target? As pw_met, except that an exact target (=, e.g. 100%) counts as
-- reached once the projection gets to it from the baseline's side: overshooting 100% means reaching it.
CREATE OR REPLACE MACRO pw_reaches(op, v, t, b, better, tol) AS
    CASE WHEN op = '=' THEN (t - b) * (v - t) >= -1e-9 ELSE pw_met(op, v, t, b, better, tol) END;
