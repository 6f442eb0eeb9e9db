-- title: 与上一年相比状态变化
-- description: 截至所选年份的状态与截至前一年不同的指标,标明好转、恶化或新增数据(例如由“进展顺利”转为“逆向变化”为恶化);恶化的排在前面。
-- params: year, group, region
-- order: 5
WITH changes AS (
    SELECT d.*, p.status AS previous_status, p.reason AS previous_reason,
           CASE d.status WHEN '已达标' THEN 4 WHEN '进展顺利' THEN 3 WHEN '进度滞后' THEN 2 WHEN '逆向变化' THEN 1 END
               AS now_rank,
           CASE p.status WHEN '已达标' THEN 4 WHEN '进展顺利' THEN 3 WHEN '进度滞后' THEN 2 WHEN '逆向变化' THEN 1 END
               AS before_rank
    FROM v_status_detail d
    JOIN v_status p ON p.indicator_id = d.indicator_id AND p.as_of_year = $year - 1
    WHERE d.as_of_year = $year AND p.status <> d.status
      AND ($group IS NULL OR d.plan_group = $group)
      AND ($region IS NULL OR d.region_code IN (  -- $region: a code or a name, with every region below it
          SELECT r.region_code FROM v_region r
          JOIN v_region s ON s.region_code IN (r.region_code, r.city_code, r.province_code)
          WHERE $region IN (s.region_code, s.name)))
)
SELECT region AS 地区, plan_group AS 规划, name AS 指标,
       previous_status AS 上一年状态, status AS 本年状态,
       CASE WHEN before_rank IS NULL THEN '新增数据' WHEN now_rank IS NULL THEN '失去数据'
            WHEN now_rank > before_rank THEN '好转' ELSE '恶化' END AS 变化,
       reason AS 本年原因, previous_reason AS 上一年原因,
       coalesce(responsible_units, '规划未列明') AS 责任单位, indicator_id AS 指标编号
FROM changes
ORDER BY CASE WHEN now_rank < before_rank THEN 0 WHEN before_rank IS NULL THEN 2 ELSE 1 END,
         now_rank - before_rank, region, indicator_id;
