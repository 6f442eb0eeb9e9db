-- _status_live: one row per indicator per as-of year — status and a one-sentence reason in Chinese.
-- Materialised as _status (planwatch/views.py); the public view v_status is in 45_v_status.sql.
CREATE OR REPLACE VIEW _status_reason AS
SELECT *,
    pw_target_label(op, target_value, unit, target_text) AS target_label,
    latest_year || '年为' || pw_val(latest_value, unit) AS latest_phrase,
    ref_year || '年' || CASE WHEN has_baseline THEN '基线' ELSE '' END || pw_val(ref_value, unit) AS ref_phrase,
    CASE WHEN met_before_year IS NOT NULL AND NOT met
         THEN '(曾于' || met_before_year || '年达标,之后回落)' ELSE '' END AS lost_phrase,
    CASE
        WHEN deadline_passed THEN ';目标年' || target_year || '年已到,仍未达标'
        WHEN projected_value IS NULL
            THEN ';仅有' || coalesce(n_points, 0) || '个数据点,证据较弱,不作趋势外推'
        WHEN projected_met
            THEN ';按' || ref_year || '年以来趋势' || target_year || '年约为' || pw_val(projected_value, unit)
                 || ',可达到目标'
        ELSE ';按' || ref_year || '年以来趋势' || target_year || '年约为' || pw_val(projected_value, unit)
             || ',' || CASE WHEN op IN ('=', '~') THEN '偏离' WHEN better > 0 THEN '低于' ELSE '高于' END
             || '目标' || pw_target_label(op, target_value, unit, target_text)
             || '(差' || pw_num(abs(projected_value - goal)) || pw_diff_unit(unit) || ')'
    END AS projection_phrase
FROM _progress;

CREATE OR REPLACE VIEW _status_live AS
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
        WHEN '已达标' THEN latest_phrase || ',已达到目标' || target_label
            || CASE WHEN latest_year > ref_year THEN '(' || ref_phrase || ')' ELSE '' END || '。'
        WHEN '逆向变化' THEN latest_phrase
            || CASE
                   WHEN ceiling_breached THEN ',超出上限' || target_label
                   WHEN op = '~' OR (op = '=' AND better * (latest_value - ref_value) >= 0)
                       THEN ',比' || ref_phrase || '更偏离目标' || target_label
                   ELSE ',' || CASE WHEN better > 0 THEN '低于' ELSE '高于' END || ref_phrase
                        || ',与目标' || target_label || '方向相反'
               END || lost_phrase || '。'
        ELSE latest_phrase
            || CASE WHEN progress IS NULL THEN ',尚未达到目标' || target_label
                    ELSE ',较' || ref_phrase || '完成目标进程的' || pw_num(round(progress * 100)) || '%,时间进度'
                         || pw_num(round(expected_progress * 100)) || '%'
               END
            || projection_phrase || lost_phrase || '。'
    END AS reason,
    round(ratio, 4) AS ratio, n_points, latest_source_kind, latest_text
FROM _status_reason;
