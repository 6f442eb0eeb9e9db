"""Shared fixtures: databases built once per test session and copied per test."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import pytest

from planwatch import build, cli


@pytest.fixture(scope="session")
def base_db(tmp_path_factory) -> Path:
    """The catalogue without demonstration values."""
    path = tmp_path_factory.mktemp("base") / "plain.duckdb"
    build.build(path, with_demo=False)
    return path


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """The catalogue with demonstration values (what the app shows on first start)."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    build.build(path, with_demo=True)
    return path


@pytest.fixture
def fresh_db(base_db, tmp_path) -> Path:
    path = tmp_path / "work.duckdb"
    shutil.copy(base_db, path)
    return path


def import_rows(db: Path, rows: list[tuple], name: str = "values.csv") -> int:
    """Import (indicator_id, year, value) rows through the command line; returns its exit code."""
    path = db.parent / name
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["indicator_id", "year", "value", "note"])
        writer.writerows([*row, ""] for row in rows)
    return cli.main(["import", str(path), "--db", str(db)])


# Read-write like the app's own connection: DuckDB refuses a second connection with another configuration
# to a file that the same process (an AppTest run) already has open.
def one(db: Path, sql: str, params: list | None = None):
    with duckdb.connect(str(db)) as con:
        return con.execute(sql, params or []).fetchone()


def rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db)) as con:
        return con.execute(sql, params or []).fetchall()
