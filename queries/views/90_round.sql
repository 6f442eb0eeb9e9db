-- 年度监测 (reporting rounds): review states, what each unit owes in a round, and every value ever entered.

-- _batch: every import batch with its review state (已撤销 once undone, whatever it was before).
CREATE OR REPLACE VIEW _batch AS
SELECT *, CASE WHEN undone_at IS NOT NULL THEN '已撤销' ELSE status END AS state FROM import_batch;

-- _unit_scope: every (unit, indicator) a unit may report — the units the plan lists (the first listed leads) and
-- those the committee assigned (工委指定; leads when assigned as 牵头).
CREATE OR REPLACE VIEW _unit_scope AS
SELECT unit_id, indicator_id, bool_or(position = 1 OR role = '牵头') AS leads
FROM indicator_unit
WHERE indicator_id IS NOT NULL
GROUP BY ALL;

-- _round_timely: per round year, the deadline timeliness is judged by (round_deadline's latest; planwatch/round.py
-- timely_deadline decides it when a deadline is given); a round opened before that table existed: its deadline.
CREATE OR REPLACE VIEW _round_timely AS
SELECT r.year, coalesce(t.timely_deadline, r.deadline) AS timely_deadline
FROM reporting_round r
LEFT JOIN (SELECT year, arg_max(timely_deadline, set_at) AS timely_deadline FROM round_deadline GROUP BY year) t
    USING (year);

-- _round_item: one row per round year and (lead unit, indicator) the unit owes, with the indicator's state:
-- 已通过 (an approved value counts), 待审核, 已退回 (the newest submission was returned, nothing else pending or
-- approved), 未报. Any listed unit's submission (or the office's direct import) settles what the lead owes.
-- closed_at: when the office ended the round (NULL while open); closed_by: who did, kept when the year is opened again.
CREATE OR REPLACE VIEW _round_item AS
WITH entered AS (
    SELECT o.indicator_id, o.year, b.batch_id, b.state, b.created_at, b.reviewed_at, b.review_note
    FROM observation o JOIN _batch b USING (batch_id)
    WHERE b.source_kind <> '示例' AND b.state <> '已撤销'
),
per_item AS (
    SELECT indicator_id, year,
           bool_or(state = '已通过') AS approved, bool_or(state = '待审核') AS pending,
           arg_max(state, batch_id) AS newest_state, arg_max(review_note, batch_id) AS newest_note,
           min(created_at) AS first_at, max(greatest(created_at, coalesce(reviewed_at, created_at))) AS last_at
    FROM entered
    GROUP BY ALL
)
SELECT r.year, reg.name AS region, reg.region_code, u.unit_id, u.name AS unit, s.indicator_id, r.deadline,
       t.timely_deadline,
       CASE WHEN p.approved THEN '已通过' WHEN p.pending THEN '待审核'
            WHEN p.newest_state = '已退回' THEN '已退回' ELSE '未报' END AS state,
       CASE WHEN p.newest_state = '已退回' AND NOT p.approved AND NOT p.pending THEN p.newest_note END AS return_note,
       p.first_at, p.last_at, r.closed_at, r.closed_by
FROM reporting_round r
JOIN _round_timely t USING (year)
JOIN _unit_scope s ON s.leads
JOIN indicator i ON i.indicator_id = s.indicator_id
JOIN plan pl ON pl.plan_id = i.plan_id AND r.year BETWEEN pl.period_start AND pl.period_end
JOIN unit u ON u.unit_id = s.unit_id
JOIN region reg ON reg.region_code = u.region_code
LEFT JOIN per_item p ON p.indicator_id = s.indicator_id AND p.year = r.year;

-- v_reporting_progress (analysts' API): per round year, region and unit, what the unit owes and where it stands.
-- n_due = n_submitted + n_returned + n_missing. overdue keeps its meaning once the round is closed (closed_at);
-- the board then says 未报齐 instead of 逾期, n_missing still counting what was never reported.
CREATE OR REPLACE VIEW v_reporting_progress AS
SELECT region, unit, year,
       count(*) AS n_due,
       count(*) FILTER (WHERE state IN ('已通过', '待审核')) AS n_submitted,
       count(*) FILTER (WHERE state = '已通过') AS n_approved,
       count(*) FILTER (WHERE state = '已退回') AS n_returned,
       count(*) FILTER (WHERE state = '未报') AS n_missing,
       -- past the deadline timeliness is judged by (a reopening for a late unit moves the deadline, not this)
       current_date > any_value(timely_deadline) AND count(*) FILTER (WHERE state IN ('已退回', '未报')) > 0 AS overdue,
       any_value(deadline) AS deadline,
       count(*) FILTER (WHERE state = '待审核') AS n_pending,
       -- submitted now (pending or approved) and first submitted by the deadline: a value returned and never
       -- corrected is not on time (it counted, and n_on_time passed n_submitted)
       count(*) FILTER (WHERE state IN ('已通过', '待审核') AND CAST(first_at AS DATE) <= timely_deadline) AS n_on_time,
       max(last_at) AS last_activity,
       unit_id, region_code,
       any_value(closed_at) AS closed_at,
       -- open again after a close (for a late unit): the year's figures were complete once, so pages keep it
       any_value(closed_at IS NULL AND closed_by IS NOT NULL) AS reopened,
       any_value(timely_deadline) AS timely_deadline
FROM _round_item
GROUP BY region, region_code, unit, unit_id, year
ORDER BY year, region_code, unit;

-- v_value_history (analysts' API): every value ever entered (demonstration values excepted), with who entered it
-- and when, its batch and review decision, and the approved value it replaced (or would replace, when pending).
CREATE OR REPLACE VIEW v_value_history AS
WITH counted AS (
    SELECT o.indicator_id, o.year, o.batch_id, o.value, o.value_text
    FROM observation o JOIN import_batch b USING (batch_id)
    WHERE b.status = '已通过' AND b.undone_at IS NULL
)
SELECT o.indicator_id, o.year, o.value, o.value_text, o.batch_id, b.source_kind,
       coalesce(b.submitted_by, b.uploader) AS entered_by, b.created_at AS entered_at, u.name AS unit,
       b.state AS status, b.reviewed_by, b.reviewed_at, b.review_note,
       c.value AS replaced_value, c.value_text AS replaced_text, c.batch_id AS replaced_batch_id,
       o.note, o.reason, o.measures, b.file_name, o.numerator, o.denominator,
       b.undone_by, b.undone_at  -- (who took the batch out, and when: status 已撤销)
FROM observation o
JOIN _batch b USING (batch_id)
LEFT JOIN unit u ON u.unit_id = b.unit_id
ASOF LEFT JOIN counted c ON c.indicator_id = o.indicator_id AND c.year = o.year AND o.batch_id > c.batch_id
WHERE b.source_kind <> '示例'
ORDER BY o.indicator_id, o.year, o.batch_id;
