-- title: 责任单位个数
-- description: 截至所选年份、筛选条件下列有指标的责任单位个数(即责任单位计分卡的行数;计分卡分页用,不必先算出整张计分卡)。
-- params: year, group, region, domain
SELECT count(DISTINCT (f.region_code, u.unit_id)) AS n
FROM filtered_status($year, $group, $region, $domain, NULL) f
JOIN indicator_unit l USING (indicator_id)
JOIN unit u USING (unit_id);
