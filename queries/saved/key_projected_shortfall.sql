-- title: 按趋势预计未达标的重点指标
-- description: 规划重点指标表中,按基线以来的直线趋势推算到目标年仍达不到目标的指标(预警类型“预计未达标”),附预计值与目标的差距;按紧迫度从高到低(红色在前)。
-- params: year, group, region
-- order: 9
SELECT d.region AS 地区, d.plan_group AS 规划, d.name AS 指标, w.level AS 级别,
       d.latest_value AS 最新值, d.latest_year AS 最新年份, d.projected_value AS 目标年预计值,
       d.target_label AS 目标, i.target_year AS 目标年, d.unit AS 单位, w.reason AS 原因,
       coalesce(d.responsible_units, '规划未列明') AS 责任单位, d.indicator_id AS 指标编号
FROM v_warning w
JOIN v_status_detail d ON d.indicator_id = w.indicator_id AND d.as_of_year = w.as_of_year
JOIN v_indicator i ON i.indicator_id = w.indicator_id
WHERE w.as_of_year = $year AND w.kind = '预计未达标' AND d.is_key
  AND ($group IS NULL OR d.plan_group = $group)
  AND ($region IS NULL OR d.region_code IN (  -- $region: a code or a name, with every region below it
      SELECT r.region_code FROM v_region r
      JOIN v_region s ON s.region_code IN (r.region_code, r.city_code, r.province_code)
      WHERE $region IN (s.region_code, s.name)))
ORDER BY w.urgency DESC, d.region, d.indicator_id;
