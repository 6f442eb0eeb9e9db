-- v_reference: published values of the parent regions (公开), linked to canonical indicators where the
-- definition matches. They describe the parent region (陕西省, 北京市, 苏州市, 浙江省), never the plan's own place.
CREATE OR REPLACE VIEW v_reference AS
SELECT v.region AS reference_region, r.region_code AS reference_region_code, v.indicator AS published_indicator,
       l.canonical_id, v.year, v.value, v.unit, v.url, v.snippet, v.definition_match, v.serves, v.note,
       '公开' AS source_kind
FROM reference_value v
LEFT JOIN reference_link l ON l.region = v.region AND l.indicator = v.indicator
LEFT JOIN region r ON r.name = v.region;
