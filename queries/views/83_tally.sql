-- Summaries for the pages' counts at national scale: indicators per as-of year, plan, domain and status (_tally:
-- how many, how many assessed 基本实现, 已实现 or 基本实现, and with demonstration values), and warnings per as-of
-- year, plan, domain, level and kind (_warning_tally). They are stored tables (views.refresh: recomputed with
-- the method, and for the plans of the indicators a write touched), so that 总览, 领域 and 预警清单 add up about a
-- third as many rows, with no join, instead of joining every indicator's status with the catalogue.
-- _tally_of(p_ids, p_unit) / _warning_tally_of(p_ids, p_unit): the rows of the plans holding the indicators p_ids
-- (NULL: every plan), counting only the indicators of unit p_unit (NULL: all).
-- _tally_indicators(p_ids, p_unit): the indicators these count, chosen before the join (a materialised CTE in the
-- macros below). Filtered after the join, every row of _status was joined with the whole catalogue first: most of an
-- incremental refresh's summaries (0.3 of 0.4 CPU-s for 1,000 indicators at 2,850 regions).
CREATE OR REPLACE MACRO _tally_indicators(p_ids, p_unit) AS TABLE
SELECT indicator_id, plan_id, domain, region_code, plan_group
FROM _indicator i
WHERE (p_ids IS NULL OR i.plan_id IN (SELECT plan_id FROM _indicator WHERE list_contains(p_ids, indicator_id)))
  AND (p_unit IS NULL OR EXISTS (SELECT 1 FROM indicator_unit iu
                                 WHERE iu.indicator_id = i.indicator_id AND iu.unit_id = p_unit));

CREATE OR REPLACE MACRO _tally_of(p_ids, p_unit) AS TABLE
WITH i AS MATERIALIZED (FROM _tally_indicators(p_ids, p_unit))
SELECT s.as_of_year, i.plan_id, i.domain, s.status, any_value(i.region_code) AS region_code,
       any_value(i.plan_group) AS plan_group, count(*) AS n, pw_n(s.assessment, '基本实现') AS n_basic,
       count(*) FILTER (WHERE s.assessment IN ('已实现', '基本实现')) AS n_achieved,
       count(*) FILTER (WHERE s.latest_source_kind = '示例') AS n_demo
FROM _status s JOIN i USING (indicator_id)
GROUP BY s.as_of_year, i.plan_id, i.domain, s.status;

CREATE OR REPLACE MACRO _warning_tally_of(p_ids, p_unit) AS TABLE
WITH i AS MATERIALIZED (FROM _tally_indicators(p_ids, p_unit))
SELECT w.as_of_year, i.plan_id, i.domain, any_value(i.region_code) AS region_code,
       any_value(i.plan_group) AS plan_group, w.level, w.kind, count(*) AS n
FROM _warning w JOIN i USING (indicator_id)
GROUP BY w.as_of_year, i.plan_id, i.domain, w.level, w.kind;

CREATE OR REPLACE VIEW _tally_live AS FROM _tally_of(NULL, NULL);
CREATE OR REPLACE VIEW _warning_tally_live AS FROM _warning_tally_of(NULL, NULL);
