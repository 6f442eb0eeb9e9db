-- title: 报送进度合计
-- description: 一个监测年份(所选地区或全部地区)各责任单位报送进度之和:应报、已提交、已通过、待审核、退回、未报,逾期单位数(年度监测结束后不再计逾期),以及仍有未报或退回指标的未报齐单位数。
-- params: year, region
SELECT sum(n_due) AS 应报, sum(n_submitted) AS 已提交, sum(n_approved) AS 已通过, sum(n_pending) AS 待审核,
       sum(n_returned) AS 退回, sum(n_missing) AS 未报,
       count(*) FILTER (WHERE overdue AND closed_at IS NULL) AS 逾期单位,
       count(*) FILTER (WHERE n_missing + n_returned > 0) AS 未报齐单位
FROM v_reporting_progress
WHERE year = $year AND ($region IS NULL OR unit_id IN (SELECT unit_id FROM unit
                                           WHERE region_code IN (SELECT region_code FROM pw_region_scope($region))));
