-- title: 预警条数(按级别和类型)
-- description: 截至所选年份、侧栏筛选范围内每个级别(红/黄/灰)和类型的预警条数。
-- params: year, group, region, domain, unit
SELECT level, kind, pw_sum(n) AS n
FROM filtered_warning_tally($year, $group, $region, $domain, $unit)
GROUP BY ALL
ORDER BY ALL;
