-- Shared formatting and comparison helpers for the progress views.

-- A number as a reader writes it: at most two decimals, no trailing zeros (53 / 53.5 / 7.25).
-- Pages and reports print many of them: below 10^12 a BIGINT or DECIMAL cast prints them (1.6× faster than printf
-- and a regular expression, which remain for larger values, infinities and NaN; the same text for every double:
-- tests/test_number_format.py). x is named as few times as that allows: every pw_num is expanded where it is used (a
-- reason names about twenty), and planning grows with the expansions: an earlier form, choosing the cast by the
-- number of hundredths, ran 1.3× faster but took twice as long to plan, most of an incremental refresh's warnings.
CREATE OR REPLACE MACRO pw_num(x) AS
    CASE WHEN x IS NULL THEN '—'
         -- (+ 0.0 turns a rounded -0 into 0)
         WHEN NOT abs(x) < 1e12 THEN regexp_replace(printf('%.2f', round(x, 2) + 0.0), '\.?0+$', '')
         WHEN round(x, 2) = round(x, 0) THEN CAST(CAST(round(x, 0) AS BIGINT) AS VARCHAR)
         -- not a whole number: the hundredths' digit is the only zero to cut (7.50 → 7.5)
         ELSE rtrim(CAST(CAST(round(x, 2) AS DECIMAL(18, 2)) AS VARCHAR), '0')
    END;

-- A value with its unit as a reader writes it: 53%, 7/10万 (unit 1/10万), 8.7‰ (a table printing "1/‰").
CREATE OR REPLACE MACRO pw_val(x, unit) AS
    pw_num(x) || CASE WHEN unit = '1/‰' THEN '‰' WHEN unit LIKE '1/%' THEN substr(unit, 2) ELSE coalesce(unit, '') END;

-- The unit of a difference: percentage points for %, per-mille points for ‰ (a table printing "1/‰" too), and a
-- rate per 10万 as pw_val writes it (0.1/10万, never "0.11/10万").
CREATE OR REPLACE MACRO pw_diff_unit(unit) AS
    CASE WHEN unit = '%' THEN '个百分点' WHEN unit IN ('‰', '1/‰') THEN '个千分点'
         WHEN unit LIKE '1/%' THEN substr(unit, 2) ELSE coalesce(unit, '') END;

-- A target without a number that asks for a change, not a level (持续提升, 逐步提高, 稳中有升, 持续下降; not 不下降):
-- the catalogue's maintain (保持) with such words, judged as improve (pw_judged_op); the catalogue's check makes its
-- direction the change's (planwatch/catalogue.py change_asked, with the same words).
CREATE OR REPLACE MACRO pw_improves(text) AS
    regexp_matches(regexp_replace(coalesce(text, ''), '不(提升|提高|增加|增长|上升|有升|下降|降低|减少)', '', 'g'),
                   '提升|提高|增加|增长|上升|有升|下降|降低|减少');

-- The target as a short label: ≥95%, ≤7/10万, 108左右, 不低于2020年水平. (pw_val named once, not once per
-- operator: see pw_num.)
CREATE OR REPLACE MACRO pw_target_label(op, t, unit, text) AS
    CASE WHEN op IN ('>=', '>', '<=', '<', '=', '~')
             THEN CASE op WHEN '>=' THEN '≥' WHEN '>' THEN '>' WHEN '<=' THEN '≤' WHEN '<' THEN '<' ELSE '' END
                  || pw_val(t, unit) || CASE WHEN op = '~' THEN '左右' ELSE '' END
         WHEN op = 'maintain'
             THEN CASE WHEN pw_improves(text) THEN '优于' ELSE '不低于' END || '基线水平(' || text || ')'
         ELSE text
    END;

-- An indicator's name as a report prints it: with its target when its plan prints the name for another indicator
-- too (twin: the pair is in _twin_names()).
-- Text a ending in a bracketed note followed by text b that is one: a single bracket, "(曾于2023年达标,之后回落;
-- 目标年2025年已到,…)", not two in a row (the reasons, 40_v_status.sql).
CREATE OR REPLACE MACRO pw_notes(a, b) AS
    CASE WHEN ends_with(a, ')') AND starts_with(b, '(') THEN left(a, length(a) - 1) || ';' || substr(b, 2)
         ELSE a || b END;

CREATE OR REPLACE MACRO pw_shown_name(name, target_label, twin) AS
    name || CASE WHEN twin THEN '(目标' || target_label || ')' ELSE '' END;

-- The reported unit (precision) that counts as noise: never more than cap of the indicator's scale, its start or
-- target (1所 → 0所 is no rounding). The method (30_progress.sql) and the 判定依据 line (indicator_detail.sql).
CREATE OR REPLACE MACRO pw_noise_precision(precision, cap, ref, target) AS
    least(precision, cap * greatest(abs(ref), abs(target)));

-- Is a change d noise (基本持平)? Smaller than the tolerance, or at most one unit of the reported precision (a
-- difference that rounding alone can make).
CREATE OR REPLACE MACRO pw_within_noise(d, noise, prec) AS abs(d) < noise - 1e-9 OR abs(d) <= prec + 1e-9;

-- Is a target two-sided, so that what counts is the distance to it? = always; 左右 (~) when the indicator has no
-- better direction (better = 0: 出生人口性别比108左右). A 左右 target of an indicator where more (less) is better
-- (儿科医师数0.85人左右, better = 1) is a floor (ceiling) with the band's slack: above it is not a shortfall.
CREATE OR REPLACE MACRO pw_two_sided(op, better) AS op = '=' OR (op = '~' AND better = 0);

-- +1: more is better, -1: less is better (a floor or ceiling says so itself); 0: a 左右 target of an indicator with
-- no better direction, two-sided (pw_two_sided).
CREATE OR REPLACE MACRO pw_better(op, direction) AS
    CASE WHEN op IN ('>=', '>') THEN 1 WHEN op IN ('<=', '<') THEN -1
         WHEN direction = 'lower' THEN -1 WHEN direction = 'higher' THEN 1 WHEN op = '~' THEN 0 ELSE 1 END;

-- Is the target a ceiling: ≤, <, or a one-sided 左右 of an indicator where less is better (better = -1)?
CREATE OR REPLACE MACRO pw_ceiling(op, better) AS op IN ('<=', '<') OR (op = '~' AND better = -1);

-- How far v falls short of t on the side that counts: both sides for a two-sided 左右, else the better side.
CREATE OR REPLACE MACRO pw_approx_short(v, t, better) AS CASE WHEN better = 0 THEN abs(v - t) ELSE better * (t - v) END;

-- Is value v within target (op, t)? For 保持 the reference is the baseline b, in the indicator's better direction;
-- a fall that is noise (基本持平) keeps the level.
CREATE OR REPLACE MACRO pw_met(op, v, t, b, better, tol, noise, prec) AS
    CASE op
        WHEN '>=' THEN v >= t - 1e-9
        WHEN '>' THEN v > t
        WHEN '<=' THEN v <= t + 1e-9
        WHEN '<' THEN v < t
        WHEN '=' THEN abs(v - t) <= 1e-9
        WHEN '~' THEN pw_approx_short(v, t, better) <= abs(t) * tol + 1e-9
        WHEN 'maintain' THEN better * (v - b) >= -1e-9 OR pw_within_noise(v - b, noise, prec)
        -- (a change of more than one reported unit: +0.6岁 of life expectancy in a year is an improvement, though
        -- within the 1% that makes a change noise)
        WHEN 'improve' THEN better * (v - b) > coalesce(prec, 0) + 1e-9
    END;

-- How far v still is from meeting the target (0 when met): the distance to the nearest value that meets it.
CREATE OR REPLACE MACRO pw_gap(op, v, t, b, better, tol) AS
    CASE op
        WHEN '>=' THEN greatest(t - v, 0)
        WHEN '>' THEN greatest(t - v, 0)
        WHEN '<=' THEN greatest(v - t, 0)
        WHEN '<' THEN greatest(v - t, 0)
        WHEN '=' THEN abs(v - t)
        WHEN '~' THEN greatest(pw_approx_short(v, t, better) - abs(t) * tol, 0)
        WHEN 'maintain' THEN greatest(better * (b - v), 0)
        WHEN 'improve' THEN greatest(better * (b - v), 0)  -- (level with its start: 0, not met; 基本实现)
    END;

-- Will a projected value v reach the target, from the current value now? As pw_met, except that a two-sided
-- target (=, e.g. 100%, or 出生人口性别比108左右) counts as reached once the trend gets to it from now's side:
-- a straight line that passes through the target (or the band) on its way reaches it, if it ends beyond it by no
-- more than basic (the 基本实现 tolerance: 51.4% against 50%左右 passes, 43.5% does not). (A value already at the
-- target has no side: the projection must stay at it.) A one-sided target is reached by a projection short of it
-- by no more than noise (pw_within_noise: 99.9 against =100 reported in whole numbers, 69.6% against ≥70% from 50%):
-- an extrapolation is no finer than the 基本持平 tolerance, and "预计未达标" of such a shortfall calls a rounding
-- difference a problem.
CREATE OR REPLACE MACRO pw_reaches(op, v, t, b, now, better, tol, noise, prec, basic) AS
    CASE WHEN pw_two_sided(op, better) AND NOT pw_met(op, now, t, b, better, tol, noise, prec)
         THEN sign(t - now) * (v - t) BETWEEN -(CASE WHEN op = '~' THEN abs(t) * tol ELSE 0 END) - 1e-9
                                          AND (CASE WHEN op = '~' THEN abs(t) * tol ELSE 0 END) + basic + 1e-9
         ELSE pw_met(op, v, t, b, better, tol, noise, prec)
              -- (no projection, no reaching: pw_gap of none is 0, greatest() skipping NULLs)
              OR (v IS NOT NULL AND op IN ('>=', '>', '<=', '<', '~')
                  AND pw_within_noise(pw_gap(op, v, t, b, better, tol), noise, prec))
    END;

-- The decimals a value was reported with (2.07 -> 2, 36.9 -> 1, 45 -> 0; at most 4).
CREATE OR REPLACE MACRO pw_decimals(x) AS
    CASE WHEN abs(x - round(x, 0)) < 1e-7 THEN 0 WHEN abs(x - round(x, 1)) < 1e-7 THEN 1
         WHEN abs(x - round(x, 2)) < 1e-7 THEN 2 WHEN abs(x - round(x, 3)) < 1e-7 THEN 3 ELSE 4 END;

-- Wilson score interval (95%, z = 1.959964) for k events out of n, as a proportion.
CREATE OR REPLACE MACRO pw_wilson(k, n, side) AS
    ((k / n + 1.959964 ^ 2 / (2 * n))
     + side * 1.959964 * sqrt(k / n * (1 - k / n) / n + 1.959964 ^ 2 / (4 * n * n))) / (1 + 1.959964 ^ 2 / n);

-- Events per how many a value of this unit counts (‰ 1000, 1/10万 100000, % 100; NULL: not a rate): the small-number
-- rule (30_progress.sql) and the upload's check of a value against its 分子 ÷ 分母 (planwatch/upload_check.py).
CREATE OR REPLACE MACRO pw_rate_scale(unit) AS
    CASE unit WHEN '‰' THEN 1000 WHEN '1/‰' THEN 1000 WHEN '1/10万' THEN 100000 WHEN '%' THEN 100 END;

-- What values an indicator can take, by its name and unit: the upload's checks (planwatch/upload_check.py) and the
-- trend's bounds (30_progress.sql) read this one rule. pw_signed: a change (近视率年降幅, 死亡率下降幅度, 增长率,
-- or in 个百分点) may be negative, and as a percentage pass 100 (not 下降/提高: "死亡率下降到…" names a level);
-- pw_over_100: a gross rate (毛入学率, 毛入园率) may pass 100%.
CREATE OR REPLACE MACRO pw_signed(name, unit) AS
    coalesce(unit = '个百分点', false) OR regexp_matches(coalesce(name, ''), '降幅|增幅|幅度|增长|增速');
CREATE OR REPLACE MACRO pw_over_100(name) AS regexp_matches(coalesce(name, ''), '毛入(学|园)率');

-- The target as the method judges it: an exact target of an indicator where more (less) is better is a floor
-- (ceiling): 2个 meets 规范化设置1个, and a gross rate may pass 100% (学前教育毛入园率 保持在100% at 101.2%); only an
-- exact target without a better direction is two-sided. A maintain target whose words ask for a change (pw_improves:
-- 妇女人均预期寿命 持续提升) is improve: met by a change for the better of more than one reported unit (pw_met), not by
-- staying level.
CREATE OR REPLACE MACRO pw_judged_op(op, name, direction, text) AS
    CASE WHEN op = '=' AND (direction = 'higher' OR pw_over_100(name)) THEN '>='
         WHEN op = '=' AND direction = 'lower' THEN '<='
         WHEN op = 'maintain' AND pw_improves(text) THEN 'improve' ELSE op END;

-- A value as entered, to the four decimals the method reads (2.345, 30; pw_num rounds to two): an audit trail must
-- tell 2.341 from 2.344.
CREATE OR REPLACE MACRO pw_as_entered(x) AS
    CASE WHEN x IS NOT NULL THEN rtrim(rtrim(printf('%.4f', x), '0'), '.') END;

-- A shortfall as a reason prints it: to two decimals, or four where two would print a real shortfall as 0 (0.83人
-- against 0.85人左右 is 0.003 short of the band: not "差0人").
CREATE OR REPLACE MACRO pw_shortfall(x) AS CASE WHEN x > 0 AND round(x, 2) = 0 THEN pw_as_entered(x) ELSE pw_num(x) END;
