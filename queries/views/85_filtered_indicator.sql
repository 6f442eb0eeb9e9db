-- filtered_indicator(p_group, p_region, p_domain, p_unit): v_indicator under the dashboard's filters, for pages
-- about what the plans say (no as-of year). NULL means "all"; the filters mean what they mean in filtered_status.
CREATE OR REPLACE MACRO filtered_indicator(p_group, p_region, p_domain, p_unit) AS TABLE
SELECT v.*, i.name_line
FROM v_indicator v
JOIN indicator i USING (indicator_id)
WHERE (p_group IS NULL OR v.plan_group = p_group)
  AND (p_region IS NULL OR v.region_code IN (SELECT region_code FROM pw_region_scope(p_region)))
  AND (p_domain IS NULL OR v.domain = p_domain)
  AND (p_unit IS NULL OR EXISTS (SELECT 1 FROM indicator_unit iu
                                 WHERE iu.indicator_id = v.indicator_id AND iu.unit_id = p_unit));
