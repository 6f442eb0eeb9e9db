-- title: 已达标后回落的指标
-- description: 截至此前某一年曾经“已达标”、截至所选年份却不再达标(进展顺利、进度滞后或逆向变化)的指标,附最近一次达标的年份和回落原因。
-- params: year, group, region
-- order: 7
WITH history AS (
    SELECT indicator_id,
           min(as_of_year) AS first_met_year,
           max(as_of_year) AS last_met_year
    FROM v_status
    WHERE as_of_year < $year AND status = '已达标'
    GROUP BY indicator_id
)
SELECT d.region AS 地区, d.plan_group AS 规划, d.name AS 指标, d.target_label AS 目标,
       h.first_met_year AS 首次达标年份, h.last_met_year AS 最近达标年份, d.status AS 当前状态,
       d.latest_value AS 最新值, d.unit AS 单位, d.latest_year AS 最新年份, d.reason AS 原因,
       coalesce(d.responsible_units, '规划未列明') AS 责任单位, d.indicator_id AS 指标编号
FROM v_status_detail d
JOIN history h USING (indicator_id)
WHERE d.as_of_year = $year
  AND d.status IN ('进展顺利', '进度滞后', '逆向变化')
  AND ($group IS NULL OR d.plan_group = $group)
  AND ($region IS NULL OR d.region_code IN (  -- $region: a code or a name, with every region below it
      SELECT r.region_code FROM v_region r
      JOIN v_region s ON s.region_code IN (r.region_code, r.city_code, r.province_code)
      WHERE $region IN (s.region_code, s.name)))
ORDER BY CASE d.status WHEN '逆向变化' THEN 1 WHEN '进度滞后' THEN 2 ELSE 3 END, d.region, d.indicator_id;
