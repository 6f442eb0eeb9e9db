-- _warning_live: early warnings, possibly several per indicator and as-of year; materialised as _warning.
-- 红: moving away, a projected shortfall far behind schedule, or the target year come without the target met
-- (each is 黄 when the call is 基本实现, within the tolerance of the target); 黄: a projected shortfall, or a large
-- swing; 灰: not reported for the as-of year.
-- urgency (higher = more urgent; every warnings list is ordered by it):
--   200 (红) / 100 (黄) / 0 (灰) + 20 (key-table indicator) + 40 × share of the way still to go
--   + 30 × share of the time to the target year already passed; the last three add up to < 100, so red comes first.
-- _warning_of(status_table): from the stored method rows of the table so named (_status, or the new rows of an
-- incremental refresh; 40_v_status.sql). The sentences' phrases (_status_reason_of) are built only for the rows of
-- a projected or final shortfall (s) and for 逆向变化, whose reason is the status's whole sentence; swings and
-- missing reports read the stored columns alone. Every _status_reason_of in the text costs planning time (~0.03 s of
-- an incremental refresh), so the macro names it twice, not once per kind.
CREATE OR REPLACE MACRO _warning_of(status_table) AS TABLE
WITH th AS (
    SELECT max(value) FILTER (WHERE key = 'lag_red_ratio') AS lag_red,
           max(value) FILTER (WHERE key = 'swing_relative') AS swing
    FROM method_threshold
),
s AS (
    SELECT indicator_id, as_of_year, is_final, assessment, ratio, within_noise, latest_phrase, projection_phrase,
           target_label, target_year, latest_year, progress, expected_progress, is_key, met, time_elapsed
    FROM _status_reason_of(status_table)
    WHERE status IN ('进展顺利', '进度滞后') AND (is_final OR (projected_value IS NOT NULL AND NOT projected_met))
)
SELECT w.indicator_id, w.as_of_year, w.level, w.kind, w.reason, w.kind_order,
       round(CASE w.level WHEN '红' THEN 200 WHEN '黄' THEN 100 ELSE 0 END
             + CASE WHEN w.is_key THEN 20 ELSE 0 END
             + 40 * CASE WHEN w.met THEN 0 WHEN w.progress IS NULL THEN 1
                         ELSE least(greatest(1 - w.progress, 0), 1) END
             + 30 * w.time_elapsed, 1) AS urgency
FROM (
    -- (a move away that ends within the tolerance of the target, 基本实现, is yellow, as a shortfall is)
    SELECT indicator_id, as_of_year, CASE WHEN assessment = '基本实现' THEN '黄' ELSE '红' END AS level,
           '逆向变化' AS kind, reason, 1 AS kind_order,
           is_key, met, progress, time_elapsed
    FROM _status_reason_of(status_table)
    WHERE status = '逆向变化'

    UNION ALL
    SELECT indicator_id, as_of_year,
           -- within the tolerance of the target (基本实现) a shortfall is yellow, before the deadline as at it: a
           -- value a hair below its target, or a tiny move from a start at it, is no red alarm
           CASE WHEN assessment = '基本实现' THEN '黄'
                WHEN is_final OR ratio < th.lag_red THEN '红' ELSE '黄' END,
           CASE WHEN is_final THEN '到期未达标' ELSE '预计未达标' END,
           latest_phrase
           || pw_notes(
                CASE WHEN is_final THEN ',目标年' || target_year || '年已到,仍未达到目标' || target_label
                     || CASE WHEN latest_year < target_year
                             THEN '(' || target_year || '年数值尚未报送,暂依据' || latest_year || '年数值),评估为'
                             ELSE ',最终评估为' END || assessment
                     ELSE replace(projection_phrase, ';', ',') END,
                CASE WHEN ratio IS NOT NULL AND NOT is_final
                     -- a change within noise is no progress either way (not "目标进程-10%")
                     THEN '(' || CASE WHEN within_noise THEN '与起点基本持平'
                                      ELSE '目标进程' || pw_num(round(progress * 100)) || '%' END || ',时间进度'
                          || pw_num(round(expected_progress * 100)) || '%)' ELSE '' END) || '。',
           2, is_key, met, progress, time_elapsed
    FROM s CROSS JOIN th

    UNION ALL
    SELECT indicator_id, as_of_year, '黄', '波动较大',
           year_3 || '年为' || pw_val(value_3, unit) || ','
           || year_2 || '年' || CASE WHEN value_2 > value_3 THEN '升' ELSE '降' END || '至' || pw_val(value_2, unit)
           || ',' || latest_year || '年又' || CASE WHEN latest_value > value_2 THEN '升' ELSE '降' END || '至'
           || pw_val(latest_value, unit) || ',两次变化均超过前值的' || pw_num(th.swing * 100) || '%,请核实数据。',
           3, is_key, met, progress, time_elapsed
    FROM query_table(status_table) CROSS JOIN th
    WHERE swinging AND op <> 'qualitative'

    UNION ALL
    SELECT indicator_id, as_of_year, '灰', '未填报',
           as_of_year || '年未填报'
           || CASE WHEN latest_year IS NULL THEN '(尚无任何监测数据)'
                   ELSE '(最近一次填报:' || latest_year || '年,' || pw_val(latest_value, unit) || ')' END || '。',
           4, is_key, met, progress, time_elapsed
    FROM query_table(status_table)
    WHERE op <> 'qualitative' AND NOT reported AND as_of_year <= target_year
) w;

CREATE OR REPLACE VIEW _warning_live AS FROM _warning_of('_status');
