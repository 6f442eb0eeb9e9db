-- _indicator_live: one row per plan indicator, with its plan, region, responsible units and source. Stored in the
-- table _indicator (views.refresh), which v_indicator (analysts' API, 12_v_indicator.sql) reads: joining the units'
-- names on every page query cost about a second at 2,850 regions.
CREATE OR REPLACE VIEW _indicator_live AS
WITH units AS (
    SELECT indicator_id, string_agg(name, '、' ORDER BY first_position, name) AS responsible_units
    FROM (
        SELECT iu.indicator_id, u.name, min(iu.position) AS first_position
        FROM indicator_unit iu JOIN unit u USING (unit_id)
        WHERE iu.indicator_id IS NOT NULL
        GROUP BY ALL
    )
    GROUP BY indicator_id
)
SELECT
    i.indicator_id, r.name AS region, p.plan_group, i.domain, i.domain_raw, i.name, i.unit, i.is_key,
    i.direction, i.baseline_year, i.baseline_value, i.target_op, i.target_value, i.target_text, i.target_year,
    units.responsible_units, i.canonical_id, p.source_file, i.target_line AS source_line, i.target_quote AS quote,
    i.plan_id, p.title AS plan_title, p.region_code, i.baseline_line, i.baseline_quote, i.note,
    -- the region's place in the hierarchy, for filters on a region and the regions below it (60_attainment.sql);
    -- not in v_indicator (v_region has it)
    r.city_code, r.province_code
FROM indicator i
JOIN plan p USING (plan_id)
JOIN region r ON r.region_code = p.region_code
LEFT JOIN units USING (indicator_id);
