"""Create the views from queries/views/*.sql and keep their materialised tables current.

The progress method is computed by the *_live views; its results are stored in tables (_progress, _status,
_warning) that the public views read. Every write — build, import, undo — calls refresh() inside its own
transaction, so readers never see observations and statuses that disagree.
"""
import duckdb
import numpy as np
import pyarrow as pa

from planwatch.paths import VIEWS_DIR

# (table, the view that computes it), in dependency order
MATERIALISED = (("_progress", "_progress_live"), ("_status", "_status_live"), ("_warning", "_warning_live"))


# Exact (Garwood) 95% limits of a Poisson count k = 0 … POISSON_MAX_EVENTS, for the small-number rule. DuckDB has no
# inverse gamma function, so the limits are a table (_poisson_limit) that the SQL joins; larger pooled counts are not
# small numbers. The table is filled once, when the first observation with a numerator (分子) arrives.
POISSON_MAX_EVENTS = 10_000


def poisson_limits(max_events: int = POISSON_MAX_EVENTS, confidence: float = 0.95):
    """(k, lower, upper): lower = χ²(α/2; 2k)/2 (0 for k = 0), upper = χ²(1 − α/2; 2k + 2)/2, as gamma quantiles."""
    from scipy.special import gammaincinv  # imported here: needed once, and slow to import

    k = np.arange(max_events + 1)
    alpha = 1 - confidence
    lower = np.where(k == 0, 0.0, gammaincinv(np.maximum(k, 1), alpha / 2))
    return k, lower, gammaincinv(k + 1, 1 - alpha / 2)


def create(con: duckdb.DuckDBPyConnection) -> None:
    """Run the view files in name order; each materialised table is created, empty, as soon as its view exists
    (later views read it). refresh() fills them."""
    con.execute("CREATE TABLE IF NOT EXISTS _poisson_limit (k INTEGER PRIMARY KEY, lower DOUBLE, upper DOUBLE)")
    for path in sorted(VIEWS_DIR.glob("*.sql")):
        con.execute(path.read_text(encoding="utf-8"))
        _materialise(con, empty=True)


def refresh(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute the materialised tables after observations changed."""
    _fill_poisson_limits(con)
    _materialise(con)
    con.execute("INSERT OR REPLACE INTO meta VALUES ('progress_year', CAST(year(current_date) AS VARCHAR))")


def _fill_poisson_limits(con: duckdb.DuckDBPyConnection) -> None:
    if con.execute("SELECT NOT EXISTS (FROM _poisson_limit) AND EXISTS (FROM observation WHERE numerator IS NOT NULL)"
                   ).fetchone()[0]:
        limits = pa.table(dict(zip(("k", "lower", "upper"), poisson_limits())))  # noqa: F841 (read by DuckDB)
        con.execute("INSERT INTO _poisson_limit SELECT k::INTEGER, lower, upper FROM limits")


def _materialise(con: duckdb.DuckDBPyConnection, empty: bool = False) -> None:
    views = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views()").fetchall()}
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    for table, live in MATERIALISED:
        if live in views and not (empty and table in tables):
            con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM {live}" + (" LIMIT 0" if empty else ""))
