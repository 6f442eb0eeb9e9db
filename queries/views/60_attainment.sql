-- Attainment (达标率) per plan, domain, region and responsible unit, always with its denominator.
-- 达标率 = 已达标 / 已评估, where 已评估 = numeric indicators with data (已达标 + 进展顺利 + 进度滞后 + 逆向变化);
-- 无数据 and 定性 indicators are counted separately, never silently dropped.
-- 基本实现率 = (已实现 + 基本实现) / 已评估; 不能判断 (few events, the interval contains the target) is counted apart,
-- like 无数据 and 定性. v_status_detail (analysts' API) keeps v_status's first columns, the indicator's, then the inputs
-- of each call.
-- _status_indicator: the stored status rows with the catalogue columns v_status_detail adds (its unit, is_key,
-- target_value and target_year are _status's copies of the catalogue's) and the region's place in the hierarchy
-- (_indicator's copy of v_region's).
-- _status_detail: v_status_detail with that place (city_code, province_code), for filters (80_filtered_status.sql).
-- The reasons are built above the joins, and a filter on the catalogue's or the region's columns (a plan group, a
-- region and the regions below it) is pushed below them: it keeps reasons from being built for the rows it drops
-- (with the join after the reasons, a province's took as long as the whole country's).
CREATE OR REPLACE VIEW _status_indicator AS
SELECT s.*, i.region, i.region_code, i.plan_id, i.plan_group, i.domain, i.name, i.responsible_units, i.canonical_id,
       i.target_op, i.city_code, i.province_code
FROM _status s JOIN _indicator i USING (indicator_id);

CREATE OR REPLACE VIEW _status_detail AS
SELECT indicator_id, as_of_year, latest_year, latest_value, progress, expected_progress, projected_value, status,
       reason, ratio, n_points, latest_source_kind, latest_text,
       region, region_code, plan_id, plan_group, domain, name, unit, is_key, target_label, responsible_units,
       canonical_id, target_op, target_value, target_year,
       assessment, is_final, ref_year, ref_value, has_baseline, judged_value, slope, reported_precision,
       noise_tolerance, within_noise, gap, basic_tolerance, events, population, pooled_from_year, pooled_rate,
       interval_low, interval_high, interval_method, time_elapsed, city_code, province_code
FROM _status_public_of('_status_indicator');

CREATE OR REPLACE VIEW v_status_detail AS FROM _status_detail SELECT * EXCLUDE (city_code, province_code);

CREATE OR REPLACE MACRO pw_n(status_col, wanted) AS count(*) FILTER (WHERE status_col = wanted);

CREATE OR REPLACE VIEW v_attainment AS
WITH unit_listed AS (  -- each (indicator, unit name) once, however often the plan lists the unit for it
    SELECT DISTINCT iu.indicator_id, u.name AS unit_name
    FROM indicator_unit iu JOIN unit u USING (unit_id)
),
by_unit AS (
    SELECT d.as_of_year, d.region_code, d.status, d.assessment, l.unit_name
    FROM v_status_detail d JOIN unit_listed l USING (indicator_id)
),
tallies AS (
    SELECT as_of_year,
           CASE WHEN GROUPING(plan_id) = 0 THEN 'plan' WHEN GROUPING(domain) = 0 THEN 'domain'
                WHEN GROUPING(region_code) = 0 THEN 'region' ELSE 'all' END AS cut,
           coalesce(plan_id, domain, region_code, '全部') AS cut_value,  -- a region by its code: names repeat
           count(*) AS n_indicators, pw_n(status, '已达标') AS n_met, pw_n(status, '进展顺利') AS n_on_track,
           pw_n(status, '进度滞后') AS n_lagging, pw_n(status, '逆向变化') AS n_reversed,
           pw_n(status, '无数据') AS n_no_data, pw_n(status, '定性') AS n_qualitative,
           pw_n(status, '不能判断') AS n_undetermined, pw_n(assessment, '基本实现') AS n_basic
    FROM v_status_detail
    GROUP BY GROUPING SETS ((as_of_year, plan_id), (as_of_year, domain), (as_of_year, region_code), (as_of_year))
    UNION ALL
    SELECT as_of_year, 'unit', region_code || ' ' || unit_name,  -- by the region's code: names repeat
           count(*), pw_n(status, '已达标'), pw_n(status, '进展顺利'), pw_n(status, '进度滞后'),
           pw_n(status, '逆向变化'), pw_n(status, '无数据'), pw_n(status, '定性'), pw_n(status, '不能判断'),
           pw_n(assessment, '基本实现')
    FROM by_unit
    GROUP BY ALL
)
SELECT * EXCLUDE (n_undetermined, n_basic), n_met + n_on_track + n_lagging + n_reversed AS n_assessed,
       round(n_met / nullif(n_met + n_on_track + n_lagging + n_reversed, 0), 4) AS attainment_rate,
       n_undetermined, n_basic,
       round((n_met + n_basic) / nullif(n_met + n_on_track + n_lagging + n_reversed, 0), 4) AS basic_rate
FROM tallies;

CREATE OR REPLACE VIEW v_attainment_by_plan AS
SELECT a.* EXCLUDE (cut, cut_value, n_undetermined, n_basic, basic_rate), p.plan_id, r.name AS region, p.plan_group,
       p.title, a.n_undetermined, a.n_basic, a.basic_rate
FROM v_attainment a JOIN plan p ON a.cut = 'plan' AND p.plan_id = a.cut_value
JOIN region r USING (region_code);

CREATE OR REPLACE VIEW v_attainment_by_domain AS
SELECT a.* EXCLUDE (cut, cut_value, n_undetermined, n_basic, basic_rate), a.cut_value AS domain,
       a.n_undetermined, a.n_basic, a.basic_rate
FROM v_attainment a WHERE a.cut = 'domain';

CREATE OR REPLACE VIEW v_attainment_by_region AS
SELECT a.* EXCLUDE (cut, cut_value, n_undetermined, n_basic, basic_rate), r.name AS region,
       a.n_undetermined, a.n_basic, a.basic_rate, a.cut_value AS region_code
FROM v_attainment a JOIN region r ON a.cut = 'region' AND r.region_code = a.cut_value;

CREATE OR REPLACE VIEW v_attainment_by_unit AS
SELECT a.* EXCLUDE (cut, cut_value, n_undetermined, n_basic, basic_rate), r.name AS region,
       substr(a.cut_value, strpos(a.cut_value, ' ') + 1) AS unit, a.n_undetermined, a.n_basic, a.basic_rate,
       r.region_code
FROM v_attainment a JOIN region r ON a.cut = 'unit' AND r.region_code = split_part(a.cut_value, ' ', 1);
