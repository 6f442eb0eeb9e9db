-- v_warning (analysts' API): early warnings, red first, read from the materialised _warning table.
CREATE OR REPLACE VIEW v_warning AS
SELECT indicator_id, as_of_year, level, kind, reason
FROM _warning
ORDER BY as_of_year, CASE level WHEN '红' THEN 1 WHEN '黄' THEN 2 ELSE 3 END, kind_order, indicator_id;
