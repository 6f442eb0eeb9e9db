-- title: 与上一年相比的状态变化
-- description: 所选年份与前一年状态不同的指标(例如由“进展顺利”转为“逆向变化”)。
-- params: year, group, region, domain, unit
SELECT f.region AS 地区, f.plan_group AS 规划, f.name AS 指标, p.status AS 上一年状态, f.status AS 本年状态,
       f.reason AS 原因, f.indicator_id,
       CASE f.status WHEN '已达标' THEN 4 WHEN '进展顺利' THEN 3 WHEN '进度滞后' THEN 2 WHEN '逆向变化' THEN 1 ELSE 0 END
     - CASE p.status WHEN '已达标' THEN 4 WHEN '进展顺利' THEN 3 WHEN '进度滞后' THEN 2 WHEN '逆向变化' THEN 1 ELSE 0 END
       AS change_rank
FROM filtered_status($year, $group, $region, $domain, $unit) f
JOIN v_status p ON p.indicator_id = f.indicator_id AND p.as_of_year = $year - 1
WHERE p.status <> f.status
ORDER BY change_rank, f.region, f.indicator_id;
