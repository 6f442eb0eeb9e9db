-- title: 筛选项
-- description: 侧栏筛选的可选值:领域和截至年份(地区见 region_options,责任单位见 unit_options)。
SELECT 'domain' AS kind, domain AS value, domain AS label, sort_order AS k1, '' AS k2 FROM domain
UNION ALL
SELECT DISTINCT 'year', CAST(as_of_year AS VARCHAR), CAST(as_of_year AS VARCHAR), as_of_year, '' FROM v_status
ORDER BY kind, k1, k2;
