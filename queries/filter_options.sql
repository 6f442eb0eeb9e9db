-- title: 筛选项
-- description: 侧栏筛选的可选值:领域、责任单位(按地区区分)和截至年份。
SELECT 'domain' AS kind, domain AS value, domain AS label, sort_order AS k1, '' AS k2 FROM domain
UNION ALL
SELECT 'unit', u.unit_id, r.name || ' · ' || u.name, 0, u.unit_id
FROM unit u JOIN region r USING (region_code)
WHERE EXISTS (SELECT 1 FROM indicator_unit iu WHERE iu.unit_id = u.unit_id AND iu.indicator_id IS NOT NULL)
UNION ALL
SELECT DISTINCT 'year', CAST(as_of_year AS VARCHAR), CAST(as_of_year AS VARCHAR), as_of_year, '' FROM v_status
ORDER BY kind, k1, k2;
