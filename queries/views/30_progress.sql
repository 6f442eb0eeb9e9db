-- _progress_live: the numbers behind v_status and v_warning, one row per indicator per as-of year.
-- The method is explained on the 方法说明 page and in docs/method.md; thresholds come from method_threshold.
-- Only observations up to the as-of year count, so any year's review can be replayed; from the target year on,
-- only observations up to the target year count and the call is final (no projection, no 进展顺利).
-- Materialised as the table _progress by planwatch/views.py on every write (build, import, undo), in the same
-- transaction as the write, so the public views read tables instead of recomputing the method per query.
CREATE OR REPLACE VIEW _progress_live AS
WITH th AS (
    SELECT
        max(value) FILTER (WHERE key = 'on_track_ratio') AS on_track,
        max(value) FILTER (WHERE key = 'lag_red_ratio') AS lag_red,
        max(value) FILTER (WHERE key = 'approx_tolerance') AS tol,
        max(value) FILTER (WHERE key = 'swing_relative') AS swing,
        max(value) FILTER (WHERE key = 'min_points_projection') AS min_points,
        max(value) FILTER (WHERE key = 'noise_relative') AS noise_relative,
        max(value) FILTER (WHERE key = 'basic_gap_relative') AS basic_gap_relative,
        max(value) FILTER (WHERE key = 'small_events') AS small_events
    FROM method_threshold
),
ind AS (
    SELECT i.indicator_id, i.unit, i.direction, i.target_op AS op, i.target_value, i.target_text, i.target_year,
           i.baseline_year, i.baseline_value, i.is_key, coalesce(i.baseline_year, p.period_start - 1) AS start_year,
           -- +1: more is better, -1: less is better (a floor or ceiling says so itself)
           CASE WHEN i.target_op IN ('>=', '>') THEN 1 WHEN i.target_op IN ('<=', '<') THEN -1
                WHEN i.direction = 'lower' THEN -1 ELSE 1 END AS better,
           -- events per how many: rates (‰, 1/10万) are Poisson counts, percentages are proportions (Wilson)
           CASE i.unit WHEN '‰' THEN 1000 WHEN '1/‰' THEN 1000 WHEN '1/10万' THEN 100000 WHEN '%' THEN 100 END
               AS rate_scale
    FROM indicator i JOIN plan p USING (plan_id)
),
years AS (
    SELECT unnest(range(2001, greatest(year(current_date),
                                       (SELECT coalesce(max(year), 0) FROM v_observation)) + 1)) AS as_of_year
),
frame AS (
    SELECT ind.*, years.as_of_year, years.as_of_year >= ind.target_year AS is_final,
           least(years.as_of_year, ind.target_year) AS cutoff
    FROM ind JOIN years ON years.as_of_year > ind.start_year
),
points AS (  -- the 2020 baseline (when printed) and every numeric observation up to the as-of (or target) year
    SELECT f.indicator_id, f.as_of_year, o.year, o.value, false AS is_baseline, o.source_kind,
           o.numerator, o.denominator
    FROM frame f
    JOIN v_observation o ON o.indicator_id = f.indicator_id AND o.year <= f.cutoff
                        AND o.year > coalesce(f.baseline_year, 0) AND o.value IS NOT NULL
    UNION ALL
    SELECT indicator_id, as_of_year, baseline_year, baseline_value, true, NULL, NULL, NULL
    FROM frame WHERE baseline_value IS NOT NULL
),
series AS (
    SELECT p.indicator_id, p.as_of_year,
           count(*) FILTER (WHERE NOT is_baseline) AS n_obs,
           count(*) AS n_points,
           max(year) FILTER (WHERE NOT is_baseline) AS latest_year,
           arg_max(value, year) FILTER (WHERE NOT is_baseline) AS latest_value,
           arg_max(source_kind, year) FILTER (WHERE NOT is_baseline) AS latest_source_kind,
           arg_max(numerator, year) FILTER (WHERE NOT is_baseline) AS latest_events,
           arg_max(denominator, year) FILTER (WHERE NOT is_baseline) AS latest_population,
           min(year) AS ref_year,
           arg_min(value, year) AS ref_value,
           bool_or(is_baseline) AS has_baseline,
           max(pw_decimals(value)) AS decimals,
           regr_slope(value, year) AS slope,
           regr_intercept(value, year) AS intercept,
           list(value ORDER BY year) AS vals,
           list(year ORDER BY year) AS yrs,
           bool_or(year = p.as_of_year AND NOT is_baseline) AS reported_this_year
    FROM points p
    GROUP BY ALL
),
pooled AS (  -- events and population of the latest three years that report both (the small-number rule)
    SELECT p.indicator_id, p.as_of_year, sum(p.numerator) AS events, sum(p.denominator) AS population,
           min(p.year) AS pooled_from_year
    FROM points p JOIN series s USING (indicator_id, as_of_year)
    WHERE NOT p.is_baseline AND p.year > s.latest_year - 3 AND p.numerator IS NOT NULL AND p.denominator > 0
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
           greatest(f.target_year - s.ref_year, 1) AS span,
           power(10, -s.decimals) AS reported_precision,
           -- a change smaller than this, or of at most one reported unit, is 基本持平 (pw_within_noise)
           greatest(th.noise_relative * abs(s.ref_value), power(10, -s.decimals)) AS noise_tolerance,
           -- few events in the latest year: judge on the pooled three-year rate and its 95% interval
           f.rate_scale IS NOT NULL AND s.latest_population > 0 AND s.latest_events IS NOT NULL
               AND CASE WHEN f.unit = '%' THEN least(s.latest_events, s.latest_population - s.latest_events)
                        ELSE s.latest_events END < th.small_events
               AND (f.unit = '%' OR pl.k IS NOT NULL) AS small_numbers,
           pd.events, pd.population, pd.pooled_from_year,
           pd.events / pd.population * f.rate_scale AS pooled_rate,
           CASE WHEN f.unit = '%' THEN pw_wilson(pd.events, pd.population, -1) * 100
                ELSE pl.lower / pd.population * f.rate_scale END AS pooled_low,
           CASE WHEN f.unit = '%' THEN pw_wilson(pd.events, pd.population, 1) * 100
                ELSE pl.upper / pd.population * f.rate_scale END AS pooled_high
    FROM frame f CROSS JOIN th
    LEFT JOIN series s USING (indicator_id, as_of_year)
    LEFT JOIN texts t USING (indicator_id, as_of_year)
    LEFT JOIN pooled pd USING (indicator_id, as_of_year)
    LEFT JOIN _poisson_limit pl ON pl.k = round(pd.events)
),
calls AS (  -- the value the call is made on: the latest value, or the pooled rate where events are few
    SELECT * EXCLUDE (pooled_rate, pooled_low, pooled_high),
        CASE WHEN small_numbers THEN pooled_rate END AS pooled_rate,
        CASE WHEN small_numbers THEN pooled_low END AS interval_low,
        CASE WHEN small_numbers THEN pooled_high END AS interval_high,
        CASE WHEN small_numbers THEN CASE WHEN unit = '%' THEN 'Wilson' ELSE 'Poisson精确' END END AS interval_method,
        CASE WHEN small_numbers THEN pooled_rate ELSE latest_value END AS judged_value
    FROM calc
),
measured AS (
    SELECT *,
        pw_met(op, judged_value, goal, ref_value, better, tol, noise_tolerance, reported_precision) AS met,
        coalesce(small_numbers AND interval_low <= goal + 1e-9 AND goal - 1e-9 <= interval_high, false)
            AS undetermined,
        -- 基本持平: the change from the start is noise (pw_within_noise), or, with few events, the start lies
        -- inside the pooled rate's interval
        latest_year > ref_year AND (pw_within_noise(judged_value - ref_value, noise_tolerance, reported_precision)
            OR coalesce(small_numbers AND interval_low <= ref_value AND ref_value <= interval_high, false))
            AS level_kept,
        pw_gap(op, judged_value, goal, ref_value, better, tol) AS gap,
        greatest(basic_gap_relative * abs(goal), noise_tolerance) AS basic_tolerance,
        CASE
            -- no way to go when the start already meets the target (a ceiling kept, a floor already reached):
            -- the question is then only whether it stays met
            WHEN latest_year <= ref_year OR abs(goal - ref_value) < 1e-9
                 OR pw_met(op, ref_value, goal, ref_value, better, tol, noise_tolerance, reported_precision) THEN NULL
            WHEN op IN ('>=', '>', '<=', '<') THEN (judged_value - ref_value) / (goal - ref_value)
            WHEN op IN ('=', '~') THEN (abs(ref_value - goal) - abs(judged_value - goal)) / abs(ref_value - goal)
        END AS progress,
        CASE WHEN latest_year > ref_year THEN least(1.0, (latest_year - ref_year) / span) END AS expected_progress,
        -- share of the time from the start to the target year that has passed at the as-of year (urgency)
        least(1.0, greatest(0.0, (as_of_year - coalesce(ref_year, start_year))
                                 / greatest(target_year - coalesce(ref_year, start_year), 1))) AS time_elapsed,
        -- a straight-line trend through the baseline and every observation, read at the target year; none once
        -- the target year has come (no measure here can go below 0, and no percentage above 100)
        CASE WHEN NOT is_final AND n_points >= min_points AND latest_year > ref_year
             THEN CASE WHEN unit = '%' THEN least(greatest(intercept + slope * target_year, 0), 100)
                       ELSE greatest(intercept + slope * target_year, 0) END END AS projected_value,
        is_final AS deadline_passed,
        -- a swing: the last two changes go opposite ways, each at least swing × the level it started from and more
        -- than one unit of the reported precision; never in a small-number series (chance moves it)
        len(vals) >= 3 AND NOT coalesce(small_numbers, false)
            AND (vals[-2] - vals[-3]) * (vals[-1] - vals[-2]) < 0
            AND abs(vals[-2] - vals[-3]) >= swing * abs(vals[-3]) AND abs(vals[-2] - vals[-3]) > reported_precision + 1e-9
            AND abs(vals[-1] - vals[-2]) >= swing * abs(vals[-2]) AND abs(vals[-1] - vals[-2]) > reported_precision + 1e-9
            AS swinging
    FROM calls
),
judged AS (
    SELECT *,
        pw_reaches(op, projected_value, goal, ref_value, better, tol, noise_tolerance, reported_precision) AS projected_met,
        progress / nullif(expected_progress, 0) AS ratio,
        -- the last year, before the latest, in which the target was met: "met earlier and lost again" is not 已达标
        (SELECT max(p.year) FROM points p
         WHERE p.indicator_id = measured.indicator_id AND p.as_of_year = measured.as_of_year AND NOT p.is_baseline
           AND p.year < measured.latest_year
           AND pw_met(measured.op, p.value, measured.goal, measured.ref_value, measured.better, measured.tol,
                      measured.noise_tolerance, measured.reported_precision))
            AS met_before_year,
        NOT met AND NOT level_kept AND (
            (op IN ('>=', '>', '<=', '<', 'maintain') AND latest_year > ref_year
                AND better * (judged_value - ref_value) < 0)
            OR (op IN ('=', '~') AND latest_year > ref_year AND abs(judged_value - goal) > abs(ref_value - goal)
                AND NOT pw_within_noise(abs(judged_value - goal) - abs(ref_value - goal), noise_tolerance,
                                        reported_precision))
        ) AS moved_away
    FROM measured
),
breaches AS (
    -- a ceiling the indicator was within (at the start, or in any report since) and is now above, by more than
    -- noise, is breached; one that has always been above it is still being reached (progress is measured)
    SELECT *,
        NOT met AND op IN ('<=', '<')
            AND (pw_met(op, ref_value, target_value, NULL, better, tol, NULL, NULL) OR met_before_year IS NOT NULL)
            AND NOT pw_within_noise(judged_value - target_value, noise_tolerance, reported_precision)
            AS ceiling_breached
    FROM judged
),
statuses AS (
    SELECT *,
        CASE
            WHEN op = 'qualitative' THEN '定性'
            WHEN n_obs IS NULL OR n_obs = 0 THEN '无数据'
            WHEN undetermined THEN '不能判断'
            WHEN met THEN '已达标'
            WHEN ceiling_breached OR moved_away THEN '逆向变化'
            WHEN is_final OR ratio IS NULL OR ratio < on_track THEN '进度滞后'
            ELSE '进展顺利'
        END AS status
    FROM breaches
)
SELECT *,
    -- the statistics bureaus' terms: 已实现 = met; 基本实现 = not met and not moving away, but within the
    -- tolerance of the target, or (before the target year) projected to reach it; otherwise 仍有差距
    CASE
        WHEN status IN ('定性', '无数据', '不能判断') THEN status
        WHEN status = '已达标' THEN '已实现'
        WHEN status = '逆向变化' THEN '仍有差距'
        WHEN gap <= basic_tolerance + 1e-9 THEN '基本实现'
        WHEN NOT is_final AND projected_met THEN '基本实现'
        ELSE '仍有差距'
    END AS assessment
FROM statuses;
