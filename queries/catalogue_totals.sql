-- title: 规划目录合计
-- description: 筛选条件下全部规划的指标数、重点表指标、文字目标、有基线和列明责任单位的个数(即规划目录各行之和)。
-- params: group, region, domain, unit
SELECT count(*) AS 指标数, count(*) FILTER (WHERE is_key) AS 重点表指标, count(*) FILTER (WHERE NOT is_key) AS 文字目标,
       count(*) FILTER (WHERE baseline_value IS NOT NULL) AS 有基线,
       count(*) FILTER (WHERE responsible_units IS NOT NULL) AS 列明责任单位
FROM filtered_indicator($group, $region, $domain, $unit);
