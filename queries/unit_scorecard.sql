-- title: 责任单位计分卡
-- description: 截至所选年份,每个责任单位所负责指标的个数(按规划所列角色和列名顺序)、各状态个数、红色预警数、达标率(已达标 ÷ 已评估,附分母)和基本实现率((已实现 + 基本实现)÷ 已评估),以及该年度监测的报送及时率(截止日期前首次提交的应报指标 ÷ 应报;未开启该年度监测时为空);不列指标的单位不在表中;红色预警多的单位在前。
-- params: year, group, region, domain, page_limit, page_offset
-- Without group/domain filters the tallies equal v_attainment_by_unit; that view cannot be cut by group or domain.
-- One page (page_limit rows from page_offset; NULL: all) is chosen by the sort keys alone (each unit's indicators
-- and red warnings, added up from the stored summary _unit_tally), and n_rows counts the whole scorecard in the same
-- pass; the rest of a row (statuses, roles, sources, 报送及时率) is computed only for the page's units, from the
-- stored _status and _indicator rows of their indicators within the summary rows chosen.
WITH tally AS (  -- the summary's rows under the filters, as filtered_status means them
    SELECT as_of_year, plan_id, domain, unit_id, region_code, n_indicators, n_red FROM _unit_tally
    WHERE ($year IS NULL OR as_of_year = $year) AND ($group IS NULL OR plan_group = $group)
      AND ($region IS NULL OR region_code IN (SELECT region_code FROM pw_region_scope($region)))
      AND ($domain IS NULL OR domain = $domain)
),
page AS (  -- the page's units, by what the scorecard is sorted by
    SELECT k.region_code, k.unit_id, count(*) OVER () AS n_rows
    FROM (SELECT region_code, unit_id, sum(n_indicators) AS n_indicators, sum(n_red) AS n_red FROM tally GROUP BY ALL) k
    JOIN unit u USING (unit_id)
    -- most red warnings first: what lags leads (a province's 1,375 units by region code hid them on page 7)
    ORDER BY k.n_red DESC, k.n_indicators DESC, k.region_code, u.name
    LIMIT $page_limit OFFSET $page_offset
),
links AS MATERIALIZED (  -- one row per (unit, indicator) of the page's units: the role and place the plan prints
    SELECT l.*, i.region, i.region_code, i.plan_id, i.domain  -- for it, and the indicator's plan
    FROM (SELECT unit_id, indicator_id, arg_min(role, position) AS role, min(position) AS position,
                 string_agg(DISTINCT provenance, '、') AS provenance
          FROM indicator_unit
          WHERE indicator_id IS NOT NULL AND unit_id IN (SELECT unit_id FROM page)
          GROUP BY ALL) l
    JOIN _indicator i USING (indicator_id)
),
red AS (
    SELECT as_of_year, indicator_id, count(*) AS n_red FROM _warning
    WHERE level = '红' AND indicator_id IN (SELECT indicator_id FROM links) GROUP BY ALL
),
listed AS (  -- the page's units' indicators in the summary rows chosen, with what the scorecard counts of them
    SELECT l.region, l.region_code, l.unit_id, l.role, l.position, l.provenance, s.status, s.assessment,
           s.latest_source_kind, coalesce(red.n_red, 0) AS n_red, p.n_rows
    FROM links l
    JOIN tally t USING (region_code, plan_id, domain, unit_id)
    JOIN page p USING (region_code, unit_id)
    JOIN _status s ON s.indicator_id = l.indicator_id AND s.as_of_year = t.as_of_year
    LEFT JOIN red ON red.indicator_id = l.indicator_id AND red.as_of_year = t.as_of_year
),
timely AS (  -- 报送及时率 of the round that collects this year's values
    SELECT unit_id, round(n_on_time / n_due, 4) AS on_time_rate FROM v_reporting_progress
    WHERE year = $year AND unit_id IN (SELECT unit_id FROM page)
)
SELECT f.region AS 地区, u.name AS 责任单位, u.unit_id,
       count(*) AS 指标数,
       count(*) FILTER (WHERE f.role = '牵头') AS 牵头,
       count(*) FILTER (WHERE f.role = '配合') AS 配合,
       count(*) FILTER (WHERE f.role = '未区分') AS 未区分,
       count(*) FILTER (WHERE f.position = 1) AS 首位列名,
       pw_n(f.status, '已达标') AS 已达标, pw_n(f.status, '进展顺利') AS 进展顺利,
       pw_n(f.status, '进度滞后') AS 进度滞后, pw_n(f.status, '逆向变化') AS 逆向变化,
       pw_n(f.status, '无数据') AS 无数据, pw_n(f.status, '定性') AS 定性,
       CAST(sum(f.n_red) AS INTEGER) AS 红色预警,
       count(*) FILTER (WHERE f.status IN ('已达标', '进展顺利', '进度滞后', '逆向变化')) AS 已评估,
       round(pw_n(f.status, '已达标')
             / nullif(count(*) FILTER (WHERE f.status IN ('已达标', '进展顺利', '进度滞后', '逆向变化')), 0), 4)
           AS 达标率,
       已达标 || '/' || 已评估 AS "已达标/已评估",
       string_agg(DISTINCT f.provenance, '、') AS 来源,
       count(*) FILTER (WHERE f.latest_source_kind = '示例') AS n_demo,
       pw_n(f.assessment, '基本实现') AS 基本实现,
       round(count(*) FILTER (WHERE f.assessment IN ('已实现', '基本实现'))
             / nullif(count(*) FILTER (WHERE f.status IN ('已达标', '进展顺利', '进度滞后', '逆向变化')), 0), 4) AS 基本实现率,
       pw_n(f.status, '不能判断') AS 不能判断,
       any_value(t.on_time_rate) AS 报送及时率, any_value(f.n_rows) AS n_rows
FROM listed f
JOIN unit u ON u.unit_id = f.unit_id
LEFT JOIN timely t ON t.unit_id = f.unit_id
GROUP BY f.region, f.region_code, u.name, u.unit_id
ORDER BY 红色预警 DESC, 指标数 DESC, f.region_code, u.name;
