-- v_indicator (analysts' API): one row per plan indicator, with its plan, region, responsible units and source,
-- read from the materialised _indicator table (computed by _indicator_live, 10_v_indicator.sql). It changes only
-- with the catalogue (build) and the committee's unit assignments (views.refresh_indicators).
CREATE OR REPLACE VIEW v_indicator AS SELECT * EXCLUDE (city_code, province_code) FROM _indicator;
