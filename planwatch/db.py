"""Opening the database and running named queries from queries/."""
from __future__ import annotations

import fcntl
import re
import time
from contextlib import contextmanager
from pathlib import Path

import duckdb

from planwatch.paths import QUERIES_DIR


class DatabaseBusy(Exception):
    pass


def connect(db_path: Path | str, read_only: bool = False, wait_seconds: float = 30.0) -> duckdb.DuckDBPyConnection:
    """Open the file, waiting while another process holds DuckDB's lock (an import running elsewhere)."""
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            return duckdb.connect(str(db_path), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise  # not busy: a damaged or foreign file, reported as it is
            if time.monotonic() > deadline:
                raise DatabaseBusy(
                    f"数据库文件 {db_path} 正被其他程序占用(例如正在运行的应用),请稍后再试或关闭该程序。") from exc
            time.sleep(0.2)


@contextmanager
def write_lock(db_path: Path | str):
    """One writer at a time across processes and threads: an exclusive lock on <db>.lock for the whole write."""
    lock_path = Path(str(db_path) + ".lock")
    with lock_path.open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection):
    """All or nothing: commit when the block ends normally, roll back on any exception (or a kill mid-way)."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


DATA_VERSION_SQL = ("SELECT max(batch_id), count(undone_at), count(*), count(reviewed_at), "
                    "(SELECT count(*) + count(revoked_at) FROM unit_assignment), "
                    "(SELECT max(opened_at) FROM reporting_round) FROM import_batch")


def data_version(con: duckdb.DuckDBPyConnection) -> tuple:
    """Changes whenever an import or undo changes the data: the key of every cache of query results."""
    return tuple(con.cursor().execute(DATA_VERSION_SQL).fetchall()[0])


def query_text(name: str) -> str:
    """The SQL of queries/<name>.sql."""
    return (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")


def query_header(sql: str) -> dict[str, str]:
    """The `-- key: value` lines at the top of a query file (title, description, params)."""
    header = {}
    for line in sql.splitlines():
        match = re.match(r"--\s*(\w+):\s*(.*)", line)
        if not match:
            break
        header[match[1]] = match[2].strip()
    return header
