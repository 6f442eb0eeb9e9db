-- v_region (analysts' API): every province, city and county-level unit of China (cpca's adcode table, with
-- data/regions.csv on top) with its parent, its place in the hierarchy and whether plans are monitored there.
-- pw_region_scope(p_region): the region codes a region filter covers, the region itself and all its descendants
-- (NULL covers every region). Filters and roll-ups use it, so "a province sees its cities and counties" means the
-- same everywhere.
CREATE OR REPLACE MACRO pw_region_scope(p_region) AS TABLE
SELECT region_code FROM region
WHERE p_region IS NULL OR p_region IN (region_code, city_code, province_code);

CREATE OR REPLACE VIEW v_region AS
WITH own AS (SELECT region_code, count(*) AS n_plans FROM plan GROUP BY region_code),
below AS (  -- each plan counted in its region and every region above it
    SELECT region_code, count(*) AS n_plans_within, count(DISTINCT plan_region) AS n_regions_with_plans
    FROM (SELECT unnest(list_distinct([r.region_code, r.city_code, r.province_code])) AS region_code,
                 p.region_code AS plan_region
          FROM plan p JOIN region r USING (region_code))
    GROUP BY region_code
)
SELECT r.region_code, r.name, r.level, r.level_rank, r.parent_code, p.name AS parent_name, r.province,
       r.province_code, r.city_code,
       concat_ws(' / ', CASE WHEN r.level_rank > 1 THEN prov.name END, CASE WHEN r.level_rank > 2 THEN city.name END,
                 r.name) AS path,
       coalesce(o.n_plans, 0) > 0 AS has_plan, coalesce(o.n_plans, 0) AS n_plans,
       coalesce(b.n_plans_within, 0) AS n_plans_within, coalesce(b.n_regions_with_plans, 0) AS n_regions_with_plans,
       r.longitude, r.latitude, r.is_seed
FROM region r
LEFT JOIN region p ON p.region_code = r.parent_code
LEFT JOIN region prov ON prov.region_code = r.province_code
LEFT JOIN region city ON city.region_code = r.city_code
LEFT JOIN own o ON o.region_code = r.region_code
LEFT JOIN below b ON b.region_code = r.region_code;
