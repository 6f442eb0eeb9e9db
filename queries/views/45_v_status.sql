-- _status_public_of(status_table): the rows of the table or view so named with their reasons (_status_reason_of)
-- and the numbers rounded to four decimals, as the public views v_status and v_status_detail show them.
CREATE OR REPLACE MACRO _status_public_of(status_table) AS TABLE
SELECT * REPLACE (round(progress, 4) AS progress, round(expected_progress, 4) AS expected_progress,
                  round(projected_value, 4) AS projected_value, round(ratio, 4) AS ratio,
                  round(judged_value, 4) AS judged_value, round(noise_tolerance, 4) AS noise_tolerance,
                  round(pooled_rate, 4) AS pooled_rate, round(interval_low, 4) AS interval_low,
                  round(interval_high, 4) AS interval_high, round(time_elapsed, 4) AS time_elapsed)
FROM _status_reason_of(status_table);

-- v_status (analysts' API): one row per indicator per as-of year, read from the materialised _status table, with
-- its numbers rounded and its reason built for the rows read (40_v_status.sql).
CREATE OR REPLACE VIEW v_status AS
SELECT indicator_id, as_of_year, latest_year, latest_value, progress, expected_progress, projected_value, status,
       reason, ratio, n_points, latest_source_kind, latest_text, assessment, is_final, ref_year, ref_value,
       has_baseline, judged_value, slope, reported_precision, noise_tolerance, within_noise, gap, basic_tolerance,
       events, population, pooled_from_year, pooled_rate, interval_low, interval_high, interval_method, time_elapsed
FROM _status_public_of('_status');
