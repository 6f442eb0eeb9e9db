-- title: 报告:指标状态
-- description: 截至所选年份每项指标一行(可限定一个地区):地区、规划、领域、名称(同一规划中同名的指标后附目标)、单位、基线、目标、最新值、目标进程、时间进度、进度比、目标年外推值、状态、评估(已实现/基本实现/仍有差距)、原因、责任单位和数据来源;年度报告工作簿的“指标状态”表。
-- params: year, region
SELECT f.region AS 地区, f.plan_group AS 规划类别, f.domain AS 领域,
       pw_shown_name(f.name, f.target_label, t.name IS NOT NULL) AS 指标, coalesce(f.unit, '') AS 单位,
       f.is_key AS 重点表指标, i.baseline_year AS 基线年份, i.baseline_value AS 基线值, f.target_label AS 目标,
       i.target_year AS 目标年, f.latest_year AS 最新年份, f.latest_value AS 最新值,
       coalesce(f.latest_text, '') AS 填报文字, f.progress AS 目标进程, f.expected_progress AS 时间进度,
       f.ratio AS 进度比, f.projected_value AS 目标年外推值, f.status AS 状态, f.assessment AS 评估, f.reason AS 原因,
       coalesce(f.responsible_units, '规划未列明') AS 责任单位, f.latest_source_kind AS 数据来源,
       f.indicator_id AS 指标编号
FROM filtered_status($year, NULL, $region, NULL, NULL) f
JOIN v_indicator i USING (indicator_id)
JOIN domain d ON d.domain = f.domain
LEFT JOIN _twin_names() t ON t.plan_id = f.plan_id AND t.name = f.name
ORDER BY f.region_code, f.plan_group DESC, d.sort_order, f.indicator_id;
