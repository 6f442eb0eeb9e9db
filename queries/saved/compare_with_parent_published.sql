-- title: 与上级地区公开值的比较
-- description: 有通用口径的指标,截至所选年份的本地最新值与上级地区(省、市)在所选年份及以前最近一年公开发布的数值并列,按指标方向判断本地是否优于上级。公开值属于上级地区,不是本地的监测值;口径匹配度(high/medium/low)见 definition_match,同一年有多个公开值时各列一行。
-- params: year, region
-- order: 8
WITH local AS (
    SELECT d.indicator_id, d.region, d.plan_group, d.name, d.unit, d.canonical_id, d.latest_value, d.latest_year,
           d.status, i.direction, i.target_op
    FROM v_status_detail d
    JOIN v_indicator i USING (indicator_id)
    WHERE d.as_of_year = $year AND d.canonical_id IS NOT NULL
      AND ($region IS NULL OR d.region_code IN (  -- $region: a code or a name, with every region below it
          SELECT r.region_code FROM v_region r
          JOIN v_region s ON s.region_code IN (r.region_code, r.city_code, r.province_code)
          WHERE $region IN (s.region_code, s.name)))
),
published AS (
    SELECT l.indicator_id, r.reference_region, r.published_indicator, r.year, r.value, r.unit,
           r.definition_match, r.url
    FROM local l
    JOIN v_reference r ON r.canonical_id = l.canonical_id AND r.year <= $year
                      AND list_contains(string_split(r.serves, ';'), l.region)
    QUALIFY r.year = max(r.year) OVER (PARTITION BY l.indicator_id, r.reference_region)
)
SELECT l.region AS 地区, l.plan_group AS 规划, l.name AS 指标, l.latest_value AS 本地最新值,
       l.latest_year AS 本地年份, l.unit AS 单位, p.reference_region AS 上级地区,
       p.published_indicator AS 公开指标, p.value AS 上级公开值, p.year AS 公开年份, p.unit AS 公开单位,
       round(l.latest_value - p.value, 2) AS 差值,
       CASE
           WHEN l.latest_value IS NULL THEN '本地无数据'
           WHEN coalesce(l.unit, '') <> coalesce(p.unit, '') THEN '单位不同,不比较'
           WHEN l.direction NOT IN ('higher', 'lower') THEN '—'
           WHEN abs(l.latest_value - p.value) < 1e-9 THEN '持平'
           WHEN (l.latest_value > p.value) = (l.direction = 'higher') THEN '优于上级'
           ELSE '劣于上级'
       END AS 比较,
       p.definition_match AS 口径匹配, l.status AS 本地状态, p.url AS 公开来源, l.indicator_id AS 指标编号
FROM local l
JOIN published p USING (indicator_id)
ORDER BY l.region, l.plan_group, l.canonical_id, p.reference_region, p.definition_match;
