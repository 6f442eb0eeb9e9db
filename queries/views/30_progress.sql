-- _progress_live: the numbers behind v_status and v_warning, one row per indicator per as-of year.
-- The method is explained on the 方法说明 page and in docs/method.md; thresholds come from method_threshold.
-- Only observations up to the as-of year count, so any year's review can be replayed.
-- Materialised as the table _progress by planwatch/views.py on every write (build, import, undo), in the same
-- transaction as the write, so the public views read tables instead of recomputing the method per query.
CREATE OR REPLACE VIEW _progress_live AS
WITH th AS (
    SELECT
        max(value) FILTER (WHERE key = 'on_track_ratio') AS on_track,
        max(value) FILTER (WHERE key = 'lag_red_ratio') AS lag_red,
        max(value) FILTER (WHERE key = 'approx_tolerance') AS tol,
        max(value) FILTER (WHERE key = 'swing_relative') AS swing,
        max(value) FILTER (WHERE key = 'min_points_projection') AS min_points
    FROM method_threshold
),
ind AS (
    SELECT i.indicator_id, i.unit, i.direction, i.target_op AS op, i.target_value, i.target_text, i.target_year,
           i.baseline_year, i.baseline_value, coalesce(i.baseline_year, p.period_start - 1) AS start_year,
           -- +1: more is better, -1: less is better (a floor or ceiling says so itself)
           CASE WHEN i.target_op IN ('>=', '>') THEN 1 WHEN i.target_op IN ('<=', '<') THEN -1
                WHEN i.direction = 'lower' THEN -1 ELSE 1 END AS better
    FROM indicator i JOIN plan p USING (plan_id)
),
years AS (
    SELECT unnest(range(2001, greatest(year(current_date),
                                       (SELECT coalesce(max(year), 0) FROM v_observation)) + 1)) AS as_of_year
),
frame AS (
    SELECT ind.*, years.as_of_year FROM ind JOIN years ON years.as_of_year > ind.start_year
),
points AS (  -- the 2020 baseline (when printed) and every numeric observation up to the as-of year
    SELECT f.indicator_id, f.as_of_year, o.year, o.value, false AS is_baseline, o.source_kind
    FROM frame f
    JOIN v_observation o ON o.indicator_id = f.indicator_id AND o.year <= f.as_of_year
                        AND o.year > coalesce(f.baseline_year, 0) AND o.value IS NOT NULL
    UNION ALL
    SELECT indicator_id, as_of_year, baseline_year, baseline_value, true, NULL
    FROM frame WHERE baseline_value IS NOT NULL
),
series AS (
    SELECT p.indicator_id, p.as_of_year,
           count(*) FILTER (WHERE NOT is_baseline) AS n_obs,
           count(*) AS n_points,
           max(year) FILTER (WHERE NOT is_baseline) AS latest_year,
           arg_max(value, year) FILTER (WHERE NOT is_baseline) AS latest_value,
           arg_max(source_kind, year) FILTER (WHERE NOT is_baseline) AS latest_source_kind,
           min(year) AS ref_year,
           arg_min(value, year) AS ref_value,
           bool_or(is_baseline) AS has_baseline,
           regr_slope(value, year) AS slope,
           regr_intercept(value, year) AS intercept,
           list(value ORDER BY year) AS vals,
           list(year ORDER BY year) AS yrs,
           bool_or(year = p.as_of_year AND NOT is_baseline) AS reported_this_year
    FROM points p
    GROUP BY ALL
),
texts AS (  -- the newest reported text (qualitative targets) up to the as-of year
    SELECT f.indicator_id, f.as_of_year, arg_max(o.value_text, o.year) AS latest_text,
           max(o.year) AS latest_text_year, bool_or(o.year = f.as_of_year) AS text_this_year
    FROM frame f
    JOIN v_observation o ON o.indicator_id = f.indicator_id AND o.year <= f.as_of_year AND o.value_text IS NOT NULL
    GROUP BY ALL
),
calc AS (
    SELECT f.*, th.*, s.* EXCLUDE (indicator_id, as_of_year), t.latest_text, t.latest_text_year,
           coalesce(s.reported_this_year, false) OR coalesce(t.text_this_year, false) AS reported,
           CASE WHEN f.op = 'maintain' THEN s.ref_value ELSE f.target_value END AS goal,
           greatest(f.target_year - s.ref_year, 1) AS span
    FROM frame f CROSS JOIN th
    LEFT JOIN series s USING (indicator_id, as_of_year)
    LEFT JOIN texts t USING (indicator_id, as_of_year)
),
measured AS (
    SELECT *,
        pw_met(op, latest_value, goal, ref_value, better, tol) AS met,
        CASE
            -- no way to go when the start already meets the target (a ceiling kept, a floor already reached):
            -- the question is then only whether it stays met
            WHEN latest_year <= ref_year OR abs(goal - ref_value) < 1e-9
                 OR pw_met(op, ref_value, goal, ref_value, better, tol) THEN NULL
            WHEN op IN ('>=', '>', '<=', '<') THEN (latest_value - ref_value) / (goal - ref_value)
            WHEN op IN ('=', '~') THEN (abs(ref_value - goal) - abs(latest_value - goal)) / abs(ref_value - goal)
        END AS progress,
        CASE WHEN latest_year > ref_year THEN least(1.0, (latest_year - ref_year) / span) END AS expected_progress,
        -- a straight-line trend through the baseline and every observation, read at the target year
        -- (no measure here can go below 0, and no percentage above 100)
        CASE WHEN n_points >= min_points AND latest_year > ref_year
             THEN CASE WHEN unit = '%' THEN least(greatest(intercept + slope * target_year, 0), 100)
                       ELSE greatest(intercept + slope * target_year, 0) END END AS projected_value,
        latest_year >= target_year AS deadline_passed,
        -- a swing: the last two changes go opposite ways and each exceeds swing × the level it started from
        len(vals) >= 3
            AND (vals[-2] - vals[-3]) * (vals[-1] - vals[-2]) < 0
            AND abs(vals[-2] - vals[-3]) >= swing * greatest(abs(vals[-3]), 1e-9)
            AND abs(vals[-1] - vals[-2]) >= swing * greatest(abs(vals[-2]), 1e-9) AS swinging
    FROM calc
),
judged AS (
    SELECT *,
        pw_reaches(op, projected_value, goal, ref_value, better, tol) AS projected_met,
        progress / nullif(expected_progress, 0) AS ratio,
        -- the last year, before the latest, in which the target was met: "met earlier and lost again" is not 已达标
        (SELECT max(p.year) FROM points p
         WHERE p.indicator_id = measured.indicator_id AND p.as_of_year = measured.as_of_year AND NOT p.is_baseline
           AND p.year < measured.latest_year
           AND pw_met(measured.op, p.value, measured.goal, measured.ref_value, measured.better, measured.tol))
            AS met_before_year,
        NOT met AND (
            (op IN ('>=', '>', '<=', '<', 'maintain') AND latest_year > ref_year
                AND better * (latest_value - ref_value) < -1e-9)
            OR (op IN ('=', '~') AND latest_year > ref_year
                AND abs(latest_value - goal) > abs(ref_value - goal) + 1e-9)
        ) AS moved_away
    FROM measured
),
breaches AS (
    -- a ceiling the indicator was within (at the start, or in any report since) and is now above is breached;
    -- one that has always been above it is still being reached, and progress is measured instead
    SELECT *,
        NOT met AND op IN ('<=', '<')
            AND (pw_met(op, ref_value, target_value, NULL, better, tol) OR met_before_year IS NOT NULL)
            AS ceiling_breached
    FROM judged
)
SELECT *,
    CASE
        WHEN op = 'qualitative' THEN '定性'
        WHEN n_obs IS NULL OR n_obs = 0 THEN '无数据'
        WHEN met THEN '已达标'
        WHEN ceiling_breached OR moved_away THEN '逆向变化'
        WHEN deadline_passed OR ratio IS NULL OR ratio < on_track THEN '进度滞后'
        ELSE '进展顺利'
    END AS status
FROM breaches;
