-- title: 待分配责任单位的指标
-- description: 规划未列明责任单位、也尚未由工委指定的指标(可限定地区),供管理员在“监测管理”页分配。
-- params: region
SELECT indicator_id, region, plan_group, domain, name
FROM v_indicator
WHERE responsible_units IS NULL AND ($region IS NULL OR region_code IN (SELECT region_code FROM pw_region_scope($region)))
ORDER BY region_code, indicator_id;
