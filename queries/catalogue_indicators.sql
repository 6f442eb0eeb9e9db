-- title: 规划指标目录
-- description: 所选规划(或全部规划)的指标:名称、单位、是否重点表指标、基线、目标原文、目标年、责任单位,以及规划原文引文和出处(来源文件、行号);可按指标名称搜索。
-- params: group, region, domain, unit, plan, search
SELECT region AS 地区, plan_group AS 类别, plan_title AS 规划, domain AS 领域, name AS 指标,
       coalesce(unit, '') AS 单位, is_key AS 重点表,
       CASE WHEN baseline_value IS NULL THEN '—' ELSE baseline_year || '年 ' || pw_val(baseline_value, unit) END AS 基线,
       target_text AS 目标原文, pw_target_label(target_op, target_value, unit, target_text) AS 目标,
       target_year AS 目标年, coalesce(responsible_units, '规划未列明') AS 责任单位,
       quote AS 原文引文, source_file || ' 第' || source_line || '行' AS 出处,
       source_file AS 来源文件, source_line AS 行号, name_line AS 指标名行号,
       baseline_quote AS 基线引文, baseline_line AS 基线行号, note AS 说明, indicator_id, plan_id
FROM filtered_indicator($group, $region, $domain, $unit)
WHERE ($plan IS NULL OR plan_id = $plan)
  AND ($search IS NULL OR replace(name, ' ', '') ILIKE '%' || replace($search, ' ', '') || '%')
ORDER BY region_code, plan_group DESC, NOT is_key, indicator_id;
