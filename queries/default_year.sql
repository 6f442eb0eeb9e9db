-- title: 默认截至年份
-- description: 有监测数据的最近年份;尚无数据时为上一年。
-- The years of v_observation are those of the approved, not undone batches' values: read from them directly,
-- without v_observation's choice of the newest value per indicator and year (a window over every value).
SELECT coalesce(max(o.year), year(current_date) - 1) AS year
FROM observation o JOIN import_batch b USING (batch_id)
WHERE b.undone_at IS NULL AND b.status = '已通过' AND o.year <= year(current_date);
