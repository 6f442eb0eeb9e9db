-- title: 地区筛选项
-- description: 侧栏地区筛选的可选地区:本级或下级有规划的省、市、县级地区(按地区代码),及其上级地区代码和层级。
SELECT region_code, name, parent_code, level_rank
FROM v_region
WHERE n_plans_within > 0
ORDER BY region_code;
