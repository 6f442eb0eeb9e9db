-- title: 在线填报表
-- description: 一个责任单位在报告年份应填报的指标(规划列明或工委指定):基线、往年数值、目标、单位、本年已报的值(最近一次未撤销的提交及其状态,待审核、已通过或已退回;由其他单位或工委办公室报送的注明报送者,submitted_by;没有提交时为办公室导入并计入的值)、最近一次提交的状态,以及保存的草稿。
-- params: unit, year
WITH history AS (
    SELECT indicator_id, string_agg(year || '年:' || CASE WHEN value IS NULL THEN value_text ELSE pw_num(value) END
                                    || CASE WHEN source_kind = '示例' THEN '(示例)' ELSE '' END, ';' ORDER BY year)
               AS last_values
    FROM v_observation WHERE year < $year GROUP BY ALL
),
latest AS (  -- the newest submission of this year's value that is not undone, by any unit the indicator lists (one
             -- settles what all owe) or by the office (no unit)
    SELECT o.indicator_id, arg_max(b.state, b.batch_id) AS state, arg_max(b.review_note, b.batch_id) AS review_note,
           arg_max(coalesce(b.unit_id, ''), b.batch_id) AS by_unit,
           arg_max(CASE WHEN o.value IS NULL THEN o.value_text ELSE pw_num(o.value) END, b.batch_id) AS submitted
    FROM observation o JOIN _batch b USING (batch_id)
    WHERE o.year = $year AND b.source_kind <> '示例' AND b.state <> '已撤销'
    GROUP BY ALL
)
SELECT i.indicator_id, i.name AS indicator, coalesce(i.unit, '') AS unit,
       CASE WHEN i.baseline_value IS NULL THEN '' ELSE pw_val(i.baseline_value, i.unit) END AS baseline,
       coalesce(h.last_values, '') AS last_values,
       pw_target_label(i.target_op, i.target_value, i.unit, i.target_text) AS target,
       CASE WHEN i.target_op = 'qualitative' THEN '文字' ELSE '数字' END AS kind,
       CASE WHEN s.leads THEN '牵头' ELSE '配合' END AS role,
       coalesce(l.state, '未报') AS state, l.review_note,
       -- who sent it, when not this unit: another unit the indicator lists, or the office
       CASE WHEN l.by_unit <> $unit THEN coalesce(bu.name, '工委办公室') END AS submitted_by,
       -- what was sent for the year, so the clerk sees it beside the box (the counted value when none was sent)
       -- with its state, which the grid's 本年状态 column shows off the first screen at the far right, and who sent
       -- it when another did (a clerk took another unit's returned or approved value for the unit's own)
       coalesce(l.submitted || '(' || l.state || coalesce(',' || submitted_by || '报送', '') || ')',
                CASE WHEN o.value IS NULL THEN o.value_text ELSE pw_num(o.value) END, '') AS reported,
       d.value_input, d.note, d.reason, d.measures
FROM _unit_scope s
JOIN v_indicator i USING (indicator_id)
JOIN plan p USING (plan_id)
LEFT JOIN history h USING (indicator_id)
LEFT JOIN latest l USING (indicator_id)
LEFT JOIN unit bu ON bu.unit_id = l.by_unit
LEFT JOIN v_observation o ON o.indicator_id = i.indicator_id AND o.year = $year AND o.source_kind <> '示例'
LEFT JOIN draft_value d ON d.unit_id = s.unit_id AND d.indicator_id = i.indicator_id AND d.year = $year
WHERE s.unit_id = $unit AND $year BETWEEN p.period_start AND p.period_end
ORDER BY NOT s.leads, i.indicator_id;
