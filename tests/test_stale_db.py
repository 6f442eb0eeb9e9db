"""The command line refuses a database built by another version of the code (or from another data/): its views may
not be those this code queries (an older file lacks _unit_tally, and `report` said "数据库错误:Catalog Error …").
The refusal is Chinese, exit code 2, names the command that rebuilds the file, and leaves the file as it was; the
rebuild it names keeps the imported values. A synthetic database made by the current code passes (test_synth
imports into one through the command line)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import import_rows, one

from planwatch import cli, db, fingerprint

LIFE = "zhangjiagang-women-k01"  # 妇女人均预期寿命 (岁)


def make_stale(path: Path, **meta: str) -> None:
    """Pretend path was built by other code: another catalogue hash (and any other meta rows given)."""
    with db.writing(path) as con:
        con.execute("UPDATE meta SET value = 'older-version' WHERE key = 'catalogue_hash'")
        for key, value in meta.items():
            con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])


def tree(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def commands(tmp_path: Path) -> list[list[str]]:
    values = tmp_path / "values.csv"
    values.write_text(f"indicator_id,year,value,note\n{LIFE},2023,86.5,\n", encoding="utf-8")
    return [["import", str(values)], ["undo", "1"], ["batches"], ["report", "--out", str(tmp_path / "r.xlsx")],
            ["sql", "SELECT 1"], ["refresh"], ["review", "1", "--approve", "--as", "nobody"],
            ["round", "open", "--year", "2025", "--deadline", "2026-03-31"]]


def refusals(argvs: list[list[str]], path: Path, capsys) -> list[str]:
    out = []
    for argv in argvs:
        capsys.readouterr()
        assert cli.main([*argv, "--db", str(path)]) == 2, argv
        err = capsys.readouterr().err
        assert "Traceback" not in err and "Error" not in err and len(err) < 300, err
        out.append(err)
    return out


def test_every_command_refuses_a_stale_database_and_the_named_rebuild_keeps_imports(fresh_db, tmp_path, capsys):
    assert import_rows(fresh_db, [(LIFE, 2022, 86.1)]) == 0
    make_stale(fresh_db)
    folder = tmp_path / "db"
    folder.mkdir()
    path = folder / fresh_db.name
    shutil.move(fresh_db, path)
    before = tree(folder)
    for err in refusals(commands(tmp_path), path, capsys):
        # fresh_db was built without demonstration values: the rebuild the message names keeps that choice
        assert err.strip() == (f"数据库 {path} 由另一版本的程序或另一份规划目录(data/)生成,与当前版本不符,未改动;"
                               f"请先运行 python -m planwatch build --db {path} --no-demo 重建"
                               "(已导入、填报和审核的数据,年度监测与单位分工都会保留)")
    assert tree(folder) == before  # nothing written beside it either (no writer's copy, no lock file)
    assert not (tmp_path / "r.xlsx").exists()

    assert cli.main(["build", "--db", str(path), "--no-demo"]) == 0  # what the message says to run
    assert one(path, "SELECT count(*) FROM observation WHERE batch_id = 0") == (0,)
    assert one(path, "SELECT value FROM v_observation WHERE indicator_id = ? AND year = 2022", [LIFE]) == (86.1,)
    assert cli.main(["import", str(tmp_path / "values.csv"), "--db", str(path)]) == 0


def test_a_stale_database_with_demo_values_and_a_stale_synthetic_one(demo_db, tmp_path, capsys):
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, path)
    make_stale(path)
    err = refusals([["batches"]], path, capsys)[0]
    assert f"请先运行 python -m planwatch build --db {path} 重建" in err  # no --no-demo: the file has 示例数据

    make_stale(path, synth="regions=2 seed=7")  # build would reset a synthetic database to data/: synth makes it again
    err = refusals([["batches"]], path, capsys)[0]
    assert err.strip() == (f"示例数据库 {path} 由另一版本的程序或另一份规划目录(data/)生成,与当前版本不符,未改动;"
                           "请重新生成:"
                           f"python -m planwatch synth --db {path} --regions 2 --seed 7")


def test_a_current_database_passes(demo_db):
    with db.open_reader(demo_db) as reader:
        fingerprint.require_current(reader.cursor(), demo_db)  # raises when stale
        stored = reader.cursor().execute("SELECT value FROM meta WHERE key = 'catalogue_hash'").fetchone()[0]
    assert stored == fingerprint.catalogue_hash()


@pytest.mark.parametrize("changed", ["queries/views/87_unit_tally.sql", "data/plans.csv"])
def test_the_hash_follows_the_sql_and_the_catalogue(tmp_path, monkeypatch, changed):
    """The checksum covers data/ and queries/: a changed file changes it (copies of both, one file edited)."""
    from planwatch.paths import ROOT

    here = fingerprint.catalogue_hash()
    for part in ("data", "queries"):
        shutil.copytree(ROOT / part, tmp_path / part)
    monkeypatch.setattr(fingerprint, "QUERIES_DIR", tmp_path / "queries")
    before = fingerprint.catalogue_hash(tmp_path / "data")
    assert before == here  # the same bytes, the same checksum
    with (tmp_path / changed).open("a", encoding="utf-8") as fh:
        fh.write("\n")
    assert fingerprint.catalogue_hash(tmp_path / "data") != before
