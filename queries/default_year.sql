-- title: 默认截至年份
-- description: 有监测数据的最近年份,正在报送(年度监测已开启、尚未结束过)的年份除外(结束后为补报重新开启的年份不除外):报送期间各单位陆续提交,先审核通过的几项不代表该年全貌,各页面默认仍看上一年,结束报送后才默认看该年(仍可在筛选栏选择该年);尚无数据时为上一年。
-- The years of v_observation are those of the approved, not undone batches' values: read from them directly,
-- without v_observation's choice of the newest value per indicator and year (a window over every value).
SELECT coalesce(max(o.year), year(current_date) - 1) AS year
FROM observation o JOIN import_batch b USING (batch_id)
WHERE b.undone_at IS NULL AND b.status = '已通过' AND o.year <= year(current_date)
  -- (a round opened again after its close, for a late unit, had its figures once: it stays the default)
  AND o.year NOT IN (SELECT year FROM reporting_round WHERE closed_at IS NULL AND closed_by IS NULL);
