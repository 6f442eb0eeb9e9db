"""Build the embedded DuckDB file from data/ in one pass.

The new database is written beside the old one and swapped in only when complete, so a failed build leaves the
previous database as it was. Record tables (import batches and their observations) are copied over from the
previous database: a rebuild never loses what users imported.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from planwatch import assignment, catalogue, db, demo, views
from planwatch.fingerprint import catalogue_hash
from planwatch.paths import DATA_DIR, QUERIES_DIR

RECORD_TABLES = ("import_batch", "observation", "reporting_round", "round_deadline", "unit_assignment", "draft_value")


class BuildError(Exception):
    pass


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    if not rows:
        return
    columns = [c[0] for c in con.execute(f"DESCRIBE {table}").fetchall()]
    frame = pd.DataFrame(rows)[columns]  # noqa: F841  (read by DuckDB's replacement scan)
    con.execute(f"INSERT INTO {table} SELECT * FROM frame")


def build(db_path: Path, with_demo: bool = True, data_dir: Path = DATA_DIR) -> dict:
    """Build db_path from data_dir; returns row counts. Raises CatalogueError or BuildError, leaving db_path as it was.

    Holds the writers' lock from reading the previous records to the swap, so no import can land in between."""
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with db.write_lock(db_path):
        return _build(db_path, with_demo, data_dir)


def _build(db_path: Path, with_demo: bool, data_dir: Path) -> dict:
    cat = catalogue.load(data_dir)
    tmp = db_path.with_name(db_path.name + ".building")
    db.discard(tmp)
    con = duckdb.connect(str(tmp))
    try:
        con.execute((QUERIES_DIR / "schema_catalogue.sql").read_text(encoding="utf-8"))
        con.execute((QUERIES_DIR / "schema_records.sql").read_text(encoding="utf-8"))
        for table, rows in cat.tables.items():
            _insert(con, table, rows)
        if db_path.exists():
            _copy_records(con, db_path)
        assignment.apply(con)
        con.execute("DELETE FROM observation WHERE batch_id = 0; DELETE FROM import_batch WHERE batch_id = 0")
        if with_demo:
            demo.insert(con)
        con.execute("INSERT INTO meta VALUES ('catalogue_hash', ?), ('demo', ?)",
                    [catalogue_hash(data_dir), "1" if with_demo else "0"])
        views.create(con)
        views.refresh(con, catalogue=True)
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("plan", "indicator", "unit", "indicator_unit", "reference_value", "observation")}
        con.execute("CHECKPOINT")
    except BaseException:
        con.close()
        db.discard(tmp)
        raise
    con.close()
    db.replace_atomically(tmp, db_path)
    Path(str(db_path) + ".wal").unlink(missing_ok=True)  # already merged into the records we copied
    return counts


def _copy_records(con: duckdb.DuckDBPyConnection, old_path: Path) -> None:
    try:
        con.execute(f"ATTACH {db.sql_string(old_path)} AS _previous (READ_ONLY)")
    except duckdb.Error as exc:
        raise BuildError(f"无法读取现有数据库 {old_path} 以保留已导入的数据,未构建:{exc}") from exc
    new_database = con.execute("SELECT current_database()").fetchone()[0]
    for table in RECORD_TABLES:
        old_columns = _columns(con, table, "_previous")
        if not old_columns:  # an older version without this table
            continue
        unknown = old_columns - _columns(con, table, new_database)
        if unknown:  # written by a newer version: copying by name would drop those columns' data
            raise BuildError(f"现有数据库 {old_path} 的表 {table} 含有本版本不认识的列 {'、'.join(sorted(unknown))}"
                             "(可能由更新的版本创建)。为免丢失已导入的数据,未构建;请使用创建它的版本。")
        try:  # columns an older version lacked are filled with their defaults
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _previous.{table}")
        except duckdb.Error as exc:
            raise BuildError(f"无法保留现有数据库 {old_path} 表 {table} 中的数据,未构建:{exc}") from exc
    con.execute("DETACH _previous")


def _columns(con: duckdb.DuckDBPyConnection, table: str, database: str) -> set[str]:
    return {r[0] for r in con.execute("SELECT column_name FROM duckdb_columns() WHERE database_name = ? AND "
                                      "schema_name = 'main' AND table_name = ?", [database, table]).fetchall()}


def _fresh(db_path: Path) -> tuple[bool, bool | None]:
    """(up to date, built with demo values) of an existing database file; (False, None) when unreadable."""
    try:
        with db.open_reader(db_path) as reader:
            meta = dict(reader.cursor().execute("SELECT key, value FROM meta").fetchall())
    except (duckdb.Error, db.DatabaseMissing):
        return False, None
    # a new calendar year adds an as-of year to v_status: rebuild (imports are kept) to add it
    fresh = meta.get("catalogue_hash") == catalogue_hash() and meta.get("progress_year") == str(date.today().year)
    return fresh, meta.get("demo", "1") == "1"


def rebuild_locked(db_path: Path, data_dir: Path) -> None:
    """Rebuild db_path from data_dir, keeping its imports and its choice of demo values, by a caller holding the
    writers' lock (a plan's publication: when this fails, it puts data/ back; the database is replaced only by a
    whole new file)."""
    _, had_demo = _fresh(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    _build(db_path, True if had_demo is None else had_demo, data_dir)


def ensure(db_path: Path, with_demo: bool = True) -> bool:
    """Build when the database is missing or older than data/; returns True when it built. Several app processes
    starting at once build it once: the check is repeated under the writers' lock."""
    db_path = Path(db_path)
    if _fresh(db_path)[0]:
        return False
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with db.write_lock(db_path):
        fresh, had_demo = _fresh(db_path)
        if fresh:
            return False
        with_demo = with_demo if had_demo is None else had_demo
        _build(db_path, with_demo, DATA_DIR)
    return True
