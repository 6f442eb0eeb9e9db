-- title: 指标监测值序列
-- description: 一个指标截至所选年份的全部监测值(当前有效批次),含来源类型与批次;基线作为第一点。
-- params: id, year
SELECT baseline_year AS year, baseline_value AS value, NULL AS value_text, '规划基线' AS source_kind,
       NULL AS batch_id, '规划文本' AS note
FROM indicator WHERE indicator_id = $id AND baseline_value IS NOT NULL
UNION ALL
SELECT year, value, value_text, source_kind, batch_id, note
FROM v_observation WHERE indicator_id = $id AND year <= $year
ORDER BY year;
