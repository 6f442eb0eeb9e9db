-- title: 各规划、地区、领域的状态构成
-- description: 每个规划(地区+妇女/儿童)、每个地区、每个领域各状态的指标个数,及其中评估为基本实现的个数(基本实现率用)。
-- params: year, group, region, domain, unit
SELECT cut, category, status, count(*) AS n, min(sort_key) AS sort_key, count_if(assessment = '基本实现') AS n_basic
FROM (
    SELECT 'plan' AS cut, region || ' ' || plan_group AS category, status, region_code || plan_group AS sort_key,
           assessment
    FROM filtered_status($year, $group, $region, $domain, $unit)
    UNION ALL
    SELECT 'region', region, status, region_code, assessment FROM filtered_status($year, $group, $region, $domain, $unit)
    UNION ALL
    SELECT 'domain', f.domain, status, lpad(CAST(d.sort_order AS VARCHAR), 3, '0'), assessment
    FROM filtered_status($year, $group, $region, $domain, $unit) f JOIN domain d ON d.domain = f.domain
)
GROUP BY cut, category, status
ORDER BY cut, sort_key, status;
