-- title: 责任单位计分卡
-- description: 截至所选年份,每个责任单位所负责指标的个数(按规划所列角色和列名顺序)、各状态个数、红色预警数、达标率(已达标 ÷ 已评估,附分母)和基本实现率((已实现 + 基本实现)÷ 已评估);不列指标的单位不在表中。
-- params: year, group, region, domain
-- Without group/domain filters the tallies equal v_attainment_by_unit; that view cannot be cut by group or domain.
WITH links AS (  -- one row per (unit, indicator): the role and place the plan prints for it
    SELECT unit_id, indicator_id, arg_min(role, position) AS role, min(position) AS position,
           string_agg(DISTINCT provenance, '、') AS provenance
    FROM indicator_unit
    WHERE indicator_id IS NOT NULL
    GROUP BY ALL
),
red AS (
    SELECT indicator_id, count(*) AS n_red FROM v_warning WHERE as_of_year = $year AND level = '红' GROUP BY ALL
)
SELECT f.region AS 地区, u.name AS 责任单位, u.unit_id,
       count(*) AS 指标数,
       count(*) FILTER (WHERE l.role = '牵头') AS 牵头,
       count(*) FILTER (WHERE l.role = '配合') AS 配合,
       count(*) FILTER (WHERE l.role = '未区分') AS 未区分,
       count(*) FILTER (WHERE l.position = 1) AS 首位列名,
       pw_n(f.status, '已达标') AS 已达标, pw_n(f.status, '进展顺利') AS 进展顺利,
       pw_n(f.status, '进度滞后') AS 进度滞后, pw_n(f.status, '逆向变化') AS 逆向变化,
       pw_n(f.status, '无数据') AS 无数据, pw_n(f.status, '定性') AS 定性,
       CAST(coalesce(sum(red.n_red), 0) AS INTEGER) AS 红色预警,
       count(*) FILTER (WHERE f.status IN ('已达标', '进展顺利', '进度滞后', '逆向变化')) AS 已评估,
       round(pw_n(f.status, '已达标')
             / nullif(count(*) FILTER (WHERE f.status IN ('已达标', '进展顺利', '进度滞后', '逆向变化')), 0), 4)
           AS 达标率,
       已达标 || '/' || 已评估 AS "已达标/已评估",
       string_agg(DISTINCT l.provenance, '、') AS 来源,
       count(*) FILTER (WHERE f.latest_source_kind = '示例') AS n_demo,
       pw_n(f.assessment, '基本实现') AS 基本实现,
       round(count(*) FILTER (WHERE f.assessment IN ('已实现', '基本实现'))
             / nullif(count(*) FILTER (WHERE f.status IN ('已达标', '进展顺利', '进度滞后', '逆向变化')), 0), 4) AS 基本实现率,
       pw_n(f.status, '不能判断') AS 不能判断
FROM filtered_status($year, $group, $region, $domain, NULL) f
JOIN links l USING (indicator_id)
JOIN unit u USING (unit_id)
LEFT JOIN red USING (indicator_id)
GROUP BY f.region, f.region_code, u.name, u.unit_id
ORDER BY f.region_code, 指标数 DESC, 红色预警 DESC, u.name;
