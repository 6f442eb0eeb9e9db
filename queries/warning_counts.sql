-- title: 预警条数(按级别和类型)
-- description: 截至所选年份、侧栏筛选范围内每个级别(红/黄/灰)和类型的预警条数。
-- params: year, group, region, domain, unit
SELECT w.level, w.kind, count(*) AS n
FROM v_warning w
JOIN filtered_status($year, $group, $region, $domain, $unit) f USING (indicator_id, as_of_year)
GROUP BY ALL
ORDER BY ALL;
