-- title: 筛选项
-- description: 侧栏筛选的可选值:地区、领域、责任单位(按地区区分)和截至年份。
SELECT 'region' AS kind, name AS value, name AS label, 1 AS k1, region_code AS k2 FROM region WHERE is_seed
UNION ALL
SELECT 'domain', domain, domain, sort_order, '' FROM domain
UNION ALL
SELECT 'unit', u.unit_id, r.name || ' · ' || u.name, 0, u.unit_id
FROM unit u JOIN region r USING (region_code)
WHERE EXISTS (SELECT 1 FROM indicator_unit iu WHERE iu.unit_id = u.unit_id AND iu.indicator_id IS NOT NULL)
UNION ALL
SELECT DISTINCT 'year', CAST(as_of_year AS VARCHAR), CAST(as_of_year AS VARCHAR), as_of_year, '' FROM v_status
ORDER BY kind, k1, k2;
