-- title: 责任单位的指标
-- description: 一个责任单位在所选年份负责的每项指标:规划中所列角色、列名顺序和原文,指标状态与原因,以及全部责任单位。
-- params: year, group, region, domain, unit
-- The unit's links choose the rows first: its indicators' stored statuses, their reasons made for these rows only, and
-- the catalogue under the filters (as filtered_status means them). Through v_status_detail the reasons of every
-- indicator of the year were made before the join (~1 CPU-s at 2,850 regions; now ~0.1).
WITH links AS (
    SELECT indicator_id, arg_min(role, position) AS role, min(position) AS position,
           string_agg(DISTINCT provenance, '、') AS provenance,
           arg_min(quote, position) AS quote, arg_min(line, position) AS line
    FROM indicator_unit
    WHERE unit_id = $unit AND indicator_id IS NOT NULL
    GROUP BY ALL
),
few AS MATERIALIZED (  -- the unit's indicators' stored statuses in the as-of year
    SELECT * FROM _status
    WHERE ($year IS NULL OR as_of_year = $year) AND indicator_id IN (SELECT indicator_id FROM links)
)
SELECT i.plan_group AS 规划, i.domain AS 领域, i.name AS 指标, f.status AS 状态, f.reason AS 原因,
       l.role AS 角色, l.position AS 列名顺序, i.responsible_units AS 全部责任单位, l.provenance AS 来源,
       l.quote AS 原文, l.line AS 行号, f.latest_source_kind AS 数据来源, f.indicator_id
FROM _status_reason_of('few') f  -- their reasons, made for these rows only (as v_status makes them)
JOIN links l USING (indicator_id)
JOIN _indicator i USING (indicator_id)
WHERE ($group IS NULL OR i.plan_group = $group)
  AND ($region IS NULL OR i.region_code IN (SELECT region_code FROM pw_region_scope($region)))
  AND ($domain IS NULL OR i.domain = $domain)
ORDER BY CASE f.status WHEN '逆向变化' THEN 1 WHEN '进度滞后' THEN 2 WHEN '进展顺利' THEN 3 WHEN '已达标' THEN 4
                       WHEN '无数据' THEN 5 ELSE 6 END, f.indicator_id;
