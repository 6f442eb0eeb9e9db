"""Which regions each write changed: the keys of the app's page caches, so that an import in one county leaves the
cached pages of every other province in place.

Every write through db.writing ends by stamping a new version (monotonic, and never reused, see _next_version) on
the regions it changed, in the table `_region_version` (region_code → the version of its latest change; EVERY for
a change of everything), written into the new file before it replaces the old one (so readers see the stamp and
the data it describes together). A write names its regions with `touched` (the import, review and undo of a
batch) or `touched_unit` (a unit's draft); any other write (refresh, rounds, assignments), and a write that moves
the last as-of year (every indicator gains or loses a row), stamps EVERY. A new file (build, plan import) has no
table yet: readers then key on the file's identity.

A page's query filtered to region R reads R's subtree (pw_region_scope) and may show its ancestors' plans (the
parent comparison); it changed when a region in R's subtree or among its ancestors did, or when everything did.
A query with no region (or a value that is not a region code) covers the country: any change.
"""
from __future__ import annotations

import threading
import time

import duckdb

from planwatch import views

TABLE = "_region_version"
EVERY = "*"   # the row of a change to every region
AS_OF = "version_as_of_year"  # meta key: the last as-of year when the versions were last stamped
TOUCHED = "_touched_region"  # a temporary table: the regions this write named


def touched(con: duckdb.DuckDBPyConnection, batch_id: int) -> None:
    """This write changed the regions of a batch: those of the indicators it holds values of and of the unit
    that submitted it. Call within db.writing; a write that names no region changes every region."""
    # the ids first: as a list they reach the scan of the catalogue (a join read all of it: 3× the time)
    ids = [r[0] for r in con.execute("SELECT DISTINCT indicator_id FROM observation WHERE batch_id = ?",
                                     [batch_id]).fetchall()]
    _touch(con, """SELECT p.region_code FROM indicator i JOIN plan p USING (plan_id)
                   WHERE list_contains($ids, indicator_id)
                   UNION SELECT u.region_code FROM import_batch b JOIN unit u USING (unit_id) WHERE b.batch_id = $id""",
           {"ids": ids, "id": batch_id})


def touched_unit(con: duckdb.DuckDBPyConnection, unit_id: str) -> None:
    """This write changed only a unit's own rows (its draft): the unit's region."""
    _touch(con, "SELECT region_code FROM unit WHERE unit_id = $id", {"id": unit_id})


def _touch(con, regions_sql: str, params: dict) -> None:
    con.execute(f"CREATE TEMP TABLE IF NOT EXISTS {TOUCHED} (region_code VARCHAR)")
    con.execute(f"INSERT INTO temp.{TOUCHED} {regions_sql}", params)


def stamp(con: duckdb.DuckDBPyConnection) -> None:
    """Record what this write changed under a new version (db.writing calls it last, before its checkpoint)."""
    if not _exists(con, TABLE):
        con.execute(f"CREATE TABLE {TABLE} (region_code VARCHAR PRIMARY KEY, version BIGINT NOT NULL)")
    as_of = str(views.stored_as_of_year(con))  # as meta stores it
    # a new last as-of year: every indicator gained or lost a row
    same_years = con.execute("SELECT value FROM meta WHERE key = ?", [AS_OF]).fetchone() == (as_of,)
    con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [AS_OF, as_of])
    version = _next_version(con)
    named = _exists(con, TOUCHED, temp=True)
    stamped = same_years and named and con.execute(
        f"INSERT OR REPLACE INTO {TABLE} SELECT DISTINCT region_code, $version FROM temp.{TOUCHED} "
        "WHERE region_code IS NOT NULL", {"version": version}).fetchone()[0] > 0
    if not stamped:
        con.execute(f"INSERT OR REPLACE INTO {TABLE} VALUES (?, ?)", [EVERY, version])
    if named:
        con.execute(f"DROP TABLE temp.{TOUCHED}")


def _next_version(con) -> int:
    """Later than every earlier version, and than the clock (nanoseconds): a file restored from a backup (older
    versions) or built anew (a fresh table) goes on with versions no cache has seen."""
    latest = con.execute(f"SELECT coalesce(max(version), 0) FROM {TABLE}").fetchone()[0]
    return max(latest + 1, time.time_ns())


def _exists(con, table: str, temp: bool = False) -> bool:
    database = "'temp'" if temp else "current_database()"
    return con.execute(f"SELECT count(*) FROM duckdb_tables() WHERE database_name = {database} AND table_name = ?",
                       [table]).fetchone()[0] > 0


class Versions:
    """A reader's view of `_region_version`: the version of the data a query filtered to a region reads."""

    def __init__(self, cursor: duckdb.DuckDBPyConnection, fallback: tuple):
        self._cursor = cursor
        self._fallback = fallback   # the file's identity, for a file without versions
        self._lock = threading.Lock()
        self._loaded = False
        self._memo: dict[str | None, tuple] = {}

    def of(self, region: str | None) -> tuple:
        """The cache key of a query with this region filter (a region code; None or anything else: the country)."""
        with self._lock:
            if region not in self._memo:
                self._load()
                self._memo[region] = self._compute(region)
            return self._memo[region]

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        cur = self._cursor
        self._own: dict[str, int] = {}
        if not _exists(cur, TABLE):
            return
        self._own = dict(cur.execute(f"SELECT region_code, version FROM {TABLE}").fetchall())
        self._above = {code: [a for a in (parent, city, province) if a is not None and a != code]
                       for code, parent, city, province in cur.execute(
                           "SELECT region_code, parent_code, city_code, province_code FROM region").fetchall()}
        self._within: dict[str, int] = {}   # region → its latest change at or below it
        for code, version in self._own.items():
            for region in {code, *self._ancestors(code)}:
                self._within[region] = max(self._within.get(region, 0), version)

    def _ancestors(self, code: str) -> set[str]:
        out, queue = set(), list(self._above.get(code, ()))
        while queue:
            region = queue.pop()
            if region not in out:
                out.add(region)
                queue.extend(self._above.get(region, ()))
        return out

    def _compute(self, region: str | None) -> tuple:
        if not self._own:
            return ("file", *self._fallback)
        if region not in self._above:
            return ("version", max(self._own.values()))
        return ("version", max(self._own.get(EVERY, 0), self._within.get(region, 0),
                               *(self._own.get(a, 0) for a in self._ancestors(region))))

