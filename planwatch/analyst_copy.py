"""The analysts' copy: the public views' rows, and nothing else, in a DuckDB file of their own, one per data version.

The explorer's workers attach it read-only instead of loading the views into memory: at national scale (2,850
regions) v_status alone is millions of rows, more than a worker's 512 MB bound. The copy holds no record table
(drafts, pending values, uploaders), so even a statement that slipped past the guard cannot reach them.

It is written on demand, when the first worker starts after the data changed, by a separate process (its memory is
DuckDB's own limit, with spilling to disk; the worker's bound does not apply), under a lock so that workers starting
together write it once; copies of older versions are removed then (a worker still reading one keeps its inode).
Names: ``<db>.public-<tag>``, tag from the database file's identity (db.identity).
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from planwatch import db

# the analysts' API: every public view (README, queries/saved/_schema.csv)
PUBLIC_VIEWS = ("v_indicator", "v_observation", "v_status", "v_warning", "v_attainment_by_plan",
                "v_attainment_by_domain", "v_attainment_by_region", "v_attainment_by_unit", "v_status_detail",
                "v_reference", "v_reporting_progress", "v_value_history", "v_region", "v_attainment_rollup",
                "v_parent_comparison")
WRITE_MEMORY = "1GB"  # DuckDB's limit while writing a copy; beyond it, it spills to a temporary folder
WRITE_TIMEOUT = 600.0  # seconds; a national-scale copy takes well under a minute here
ATTEMPTS = 3  # the database may be replaced while it is copied: then the copy is discarded and made again


class CopyFailed(Exception):
    pass


def path_for(db_path: Path, version: tuple) -> Path:
    tag = hashlib.sha256(repr(tuple(version)).encode()).hexdigest()[:16]
    return db_path.with_name(f"{db_path.name}.public-{tag}")


def ensure(db_path: Path | str) -> tuple[Path, tuple]:
    """(the copy of the current data version, that version); writes it if missing. Raises CopyFailed or
    DatabaseMissing/OSError."""
    db_path = Path(db_path).resolve()
    for _ in range(ATTEMPTS):
        version = db.identity(db_path)
        target = path_for(db_path, version)
        if target.exists():
            return target, version
        with open(db_path.with_name(db_path.name + ".public.lock"), "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not target.exists():
                done = subprocess.run([sys.executable, "-m", "planwatch.analyst_copy", str(db_path), str(target)],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=WRITE_TIMEOUT,
                                      cwd=Path(__file__).resolve().parent.parent)
                if done.returncode not in (0, CHANGED):
                    raise CopyFailed(done.stderr.decode(errors="replace")[-500:])
            if target.exists():
                _remove_older(db_path, keep=target)
                return target, version
    raise CopyFailed("数据库在复制期间反复变化")


def _remove_older(db_path: Path, keep: Path) -> None:
    for old in db_path.parent.glob(f"{db_path.name}.public-*"):
        if old != keep and not old.name.endswith(".lock"):
            old.unlink(missing_ok=True)


CHANGED = 3  # exit code of write(): the database was replaced during the copy


def write(db_path: Path, target: Path) -> int:
    """Copy the public views of db_path into target (atomically); CHANGED if db_path was replaced meanwhile."""
    import duckdb

    before = db.identity(db_path)
    tmp = target.with_name(f"{target.name}.tmp-{os.getpid()}")
    spill = Path(f"{tmp}.spill")
    con = duckdb.connect(str(tmp), config={"memory_limit": WRITE_MEMORY, "temp_directory": str(spill)})
    try:
        # not "pw": a connection's own catalogue is named after its file (pw.duckdb.public-… would be "pw")
        con.execute(f"ATTACH {db.sql_string(db_path)} AS _source (READ_ONLY)")
        for view in PUBLIC_VIEWS:
            con.execute(f"CREATE TABLE main.{view} AS SELECT * FROM _source.{view}")
        con.execute("DETACH _source")
        con.execute("CHECKPOINT")
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)
    if db.identity(db_path) != before:
        db.discard(tmp)
        return CHANGED
    db.replace_atomically(tmp, target)
    return 0


if __name__ == "__main__":
    sys.exit(write(Path(sys.argv[1]), Path(sys.argv[2])))
