-- title: 下级地区达标率
-- description: 所选地区(未选时为全国)的下级地区各自的汇总达标率(已达标 ÷ 已评估,含其全部下级地区的规划)、基本实现率及分母构成:全国列各省,省列各市(及省直辖的县级地区),市列各县区;所选地区没有下级地区时列它本身;既有本级规划又有下级地区时另列“(本级)”一行,只计本级规划。按规划类别、领域、责任单位筛选;有规划但没有符合筛选的指标的地区也列出。
-- params: year, group, region, domain, unit
WITH with_plans AS (SELECT * FROM v_region WHERE n_plans_within > 0),
children AS (
    SELECT * FROM with_plans
    WHERE CASE WHEN $region IS NULL THEN parent_code IS NULL ELSE parent_code = $region END
),
shown AS (
    SELECT *, false AS own FROM children
    UNION ALL  -- the region itself: when it has no regions with plans below it, or (本级) its own plans beside theirs
    SELECT *, EXISTS (SELECT 1 FROM children) AS own FROM with_plans
    WHERE region_code = $region AND (has_plan OR NOT EXISTS (SELECT 1 FROM children))
),
rollup AS (SELECT *, false AS own FROM filtered_rollup($year, $group, $region, $domain, $unit) WHERE as_of_year = $year),
own_counts AS (  -- its own plans: its roll-up less its children's (every count adds up)
    SELECT CAST(sum(COLUMNS('^n_')) AS BIGINT) FROM (
        SELECT COLUMNS('^n_') FROM rollup WHERE region_code = $region
        UNION ALL
        SELECT -COLUMNS('^n_') FROM rollup WHERE region_code IN (SELECT region_code FROM children))
),
counts AS (
    SELECT region_code, own, attainment_rate, basic_rate, COLUMNS('^n_') FROM rollup
    UNION ALL BY NAME
    SELECT $region AS region_code, true AS own, round(n_met / nullif(n_assessed, 0), 4) AS attainment_rate,
           round((n_met + n_basic) / nullif(n_assessed, 0), 4) AS basic_rate, COLUMNS('^n_')
    FROM own_counts WHERE n_plans > 0
)
SELECT s.name || CASE WHEN s.own THEN '(本级)' ELSE '' END AS 地区, u.attainment_rate AS 达标率,
       u.basic_rate AS 基本实现率,
       coalesce(u.n_met, 0) AS 已达标, coalesce(u.n_assessed, 0) AS 已评估, coalesce(u.n_on_track, 0) AS 进展顺利,
       coalesce(u.n_lagging, 0) AS 进度滞后, coalesce(u.n_reversed, 0) AS 逆向变化,
       coalesce(u.n_no_data, 0) AS 无数据, coalesce(u.n_qualitative, 0) AS 定性,
       coalesce(u.n_undetermined, 0) AS 不能判断, coalesce(u.n_indicators, 0) AS 指标总数,
       coalesce(u.n_plans, 0) AS 规划数, CASE WHEN s.own THEN 1 ELSE s.n_regions_with_plans END AS 有规划的地区数,
       coalesce(u.n_demo, 0) AS 示例值指标, s.level AS 层级, s.region_code AS 地区代码, s.longitude, s.latitude,
       NOT s.own AND (s.n_regions_with_plans > 1 OR NOT s.has_plan) AS has_children, coalesce(u.n_basic, 0) AS 基本实现
FROM shown s LEFT JOIN counts u ON u.region_code = s.region_code AND u.own = s.own
ORDER BY u.attainment_rate NULLS FIRST, s.region_code;
