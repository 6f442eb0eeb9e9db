-- v_status (analysts' API): one row per indicator per as-of year, read from the materialised _status table.
CREATE OR REPLACE VIEW v_status AS SELECT * FROM _status;
