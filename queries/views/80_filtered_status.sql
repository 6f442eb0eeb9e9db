-- filtered_status(p_year, p_group, p_region, p_domain, p_unit): v_status_detail for one as-of year under the
-- dashboard's filters; NULL means "all" (every year, for p_year). p_region is a region code (adcode) and covers
-- the region's descendants (a province its cities and counties). Every page query starts here so the filters
-- mean the same everywhere.
CREATE OR REPLACE MACRO filtered_status(p_year, p_group, p_region, p_domain, p_unit) AS TABLE
SELECT d.* EXCLUDE (city_code, province_code)
FROM _status_detail d
WHERE (p_year IS NULL OR d.as_of_year = p_year)
  AND (p_group IS NULL OR d.plan_group = p_group)
  -- pw_region_scope's rule on the row's own columns: a filter DuckDB pushes below the reasons (60_attainment.sql)
  AND (p_region IS NULL OR p_region IN (d.region_code, d.city_code, d.province_code))
  AND (p_domain IS NULL OR d.domain = p_domain)
  AND (p_unit IS NULL OR EXISTS (SELECT 1 FROM indicator_unit iu
                                 WHERE iu.indicator_id = d.indicator_id AND iu.unit_id = p_unit));
