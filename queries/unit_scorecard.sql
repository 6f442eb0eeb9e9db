-- title: 责任单位计分卡
-- description: 截至所选年份,每个责任单位所负责指标的个数(按规划所列角色和列名顺序)、各状态个数、红色预警数、达标率(已达标 ÷ 已评估,附分母)和基本实现率((已实现 + 基本实现)÷ 已评估),以及该年度监测的报送及时率(截止日期前首次提交的应报指标 ÷ 应报;未开启该年度监测时为空);不列指标的单位不在表中。
-- params: year, group, region, domain, page_limit, page_offset
-- Without group/domain filters the tallies equal v_attainment_by_unit; that view cannot be cut by group or domain.
-- One page (page_limit rows from page_offset; NULL: all) is chosen by the sort keys alone (each unit's indicators
-- and red warnings), and n_rows counts the whole scorecard in the same pass; the rest of a row (statuses, roles,
-- sources, 报送及时率) is computed only for the page's units.
WITH red AS (
    SELECT indicator_id, count(*) AS n_red FROM _warning WHERE as_of_year = $year AND level = '红' GROUP BY ALL
),
listed AS (  -- each filtered indicator once per unit listed for it, with what the scorecard counts of it
    SELECT f.region, f.region_code, f.indicator_id, l.unit_id, f.status, f.assessment, f.latest_source_kind,
           coalesce(red.n_red, 0) AS n_red
    FROM filtered_status($year, $group, $region, $domain, NULL) f
    JOIN (SELECT DISTINCT unit_id, indicator_id FROM indicator_unit WHERE indicator_id IS NOT NULL) l USING (indicator_id)
    LEFT JOIN red USING (indicator_id)
),
page AS (  -- the page's units, by what the scorecard is sorted by
    SELECT k.region_code, k.unit_id, count(*) OVER () AS n_rows
    FROM (SELECT region_code, unit_id, count(*) AS n_indicators, sum(n_red) AS n_red FROM listed GROUP BY ALL) k
    JOIN unit u USING (unit_id)
    ORDER BY k.region_code, k.n_indicators DESC, k.n_red DESC, u.name
    LIMIT $page_limit OFFSET $page_offset
),
links AS (  -- one row per (unit, indicator) of the page's units: the role and place the plan prints for it
    SELECT unit_id, indicator_id, arg_min(role, position) AS role, min(position) AS position,
           string_agg(DISTINCT provenance, '、') AS provenance
    FROM indicator_unit
    WHERE indicator_id IS NOT NULL AND unit_id IN (SELECT unit_id FROM page)
    GROUP BY ALL
),
timely AS (  -- 报送及时率 of the round that collects this year's values
    SELECT unit_id, round(n_on_time / n_due, 4) AS on_time_rate FROM v_reporting_progress
    WHERE year = $year AND unit_id IN (SELECT unit_id FROM page)
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
       CAST(sum(f.n_red) AS INTEGER) AS 红色预警,
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
       pw_n(f.status, '不能判断') AS 不能判断,
       any_value(t.on_time_rate) AS 报送及时率, any_value(p.n_rows) AS n_rows
FROM listed f
JOIN page p ON p.region_code = f.region_code AND p.unit_id = f.unit_id
JOIN links l ON l.unit_id = f.unit_id AND l.indicator_id = f.indicator_id
JOIN unit u ON u.unit_id = f.unit_id
LEFT JOIN timely t ON t.unit_id = f.unit_id
GROUP BY f.region, f.region_code, u.name, u.unit_id
ORDER BY f.region_code, 指标数 DESC, 红色预警 DESC, u.name;
