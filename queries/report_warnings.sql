-- title: 报告:预警与单位说明
-- description: 截至所选年份(可限定一个地区)的全部预警,按紧迫度从高到低(红色在前);含最新值、目标、牵头单位(规划列名第一位)、责任单位数和成员单位填报的原因说明与整改措施(截至该年已审核通过的最近一次非空的说明;待审核和退回的提交不计);年度报告的“存在的主要问题”“对策建议”和幻灯片预警表用;levels 为所选级别(空列表为全部);most 为只取最紧急的前若干条(NULL 为全部)。末尾列为紧急程度(urgency);同一指标紧急程度相同的几条预警按类型顺序(逆向变化、到期未达标、预计未达标、波动较大、未填报)。
-- params: year, region, levels, most
WITH w AS (  -- v_warning's columns of the year (and the order of kinds), without the view's sort of every year
    SELECT indicator_id, as_of_year, level, kind, reason, urgency, kind_order FROM _warning
    WHERE as_of_year = $year AND (len($levels) = 0 OR list_contains($levels, level))
),
top AS (  -- the $most most urgent (NULL: all), in the list's order: the slides' rows, chosen before the explanations
    SELECT w.indicator_id, w.kind
    FROM w JOIN filtered_status($year, NULL, $region, NULL, NULL) f USING (indicator_id, as_of_year)
    ORDER BY w.urgency DESC, f.region, w.indicator_id, w.kind_order
    LIMIT $most
),
current_rows AS (  -- the observation rows in force: newest approved batch not undone per (indicator, year) (a
                   -- returned or pending submission's words are not the unit's explanation, nor its value)
    SELECT o.indicator_id, o.year, o.reason, o.measures
    FROM observation o JOIN import_batch b USING (batch_id)
    WHERE b.undone_at IS NULL AND b.status = '已通过' AND o.year <= $year
      AND o.indicator_id IN (SELECT indicator_id FROM top)  -- only the listed indicators' explanations
    QUALIFY row_number() OVER (PARTITION BY o.indicator_id, o.year ORDER BY o.batch_id DESC) = 1
),
lead AS (  -- the unit the plan names first, and how many it names (a name may hold a 、: 各区镇、街道)
    SELECT indicator_id, arg_min(unit, position) AS unit, count(*) AS n_units
    FROM v_indicator_unit WHERE indicator_id IN (SELECT indicator_id FROM top)
    GROUP BY indicator_id
),
explained AS (
    SELECT indicator_id,
           arg_max(trim(reason), year) FILTER (WHERE nullif(trim(reason), '') IS NOT NULL) AS unit_reason,
           arg_max(trim(measures), year) FILTER (WHERE nullif(trim(measures), '') IS NOT NULL) AS unit_measures
    FROM current_rows
    GROUP BY indicator_id
)
SELECT w.level AS 级别, w.kind AS 类型, f.region AS 地区, f.plan_group AS 规划, f.domain AS 领域,
       pw_shown_name(f.name, f.target_label, t.name IS NOT NULL) AS 指标, w.reason AS 原因, coalesce(f.responsible_units, '规划未列明') AS 责任单位,
       f.status AS 状态, f.latest_source_kind AS 数据来源,
       coalesce(l.unit, '规划未列明') AS 牵头单位, coalesce(l.n_units, 0) AS 责任单位数,
       CASE WHEN f.latest_year IS NULL THEN '—' ELSE f.latest_year || '年 ' || pw_val(f.latest_value, f.unit) END
           AS 最新值,
       f.target_label AS 目标, e.unit_reason AS 原因说明, e.unit_measures AS 整改措施,
       w.* EXCLUDE (as_of_year, level, kind, reason, kind_order)
FROM w
JOIN filtered_status($year, NULL, $region, NULL, NULL) f USING (indicator_id, as_of_year)
LEFT JOIN explained e USING (indicator_id)
LEFT JOIN lead l USING (indicator_id)
LEFT JOIN _twin_names() t ON t.plan_id = f.plan_id AND t.name = f.name
WHERE (w.indicator_id, w.kind) IN (SELECT (indicator_id, kind) FROM top)
ORDER BY w.urgency DESC, f.region, w.indicator_id, w.kind_order;
