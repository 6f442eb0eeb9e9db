-- title: 修订记录
-- description: 一个指标填报过的每个数值(示例数据除外):年份、数值、替换的原值、提交人和时间、批次、审核结果和意见。
-- params: id
SELECT year AS 年份, coalesce(CAST(value AS VARCHAR), value_text) AS 数值,
       coalesce(CAST(replaced_value AS VARCHAR), replaced_text) AS 原值, entered_by AS 提交人,
       unit AS 提交单位, entered_at AS 提交时间, batch_id AS 批次, status AS 审核结果, reviewed_by AS 审核人,
       review_note AS 审核意见, reason AS 原因说明, measures AS 整改措施
FROM v_value_history
WHERE indicator_id = $id
ORDER BY year DESC, batch_id DESC;
