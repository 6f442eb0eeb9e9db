-- title: 从未填报的指标
-- description: 截至所选年份,没有任何一年的监测值(数值或定性指标的文字报告,含示例数据)的指标,附责任单位,便于督促填报。
-- params: year, group, region
-- order: 4
SELECT i.region AS 地区, i.plan_group AS 规划, i.domain AS 领域, i.name AS 指标,
       CASE WHEN i.target_op = 'qualitative' THEN '定性' ELSE '数值' END AS 目标类型,
       i.target_text AS 目标原文, i.target_year AS 目标年, i.is_key AS 重点指标,
       coalesce(i.responsible_units, '规划未列明') AS 责任单位, i.indicator_id AS 指标编号
FROM v_indicator i
WHERE NOT EXISTS (SELECT 1 FROM v_observation o WHERE o.indicator_id = i.indicator_id AND o.year <= $year)
  AND ($group IS NULL OR i.plan_group = $group)
  AND ($region IS NULL OR i.region_code IN (  -- $region: a code or a name, with every region below it
      SELECT r.region_code FROM v_region r
      JOIN v_region s ON s.region_code IN (r.region_code, r.city_code, r.province_code)
      WHERE $region IN (s.region_code, s.name)))
ORDER BY i.region, i.plan_group, i.is_key DESC, i.indicator_id;
