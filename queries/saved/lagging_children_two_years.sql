-- title: 连续两年进度滞后的儿童指标
-- description: 儿童规划中,截至所选年份和截至前一年的状态都是“进度滞后”的指标(已完成的目标进程落后于时间进度),附两年的进度比(目标进程 ÷ 时间进度;比上一年低即更落后了);最落后的(进度比最低)排在前面。
-- params: year, region
-- order: 1
SELECT d.region AS 地区, d.name AS 指标, d.domain AS 领域, d.target_label AS 目标,
       d.latest_value AS 最新值, d.unit AS 单位, d.latest_year AS 最新年份,
       round(d.progress * 100, 1) + 0.0 AS "目标进程(%)", round(d.expected_progress * 100, 1) + 0.0 AS "时间进度(%)",
       round(d.ratio, 2) + 0.0 AS 进度比, round(p.ratio, 2) + 0.0 AS 上一年进度比, d.reason AS 原因,
       coalesce(d.responsible_units, '规划未列明') AS 责任单位, d.indicator_id AS 指标编号
FROM v_status_detail d
JOIN v_status p ON p.indicator_id = d.indicator_id AND p.as_of_year = $year - 1
WHERE d.as_of_year = $year
  AND d.plan_group = '儿童'
  AND d.status = '进度滞后'
  AND p.status = '进度滞后'
  AND ($region IS NULL OR d.region_code IN (  -- $region: a code or a name, with every region below it
      SELECT r.region_code FROM v_region r
      JOIN v_region s ON s.region_code IN (r.region_code, r.city_code, r.province_code)
      WHERE $region IN (s.region_code, s.name)))
ORDER BY d.ratio NULLS FIRST, d.region, d.indicator_id;
