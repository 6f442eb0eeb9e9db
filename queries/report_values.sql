-- title: 报告:附表的逐年监测值
-- description: 所选地区(或全部地区)每项指标截至所选年份的逐年监测值(当前有效批次;定性指标为填报文字),带单位;年度报告附表用。
-- params: year, region
SELECT o.indicator_id, o.year,
       CASE WHEN o.value IS NULL THEN o.value_text ELSE pw_num(o.value) END AS shown, o.source_kind
FROM v_observation o
JOIN filtered_status($year, NULL, $region, NULL, NULL) f USING (indicator_id)
WHERE o.year <= $year
ORDER BY o.indicator_id, o.year;
