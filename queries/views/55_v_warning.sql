-- v_warning (analysts' API): early warnings, most urgent first, read from the materialised _warning table.
CREATE OR REPLACE VIEW v_warning AS
SELECT indicator_id, as_of_year, level, kind, reason, urgency
FROM _warning
ORDER BY as_of_year, urgency DESC, kind_order, indicator_id;
