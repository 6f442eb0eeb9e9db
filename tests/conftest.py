"""Shared fixtures: databases built once per test session and copied per test."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from planwatch import build, cli, db


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


# Read the way the app does (db.open_reader): works while an AppTest run in this process serves the same file.
def one(db_path: Path, sql: str, params: list | None = None):
    with db.open_reader(db_path) as reader:
        return reader.cursor().execute(sql, params or []).fetchone()


def rows(db_path: Path, sql: str, params: list | None = None) -> list[tuple]:
    with db.open_reader(db_path) as reader:
        return reader.cursor().execute(sql, params or []).fetchall()
