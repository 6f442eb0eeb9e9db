-- title: 各规划、地区、领域的状态构成
-- description: 每个规划(地区+妇女/儿童)、每个地区、每个领域各状态的指标个数,及其中评估为基本实现的个数(基本实现率用);cut 只取一种(plan、region 或 domain,为空时全取)。
-- params: year, group, region, domain, unit, cut
WITH t AS (SELECT * FROM filtered_tally($year, $group, $region, $domain, $unit))
SELECT cut, category, status, pw_sum(n) AS n, min(sort_key) AS sort_key, pw_sum(n_basic) AS n_basic
FROM (
    SELECT 'plan' AS cut, r.name || ' ' || t.plan_group AS category, t.status, t.region_code || t.plan_group AS sort_key,
           t.n, t.n_basic
    FROM t JOIN region r USING (region_code)
    UNION ALL
    SELECT 'region', r.name, t.status, t.region_code, t.n, t.n_basic FROM t JOIN region r USING (region_code)
    UNION ALL
    SELECT 'domain', t.domain, t.status, lpad(CAST(d.sort_order AS VARCHAR), 3, '0'), t.n, t.n_basic
    FROM t JOIN domain d ON d.domain = t.domain
)
WHERE $cut IS NULL OR cut = $cut
GROUP BY cut, category, status
ORDER BY cut, sort_key, status;
