-- title: 本单位的提交
-- description: 一个责任单位提交过的批次,最近的在前:时间、提交人、文件、行数、审核状态、审核人和退回原因。
-- params: unit
SELECT batch_id AS 批次, created_at AS 提交时间, submitted_by AS 提交人, file_name AS 文件, row_count AS 行数,
       state AS 状态, reviewed_by AS 审核人, reviewed_at AS 审核时间, review_note AS 审核意见
FROM _batch
WHERE unit_id = $unit
ORDER BY batch_id DESC;
