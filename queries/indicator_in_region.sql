-- title: 指标是否属于某地区
-- description: 指标所在地区是否为所给地区或其下级地区(审核员只看本地区的待审核提交和审核意见)。
-- params: id, region
SELECT count(*) > 0 AS inside
FROM v_indicator i
WHERE i.indicator_id = $id AND i.region_code IN (SELECT region_code FROM pw_region_scope($region));
