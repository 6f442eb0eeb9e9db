-- Roll-ups by level: 达标率 and 基本实现率 of every region counting its own plans and its descendants' (a province
-- sees its cities and counties, a city its counties), with the definitions of v_attainment (60_attainment.sql).
-- filtered_rollup(p_year, p_group, p_region, p_domain, p_unit): the roll-up under the dashboard's filters, one row
-- per as-of year and region within p_region (the region itself and its descendants) that has plans in scope.
CREATE OR REPLACE MACRO filtered_rollup(p_year, p_group, p_region, p_domain, p_unit) AS TABLE
WITH per_plan AS (  -- counted per plan first (from the stored summary): the roll-up adds up a few rows per plan
    SELECT as_of_year, region_code, plan_id, pw_sum(n) AS n_indicators,
           pw_sum(n, status = '已达标') AS n_met, pw_sum(n, status = '进展顺利') AS n_on_track,
           pw_sum(n, status = '进度滞后') AS n_lagging, pw_sum(n, status = '逆向变化') AS n_reversed,
           pw_sum(n, status = '无数据') AS n_no_data, pw_sum(n, status = '定性') AS n_qualitative,
           pw_sum(n, status = '不能判断') AS n_undetermined, pw_sum(n_basic) AS n_basic, pw_sum(n_demo) AS n_demo
    FROM filtered_tally(p_year, p_group, p_region, p_domain, p_unit)
    GROUP BY as_of_year, region_code, plan_id
),
up AS (
    SELECT p.*, unnest(list_distinct([p.region_code, r.city_code, r.province_code])) AS scope_code
    FROM per_plan p JOIN region r USING (region_code)
),
tallies AS (
    SELECT as_of_year, scope_code AS region_code, count(*) AS n_plans, CAST(sum(n_indicators) AS BIGINT) AS n_indicators,
           CAST(sum(n_met) AS BIGINT) AS n_met, CAST(sum(n_on_track) AS BIGINT) AS n_on_track,
           CAST(sum(n_lagging) AS BIGINT) AS n_lagging, CAST(sum(n_reversed) AS BIGINT) AS n_reversed,
           CAST(sum(n_no_data) AS BIGINT) AS n_no_data, CAST(sum(n_qualitative) AS BIGINT) AS n_qualitative,
           CAST(sum(n_undetermined) AS BIGINT) AS n_undetermined, CAST(sum(n_basic) AS BIGINT) AS n_basic,
           count(DISTINCT region_code) AS n_regions, CAST(sum(n_demo) AS BIGINT) AS n_demo
    FROM up
    WHERE scope_code IN (SELECT region_code FROM pw_region_scope(p_region))
    GROUP BY as_of_year, scope_code
)
SELECT t.as_of_year, t.region_code, r.name AS region, r.level, r.parent_code, t.n_plans, t.n_indicators,
       t.n_met + t.n_on_track + t.n_lagging + t.n_reversed AS n_assessed, t.n_met, t.n_on_track, t.n_lagging,
       t.n_reversed, t.n_no_data, t.n_qualitative, t.n_undetermined, t.n_basic,
       round(t.n_met / nullif(t.n_met + t.n_on_track + t.n_lagging + t.n_reversed, 0), 4) AS attainment_rate,
       round((t.n_met + t.n_basic) / nullif(t.n_met + t.n_on_track + t.n_lagging + t.n_reversed, 0), 4) AS basic_rate,
       r.level_rank, t.n_regions, t.n_demo
FROM tallies t JOIN region r USING (region_code);

-- v_attainment_rollup (analysts' API): the roll-up for every as-of year and region with plans in or below it.
CREATE OR REPLACE VIEW v_attainment_rollup AS
SELECT * FROM filtered_rollup(NULL, NULL, NULL, NULL, NULL);

-- v_parent_comparison (analysts' API): an indicator of a county's (or city's) plan beside the same canonical
-- indicator in the plan of its nearest parent region that has one (its city, else its province), per as-of year.
-- parent_comparison_of(p_id, p_year): its rows for one indicator and as-of year (NULL: all). c is read twice, not
-- stored once: for one indicator each side then reads a few rows (the parents' side only its canonical indicator
-- in its parent regions), where a stored c held every canonical indicator's rows (~150 ms at 2,850 regions).
CREATE OR REPLACE MACRO parent_comparison_of(p_id, p_year) AS TABLE
WITH c AS NOT MATERIALIZED (
    SELECT s.as_of_year, s.indicator_id, i.region_code, i.region, i.canonical_id, i.plan_group, i.name, i.unit,
           i.target_label, i.target_year, s.latest_year, s.latest_value, s.status
    FROM _status s  -- v_status_detail's columns, without its sentences
    JOIN (SELECT *, pw_target_label(target_op, target_value, unit, target_text) AS target_label FROM _indicator
          WHERE canonical_id IS NOT NULL) i USING (indicator_id)
    WHERE p_year IS NULL OR s.as_of_year = p_year
),
up AS (
    SELECT c.*, unnest([r.city_code, r.province_code]) AS parent_code
    FROM c JOIN region r USING (region_code)
    WHERE p_id IS NULL OR c.indicator_id = p_id
)
SELECT u.as_of_year, u.indicator_id, u.region_code, u.region, u.canonical_id, u.name, u.unit, u.target_label,
       u.latest_year, u.latest_value, u.status, p.indicator_id AS parent_indicator_id,
       p.region_code AS parent_region_code, p.region AS parent_region, p.name AS parent_name,
       p.target_label AS parent_target_label, p.target_year AS parent_target_year,
       p.latest_year AS parent_latest_year, p.latest_value AS parent_latest_value, p.status AS parent_status
FROM up u
JOIN c p ON p.region_code = u.parent_code AND p.region_code <> u.region_code AND p.canonical_id = u.canonical_id
        AND p.as_of_year = u.as_of_year
JOIN region pr ON pr.region_code = p.region_code
QUALIFY row_number() OVER (PARTITION BY u.as_of_year, u.indicator_id
                           ORDER BY pr.level_rank DESC, p.plan_group = u.plan_group DESC, p.indicator_id) = 1;

CREATE OR REPLACE VIEW v_parent_comparison AS SELECT * FROM parent_comparison_of(NULL, NULL);
