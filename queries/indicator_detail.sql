-- title: 指标详情
-- description: 一个指标的规划原文、基线、目标、责任单位,以及截至所选年份的状态、评估、原因和判定的全部输入。plan_sentence:规划原文(重点指标表的行写成“指标名、基线、目标”一句,正文目标为原句);source_label:出处(规划标题与行号)。
-- params: id, year
SELECT i.* EXCLUDE (judged_op, better),
       pw_target_label(i.target_op, i.target_value, i.unit, i.target_text) AS target_label,
       s.status, s.reason, s.latest_year, s.latest_value, s.progress, s.expected_progress, s.projected_value,
       s.latest_source_kind, p.period_start, p.period_end, p.issuing_document,
       CASE WHEN i.is_key
            THEN '重点指标表中“' || i.name || '”一行'
                 || coalesce(':' || i.baseline_year || '年基线“' || i.baseline_quote || '”', '')
                 || (CASE WHEN i.baseline_quote IS NULL THEN ':' ELSE ',' END)
                 || i.target_year || '年目标“' || i.quote || '”' || coalesce('(单位:' || i.unit || ')', '')
            ELSE i.quote END AS plan_sentence,
       '《' || i.plan_title || '》第' || i.source_line || '行'
           || CASE WHEN i.baseline_line IS NOT NULL AND i.baseline_line <> i.source_line
                   THEN '(基线见第' || i.baseline_line || '行)' ELSE '' END AS source_label,
       -- every input of the call, for the one-line explanation (planwatch/explain.py): the target as judged;
       -- two_sided: what counts is the distance to it (= and 左右 without a better direction); from_within_ceiling:
       -- a ceiling the start was within, or that was met since, so that what counts is the excess over it
       -- (method.md §2, 30_progress.sql ceiling_breached)
       i.judged_op, i.better, pw_two_sided(i.judged_op, i.better) AS two_sided,
       pw_ceiling(i.judged_op, i.better)
           AND (pw_met(i.judged_op, s.ref_value, i.target_value, NULL, i.better,
                       (SELECT value FROM method_threshold WHERE key = 'approx_tolerance'), NULL, NULL)
                OR s.met_before_year IS NOT NULL)
           AS from_within_ceiling,
       pw_noise_precision(s.reported_precision, (SELECT value FROM method_threshold WHERE key = 'precision_cap_relative'),
                          s.ref_value, i.target_value) AS noise_precision,
       s.ratio, s.assessment, s.is_final, s.ref_year, s.ref_value, s.has_baseline, s.judged_value, s.slope,
       s.reported_precision, s.noise_tolerance, s.within_noise, s.gap, s.basic_tolerance, s.events, s.population,
       s.pooled_from_year, s.pooled_rate, s.interval_low, s.interval_high, s.interval_method
-- (judged once, below: inlined into each macro that reads it, its regular expressions took most of the planning)
FROM (SELECT *, pw_judged_op(target_op, name, direction, target_text) AS judged_op,
             pw_better(target_op, direction) AS better
      FROM v_indicator) i
JOIN plan p USING (plan_id)
-- (v_status's row with the stored columns it leaves out: met_before_year)
LEFT JOIN _status_public_of('_status') s ON s.indicator_id = i.indicator_id AND s.as_of_year = $year
WHERE i.indicator_id = $id;
