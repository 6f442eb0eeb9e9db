-- title: 上级地区公开数据
-- description: 与该指标同口径(通用指标)的上级地区公开发布值,附来源网址;仅作参照,不是本地数值。
-- params: id
SELECT r.reference_region, r.published_indicator, r.year, r.value, r.unit, r.url, r.snippet, r.definition_match
FROM v_reference r
JOIN v_indicator i ON i.canonical_id = r.canonical_id
JOIN region here ON here.region_code = i.region_code
WHERE i.indicator_id = $id
  -- the place's own parents only (平阳县 → 温州市 → 浙江省)
  AND r.reference_region_code IN (here.parent_code,
                                  (SELECT parent_code FROM region WHERE region_code = here.parent_code))
ORDER BY r.year, r.reference_region;
