-- title: 责任单位筛选项
-- description: 侧栏责任单位筛选的可选单位:所选地区(含下级地区;未选时为全部)规划列明或工委指定的责任单位,标为“地区 · 单位”。
-- params: region
SELECT u.unit_id AS value, r.name || ' · ' || u.name AS label
FROM unit u JOIN region r USING (region_code)
WHERE EXISTS (SELECT 1 FROM indicator_unit iu WHERE iu.unit_id = u.unit_id AND iu.indicator_id IS NOT NULL)
  AND ($region IS NULL OR u.region_code IN (SELECT region_code FROM pw_region_scope($region)))
ORDER BY u.unit_id;
