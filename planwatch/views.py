"""Create the views from queries/views/*.sql and keep their materialised tables current.

The progress method is computed by the *_live views; its results are stored in tables (_status, _warning) that the
public views read. _status is made straight from the method's working rows (_progress_live, never stored): its
numbers and the few inputs of the sentences, not the sentences, which v_status builds for the rows a query reads;
the warnings are then made from _status. Every write — build, import, review, undo — calls refresh() inside its
own transaction, so readers never see observations and statuses that disagree. A write that touched a few
indicators passes their ids and only their rows are recomputed (the method reads nothing across indicators but the
as-of years, see refresh()); the roll-ups (达标率, v_attainment*) are views over these tables and follow.
"""
from collections.abc import Iterable

import duckdb

from planwatch.paths import VIEWS_DIR

# (table, the view that computes it), in dependency order: _warning_live reads _status
MATERIALISED = (("_status", "_status_live"), ("_warning", "_warning_live"))
# what the plans say, with the names of the responsible units (v_indicator reads it): it changes with the catalogue
# (a build: a full refresh) and with the committee's unit assignments (refresh_indicators), never with observations
CATALOGUE = (("_indicator", "_indicator_live"),)
# (table, the view that computes it, its table macro by indicator ids) of the pages' summaries, which count the
# method's rows per plan (83_tally.sql, 87_unit_tally.sql): a write recomputes the rows of the plans holding the
# indicators it touched, and so does a unit assignment (_unit_tally counts by unit)
SUMMARIES = (("_tally", "_tally_live", "_tally_of"), ("_warning_tally", "_warning_tally_live", "_warning_tally_of"),
             ("_unit_tally", "_unit_tally_live", "_unit_tally_of"))


# Exact (Garwood) 95% limits of a Poisson count k = 0 … POISSON_MAX_EVENTS, for the small-number rule. DuckDB has no
# inverse gamma function, so the limits are a table (_poisson_limit) that the SQL joins; larger pooled counts are not
# small numbers. The table is filled once, when the first observation with a numerator (分子) arrives.
POISSON_MAX_EVENTS = 10_000


def poisson_limits(max_events: int = POISSON_MAX_EVENTS, confidence: float = 0.95):
    """(k, lower, upper): lower = χ²(α/2; 2k)/2 (0 for k = 0), upper = χ²(1 − α/2; 2k + 2)/2, as gamma quantiles."""
    import numpy as np  # imported here, like pyarrow below: needed once, and every write command imports views
    from scipy.special import gammaincinv  # (numpy and pyarrow ~0.1–0.2 CPU-s and 40 MB at start-up)

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
        _materialise(con, (*CATALOGUE, *MATERIALISED, *SUMMARIES), empty=True)


def refresh(con: duckdb.DuckDBPyConnection, indicators: Iterable[str] | None = None, catalogue: bool = False,
            own_copy: bool = False) -> None:
    """Recompute the materialised tables after observations changed: every row, or only the rows of `indicators`
    (the ids a write touched; delete and insert, in the caller's transaction). With catalogue, first the stored
    catalogue too (_indicator: after the plans or the units changed, i.e. a build); observations never change it.
    own_copy: con is a writer's own copy of the file, not in a transaction (db.writing); a full refresh then drops
    the method's tables and checkpoints before recomputing them, so the new rows reuse their blocks. Otherwise the
    replaced tables' blocks stay free, a third of the file, and the writer compacts it (COPY FROM DATABASE): at
    2,850 regions the `refresh` command took 25 CPU-s that way and 17–19 this way.

    An indicator's rows depend on its own observations and on one thing shared by all: the range of as-of years,
    which ends at this year or at the latest year observed. When a write moves that end (an import of a new latest
    year, the undo of the only values of it, a new calendar year), every indicator gains or loses a row: then the
    whole method is recomputed."""
    _fill_poisson_limits(con)
    if catalogue:
        _materialise(con, CATALOGUE)
    ids = None if indicators is None else sorted(set(indicators))
    if ids is None or not _same_as_of_years(con):
        if own_copy:
            for table, *_ in reversed((*MATERIALISED, *SUMMARIES)):
                con.execute(f"DROP TABLE IF EXISTS {table}")
            con.execute("CHECKPOINT")
        _materialise(con)
    elif ids:
        _materialise_rows(con, ids)
    con.execute("INSERT OR REPLACE INTO meta VALUES ('progress_year', CAST(year(current_date) AS VARCHAR))")


def refresh_indicators(con: duckdb.DuckDBPyConnection, indicators: Iterable[str]) -> None:
    """Recompute the stored catalogue rows (_indicator) of these indicators, after their responsible units changed,
    then the summaries' rows of their plans (_unit_tally counts by unit)."""
    ids = sorted(set(indicators))
    for table, live in CATALOGUE:
        con.execute(f"DELETE FROM {table} WHERE list_contains($ids, indicator_id)", {"ids": ids})
        con.execute(f"INSERT INTO {table} SELECT * FROM {live} WHERE list_contains($ids, indicator_id)", {"ids": ids})
    _summarise_plans(con, ids)


def _fill_poisson_limits(con: duckdb.DuckDBPyConnection) -> None:
    if con.execute("SELECT NOT EXISTS (FROM _poisson_limit) AND EXISTS (FROM observation WHERE numerator IS NOT NULL)"
                   ).fetchone()[0]:
        import pyarrow as pa

        limits = pa.table(dict(zip(("k", "lower", "upper"), poisson_limits())))  # noqa: F841 (read by DuckDB)
        con.execute("INSERT INTO _poisson_limit SELECT k::INTEGER, lower, upper FROM limits")


def stored_as_of_year(con: duckdb.DuckDBPyConnection) -> int | None:
    """The last as-of year of the stored method rows (None: no method tables yet, or no rows)."""
    if not con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
                       "AND table_name = '_status'").fetchone()[0]:
        return None
    return con.execute("SELECT max(as_of_year) FROM _status").fetchone()[0]


def _same_as_of_years(con: duckdb.DuckDBPyConnection) -> bool:
    """Do the materialised rows end at the as-of year the method would end at now?"""
    stored = stored_as_of_year(con)
    return stored is not None and stored == con.execute("SELECT y FROM _last_as_of_year").fetchone()[0]


def _materialise_rows(con: duckdb.DuckDBPyConnection, ids: list[str]) -> None:
    """Replace these indicators' rows: computed into temporary tables first, the warnings reading the new status
    rows (so a refresh of a few indicators never scans a whole materialised table), then swapped in; then the
    summaries' rows of their plans."""
    con.execute("CREATE OR REPLACE TEMP TABLE _new_status AS FROM _status_of($ids)", {"ids": ids})
    con.execute("CREATE OR REPLACE TEMP TABLE _new_warning AS FROM _warning_of('_new_status')")
    for table, _ in MATERIALISED:
        con.execute(f"DELETE FROM {table} WHERE list_contains($ids, indicator_id)", {"ids": ids})
        con.execute(f"INSERT INTO {table} FROM temp._new{table}")
        con.execute(f"DROP TABLE temp._new{table}")
    _summarise_plans(con, ids)


def _summarise_plans(con: duckdb.DuckDBPyConnection, ids: list[str]) -> None:
    """Replace the summaries' rows of the plans holding these indicators."""
    plans = [r[0] for r in con.execute("SELECT DISTINCT plan_id FROM _indicator WHERE list_contains($ids, indicator_id)",
                                       {"ids": ids}).fetchall()]
    for table, _, rows_of in SUMMARIES:
        con.execute(f"DELETE FROM {table} WHERE list_contains($plans, plan_id)", {"plans": plans})
        con.execute(f"INSERT INTO {table} FROM {rows_of}($ids, NULL)", {"ids": ids})


def _materialise(con: duckdb.DuckDBPyConnection, pairs=(*MATERIALISED, *SUMMARIES), empty: bool = False) -> None:
    """Store each (table, view, …) of pairs whose view exists, in order (empty: create the missing tables empty)."""
    views = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views()").fetchall()}
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE NOT temporary").fetchall()}
    for table, live, *_ in pairs:
        if live in views and not (empty and table in tables):
            con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM {live}" + (" LIMIT 0" if empty else ""))
