-- _status_of(ids): one stored row per indicator per as-of year (the table _status, planwatch/views.py) for the
-- indicators in the list ids (NULL: all), straight from the method (_progress_of). It holds v_status's numbers
-- unrounded and every input of the sentences, but not the sentences: v_status and v_warning
-- build them for the rows a query reads (_status_reason_of), so a refresh prints and stores no text for the
-- 1.5 M rows of a national database, and the summaries (83_tally.sql) never build one.
CREATE OR REPLACE MACRO _status_of(ids) AS TABLE
SELECT
    indicator_id, as_of_year, latest_year, latest_value, progress, expected_progress, projected_value, status,
    ratio, n_points, latest_source_kind, latest_text, assessment, is_final, ref_year, ref_value, has_baseline,
    judged_value, CASE WHEN projected_value IS NOT NULL THEN round(slope, 4) END AS slope,
    -- (a text target has no numbers to tolerate: its figures were a reported text's stray ones)
    CASE WHEN op <> 'qualitative' THEN round(reported_precision, 4) END AS reported_precision,
    CASE WHEN op <> 'qualitative' THEN noise_tolerance END AS noise_tolerance, level_kept AS within_noise,
    round(gap, 4) AS gap, CASE WHEN op <> 'qualitative' THEN round(basic_tolerance, 4) END AS basic_tolerance,
    events, population, pooled_from_year,
    pooled_rate, interval_low, interval_high, interval_method, time_elapsed,
    -- read only by the sentences and the warnings: the call's, and the indicator's target (a copy of the catalogue's,
    -- a few bytes a row once compressed: joining the catalogue would cost every query of v_status)
    met, met_before_year, projected_met, projected_through, projected_near, ceiling_breached, latest_text_year, reported, swinging,
    CASE WHEN swinging THEN year_2 END AS year_2, CASE WHEN swinging THEN year_3 END AS year_3,
    CASE WHEN swinging THEN value_2 END AS value_2, CASE WHEN swinging THEN value_3 END AS value_3,
    unit, printed_op AS op, target_value, target_text, target_year, baseline_year, baseline_value, better, is_key,
    -- the target as judged is two-sided (the stored op is the printed one: an = of an indicator where more is
    -- better is judged as ≥, pw_judged_op)
    pw_two_sided(p.op, better) AS two_sided
FROM _progress_of(ids) p;

CREATE OR REPLACE VIEW _status_live AS FROM _status_of(NULL);

-- _status_reason_of(status_table): the rows of the table so named (_status, or the few new rows of an
-- incremental refresh) with a one-sentence reason in Chinese. Each phrase is made only for the rows that read it
-- (a CASE evaluates only the branch it takes), and only for the rows a query keeps: filters on the stored columns
-- are applied before, and a query that does not read the reason does not make it.
CREATE OR REPLACE MACRO _status_reason_of(status_table) AS TABLE
SELECT *,
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
            || CASE WHEN within_noise AND better * (judged_value - ref_value) < 0 THEN kept_phrase ELSE '' END
            || ',已达到目标' || target_label
            || pw_notes(CASE WHEN latest_year > ref_year THEN '(' || ref_phrase || ')' ELSE '' END, final_phrase) || '。'
        WHEN '逆向变化' THEN latest_phrase
            || CASE
                   WHEN ceiling_breached THEN ',超出上限' || target_label
                   WHEN two_sided AND (op = '~' OR better * (latest_value - ref_value) >= 0)
                       THEN ',比' || ref_phrase || '更偏离目标' || target_label
                   ELSE ',' || CASE WHEN better > 0 THEN '低于' ELSE '高于' END || ref_phrase
                        || ',与目标' || target_label || '方向相反'
               END
            || pw_notes(lost_phrase, final_phrase) || '。'
        ELSE latest_phrase
            || CASE WHEN within_noise THEN kept_phrase || ',尚未达到目标' || target_label
                    WHEN progress IS NULL THEN ',尚未达到目标' || target_label
                    -- a strict target hit exactly: not "完成目标进程的100%" beside "仍未达标"
                    WHEN op IN ('>', '<') AND abs(judged_value - target_value) < 1e-9
                        THEN ',恰等于目标值,尚未达到目标' || target_label
                    ELSE ',较' || ref_phrase || '完成目标进程的' || pw_num(round(progress * 100)) || '%,时间进度'
                         || pw_num(round(expected_progress * 100)) || '%'
               END
            || pw_notes(projection_phrase, lost_phrase) || '。'
    END AS reason
FROM (
    SELECT *,
        latest_year || '年为' || pw_val(latest_value, unit)
            || CASE WHEN small_numbers AND status <> '不能判断'
                    THEN '(事件数少,按' || pooled_phrase || '判断)' ELSE '' END AS latest_phrase,
        ref_year || '年' || CASE WHEN has_baseline THEN '基线' ELSE '' END || pw_val(ref_value, unit) AS ref_phrase,
        CASE WHEN met_before_year IS NOT NULL AND NOT met
             THEN '(曾于' || met_before_year || '年达标,之后回落)' ELSE '' END AS lost_phrase,
        -- for = and a two-sided 左右 what stayed level is the distance to the target (method.md §2)
        CASE WHEN within_noise THEN
            ',' || CASE WHEN two_sided THEN '与目标的差距' ELSE '' END
                || '与' || ref_year || '年' || CASE WHEN has_baseline THEN '基线' ELSE '' END || pw_val(ref_value, unit)
                || CASE WHEN two_sided THEN '时' ELSE '' END
                -- (the interval is named only when the start lies in it: a change within the tolerance is level
                -- whatever the interval says)
                || '基本持平(' || CASE WHEN small_numbers AND interval_low <= ref_value AND ref_value <= interval_high
                                      THEN '在合并率的95%置信区间内'
                                      ELSE '相差' || pw_num(CASE WHEN two_sided
                                                                THEN abs(abs(judged_value - goal) - abs(ref_value - goal))
                                                                ELSE abs(judged_value - ref_value) END)
                                           || pw_diff_unit(unit)
                                           || ',在容差' || pw_num(noise_tolerance) || pw_diff_unit(unit) || '以内' END
                || ')'
        END AS kept_phrase,
        -- without the target year's own value the call stands on an earlier year's until that value is reported:
        -- provisional, not final (a statistician's 初步判定)
        CASE WHEN is_final THEN '(目标年' || target_year || '年已到,'
                                || CASE WHEN latest_year < target_year
                                        THEN target_year || '年数值尚未报送,暂依据' || latest_year || '年数值判定'
                                        ELSE '为最终判定' END
                                || ')' ELSE '' END AS final_phrase,
        CASE
            WHEN status NOT IN ('进展顺利', '进度滞后') THEN NULL  -- read only for these (here and in v_warning)
            WHEN is_final THEN ';目标年' || target_year || '年已到,仍未达标,'
                || CASE WHEN latest_year < target_year
                        THEN '暂依据' || latest_year || '年数值判定(' || target_year || '年数值尚未报送)'
                        ELSE '为最终判定' END
            WHEN projected_value IS NULL
                THEN ';仅有' || coalesce(n_points, 0) || '个数据点,证据较弱,不作趋势外推'
            -- a two-sided target the trend passes through on its way (pw_reaches): reached before the target year
            WHEN projected_met AND projected_through
                THEN ';按' || ref_year || '年以来趋势,' || target_year || '年前可达到目标' || target_label
                     || '(趋势延续则' || target_year || '年约为' || pw_val(projected_value, unit) || ',将越过目标'
                     || CASE WHEN op = '~' THEN '范围)' ELSE '值)' END
            -- short of a one-sided target by no more than noise: as good as reached, and said so with the figures
            WHEN projected_met AND projected_near
                THEN ';按' || ref_year || '年以来趋势' || target_year || '年约为' || pw_val(projected_value, unit)
                     || ',与目标' || target_label || '仅差'
                     || pw_shortfall(pw_gap(op, projected_value, goal, ref_value, better, approx_tol)) || pw_diff_unit(unit)
                     || '(在容差' || pw_num(noise_tolerance) || pw_diff_unit(unit) || '以内),可基本达到目标'
            WHEN projected_met
                THEN ';按' || ref_year || '年以来趋势' || target_year || '年约为' || pw_val(projected_value, unit)
                     || ',可达到目标'
            -- a target asking for a change (持续提升): the trend stays level with, or falls below, the start
            WHEN op = 'maintain' AND pw_improves(target_text)
                THEN ';按' || ref_year || '年以来趋势' || target_year || '年约为' || pw_val(projected_value, unit)
                     || ',' || CASE WHEN better * (projected_value - goal) >= -1e-9
                                    THEN '较' || ref_phrase || '改善不明显'
                                    ELSE CASE WHEN better > 0 THEN '低于' ELSE '高于' END || ref_phrase END
                     || ',达不到目标' || target_label
            -- the shortfall as 距达标 measures it (pw_gap): to the nearest value that meets the target, a 左右
            -- target's band edge included
            ELSE ';按' || ref_year || '年以来趋势' || target_year || '年约为' || pw_val(projected_value, unit)
                 || ',' || CASE WHEN two_sided THEN '偏离' WHEN better > 0 THEN '低于' ELSE '高于' END
                 || '目标' || target_label
                 || '(差' || pw_shortfall(pw_gap(op, projected_value, goal, ref_value, better, approx_tol))
                 || pw_diff_unit(unit) || ')'
        END AS projection_phrase
    FROM (
        SELECT *,
            CASE WHEN small_numbers THEN
                CASE WHEN pooled_from_year < latest_year THEN pooled_from_year || '–' ELSE '' END || latest_year
                -- (a percentage counts people or places, not cases)
                || '年合计' || CASE WHEN unit = '%' THEN '分子' || pw_num(events) ELSE pw_num(events) || '例' END
                || '、分母' || pw_num(population) || ',合并率'
                || pw_val(pooled_rate, unit) || ',95%置信区间' || pw_num(interval_low) || '–'
                || pw_val(interval_high, unit) || '(' || interval_method || ')' END AS pooled_phrase
        FROM (
            SELECT *,
                   pw_target_label(op, target_value, unit, target_text) AS target_label,
                   CASE WHEN op = 'maintain' THEN ref_value ELSE target_value END AS goal,
                   (SELECT value FROM method_threshold WHERE key = 'approx_tolerance') AS approx_tol,
                   -- the small-number rule was applied (_progress_of: interval_method is set then)
                   interval_method IS NOT NULL AS small_numbers
            FROM query_table(status_table)
        )
    )
);
