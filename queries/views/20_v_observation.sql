-- v_observation: the current value of each (indicator, year): the newest import batch that is not undone.
CREATE OR REPLACE VIEW v_observation AS
SELECT indicator_id, year, value, source_kind, batch_id, value_text, note, numerator, denominator
FROM (
    SELECT o.indicator_id, o.year, o.value, b.source_kind, o.batch_id, o.value_text, o.note, o.numerator, o.denominator,
           row_number() OVER (PARTITION BY o.indicator_id, o.year ORDER BY o.batch_id DESC) AS newest
    FROM observation o
    JOIN import_batch b USING (batch_id)
    WHERE b.undone_at IS NULL
)
WHERE newest = 1;
