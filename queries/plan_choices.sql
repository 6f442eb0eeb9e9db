-- title: 规划列表
-- description: 九个规划的编号、地区和标题。
SELECT p.plan_id, r.name AS region, p.plan_group, p.title
FROM plan p JOIN region r USING (region_code)
ORDER BY r.region_code, p.plan_group DESC;
