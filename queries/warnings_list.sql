-- title: 预警清单
-- description: 截至所选年份的全部预警,按紧迫度从高到低(红色在前);含地区、领域、责任单位、原因和紧迫度。levels、kinds 为所选级别和类型(空列表为全部)。
-- params: year, group, region, domain, unit, levels, kinds
SELECT w.level AS 级别, w.kind AS 类型, f.region AS 地区, f.plan_group AS 规划, f.domain AS 领域,
       f.name AS 指标, w.reason AS 原因, coalesce(f.responsible_units, '规划未列明') AS 责任单位,
       f.status AS 状态, f.latest_source_kind AS 数据来源, w.indicator_id, w.urgency AS 紧迫度
FROM _warning w  -- v_warning's columns, read without its sort of every year's warnings
JOIN filtered_status($year, $group, $region, $domain, $unit) f USING (indicator_id, as_of_year)
WHERE (len($levels) = 0 OR list_contains($levels, w.level)) AND (len($kinds) = 0 OR list_contains($kinds, w.kind))
-- kind_order: an indicator's warnings of equal urgency in v_warning's order (without it the rows tied on the other
-- keys came in any order, and a page boundary between them could show one row on two pages)
ORDER BY w.urgency DESC, f.region, w.indicator_id, w.kind_order;
