-- title: 指标列表
-- description: 全部指标的编号与显示名(地区 · 规划 · 名称),供选择指标用。
SELECT indicator_id, region || ' · ' || plan_group || ' · ' || name AS label
FROM v_indicator ORDER BY region_code, plan_group, indicator_id;
