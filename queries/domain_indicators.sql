-- title: 一个领域的指标及进度
-- description: 截至所选年份所选领域每项指标的状态、最新值、目标、原因和进度比(已完成的目标进程 ÷ 时间进度,1 为与时间进度持平);按规划类别、地区、责任单位筛选;逆向变化在前。
-- params: year, group, region, domain, unit, page_limit, page_offset
-- One page (page_limit rows from page_offset; NULL: all) is chosen by the sort keys alone, and n_rows counts the
-- whole list in the same pass; the text of its rows (value, target, reason) is made only for them, from the method's
-- stored rows of the page (at 2,850 regions as fast as through v_status_detail on the first page, a third faster on
-- later ones).
WITH page AS (
    SELECT f.indicator_id, f.region_code,
           CASE f.status WHEN '逆向变化' THEN 1 WHEN '进度滞后' THEN 2 WHEN '进展顺利' THEN 3 WHEN '已达标' THEN 4
                         WHEN '无数据' THEN 5 ELSE 6 END AS status_order,
           count(*) OVER () AS n_rows
    FROM filtered_status($year, $group, $region, $domain, $unit) f
    ORDER BY status_order, f.region_code, f.indicator_id
    LIMIT $page_limit OFFSET $page_offset
),
page_rows AS (  -- the method's stored rows of the page, whose reasons are then built
    SELECT s.* FROM _status s WHERE s.as_of_year = $year AND s.indicator_id IN (SELECT indicator_id FROM page)
)
SELECT i.domain AS 领域, i.region AS 地区, i.plan_group AS 规划, i.name AS 指标, s.status AS 状态,
       CASE WHEN s.latest_year IS NOT NULL THEN pw_val(s.latest_value, i.unit) || '(' || s.latest_year || '年)'
            ELSE coalesce(s.latest_text, '—') END AS 最新值,
       pw_target_label(i.target_op, i.target_value, i.unit, i.target_text) AS 目标, s.reason AS 原因,
       round(s.ratio, 4) + 0.0 AS 进度比,  -- rounded as v_status rounds it; + 0.0 turns a -0.0 into 0
       s.latest_source_kind, p.indicator_id, p.n_rows
FROM page p
JOIN _status_reason_of('page_rows') s ON s.indicator_id = p.indicator_id
JOIN v_indicator i ON i.indicator_id = p.indicator_id
ORDER BY p.status_order, p.region_code, p.indicator_id
