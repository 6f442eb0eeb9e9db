-- title: 未列明责任单位的规划
-- description: 筛选条件下有指标未列明责任单位的规划:规划完全未列明时说“规划未列明责任单位”;另计规划只为目标或项目(而非指标)列明的单位条目。
-- params: year, group, region, domain, page_limit, page_offset
-- One page (page_limit rows from page_offset; NULL: all), and n_rows counts the whole list in the same pass. It reads
-- the stored catalogue and the statuses' keys only, not v_status_detail (at 2,850 regions ~0.15 instead of ~0.2 CPU-s cold).
WITH goal_units AS (  -- units a plan names for a goal or project that has no quantitative indicator
    SELECT plan_id, count(*) AS n_goal_units FROM indicator_unit WHERE indicator_id IS NULL GROUP BY ALL
)
SELECT f.region AS 地区, f.plan_group AS 类别, p.title AS 规划, count(*) AS 指标数,
       count(*) FILTER (WHERE f.responsible_units IS NULL) AS 未列明单位的指标,
       CASE WHEN count(f.responsible_units) = 0 THEN '规划未列明责任单位'
            ELSE '部分指标未列明责任单位' END AS 说明,
       coalesce(g.n_goal_units, 0) AS 仅为目标列明的单位条目, p.source_file AS 来源文件, f.plan_id,
       count(*) OVER () AS n_rows,
       -- how many of the whole list name no unit at all (the page names a few and counts them all)
       sum(CASE WHEN count(f.responsible_units) = 0 THEN 1 ELSE 0 END) OVER () AS n_none,
       f.region_code  -- two regions may share a name (江苏省's two 鼓楼区)
-- the indicators filtered_status would give (the filters mean the same), each once per as-of year it has a status in
FROM _indicator f
JOIN (SELECT indicator_id FROM _status WHERE $year IS NULL OR as_of_year = $year) s USING (indicator_id)
JOIN plan p USING (plan_id)
LEFT JOIN goal_units g USING (plan_id)
WHERE ($group IS NULL OR f.plan_group = $group)
  AND ($region IS NULL OR f.region_code IN (SELECT region_code FROM pw_region_scope($region)))
  AND ($domain IS NULL OR f.domain = $domain)
GROUP BY f.region, f.region_code, f.plan_group, p.title, g.n_goal_units, p.source_file, f.plan_id
HAVING count(*) FILTER (WHERE f.responsible_units IS NULL) > 0
ORDER BY count(f.responsible_units) > 0, f.region_code, f.plan_group DESC
LIMIT $page_limit OFFSET $page_offset;
