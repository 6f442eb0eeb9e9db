-- title: 责任单位筛选项
-- description: 侧栏责任单位筛选的可选单位:所选地区(含下级地区;未选时为全部)规划列明或工委指定的责任单位,标为“地区 · 单位”;n_units 为这些单位的个数。单位多于 most 个时只列出单位 unit(属于该地区时),否则只给一行不含单位(value 为空)的个数;most 为空时全部列出。
-- params: region, unit, most
-- The sidebar asks for at most $most units (a short list, or the unit already chosen): at national scale the
-- country has ~35,000 and a page run would otherwise carry them all to Python to offer none of them.
WITH scoped AS (
    SELECT u.unit_id AS value, r.name || ' · ' || u.name AS label
    FROM unit u JOIN region r USING (region_code)
    WHERE EXISTS (SELECT 1 FROM indicator_unit iu WHERE iu.unit_id = u.unit_id AND iu.indicator_id IS NOT NULL)
      AND ($region IS NULL OR u.region_code IN (SELECT region_code FROM pw_region_scope($region)))
)
SELECT s.value, s.label, n.n_units
FROM (SELECT count(*) AS n_units FROM scoped) n
LEFT JOIN scoped s ON $most IS NULL OR n.n_units <= $most OR s.value = $unit
WHERE s.value IS NOT NULL OR n.n_units > $most  -- the count alone: the list was cut and $unit is not in it
ORDER BY s.value;
