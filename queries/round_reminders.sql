-- title: 催报清单
-- description: 一个监测年份仍欠报的责任单位:未报和被退回的指标(名称与退回原因;同一单位两项指标同名时名称后附指标编号),供下载或打印后催报。
-- params: year, region
WITH owed AS (
    SELECT r.*, i.name
           -- two items of one unit under the same name (a key-table row and a text target): told apart by id
           || CASE WHEN count(*) OVER (PARTITION BY r.unit_id, i.name) > 1 THEN '〔' || r.indicator_id || '〕'
                   ELSE '' END AS label
    FROM _round_item r
    JOIN indicator i USING (indicator_id)
    WHERE r.year = $year AND r.state IN ('未报', '已退回')
      AND ($region IS NULL OR r.region_code IN (SELECT region_code FROM pw_region_scope($region)))
)
-- the deadline as a day (2026-12-31): a date column printed "2026-12-31 00:00:00" on the print page and in Excel
SELECT region AS 地区, unit AS 责任单位, CAST(deadline AS VARCHAR) AS 截止日期,
       count(*) FILTER (WHERE state = '未报') AS 未报,
       count(*) FILTER (WHERE state = '已退回') AS 退回,
       string_agg(label || CASE WHEN state = '已退回' THEN '(已退回:' || coalesce(return_note, '') || ')' ELSE '' END,
                  ';' ORDER BY indicator_id) AS 欠报指标
FROM owed
GROUP BY region, region_code, unit, deadline
ORDER BY region_code, 未报 + 退回 DESC, unit;
