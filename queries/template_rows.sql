-- title: 填报模板
-- description: 填报模板的行:所选地区、规划、责任单位的指标,含基线、目标和已有数据,留出报告年份的数值。
-- params: region, plan, unit
-- region: a region code, covering the regions below it (as the sidebar's filter).
SELECT i.indicator_id AS 指标编号, i.region AS 地区, i.plan_group AS 规划, i.domain AS 领域, i.name AS 指标名称,
       coalesce(i.unit, '') AS 单位,
       CASE WHEN i.baseline_value IS NULL THEN '' ELSE pw_val(i.baseline_value, i.unit) END AS "基线(2020年)",
       pw_target_label(i.target_op, i.target_value, i.unit, i.target_text) AS 目标, i.target_year AS 目标年,
       CASE WHEN i.target_op = 'qualitative' THEN '文字' ELSE '数字' END AS 填写内容,
       coalesce(i.responsible_units, '规划未列明') AS 责任单位,
       coalesce((SELECT string_agg(o.year || '年:' || coalesce(pw_val(o.value, i.unit), o.value_text)
                                   || CASE WHEN o.source_kind = '示例' THEN '(示例)' ELSE '' END, ';' ORDER BY o.year)
                 FROM v_observation o WHERE o.indicator_id = i.indicator_id), '') AS 已有数据
FROM v_indicator i
WHERE ($region IS NULL OR i.region_code IN (SELECT region_code FROM pw_region_scope($region)))
  AND ($plan IS NULL OR i.plan_id = $plan)
  AND ($unit IS NULL OR EXISTS (SELECT 1 FROM indicator_unit iu WHERE iu.indicator_id = i.indicator_id
                                                                   AND iu.unit_id = $unit))
ORDER BY i.region_code, i.plan_id, i.indicator_id;
