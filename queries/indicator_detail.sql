-- title: 指标详情
-- description: 一个指标的规划原文、基线、目标、责任单位,以及截至所选年份的状态、评估、原因和判定的全部输入。
-- params: id, year
SELECT i.*, pw_target_label(i.target_op, i.target_value, i.unit, i.target_text) AS target_label,
       s.status, s.reason, s.latest_year, s.latest_value, s.progress, s.expected_progress, s.projected_value,
       s.latest_source_kind, p.period_start, p.period_end, p.issuing_document,
       -- every input of the call, for the one-line explanation (planwatch/explain.py)
       s.ratio, s.assessment, s.is_final, s.ref_year, s.ref_value, s.has_baseline, s.judged_value, s.slope,
       s.reported_precision, s.noise_tolerance, s.within_noise, s.gap, s.basic_tolerance, s.events, s.population,
       s.pooled_from_year, s.pooled_rate, s.interval_low, s.interval_high, s.interval_method
FROM v_indicator i
JOIN plan p USING (plan_id)
LEFT JOIN v_status s ON s.indicator_id = i.indicator_id AND s.as_of_year = $year
WHERE i.indicator_id = $id;
