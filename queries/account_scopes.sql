-- title: 账号范围
-- description: 可设审核员的地区(有规划的地区)及各地区可设填报员的责任单位;没有单位的地区 unit_id 为空。
SELECT r.region_code, r.name AS region_name, u.unit_id, u.name AS unit_name
FROM region r
LEFT JOIN unit u USING (region_code)
WHERE r.region_code IN (SELECT region_code FROM plan)
ORDER BY r.region_code, u.name;
