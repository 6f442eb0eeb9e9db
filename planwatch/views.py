"""Create the public views from queries/views/*.sql, in file-name order (each file may use the ones before it)."""
import duckdb

from planwatch.paths import VIEWS_DIR


def create(con: duckdb.DuckDBPyConnection) -> None:
    for path in sorted(VIEWS_DIR.glob("*.sql")):
        con.execute(path.read_text(encoding="utf-8"))
