-- title: 待审核的提交
-- description: 待审核的批次(可限定一个地区的审核员):提交单位、提交人、时间、行数;最早提交的在前。
-- params: region_code
SELECT b.batch_id, b.created_at, coalesce(u.name, '办公室') AS unit, b.submitted_by, b.file_name, b.row_count,
       b.round_year
FROM _batch b
LEFT JOIN unit u USING (unit_id)
WHERE b.state = '待审核'
  AND ($region_code IS NULL OR NOT EXISTS (
        SELECT 1 FROM observation o JOIN indicator i USING (indicator_id) JOIN plan p USING (plan_id)
        WHERE o.batch_id = b.batch_id AND p.region_code <> $region_code))
ORDER BY b.batch_id;
