-- title: 与上一年相比的状态变化
-- description: 所选年份与前一年状态不同的指标(例如由“进展顺利”转为“逆向变化”)。
-- params: year, group, region, domain, unit, page_limit, page_offset
-- One page (page_limit rows from page_offset; NULL: all) is chosen by the statuses and keys alone, and n_rows counts
-- the whole list in the same pass; the reasons (sentences built by v_status) are made only for its rows.
WITH page AS (
    SELECT f.indicator_id, f.region, f.plan_group, f.name, p.status AS before, f.status AS now,
           CASE f.status WHEN '已达标' THEN 4 WHEN '进展顺利' THEN 3 WHEN '进度滞后' THEN 2 WHEN '逆向变化' THEN 1 ELSE 0 END
         - CASE p.status WHEN '已达标' THEN 4 WHEN '进展顺利' THEN 3 WHEN '进度滞后' THEN 2 WHEN '逆向变化' THEN 1 ELSE 0 END
           AS change_rank,
           count(*) OVER () AS n_rows
    FROM filtered_status($year, $group, $region, $domain, $unit) f
    JOIN v_status p ON p.indicator_id = f.indicator_id AND p.as_of_year = $year - 1
    WHERE p.status <> f.status
    ORDER BY change_rank, f.region, f.indicator_id
    LIMIT $page_limit OFFSET $page_offset
)
SELECT p.region AS 地区, p.plan_group AS 规划, p.name AS 指标, p.before AS 上一年状态, p.now AS 本年状态,
       s.reason AS 原因, p.indicator_id, p.change_rank, p.n_rows
FROM page p
JOIN v_status s ON s.indicator_id = p.indicator_id AND s.as_of_year = $year
ORDER BY p.change_rank, p.region, p.indicator_id
