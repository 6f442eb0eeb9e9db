"""The database file: many readers, one writer at a time, and named queries from queries/.

Readers (the app's processes, reports, the explorer, analysts) open the file read-only. A writer (build, import,
undo, reviews) takes one cross-process lock, writes a copy of the file and renames it into place, so readers
are never blocked and never see half a write; a reader notices the new file by its identity (inode, mtime,
size) and reopens. DuckDB caches one database instance per path and process, so a reader ATTACHes the file
to a fresh in-memory connection instead of `duckdb.connect(path)`, which would keep returning the old file.
"""
from __future__ import annotations

import fcntl
import os
import re
import shutil
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from planwatch import versions
from planwatch.paths import QUERIES_DIR

if TYPE_CHECKING:
    import pandas as pd  # run_query's frames: DuckDB imports pandas when a query's result is made one

# how long a write waits for another to finish before it gives up and says so (DatabaseBusy)
LOCK_WAIT_SECONDS = float(os.environ.get("PLANWATCH_LOCK_WAIT", 60))
READER_MEMORY_LIMIT = os.environ.get("PLANWATCH_READER_MEMORY", "1GB")
# A writer's limit: a full method refresh at 2,850 regions then peaks at about 0.7 GB instead of 1.8 GB (DuckDB
# spills to <copy>.tmp/), in the same time.
WRITER_MEMORY_LIMIT = os.environ.get("PLANWATCH_WRITER_MEMORY", "600MB")
SCHEMA = "pw"  # the catalog name under which a reader attaches the file


class DatabaseBusy(Exception):
    pass


class DatabaseMissing(Exception):
    pass


class NotADatabase(DatabaseMissing):
    """The path is there but holds no database: a folder, a device, another kind of file."""


def not_duckdb(path: Path | str) -> NotADatabase:
    """The refusal of a file that is not a DuckDB database, or a damaged one."""
    return NotADatabase(f"{path} 不是 DuckDB 数据库文件(或已损坏),未改动;请用 --db 指定 planwatch 的数据库")


def require_duckdb_file(path: Path) -> None:
    """Refuse a file that is not a DuckDB database before opening it (DuckDB's own error is in English, and a writer
    would have copied the file first): every DuckDB file has the magic bytes DUCK after its 8-byte checksum."""
    with open(path, "rb") as file:
        if file.read(12)[8:] != b"DUCK":
            raise not_duckdb(path)


def require_planwatch_tables(con: duckdb.DuckDBPyConnection, db_path: Path | str) -> None:
    """Refuse a DuckDB database that lacks planwatch's tables (another program's file)."""
    if con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name IN ('meta', 'indicator', 'observation', "
                   "'import_batch') AND database_name = current_database()").fetchone()[0] < 4:
        raise NotADatabase(f"{db_path} 不是 planwatch 数据库(没有其数据表),未改动;请用 --db 指定 planwatch 的数据库")


def identity(db_path: Path | str) -> tuple:
    """What changes whenever a writer replaces the file (or anything writes it in place)."""
    st = os.stat(db_path)
    return st.st_ino, st.st_mtime_ns, st.st_size


def sql_string(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


class Reader:
    """The database file as it was when opened, read-only. Query through cursor(), one cursor per query."""

    def __init__(self, db_path: Path | str):
        self.path = Path(db_path)
        if not self.path.is_file():
            raise DatabaseMissing(f"数据库 {self.path} 不存在,请先运行 python -m planwatch build --db {self.path}")
        require_duckdb_file(self.path)
        self.identity = identity(self.path)
        self._con = duckdb.connect(":memory:", config={"memory_limit": READER_MEMORY_LIMIT})
        try:
            self._con.execute(f"ATTACH {sql_string(self.path)} AS {SCHEMA} (READ_ONLY)")
        except duckdb.Error:
            self._con.close()
            raise
        # with the in-memory catalog gone, every cursor (and a cursor's cursor) starts in the file's catalog
        self._con.execute(f"USE {SCHEMA}; DETACH memory")
        self.versions = versions.Versions(self._con.cursor(), self.identity)

    def cursor(self) -> duckdb.DuckDBPyConnection:
        return self._con.cursor()

    def stale(self) -> bool:
        try:
            return identity(self.path) != self.identity
        except FileNotFoundError:
            return False  # mid-replace or removed: keep serving what we have

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> "Reader":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_reader(db_path: Path | str) -> Reader:
    return Reader(db_path)


class Database:
    """A long-lived reader for a server process: reopens when a writer has replaced the file. Thread-safe.

    Cursors of an older reader keep working on the file they opened (it stays readable until they are done)."""

    def __init__(self, db_path: Path | str):
        self.path = Path(db_path)
        self._lock = threading.Lock()
        self._reader = Reader(self.path)

    def reader(self) -> Reader:
        with self._lock:
            if self._reader.stale():
                self._reader = Reader(self.path)
            return self._reader

    def cursor(self) -> duckdb.DuckDBPyConnection:
        return self.reader().cursor()

    @property
    def version(self) -> tuple:
        """The identity of the file being served (it changes with every write)."""
        return self.reader().identity


@contextmanager
def write_lock(db_path: Path | str, wait_seconds: float = LOCK_WAIT_SECONDS):
    """One writer at a time across processes and threads: an exclusive lock on <db>.lock for the whole write."""
    lock_path = Path(str(db_path) + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_seconds
    with lock_path.open("a") as fh:
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise DatabaseBusy(f"另一项写入(构建、导入或审核)仍在进行,已等待 {wait_seconds:.0f} 秒,请稍后再试。")
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_atomically(new: Path, db_path: Path) -> None:
    """Put a finished database file in place: durable on disk first, then one rename readers never see half of."""
    _fsync(new)
    os.replace(new, db_path)
    _fsync(db_path.parent)


FICLONE = 0x40049409  # Linux ioctl: dst shares src's blocks, copy-on-write (XFS, btrfs; ext4 refuses it)


def copy_file(src: Path, dst: Path) -> None:
    """dst as a copy of src: a reflink where the filesystem offers one (instant whatever the size; writing dst never
    changes src), otherwise a byte copy (about 0.5 s, and as long again for its fsync, at 500 MB on ext4)."""
    with open(src, "rb") as source, open(dst, "wb") as target:
        try:
            fcntl.ioctl(target.fileno(), FICLONE, source.fileno())
            return
        except OSError:
            pass
    shutil.copyfile(src, dst)


def discard(path: Path) -> None:
    for leftover in (path, Path(str(path) + ".wal")):
        leftover.unlink(missing_ok=True)


# A write leaves free blocks where it replaced tables (a full refresh of the method not told it owns the copy: a third
# of the file and more; views.refresh); DuckDB reuses them but never gives them back, and every later write copies
# them. Above this share of the file the writer writes the data into a fresh file instead (COPY FROM DATABASE: about
# half a full refresh's CPU time).
COMPACT_FREE_SHARE = 0.25


@contextmanager
def writing(db_path: Path | str):
    """Write under the lock on a copy of the file; the copy replaces the file when the block ends normally.

    Any exception (or a kill) leaves the file exactly as it was. Use inside a `with`, nothing else needed."""
    db_path = Path(db_path)
    if not db_path.is_file():
        raise DatabaseMissing(f"数据库 {db_path} 不存在,请先运行 python -m planwatch build --db {db_path}")
    require_duckdb_file(db_path)
    with write_lock(db_path):
        for leftover in db_path.parent.glob(f"{db_path.name}.writing-*"):  # of a writer killed mid-way
            if leftover.is_dir():  # DuckDB's spill directory
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)
        copy = db_path.with_name(f"{db_path.name}.writing-{os.getpid()}")
        compact = db_path.with_name(f"{copy.name}-compact")
        copy_file(db_path, copy)
        wal = Path(str(db_path) + ".wal")
        if wal.exists():  # left by an older version that wrote in place: replayed when the copy opens
            shutil.copyfile(wal, str(copy) + ".wal")
        try:
            con = duckdb.connect(str(copy), config={"memory_limit": WRITER_MEMORY_LIMIT})
        except BaseException:
            discard(copy)
            raise
        try:
            require_planwatch_tables(con, db_path)
            yield con
            versions.stamp(con)   # what this write changed, for the readers' caches (planwatch.versions)
            con.execute("CHECKPOINT")
            compacted = _compact_if_wasteful(con, compact)
        except BaseException:
            con.close()
            discard(copy)
            discard(compact)
            raise
        con.close()
        replace_atomically(compact if compacted else copy, db_path)
        discard(copy)
        wal.unlink(missing_ok=True)  # merged into the copy


def _compact_if_wasteful(con: duckdb.DuckDBPyConnection, target: Path) -> bool:
    """Write the database into a fresh file `target` when free blocks are more than COMPACT_FREE_SHARE of it."""
    total, free = con.execute("SELECT total_blocks, free_blocks FROM pragma_database_size() "
                              "WHERE database_name = current_database()").fetchone()
    if free <= COMPACT_FREE_SHARE * total:
        return False
    discard(target)
    source = con.execute("SELECT current_database()").fetchone()[0]
    con.execute(f"ATTACH {sql_string(target)} AS pw_compact")
    try:
        con.execute(f'COPY FROM DATABASE "{source}" TO pw_compact')
    finally:
        con.execute("DETACH pw_compact")
    return True


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


def run_query(con, name: str, *, limit: int | None = None, offset: int = 0, count: bool = False,
              **params) -> pd.DataFrame:
    """THE runner of named queries: queries/<name>.sql with named parameters ($name in the SQL) as a DataFrame.

    con: a Reader, a Database or a DuckDB connection; the query runs on a fresh cursor of it (one cursor per query,
    so threads may share con). A cursor is a connection of its own: it does not see a transaction left open on con.
    The app's pages go through ui.query, which caches the result on top of this.
    limit/offset: one page of the rows (LIMIT/OFFSET after the query's own final ORDER BY); count: only the number
    of rows, as a one-cell frame (column n) — the two halves of a paged list (planwatch.paging)."""
    if not re.fullmatch(r"\w+", name):
        raise ValueError(f"not a query name: {name!r}")
    sql = (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8").strip().rstrip(";")
    if count:
        sql = f"SELECT count(*) AS n FROM ({sql})"
    elif limit is not None:
        sql = f"{sql}\nLIMIT {int(limit)} OFFSET {int(offset)}"
    return con.cursor().execute(sql, params).df()


def query_header(sql: str) -> dict[str, str]:
    """The `-- key: value` lines at the top of a query file (title, description, params)."""
    header = {}
    for line in sql.splitlines():
        match = re.match(r"--\s*(\w+):\s*(.*)", line)
        if not match:
            break
        header[match[1]] = match[2].strip()
    return header
