-- title: 规划目录
-- description: 各规划的名称、地区、期限、印发文号和来源文件,以及筛选条件下各规划的指标数(重点表、文字目标、有基线、定性、列明责任单位);region_code 为地区代码(同名地区以此区分)。
-- params: group, region, domain, unit, page_limit, page_offset
-- One page of plans (page_limit from page_offset; NULL: all) is chosen from the plan table, and n_rows counts the
-- plans listed in the same pass; the indicators are counted for the page's plans only.
WITH ind AS (SELECT * FROM filtered_indicator($group, $region, $domain, $unit)),
page AS (
    SELECT p.plan_id, count(*) OVER () AS n_rows
    FROM plan p
    WHERE ($group IS NULL OR p.plan_group = $group)
      AND ($region IS NULL OR p.region_code IN (SELECT region_code FROM pw_region_scope($region)))
      AND ($unit IS NULL OR p.plan_id IN (SELECT plan_id FROM ind))  -- a unit filter keeps only that unit's plans
    ORDER BY p.region_code, p.plan_group DESC, p.plan_id
    LIMIT $page_limit OFFSET $page_offset
)
SELECT p.title AS 规划, r.name AS 地区, p.plan_group AS 类别,
       p.period_start || '—' || p.period_end || '年' AS 期限, p.target_year AS 目标年,
       coalesce(nullif(p.issuing_document, ''), '—') AS 印发文号, p.source_file AS 来源文件, p.title_line AS 标题行,
       count(ind.indicator_id) AS 指标数,
       count(*) FILTER (WHERE ind.is_key) AS 重点表指标,
       count(*) FILTER (WHERE NOT ind.is_key) AS 文字目标,
       count(*) FILTER (WHERE ind.baseline_value IS NOT NULL) AS 有基线,
       count(*) FILTER (WHERE ind.target_op = 'qualitative') AS 定性目标,
       count(*) FILTER (WHERE ind.responsible_units IS NOT NULL) AS 列明责任单位,
       p.plan_id, any_value(page.n_rows) AS n_rows, p.region_code
FROM page
JOIN plan p USING (plan_id)
JOIN region r USING (region_code)
LEFT JOIN ind USING (plan_id)
GROUP BY p.plan_id, p.title, r.name, p.plan_group, p.period_start, p.period_end, p.target_year,
         p.issuing_document, p.source_file, p.title_line, p.region_code
ORDER BY p.region_code, p.plan_group DESC, p.plan_id;
