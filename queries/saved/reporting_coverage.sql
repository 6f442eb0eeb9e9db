-- title: 各地区各年数据覆盖率
-- description: 各地区、各规划每一年有监测值(数值或文字报告)的指标所占比例,从规划期第一年到所选年份;覆盖率低的年份即填报缺口。
-- params: year, group
-- order: 10
WITH years AS (
    SELECT unnest(range(2021, $year + 1)) AS year
)
SELECT i.region AS 地区, i.region_code AS 地区代码, i.plan_group AS 规划, y.year AS 年份, count(*) AS 指标数,
       count(o.indicator_id) AS 有数据, count(*) - count(o.indicator_id) AS 缺数据,
       round(100.0 * count(o.indicator_id) / count(*), 1) AS "覆盖率(%)",
       count(*) FILTER (WHERE o.source_kind = '填报') AS 其中填报,
       count(*) FILTER (WHERE o.source_kind = '示例') AS 其中示例
FROM v_indicator i
CROSS JOIN years y
LEFT JOIN v_observation o ON o.indicator_id = i.indicator_id AND o.year = y.year
WHERE ($group IS NULL OR i.plan_group = $group)
GROUP BY i.region, i.region_code, i.plan_group, y.year  -- by code: two regions may share a name (宝山区)
ORDER BY i.region_code, i.plan_group, y.year;
