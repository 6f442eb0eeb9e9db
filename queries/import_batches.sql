-- title: 导入批次
-- description: 每一次导入(填报、公开数据、示例数据)一行,最早的在前;已撤销的批次仍保留记录。
SELECT batch_id, created_at, source_kind, file_name, row_count, uploader,
       CASE WHEN undone_at IS NULL THEN '有效' ELSE '已撤销' END AS state, undone_at, undone_by, checksum
FROM import_batch
ORDER BY batch_id;
