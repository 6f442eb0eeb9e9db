"""db.run_query: the one runner of queries/<name>.sql, whatever the caller holds (a Reader, the app's Database, a
cursor or a plain DuckDB connection)."""
from __future__ import annotations

import duckdb
import pytest

from planwatch import db


@pytest.fixture
def sums(tmp_path, monkeypatch):
    (tmp_path / "sums.sql").write_text("-- title: test\nSELECT $a + $b AS s, $a * $b AS p\n", encoding="utf-8")
    monkeypatch.setattr(db, "QUERIES_DIR", tmp_path)


def test_named_parameters_bind_on_every_kind_of_connection(sums, base_db):
    with db.open_reader(base_db) as reader, duckdb.connect() as plain:
        database = db.Database(base_db)
        for con in (reader, reader.cursor(), database, plain):
            frame = db.run_query(con, "sums", a=3, b=4)
            assert frame.to_dict("records") == [{"s": 7, "p": 12}], type(con)


def test_a_real_query_reads_the_file(base_db):
    """default_year on the built database: the latest year with a value, as the SQL itself answers it."""
    with db.open_reader(base_db) as reader:
        expected = reader.cursor().execute((db.QUERIES_DIR / "default_year.sql").read_text()).fetchone()[0]
        assert db.run_query(reader, "default_year").iloc[0, 0] == expected


@pytest.mark.parametrize("name", ["../schema_records", "a b", "sums.sql", ""])
def test_only_plain_names_are_run(sums, name):
    with duckdb.connect() as plain, pytest.raises(ValueError, match="not a query name"):
        db.run_query(plain, name, a=1, b=2)

