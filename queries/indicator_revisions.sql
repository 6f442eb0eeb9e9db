-- title: 修订记录
-- description: 一个指标填报过的每个数值(示例数据除外,数值按填报的位数):年份、数值、替换的原值、提交人和时间、批次、审核结果和意见,撤销的批次写明撤销人和时间。office 为真时(管理员,或所在地区包含该指标地区的审核员)含待审核和退回的提交及审核意见;否则只列审核通过的数值(含后来撤销的),不含审核意见:未审核的数值和内部意见不公开。
-- params: id, office
SELECT year AS 年份, coalesce(pw_as_entered(value), value_text) AS 数值,
       coalesce(pw_as_entered(replaced_value), replaced_text) AS 原值,
       entered_by AS 提交人, unit AS 提交单位, entered_at AS 提交时间, batch_id AS 批次, status AS 审核结果,
       reviewed_by AS 审核人, CASE WHEN $office THEN review_note END AS 审核意见, reason AS 原因说明,
       measures AS 整改措施,
       CASE WHEN undone_at IS NOT NULL THEN undone_by || ' ' || strftime(undone_at, '%Y-%m-%d %H:%M') END AS 撤销
FROM v_value_history
WHERE indicator_id = $id AND ($office OR status = '已通过')
ORDER BY year DESC, batch_id DESC;
