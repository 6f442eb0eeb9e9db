-- title: 催报清单
-- description: 一个监测年份仍欠报的责任单位:未报和被退回的指标(名称与退回原因),供下载或打印后催报。
-- params: year, region
SELECT r.region AS 地区, r.unit AS 责任单位, r.deadline AS 截止日期,
       count(*) FILTER (WHERE r.state = '未报') AS 未报,
       count(*) FILTER (WHERE r.state = '已退回') AS 退回,
       string_agg(i.name || CASE WHEN r.state = '已退回' THEN '(已退回:' || coalesce(r.return_note, '') || ')'
                                 ELSE '' END, ';' ORDER BY r.indicator_id) AS 欠报指标
FROM _round_item r
JOIN indicator i USING (indicator_id)
WHERE r.year = $year AND r.state IN ('未报', '已退回') AND ($region IS NULL OR r.region_code IN (SELECT region_code FROM pw_region_scope($region)))
GROUP BY r.region, r.region_code, r.unit, r.deadline
ORDER BY r.region_code, 未报 + 退回 DESC, r.unit;
