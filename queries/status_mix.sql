-- title: 各规划、地区、领域的状态构成
-- description: 每个规划(地区+妇女/儿童)、每个地区、每个领域各状态的指标个数。
-- params: year, group, region, domain, unit
SELECT cut, category, status, count(*) AS n, min(sort_key) AS sort_key
FROM (
    SELECT 'plan' AS cut, region || ' ' || plan_group AS category, status, region_code || plan_group AS sort_key
    FROM filtered_status($year, $group, $region, $domain, $unit)
    UNION ALL
    SELECT 'region', region, status, region_code FROM filtered_status($year, $group, $region, $domain, $unit)
    UNION ALL
    SELECT 'domain', f.domain, status, lpad(CAST(d.sort_order AS VARCHAR), 3, '0')
    FROM filtered_status($year, $group, $region, $domain, $unit) f JOIN domain d ON d.domain = f.domain
)
GROUP BY cut, category, status
ORDER BY cut, sort_key, status;
