-- _unit_tally: each responsible unit's indicators and red warnings per as-of year, plan and domain (a unit listed
-- twice for an indicator counts it once), what the 责任单位 scorecard sorts and counts its units by. Stored like
-- _tally (views.SUMMARIES): recomputed with the method, for the plans of the indicators a write touched, and for the
-- plans of the indicators whose units the committee assigned or revoked (views.refresh_indicators). At 2,850 regions
-- a year's scorecard adds up ~62,000 of its rows instead of joining 229,000 unit links with the year's statuses and
-- warnings.
-- _unit_tally_of(p_ids, p_unit): the rows of the plans holding the indicators p_ids (NULL: every plan), of unit p_unit
-- only (NULL: every unit).
CREATE OR REPLACE MACRO _unit_tally_of(p_ids, p_unit) AS TABLE
WITH i AS MATERIALIZED (FROM _tally_indicators(p_ids, NULL)),
links AS (
    SELECT DISTINCT unit_id, indicator_id FROM indicator_unit
    WHERE indicator_id IN (SELECT indicator_id FROM i) AND (p_unit IS NULL OR unit_id = p_unit)
),
red AS (
    SELECT as_of_year, indicator_id, count(*) AS n_red FROM _warning
    WHERE level = '红' AND indicator_id IN (SELECT indicator_id FROM links)
    GROUP BY ALL
)
SELECT s.as_of_year, i.plan_id, i.domain, l.unit_id, any_value(i.region_code) AS region_code,
       any_value(i.plan_group) AS plan_group, count(*) AS n_indicators,
       CAST(coalesce(sum(red.n_red), 0) AS BIGINT) AS n_red
FROM _status s JOIN i USING (indicator_id) JOIN links l USING (indicator_id)
LEFT JOIN red USING (as_of_year, indicator_id)
GROUP BY s.as_of_year, i.plan_id, i.domain, l.unit_id;

CREATE OR REPLACE VIEW _unit_tally_live AS FROM _unit_tally_of(NULL, NULL);
