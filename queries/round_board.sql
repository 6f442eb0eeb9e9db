-- title: 报送进度
-- description: 一个监测年份各地区、各责任单位的报送进度:应报、已提交、已通过、待审核、退回、未报、报送情况(已报齐;截止前为报送中或未开始,过了截止日期为逾期;年度监测结束后为未报齐)、报送及时率和最近动态。
-- params: year, region
SELECT region AS 地区, unit AS 责任单位, n_due AS 应报, n_submitted AS 已提交, n_approved AS 已通过,
       n_pending AS 待审核, n_returned AS 退回, n_missing AS 未报,
       CASE WHEN n_missing + n_returned = 0 THEN '已报齐' WHEN closed_at IS NOT NULL THEN '未报齐'
            WHEN overdue THEN '逾期' WHEN n_submitted = 0 THEN '未开始' ELSE '报送中' END AS 报送情况,
       round(n_on_time / n_due, 4) AS 报送及时率, last_activity AS 最近动态
FROM v_reporting_progress
WHERE year = $year AND ($region IS NULL OR unit_id IN (SELECT unit_id FROM unit
                                           WHERE region_code IN (SELECT region_code FROM pw_region_scope($region))))
ORDER BY overdue DESC, n_missing + n_returned DESC, region, unit;
