-- v_indicator (analysts' API): one row per plan indicator, with its plan, region, responsible units and source,
-- read from the materialised _indicator table (computed by _indicator_live, 10_v_indicator.sql). It changes only
-- with the catalogue (build) and the committee's unit assignments (views.refresh_indicators).
CREATE OR REPLACE VIEW v_indicator AS SELECT * EXCLUDE (city_code, province_code) FROM _indicator;

-- v_indicator_unit (analysts' API): one row per plan indicator and responsible unit, the link v_indicator's
-- responsible_units prints as one text (a unit's own name may hold a 、: 各区镇、街道). A unit listed twice for an
-- indicator is one row, at its first position; a unit a plan names for a task rather than an indicator is not here.
CREATE OR REPLACE VIEW v_indicator_unit AS
SELECT iu.indicator_id, any_value(iu.plan_id) AS plan_id, any_value(u.region_code) AS region_code, iu.unit_id,
       any_value(u.name) AS unit, min(iu.position) AS position, arg_min(iu.role, iu.position) AS role,
       arg_min(iu.provenance, iu.position) AS provenance
FROM indicator_unit iu JOIN unit u USING (unit_id)
WHERE iu.indicator_id IS NOT NULL
GROUP BY iu.indicator_id, iu.unit_id;

-- _twin_names(): the (plan_id, name) a plan prints for more than one indicator (张家港市妇女规划's 化妆品抽查合格率,
-- ≥95% in its key table and ≥90% in its text): the reports tell them apart by their targets (pw_shown_name).
CREATE OR REPLACE MACRO _twin_names() AS TABLE
SELECT plan_id, name FROM _indicator GROUP BY plan_id, name HAVING count(*) > 1;
