-- _progress_live: the numbers behind v_status and v_warning, one row per indicator per as-of year.
-- The method is explained on the 方法说明 page and in docs/method.md; thresholds come from method_threshold.
-- Only observations up to the as-of year count, so any year's review can be replayed; from the target year on,
-- only observations up to the target year count and the call is final (no projection, no 进展顺利).
-- Computed by planwatch/views.py on every write (build, import, review, undo), in the same transaction as the write,
-- straight into the stored table _status (40_v_status.sql: the numbers and the sentences' inputs, ~45 of these
-- columns), from which _warning is made, so the public views read tables instead of recomputing the method per query
-- (these working rows themselves are never stored).
-- The latest as-of year: this year, or a later one observed (approved, not undone: the years of v_observation).
CREATE OR REPLACE VIEW _last_as_of_year AS
SELECT greatest(year(current_date), (SELECT coalesce(max(o.year), 0) FROM observation o JOIN import_batch b USING (batch_id)
                                     WHERE b.undone_at IS NULL AND b.status = '已通过')) AS y;

-- _progress_of(ids): the method for the indicators in the list ids (NULL: all); _progress_live is all of them.
CREATE OR REPLACE MACRO _progress_of(ids) AS TABLE
WITH th AS (
    SELECT
        max(value) FILTER (WHERE key = 'on_track_ratio') AS on_track,
        max(value) FILTER (WHERE key = 'lag_red_ratio') AS lag_red,
        max(value) FILTER (WHERE key = 'approx_tolerance') AS tol,
        max(value) FILTER (WHERE key = 'swing_relative') AS swing,
        max(value) FILTER (WHERE key = 'min_points_projection') AS min_points,
        max(value) FILTER (WHERE key = 'noise_relative') AS noise_relative,
        max(value) FILTER (WHERE key = 'precision_cap_relative') AS precision_cap,
        max(value) FILTER (WHERE key = 'basic_gap_relative') AS basic_gap_relative,
        max(value) FILTER (WHERE key = 'small_events') AS small_events
    FROM method_threshold
),
ind AS (
    -- k: the indicator as an integer (its row), cheaper to partition and join on than its text id
    -- op: the target as the method judges it (pw_judged_op); printed_op: as the plan prints it (stored, for the
    -- sentences)
    SELECT i.rowid AS k, i.indicator_id, i.unit, i.direction, i.target_op AS printed_op,
           pw_judged_op(i.target_op, i.name, i.direction, i.target_text) AS op,
           i.target_value, i.target_text,
           i.target_year, i.baseline_year, i.baseline_value, i.is_key,
           -- the values it can take (the trend's bounds): a change may be negative, a gross rate pass 100%
           pw_signed(i.name, i.unit) AS signed, pw_over_100(i.name) AS over_100,
           coalesce(i.baseline_year, p.period_start - 1) AS start_year,
           -- the target as the reasons print it: made once per indicator, not per as-of year
           pw_target_label(i.target_op, i.target_value, i.unit, i.target_text) AS target_label,
           pw_better(i.target_op, i.direction) AS better,
           -- events per how many: rates (‰, 1/10万) are Poisson counts, percentages are proportions (Wilson)
           pw_rate_scale(i.unit) AS rate_scale
    FROM indicator i JOIN plan p USING (plan_id)
    WHERE ids IS NULL OR list_contains(ids, i.indicator_id)
),
last_year AS (FROM _last_as_of_year),
years AS (
    SELECT unnest(range(2001, y + 1)) AS as_of_year FROM last_year
),
frame AS (
    SELECT ind.*, years.as_of_year, years.as_of_year >= ind.target_year AS is_final,
           least(years.as_of_year, ind.target_year) AS cutoff
    FROM ind JOIN years ON years.as_of_year > ind.start_year
),
obs AS MATERIALIZED (  -- the current values of the indicators in scope, read once
    SELECT o.* FROM v_observation o WHERE ids IS NULL OR list_contains(ids, o.indicator_id)
),
points AS (  -- the 2020 baseline (when printed) and every numeric observation after it; each as-of year counts
             -- those up to its cutoff (the as-of or the target year)
    SELECT ind.k, o.year, o.value, false AS is_baseline, o.source_kind, o.numerator, o.denominator,
           ind.op, ind.target_value, ind.better, ind.target_year
    FROM obs o JOIN ind USING (indicator_id)
    WHERE o.year > coalesce(ind.baseline_year, 0) AND o.year <= ind.target_year AND o.value IS NOT NULL
    UNION ALL
    SELECT k, baseline_year, baseline_value, true, NULL, NULL, NULL, op, target_value, better, target_year
    FROM ind WHERE baseline_value IS NOT NULL
),
pooled AS (  -- events and population of the latest three years up to each point that report both (the
            -- small-number rule): only series with counts have any, so they are added up on those points alone
    SELECT p.k, p.year, sum(c.numerator) AS events, sum(c.denominator) AS population, min(c.year) AS pooled_from_year
    FROM points p
    JOIN points c ON c.k = p.k AND c.year BETWEEN p.year - 2 AND p.year
    WHERE NOT c.is_baseline AND c.numerator IS NOT NULL AND c.denominator > 0
    GROUP BY p.k, p.year
),
running AS (  -- what the series up to each point says; an as-of year reads the last point up to its cutoff.
              -- Years are unique per indicator, so the window order is total and the result deterministic.
              -- The baseline, when printed, is the first point (the catalogue gives its year with its value),
              -- and every observation has a source kind (import_batch.source_kind is NOT NULL).
    SELECT k, year, is_baseline,
           -- the cutoffs (least of as-of and target year) for which this point is the last one
           unnest(range(year, next_year)) AS cutoff,
           n_points - has_baseline::INTEGER AS n_obs, n_points,
           CASE WHEN NOT is_baseline THEN year END AS latest_year,
           CASE WHEN NOT is_baseline THEN value END AS latest_value,
           CASE WHEN NOT is_baseline THEN source_kind END AS latest_source_kind,
           latest_events, latest_population, ref_year, ref_value, has_baseline, decimals,
           power(10, -decimals) AS reported_precision,
           -- the reported unit that counts as noise (a difference rounding alone can make): 1所 → 0所, or 6个 → 5个
           -- 托位, is no rounding
           pw_noise_precision(power(10, -decimals), precision_cap, ref_value, target_value) AS noise_precision,
           -- a change smaller than this, or of at most one reported unit, is 基本持平 (pw_within_noise); for a start
           -- short of its target never more than half the way the plan asks for (94.1 → ≥95: 0.45, not 0.94, or 94.8
           -- would be level and 78% there); a start that meets it has no way to go (90.2 against ≥90 keeps 0.902)
           greatest(CASE WHEN op IN ('>=', '>', '<=', '<', '=', '~') AND abs(target_value - ref_value) > 1e-9
                              AND NOT pw_met(op, ref_value, target_value, NULL, better, approx_tol, NULL, NULL)
                         THEN least(noise_relative * abs(ref_value), abs(target_value - ref_value) / 2)
                         ELSE noise_relative * abs(ref_value) END, noise_precision) AS noise_tolerance,
           slope, intercept, value AS value_1, value_2, value_3, year AS year_1, year_2, year_3,
           fixed_met_before_year, events, population, pooled_from_year
    FROM (
        SELECT p.k, p.year, p.is_baseline, p.value, p.source_kind, p.op, p.target_value, p.better, th.noise_relative,
               th.precision_cap,
               th.tol AS approx_tol,
               lead(p.year, 1, least(p.target_year, last_year.y) + 1) OVER upto AS next_year,
               row_number() OVER upto AS n_points,
               -- the judged year's own counts: a year reported without 分子/分母 is judged on its value (method.md
               -- §5), never on an earlier year's counts
               p.numerator AS latest_events, p.denominator AS latest_population,
               first_value(p.year) OVER upto AS ref_year,
               first_value(p.value) OVER upto AS ref_value,
               first_value(p.is_baseline) OVER upto AS has_baseline,
               max(pw_decimals(p.value)) OVER upto AS decimals,
               regr_slope(p.value, p.year) OVER upto AS slope,
               regr_intercept(p.value, p.year) OVER upto AS intercept,
               -- the last three points, newest first (for swings)
               lag(p.value, 1) OVER upto AS value_2, lag(p.value, 2) OVER upto AS value_3,
               lag(p.year, 1) OVER upto AS year_2, lag(p.year, 2) OVER upto AS year_3,
               -- the last earlier report that met a target fixed in advance (保持: maintained, below)
               max(p.year) FILTER (WHERE NOT p.is_baseline AND p.op NOT IN ('maintain', 'improve')
                                     AND pw_met(p.op, p.value, p.target_value, NULL, p.better, th.tol, NULL, NULL))
                   OVER before AS fixed_met_before_year
        FROM points p CROSS JOIN th CROSS JOIN last_year
        WINDOW upto AS (PARTITION BY p.k ORDER BY p.year ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
               before AS (PARTITION BY p.k ORDER BY p.year ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
    ) LEFT JOIN pooled USING (k, year)
),
maintained AS (  -- the same for 保持 (and 持续提升, improve), whose tolerance depends on the series up to the
                 -- point
    SELECT s.k, s.cutoff, max(p.year) AS met_before_year
    FROM running s
    JOIN points p ON p.k = s.k AND NOT p.is_baseline AND p.year < s.latest_year
    CROSS JOIN th
    WHERE p.op IN ('maintain', 'improve')
      AND pw_met(p.op, p.value, s.ref_value, s.ref_value, p.better, th.tol, s.noise_tolerance, s.noise_precision)
    GROUP BY ALL
),
texts AS (  -- reported texts (qualitative targets): each is the newest for the as-of years up to the next one
    SELECT indicator_id, year, value_text,
           unnest(range(year, lead(year, 1, last_year.y + 1) OVER (PARTITION BY indicator_id ORDER BY year)))
               AS as_of_year
    FROM obs CROSS JOIN last_year WHERE value_text IS NOT NULL
),
calc AS (
    SELECT f.*, th.*,
           s.n_obs, s.n_points, s.latest_year, s.latest_value, s.latest_source_kind, s.latest_events,
           s.latest_population,
           s.ref_year, s.ref_value, s.has_baseline, s.decimals, s.slope, s.intercept,
           s.value_1, s.value_2, s.value_3, s.year_1, s.year_2, s.year_3,
           -- the last year, before the latest, in which the target was met: "met earlier and lost again" is not 已达标
           CASE WHEN f.op IN ('maintain', 'improve') THEN mb.met_before_year ELSE s.fixed_met_before_year END
               AS met_before_year,
           NOT s.is_baseline AND s.year = f.as_of_year AS reported_this_year,
           t.value_text AS latest_text, t.year AS latest_text_year,
           coalesce(NOT s.is_baseline AND s.year = f.as_of_year, false) OR coalesce(t.year = f.as_of_year, false)
               AS reported,
           CASE WHEN f.op IN ('maintain', 'improve') THEN s.ref_value ELSE f.target_value END AS goal,
           greatest(f.target_year - s.ref_year, 1) AS span,
           s.reported_precision, s.noise_precision, s.noise_tolerance,
           -- few events in the latest year: judge on the pooled three-year rate and its 95% interval
           f.rate_scale IS NOT NULL AND s.latest_population > 0 AND s.latest_events IS NOT NULL
               AND CASE WHEN f.unit = '%' THEN least(s.latest_events, s.latest_population - s.latest_events)
                        ELSE s.latest_events END < th.small_events
               AND (f.unit = '%' OR pl.k IS NOT NULL) AS few_events,
           -- a percentage is a whole count (2,000 of 2,000 children, 48 of 50 villages), not a sample: when its own
           -- reported value meets the target it is met, and the interval is read only for a shortfall (the series
           -- still has few events: no swing warning, below)
           few_events AND NOT (f.unit = '%' AND pw_met(f.op, s.latest_value, goal, s.ref_value, f.better, th.tol,
                                                       s.noise_tolerance, s.noise_precision)) AS small_numbers,
           s.events, s.population, s.pooled_from_year,
           s.events / s.population * f.rate_scale AS pooled_rate,
           CASE WHEN f.unit = '%' THEN pw_wilson(s.events, s.population, -1) * 100
                ELSE pl.lower / s.population * f.rate_scale END AS pooled_low,
           CASE WHEN f.unit = '%' THEN pw_wilson(s.events, s.population, 1) * 100
                ELSE pl.upper / s.population * f.rate_scale END AS pooled_high
    FROM frame f CROSS JOIN th
    LEFT JOIN running s ON s.k = f.k AND s.cutoff = f.cutoff
    LEFT JOIN texts t USING (indicator_id, as_of_year)
    LEFT JOIN maintained mb ON mb.k = f.k AND mb.cutoff = f.cutoff
    LEFT JOIN _poisson_limit pl ON pl.k = round(s.events)
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
        -- a printed baseline already at the target (100% → 100%) is met while the value stays level with it
        -- (method.md §3); a first report at the target is a report like any other ("曾于…年达标,之后回落")
        pw_met(op, judged_value, goal, ref_value, better, tol, noise_tolerance, noise_precision)
            OR (op IN ('=', '>=', '<=') AND has_baseline AND abs(goal - ref_value) < 1e-9 AND latest_year > ref_year
                AND pw_within_noise(judged_value - ref_value, noise_tolerance, noise_precision)) AS met,
        coalesce(small_numbers AND interval_low <= goal + 1e-9 AND goal - 1e-9 <= interval_high, false)
            AS undetermined,
        -- 基本持平: the change from the start (for = and a two-sided 左右: of the distance to the target) is noise
        -- (pw_within_noise), or, with few events, the start lies inside the pooled rate's interval
        latest_year > ref_year AND (
            pw_within_noise(CASE WHEN pw_two_sided(op, better) THEN abs(judged_value - goal) - abs(ref_value - goal)
                                 ELSE judged_value - ref_value END, noise_tolerance, noise_precision)
            OR coalesce(small_numbers AND interval_low <= ref_value AND ref_value <= interval_high, false))
            AS level_kept,
        -- 0 once met (a 保持 kept within noise is met a hair below its baseline), none without a value
        CASE WHEN met THEN 0 WHEN judged_value IS NOT NULL THEN pw_gap(op, judged_value, goal, ref_value, better, tol)
        END AS gap,
        greatest(basic_gap_relative * abs(goal), noise_tolerance) AS basic_tolerance,
        CASE
            -- no way to go when the start already meets the target (a ceiling kept, a floor already reached):
            -- the question is then only whether it stays met
            WHEN latest_year <= ref_year OR abs(goal - ref_value) < 1e-9
                 OR pw_met(op, ref_value, goal, ref_value, better, tol, noise_tolerance, noise_precision) THEN NULL
            WHEN pw_two_sided(op, better)
                THEN (abs(ref_value - goal) - abs(judged_value - goal)) / abs(ref_value - goal)
            WHEN op IN ('>=', '>', '<=', '<', '~') THEN (judged_value - ref_value) / (goal - ref_value)
        END AS progress,
        CASE WHEN latest_year > ref_year THEN least(1.0, (latest_year - ref_year) / span) END AS expected_progress,
        -- share of the time from the start to the target year that has passed at the as-of year (urgency); all of
        -- it once the target year has come (a first report in the target year is its own start)
        CASE WHEN is_final THEN 1.0
             ELSE least(1.0, greatest(0.0, (as_of_year - coalesce(ref_year, start_year))
                                           / greatest(target_year - coalesce(ref_year, start_year), 1))) END
            AS time_elapsed,
        -- a straight-line trend through the baseline and every observation, read at the target year; none once
        -- the target year has come (no level can go below 0, nor a percentage above 100 but a gross rate's; a
        -- change can: pw_signed)
        CASE WHEN NOT is_final AND n_points >= min_points AND latest_year > ref_year
             THEN CASE WHEN signed THEN intercept + slope * target_year
                       WHEN unit = '%' AND NOT over_100 THEN least(greatest(intercept + slope * target_year, 0), 100)
                       ELSE greatest(intercept + slope * target_year, 0) END END AS projected_value,
        is_final AS deadline_passed,
        -- a swing: the last two changes go opposite ways, each more than swing × the level it started from, more
        -- than one unit of the reported precision and not within the noise tolerance (基本持平 is no swing, method.md
        -- §2); never in a small-number series (chance moves it)
        n_points >= 3 AND NOT coalesce(few_events, false)
            AND (value_2 - value_3) * (value_1 - value_2) < 0
            AND abs(value_2 - value_3) > greatest(swing * abs(value_3), reported_precision) + 1e-9
            AND abs(value_2 - value_3) >= noise_tolerance - 1e-9
            AND abs(value_1 - value_2) > greatest(swing * abs(value_2), reported_precision) + 1e-9
            AND abs(value_1 - value_2) >= noise_tolerance - 1e-9
            AS swinging
    FROM calls
),
judged AS (
    SELECT *,
        pw_reaches(op, projected_value, goal, ref_value, judged_value, better, tol, noise_tolerance, noise_precision,
                   basic_tolerance) AS projected_met,
        -- …by passing through it (overshooting 100% or the band of 50%左右 on the way): said so in the reason
        pw_two_sided(op, better) AND NOT pw_met(op, projected_value, goal, ref_value, better, tol, noise_tolerance,
                                                noise_precision) AS projected_through,
        -- …or by ending short of a one-sided target by no more than noise (pw_reaches): said so too
        NOT pw_two_sided(op, better) AND NOT pw_met(op, projected_value, goal, ref_value, better, tol, noise_tolerance,
                                                    noise_precision) AS projected_near,
        progress / nullif(expected_progress, 0) AS ratio,
        NOT met AND NOT level_kept AND (
            -- a ceiling the start was within turns 逆向变化 only when breached by more than noise (method.md §2:
            -- its Δ is the excess over the ceiling; ceiling_breached below), not by 4.01 against ≤4
            (op IN ('>=', '>', '<=', '<', 'maintain', 'improve', '~') AND NOT pw_two_sided(op, better)
                AND latest_year > ref_year
                AND better * (judged_value - ref_value) < 0
                AND NOT (pw_ceiling(op, better) AND pw_met(op, ref_value, target_value, NULL, better, tol, NULL, NULL)))
            -- (NOT level_kept: for = and a two-sided 左右 the growth of the distance is more than noise)
            OR (pw_two_sided(op, better) AND latest_year > ref_year AND abs(judged_value - goal) > abs(ref_value - goal))
        ) AS moved_away
    FROM measured
),
breaches AS (
    -- a ceiling the indicator was within (at the start, or in any report since) and is now above, by more than
    -- noise, is breached; one that has always been above it is still being reached (progress is measured)
    SELECT *,
        NOT met AND pw_ceiling(op, better)
            AND (pw_met(op, ref_value, target_value, NULL, better, tol, NULL, NULL) OR met_before_year IS NOT NULL)
            AND NOT pw_within_noise(pw_gap(op, judged_value, target_value, NULL, better, tol), noise_tolerance,
                                    noise_precision)
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
SELECT * EXCLUDE (k),
    -- the statistics bureaus' terms: 已实现 = met; 基本实现 = not met, but within the tolerance of a printed target
    -- (even after moving away: 45.1 → 44.0 against 45左右, 0.1 short of its band; not a 保持 target, whose
    -- reference is the baseline: a fall from it by more than noise is the shortfall itself), or (before the target
    -- year and not moving away) projected to reach it; otherwise 仍有差距
    CASE
        WHEN status IN ('定性', '无数据', '不能判断') THEN status
        WHEN status = '已达标' THEN '已实现'
        WHEN gap <= basic_tolerance + 1e-9 AND NOT (status = '逆向变化' AND op IN ('maintain', 'improve'))
            THEN '基本实现'
        WHEN NOT is_final AND projected_met AND status <> '逆向变化' THEN '基本实现'
        ELSE '仍有差距'
    END AS assessment
FROM statuses;

CREATE OR REPLACE VIEW _progress_live AS SELECT * FROM _progress_of(NULL);
