-- title: 标准指标的跨地区比较
-- description: 一个标准指标在所选地区范围内(未选时为全部)各监测地区截至所选年份的最新值、目标和状态,以及这些地区的上级地区(省、市)在所选年份及以前最近一年公开发布的数值;公开数据是上级地区的数值,单列一行并注明上级地区,不是本地区的监测值。
-- params: year, group, region, canonical
WITH RECURSIVE places AS (
    SELECT f.*, i.target_value, count(*) OVER (PARTITION BY f.region_code) AS n_in_region
    FROM filtered_status($year, $group, $region, NULL, NULL) f
    JOIN indicator i USING (indicator_id)
    WHERE f.canonical_id = $canonical
),
ancestors(region_code) AS (  -- the parent, grandparent, ... of every place shown
    SELECT r.parent_code FROM region r WHERE r.region_code IN (SELECT region_code FROM places)
    UNION
    SELECT r.parent_code FROM ancestors a JOIN region r USING (region_code) WHERE r.parent_code IS NOT NULL
),
published AS (
    SELECT v.*
    FROM v_reference v
    WHERE v.canonical_id = $canonical AND v.year <= $year
      AND v.reference_region_code IN (SELECT region_code FROM ancestors)
    QUALIFY v.year = max(v.year) OVER (PARTITION BY v.reference_region)  -- conflicting sources are all kept
)
SELECT '规划监测值' AS 类别,
       CASE WHEN n_in_region > 1 THEN region || '(' || plan_group || '规划)' ELSE region END
           || CASE WHEN latest_year IS NULL THEN '(无数据)' ELSE '' END AS 行,
       region AS 地区, latest_value AS value, latest_year AS year, unit,
       CASE WHEN latest_year IS NULL THEN '截至' || $year || '年无数据'
            ELSE pw_val(latest_value, unit) || '(' || latest_year || '年)' END AS 数值,
       target_value, target_label AS 目标, status AS 状态, reason AS 说明, latest_source_kind, indicator_id,
       CAST(NULL AS VARCHAR) AS url, CAST(NULL AS VARCHAR) AS snippet,
       left(region_code, 2) AS province, 0 AS kind_order, region_code AS code
FROM places
UNION ALL
SELECT '上级地区公开数据',
       reference_region || '(上级地区,公开数据)',
       reference_region, value, year, unit, pw_val(value, unit) || '(' || year || '年)',
       NULL, NULL, '上级地区公开数据', published_indicator || '(' || reference_region || ',' || year || '年公开发布)',
       source_kind, NULL, url, snippet, left(reference_region_code, 2), 1, reference_region_code
FROM published
ORDER BY province, kind_order, code DESC, 行, value;
