-- filtered_tally / filtered_warning_tally(p_year, p_group, p_region, p_domain, p_unit): the summaries under the
-- dashboard's filters, meaning what they mean in filtered_status (a unit filter counts that unit's indicators,
-- computed then: units are too many to store a summary per unit).
CREATE OR REPLACE MACRO filtered_tally(p_year, p_group, p_region, p_domain, p_unit) AS TABLE
SELECT t.*
FROM (FROM _tally WHERE p_unit IS NULL UNION ALL FROM _tally_of(NULL, p_unit) WHERE p_unit IS NOT NULL) t
WHERE (p_year IS NULL OR t.as_of_year = p_year)
  AND (p_group IS NULL OR t.plan_group = p_group)
  AND (p_region IS NULL OR t.region_code IN (SELECT region_code FROM pw_region_scope(p_region)))
  AND (p_domain IS NULL OR t.domain = p_domain);

CREATE OR REPLACE MACRO filtered_warning_tally(p_year, p_group, p_region, p_domain, p_unit) AS TABLE
SELECT t.*
FROM (FROM _warning_tally WHERE p_unit IS NULL
      UNION ALL FROM _warning_tally_of(NULL, p_unit) WHERE p_unit IS NOT NULL) t
WHERE (p_year IS NULL OR t.as_of_year = p_year)
  AND (p_group IS NULL OR t.plan_group = p_group)
  AND (p_region IS NULL OR t.region_code IN (SELECT region_code FROM pw_region_scope(p_region)))
  AND (p_domain IS NULL OR t.domain = p_domain);

-- pw_sum(x, cond): a summed count of the rows where cond holds (default: all), 0 (not NULL) over no rows and a
-- BIGINT, as count(*) over the rows summarised gives
CREATE OR REPLACE MACRO pw_sum(x, cond := true) AS CAST(coalesce(sum(x) FILTER (WHERE cond), 0) AS BIGINT);
