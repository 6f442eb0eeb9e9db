-- title: 规划指标目录
-- description: 所选规划(或全部规划)的指标:名称、单位、是否重点表指标、基线、目标原文、目标年、责任单位,以及规划原文引文和出处(来源文件、行号);可按指标名称搜索。
-- params: group, region, domain, unit, plan, search, page_limit, page_offset
-- One page (page_limit rows from page_offset; NULL: all) is chosen by the sort keys alone, and n_rows counts the
-- whole list in the same pass; the quotes and labels are made only for its rows.
WITH page AS (
    SELECT indicator_id, region_code, plan_group, is_key, count(*) OVER () AS n_rows
    FROM filtered_indicator($group, $region, $domain, $unit)
    WHERE ($plan IS NULL OR plan_id = $plan)
      AND ($search IS NULL OR replace(name, ' ', '') ILIKE '%' || replace($search, ' ', '') || '%')
    ORDER BY region_code, plan_group DESC, NOT is_key, indicator_id
    LIMIT $page_limit OFFSET $page_offset
)
SELECT v.region AS 地区, v.plan_group AS 类别, v.plan_title AS 规划, v.domain AS 领域, v.name AS 指标,
       coalesce(v.unit, '') AS 单位, v.is_key AS 重点表,
       CASE WHEN v.baseline_value IS NULL THEN '—' ELSE v.baseline_year || '年 ' || pw_val(v.baseline_value, v.unit) END AS 基线,
       v.target_text AS 目标原文, pw_target_label(v.target_op, v.target_value, v.unit, v.target_text) AS 目标,
       v.target_year AS 目标年, coalesce(v.responsible_units, '规划未列明') AS 责任单位,
       v.quote AS 原文引文, v.source_file || ' 第' || v.source_line || '行' AS 出处,
       v.source_file AS 来源文件, v.source_line AS 行号, i.name_line AS 指标名行号,
       v.baseline_quote AS 基线引文, v.baseline_line AS 基线行号, v.note AS 说明, v.indicator_id, v.plan_id, p.n_rows
FROM page p
LEFT JOIN v_indicator v ON v.indicator_id = p.indicator_id  -- one row each: LEFT lets a count leave them out
LEFT JOIN indicator i ON i.indicator_id = p.indicator_id
ORDER BY p.region_code, p.plan_group DESC, NOT p.is_key, p.indicator_id;
