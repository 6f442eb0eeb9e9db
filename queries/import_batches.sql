-- title: 导入批次
-- description: 每一次导入(填报、公开数据、示例数据)一行,最早的在前,含审核状态(待审核、已通过、已退回、已撤销);已撤销的批次仍保留记录。
SELECT batch_id, created_at, source_kind, file_name, row_count, uploader,
       state, undone_at, undone_by, checksum, submitted_by, unit_id, round_year, reviewed_by, reviewed_at,
       review_note
FROM _batch
ORDER BY batch_id;
