-- title: 规划列表
-- description: 所选地区(含下级地区;未选时为全部)的规划:编号、地区和标题;n_plans 为规划个数。规划多于 most 个时只给一行不含规划的个数(plan_id 为空)。
-- params: region, most
WITH scoped AS (
    SELECT p.plan_id, r.name AS region, p.plan_group, p.title, r.region_code
    FROM plan p JOIN region r USING (region_code)
    WHERE $region IS NULL OR p.region_code IN (SELECT region_code FROM pw_region_scope($region))
)
SELECT s.plan_id, s.region, s.plan_group, s.title, n.n_plans
FROM (SELECT count(*) AS n_plans FROM scoped) n
LEFT JOIN scoped s ON n.n_plans <= $most
ORDER BY s.region_code, s.plan_group DESC;
