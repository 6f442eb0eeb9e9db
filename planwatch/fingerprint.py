"""What a database was built from: a checksum of data/ and the SQL (meta.catalogue_hash, stored by every build).

A database whose checksum differs was built by another version of the code or from another data/: its views and
summary tables may not be those this code queries. The app's start rebuilds such a file (build.ensure); the command
line refuses it (`require_current`). No pandas here: the write commands load this module (tests/test_cli_imports.py).
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

from planwatch.paths import DATA_DIR, QUERIES_DIR


class StaleDatabase(Exception):
    """The database was built by another version of the code, or from another data/."""


def catalogue_hash(data_dir: Path = DATA_DIR) -> str:
    """Checksum of every file under data/ plus the view SQL: a change means the database is stale."""
    digest = hashlib.sha256()
    for path in sorted([*data_dir.rglob("*.csv"), *QUERIES_DIR.rglob("*.sql")]):
        digest.update(str(path.relative_to(path.parents[1])).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def require_current(con: duckdb.DuckDBPyConnection, db_path: Path | str) -> None:
    """Refuse (StaleDatabase, in Chinese, saying which command rebuilds it) a planwatch database built by another
    version or from another data/. A synthetic database is made again by synth (a build would reset it to data/);
    any other is rebuilt by build, which keeps the records users entered (build.RECORD_TABLES) and, as the app's
    own rebuild does, the choice of demonstration values."""
    meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    if meta.get("catalogue_hash") == catalogue_hash():
        return
    if "synth" in meta:  # "regions=N seed=S"
        options = " ".join("--" + part.replace("=", " ") for part in meta["synth"].split())
        raise StaleDatabase(f"示例数据库 {db_path} 由另一版本的程序或另一份规划目录(data/)生成,与当前版本不符,未改动;请重新生成:"
                            f"python -m planwatch synth --db {db_path} {options}")
    no_demo = " --no-demo" if meta.get("demo") == "0" else ""
    raise StaleDatabase(f"数据库 {db_path} 由另一版本的程序或另一份规划目录(data/)生成,与当前版本不符,未改动;"
                        f"请先运行 python -m planwatch build --db {db_path}{no_demo} 重建"
                        "(已导入、填报和审核的数据,年度监测与单位分工都会保留)")
