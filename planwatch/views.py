"""Create the views from queries/views/*.sql and keep their materialised tables current.

The progress method is computed by the *_live views; its results are stored in tables (_progress, _status,
_warning) that the public views read. Every write — build, import, undo — calls refresh() inside its own
transaction, so readers never see observations and statuses that disagree.
"""
import duckdb

from planwatch.paths import VIEWS_DIR

# (table, the view that computes it), in dependency order
MATERIALISED = (("_progress", "_progress_live"), ("_status", "_status_live"), ("_warning", "_warning_live"))


def create(con: duckdb.DuckDBPyConnection) -> None:
    """Run the view files in name order; each materialised table is created as soon as its view exists."""
    for path in sorted(VIEWS_DIR.glob("*.sql")):
        con.execute(path.read_text(encoding="utf-8"))
        _materialise(con, missing_only=True)


def refresh(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute the materialised tables after observations changed."""
    _materialise(con)
    con.execute("INSERT OR REPLACE INTO meta VALUES ('progress_year', CAST(year(current_date) AS VARCHAR))")


def _materialise(con: duckdb.DuckDBPyConnection, missing_only: bool = False) -> None:
    views = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views()").fetchall()}
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    for table, live in MATERIALISED:
        if live in views and not (missing_only and table in tables):
            con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM {live}")
