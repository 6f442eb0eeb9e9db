-- _status_live: one row per indicator per as-of year — status and a one-sentence reason in Chinese.
-- Materialised as _status (planwatch/views.py); the public view v_status is in 45_v_status.sql.
-- The macros take the name of the table of method rows they read (_progress, or the few rows of an incremental
-- refresh), so that a refresh of some indicators never scans the whole _progress table.
CREATE OR REPLACE MACRO _status_reason_of(progress_table) AS TABLE
-- Each phrase is made only for the rows that read it (a CASE evaluates only the branch it takes).
SELECT *,
    latest_year || '年为' || pw_val(latest_value, unit)
        || CASE WHEN small_numbers AND NOT undetermined
                THEN '(事件数少,按' || pooled_phrase || '判断)' ELSE '' END AS latest_phrase,
    ref_year || '年' || CASE WHEN has_baseline THEN '基线' ELSE '' END || pw_val(ref_value, unit) AS ref_phrase,
    CASE WHEN met_before_year IS NOT NULL AND NOT met
         THEN '(曾于' || met_before_year || '年达标,之后回落)' ELSE '' END AS lost_phrase,
    CASE WHEN level_kept THEN
        ',与' || ref_year || '年' || CASE WHEN has_baseline THEN '基线' ELSE '' END || pw_val(ref_value, unit)
            || '基本持平(' || CASE WHEN small_numbers THEN '在合并率的95%置信区间内'
                                  ELSE '相差' || pw_num(abs(judged_value - ref_value)) || pw_diff_unit(unit)
                                       || ',在容差' || pw_num(noise_tolerance) || pw_diff_unit(unit) || '以内' END || ')'
    END AS kept_phrase,
    CASE WHEN is_final THEN '(目标年' || target_year || '年已到,为最终判定'
                            || CASE WHEN latest_year < target_year THEN ',依据' || latest_year || '年数值' ELSE '' END
                            || ')' ELSE '' END AS final_phrase,
    CASE
        WHEN status NOT IN ('进展顺利', '进度滞后') THEN NULL  -- read only for these (here and in v_warning)
        WHEN deadline_passed THEN ';目标年' || target_year || '年已到,仍未达标,为最终判定'
            || CASE WHEN latest_year < target_year THEN '(依据' || latest_year || '年数值)' ELSE '' END
        WHEN projected_value IS NULL
            THEN ';仅有' || coalesce(n_points, 0) || '个数据点,证据较弱,不作趋势外推'
        WHEN projected_met
            THEN ';按' || ref_year || '年以来趋势' || target_year || '年约为' || pw_val(projected_value, unit)
                 || ',可达到目标'
        ELSE ';按' || ref_year || '年以来趋势' || target_year || '年约为' || pw_val(projected_value, unit)
             || ',' || CASE WHEN op IN ('=', '~') THEN '偏离' WHEN better > 0 THEN '低于' ELSE '高于' END
             || '目标' || target_label
             || '(差' || pw_num(abs(projected_value - goal)) || pw_diff_unit(unit) || ')'
    END AS projection_phrase
FROM (
    SELECT *,
        CASE WHEN small_numbers THEN
            CASE WHEN pooled_from_year < latest_year THEN pooled_from_year || '–' ELSE '' END || latest_year || '年合计'
            || pw_num(events) || '例、分母' || pw_num(population) || ',合并率' || pw_val(pooled_rate, unit)
            || ',95%置信区间' || pw_num(interval_low) || '–' || pw_val(interval_high, unit)
            || '(' || interval_method || ')' END AS pooled_phrase
    FROM query_table(progress_table)
);

CREATE OR REPLACE MACRO _status_of(progress_table) AS TABLE
SELECT
    indicator_id, as_of_year, latest_year, latest_value,
    round(progress, 4) AS progress, round(expected_progress, 4) AS expected_progress,
    round(projected_value, 4) AS projected_value, status,
    CASE status
        WHEN '定性' THEN '定性目标“' || target_text || '”'
            || CASE WHEN latest_text IS NULL THEN ',截至' || as_of_year || '年尚无文字报告'
                    ELSE ',' || latest_text_year || '年报告:' || latest_text END || '。'
        WHEN '无数据' THEN '截至' || as_of_year || '年尚无监测数据('
            || CASE WHEN has_baseline OR baseline_value IS NOT NULL
                    THEN baseline_year || '年基线' || pw_val(baseline_value, unit) || ',' ELSE '' END
            || '目标' || target_label || ')。'
        WHEN '不能判断' THEN '不能判断(事件数少):' || latest_year || '年为' || pw_val(latest_value, unit) || ';'
            || pooled_phrase || ',区间包含目标' || target_label || final_phrase || '。'
        WHEN '已达标' THEN latest_phrase
            || CASE WHEN level_kept AND better * (judged_value - ref_value) < 0 THEN kept_phrase ELSE '' END
            || ',已达到目标' || target_label
            || CASE WHEN latest_year > ref_year THEN '(' || ref_phrase || ')' ELSE '' END || final_phrase || '。'
        WHEN '逆向变化' THEN latest_phrase
            || CASE
                   WHEN ceiling_breached THEN ',超出上限' || target_label
                   WHEN op = '~' OR (op = '=' AND better * (latest_value - ref_value) >= 0)
                       THEN ',比' || ref_phrase || '更偏离目标' || target_label
                   ELSE ',' || CASE WHEN better > 0 THEN '低于' ELSE '高于' END || ref_phrase
                        || ',与目标' || target_label || '方向相反'
               END || lost_phrase || final_phrase || '。'
        ELSE latest_phrase
            || CASE WHEN level_kept THEN kept_phrase || ',尚未达到目标' || target_label
                    WHEN progress IS NULL THEN ',尚未达到目标' || target_label
                    ELSE ',较' || ref_phrase || '完成目标进程的' || pw_num(round(progress * 100)) || '%,时间进度'
                         || pw_num(round(expected_progress * 100)) || '%'
               END
            || projection_phrase || lost_phrase || '。'
    END AS reason,
    round(ratio, 4) AS ratio, n_points, latest_source_kind, latest_text,
    -- the bureaus' terms and every input of the call (v_status_detail; the 指标详情 page explains it in one line)
    assessment, is_final, ref_year, ref_value, has_baseline, round(judged_value, 4) AS judged_value,
    CASE WHEN projected_value IS NOT NULL THEN round(slope, 4) END AS slope,
    round(reported_precision, 4) AS reported_precision, round(noise_tolerance, 4) AS noise_tolerance,
    level_kept AS within_noise, round(gap, 4) AS gap, round(basic_tolerance, 4) AS basic_tolerance,
    events, population, pooled_from_year, round(pooled_rate, 4) AS pooled_rate, round(interval_low, 4) AS interval_low,
    round(interval_high, 4) AS interval_high, interval_method, round(time_elapsed, 4) AS time_elapsed
FROM _status_reason_of(progress_table);

CREATE OR REPLACE VIEW _status_live AS FROM _status_of('_progress');
