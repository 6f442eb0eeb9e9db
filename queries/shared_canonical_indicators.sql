-- title: 多地区共有的标准指标
-- description: 至少两个监测地区的规划都列有的标准指标(按规划类别和地区范围筛选),含列有该指标的地区数和上级地区公开数据的条数,供跨地区比较选择;有公开数据、地区多的在前。
-- params: group, region
WITH published AS (
    SELECT canonical_id, count(*) AS n_reference FROM v_reference WHERE canonical_id IS NOT NULL GROUP BY ALL
)
SELECT i.canonical_id, c.name, c.unit, count(DISTINCT i.region_code) AS n_regions,
       coalesce(p.n_reference, 0) AS n_reference
FROM filtered_indicator($group, $region, NULL, NULL) i
JOIN canonical_indicator c USING (canonical_id)
LEFT JOIN published p USING (canonical_id)
GROUP BY i.canonical_id, c.name, c.unit, p.n_reference
HAVING count(DISTINCT i.region_code) >= 2
ORDER BY n_reference > 0 DESC, n_regions DESC, c.name;
