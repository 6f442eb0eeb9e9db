"""The synthetic national database (python -m planwatch synth) and the full refresh (python -m planwatch refresh)."""
from __future__ import annotations

import shutil
import zlib
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from planwatch import cli, demo, synth
from planwatch.extract import regions
from conftest import one, rows

SEED_PLANS = 9  # data/plans.csv
# the indicator count of every seed plan (data/plans/<plan_id>/indicators.csv)
SEED_INDICATORS = {"huairou-children": 59, "huairou-women": 22, "pingyang-children": 53, "pingyang-women": 22,
                   "xianyang-children": 37, "xianyang-women": 22, "yueqing-children": 38,
                   "zhangjiagang-children": 73, "zhangjiagang-women": 49}
# years reported 2021–2025 by trajectory: missing_years leaves out 2022 and 2024, unreported reports nothing
YEARS_REPORTED = {"missing_years": 3, "unreported": 0}
CONTENT = ("region", "plan", "indicator", "unit", "indicator_unit", "observation", "meta")


@pytest.fixture(scope="module")
def synth_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("synth") / "synth.duckdb"
    assert cli.main(["synth", "--db", str(path), "--regions", "3", "--seed", "7"]) == 0
    return path


def content_hash(path: Path) -> str:
    """One checksum over every row of the catalogue and observation tables (the batch's timestamp left out)."""
    parts = [one(path, f"SELECT md5(string_agg(t::VARCHAR, chr(10) ORDER BY t::VARCHAR)) FROM {table} t")[0]
             for table in CONTENT]
    return "".join(parts)


def test_same_seed_same_rows_another_seed_differs(synth_db, tmp_path):
    again, other = tmp_path / "again.duckdb", tmp_path / "other.duckdb"
    synth.synth(again, 3, seed=7)
    synth.synth(other, 3, seed=8)
    assert content_hash(again) == content_hash(synth_db)
    assert content_hash(other) != content_hash(synth_db)


def test_regions_sit_in_cpca_hierarchy(synth_db):
    units = regions.all_units()
    counties = rows(synth_db, "SELECT DISTINCT r.region_code, r.parent_code, r.is_seed FROM plan p "
                              "JOIN region r USING (region_code) WHERE p.plan_id LIKE 'synth-%'")
    assert len(counties) == 3
    for code, parent, is_seed in counties:
        assert is_seed and parent == units[code]["parent_code"] != ""
        # its city (the same first four digits) or, for a county under the province, its province
        assert parent[:4] == code[:4] or parent == code[:2] + "0000"
        chain = rows(synth_db, """
            WITH RECURSIVE up(code, level, parent) AS (
                SELECT region_code, level, parent_code FROM region WHERE region_code = ?
                UNION ALL SELECT r.region_code, r.level, r.parent_code FROM region r JOIN up ON r.region_code = up.parent
            ) SELECT code, level FROM up""", [code])
        assert [c for c, _ in chain] == [u["region_code"] for u in reversed(regions.chain(code))]
        assert chain[-1][1] == "省"


def test_counts_follow_the_seed_plans(synth_db):
    plans = rows(synth_db, "SELECT plan_id, region_code, plan_group, title FROM plan WHERE plan_id LIKE 'synth-%'")
    assert one(synth_db, "SELECT count(*) FROM plan")[0] == SEED_PLANS + 2 * 3
    assert sorted(g for *_, g, _ in plans) == ["儿童"] * 3 + ["妇女"] * 3
    for plan_id, code, group, title in plans:
        seed = one(synth_db, "SELECT regexp_extract(note, '[a-z]+-[a-z]+') FROM indicator WHERE plan_id = ? LIMIT 1",
                   [plan_id])[0]
        assert one(synth_db, "SELECT count(*) FROM indicator WHERE plan_id = ?", [plan_id])[0] == SEED_INDICATORS[seed]
        assert title.endswith(f"{group}发展规划(示例)")
        # units recreated for the region: as many links as the seed plan has, every one to a unit of the region
        assert one(synth_db, "SELECT count(*) FROM indicator_unit WHERE plan_id = ?", [plan_id]) == one(
            synth_db, "SELECT count(*) FROM indicator_unit WHERE plan_id = ?", [seed])
        assert one(synth_db, "SELECT count(*) FROM indicator_unit l JOIN unit u USING (unit_id) "
                             "WHERE l.plan_id = ? AND u.region_code <> ?", [plan_id, code])[0] == 0
    per_indicator = pd.DataFrame(rows(synth_db, """
        SELECT i.indicator_id, i.target_op, any_value(o.note), count(o.year), min(o.year), max(o.year)
        FROM indicator i LEFT JOIN observation o USING (indicator_id)
        WHERE i.plan_id LIKE 'synth-%' GROUP BY ALL"""), columns=["id", "op", "note", "n", "first", "last"])
    for r in per_indicator.itertuples():
        # the trajectory is chosen from a checksum of the indicator's id
        kind = "qualitative" if r.op == "qualitative" else demo.TRAJECTORIES[zlib.crc32(r.id.encode()) % 12]
        assert r.n == YEARS_REPORTED.get(kind, 5), r
        assert r.n == 0 or r.note == ("示例数据" if kind == "qualitative" else f"示例数据({demo.KIND_NOTES[kind]})")
        assert r.n == 0 or (r.first, r.last) == (2021, 2025)


def test_every_synthetic_value_is_labelled_demo(synth_db):
    assert one(synth_db, "SELECT count(*) FROM plan WHERE plan_id LIKE 'synth-%' AND NOT "
                         "(title LIKE '%(示例)' AND source_file LIKE '示例:引自 %' AND issuing_document LIKE '示例%')"
               )[0] == 0
    assert one(synth_db, "SELECT count(*) FROM indicator WHERE plan_id LIKE 'synth-%' AND note NOT LIKE '示例:%'")[0] == 0
    kinds = rows(synth_db, "SELECT DISTINCT b.source_kind, o.batch_id FROM observation o JOIN import_batch b "
                           "USING (batch_id)")
    assert kinds == [("示例", 0)]
    assert one(synth_db, "SELECT value FROM meta WHERE key = 'demo'")[0] == "1"
    assert one(synth_db, "SELECT count(*) FROM v_observation WHERE source_kind <> '示例'")[0] == 0


# The judgement of every indicator and as-of year. The trend's projection (and the reason text quoting it) may
# differ in its last digit between two runs over the same rows: the regression sums in no fixed order.
JUDGED = {"_status": "indicator_id, as_of_year, latest_year, latest_value, status, assessment, n_points, is_final",
          "_warning": "indicator_id, as_of_year, level, kind, kind_order"}


def differing(a: Path, b: Path, table: str) -> int:
    """Judgements in one file and not the other (each row counted as often as it occurs)."""
    con = duckdb.connect()
    con.execute(f"ATTACH '{a}' AS a (READ_ONLY); ATTACH '{b}' AS b (READ_ONLY)")
    cols = JUDGED[table]
    return con.execute(f"SELECT count(*) FROM ((SELECT {cols} FROM a.{table} EXCEPT ALL SELECT {cols} FROM b.{table})"
                       f" UNION ALL (SELECT {cols} FROM b.{table} EXCEPT ALL SELECT {cols} FROM a.{table}))"
                       ).fetchone()[0]


def test_refresh_equals_the_build(synth_db, demo_db, tmp_path):
    for source in (synth_db, demo_db):
        path = tmp_path / source.name
        shutil.copy(source, path)
        assert cli.main(["refresh", "--db", str(path)]) == 0
        for table in JUDGED:
            assert one(path, f"SELECT count(*) FROM {table}")[0] > 0
            assert differing(source, path, table) == 0, table


def test_demonstration_years_extend_without_changing_earlier_ones(demo_db):
    indicators = pd.DataFrame(rows(demo_db, f"SELECT {', '.join(demo.INDICATOR_COLUMNS)} FROM indicator "
                                            "WHERE target_op <> 'qualitative'"), columns=demo.INDICATOR_COLUMNS)
    four, five = demo.series(indicators), demo.series(indicators, range(2021, 2026))
    assert set(five["year"]) == {2021, 2022, 2023, 2024, 2025}
    pd.testing.assert_frame_equal(five[five["year"] < 2025].reset_index(drop=True), four)


def test_refusals_say_why_and_leave_files_alone(synth_db, demo_db, tmp_path, capsys):
    assert cli.main(["synth", "--db", str(tmp_path / "x.duckdb"), "--regions", "99999"]) == 2
    assert "地区数须在 1 到" in capsys.readouterr().err and not (tmp_path / "x.duckdb").exists()
    earlier = tmp_path / "earlier.duckdb"
    shutil.copy(synth_db, earlier)
    assert cli.main(["synth", "--db", str(earlier), "--regions", "99999"]) == 2
    assert earlier.read_bytes() == synth_db.read_bytes() and sorted(tmp_path.iterdir()) == [earlier]
    real = tmp_path / "real.duckdb"
    shutil.copy(demo_db, real)
    before = real.read_bytes()
    assert cli.main(["synth", "--db", str(real), "--regions", "2"]) == 2
    assert "不是示例数据库" in capsys.readouterr().err and real.read_bytes() == before
    assert cli.main(["refresh", "--db", str(tmp_path / "missing.duckdb")]) == 2
    assert "不存在" in capsys.readouterr().err


def refused(capsys, argv: list[str], message: str) -> str:
    """The command exits 2 with a short Chinese message containing `message`, and no traceback."""
    capsys.readouterr()
    try:
        code = cli.main(argv)
    except SystemExit as exc:  # argparse's refusals (in Chinese: cli._Parser)
        code = exc.code
    assert code == 2, argv
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err) < 400, err
    return err


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every path under folder with its bytes (None for a folder): what a refused command must leave alone."""
    return {str(p.relative_to(folder)): None if p.is_dir() else p.read_bytes() for p in sorted(folder.rglob("*"))}


def test_hostile_arguments_of_synth_and_refresh(synth_db, demo_db, tmp_path, capsys):
    """Each bad argument: a short Chinese message naming the problem, exit code 2, nothing written or changed."""
    import sqlite3

    work = tmp_path / "work"
    work.mkdir()
    (work / "folder.duckdb").mkdir()
    (work / "text.duckdb").write_text("不是数据库\n", encoding="utf-8")
    sqlite3.connect(work / "other.sqlite").close()
    duckdb.connect(str(work / "empty.duckdb")).close()  # a DuckDB file, but not planwatch's
    shutil.copy(demo_db, work / "real.duckdb")
    shutil.copy(synth_db, work / "synth_imported.duckdb")  # a synthetic database someone imported real values into
    path = work / "values.csv"
    path.write_text("indicator_id,year,value\nzhangjiagang-women-k01,2024,86\n", encoding="utf-8")
    assert cli.main(["import", str(path), "--db", str(work / "synth_imported.duckdb")]) == 0
    path.unlink()
    before = tree(work)
    new = str(work / "new.duckdb")

    for count, message in (("0", "(全国县级单位中尚无规划的数目),实为 0"), ("-5", "),实为 -5"),
                           ("99999", "),实为 99999"), ("1" + "0" * 30, "),实为 1" + "0" * 30),
                           ("abc", "参数 --regions 的取值 'abc' 不是有效的数字"),
                           ("2.5", "参数 --regions 的取值 '2.5' 不是有效的数字")):
        refused(capsys, ["synth", "--db", new, "--regions", count], message)
    refused(capsys, ["synth", "--db", new, "--regions", "2", "--seed", "x"], "参数 --seed 的取值 'x' 不是有效的数字")
    for target, message in (
            ("folder.duckdb", "是一个目录,请用 --db 给出数据库文件名"), ("text.duckdb", "已存在且不是示例数据库,未改动"),
            ("other.sqlite", "已存在且不是示例数据库,未改动"), ("empty.duckdb", "已存在且不是示例数据库,未改动"),
            ("real.duckdb", "已存在且不是示例数据库,未改动"),
            ("synth_imported.duckdb", "含导入的监测数据(1 个批次),未改动")):
        refused(capsys, ["synth", "--db", str(work / target), "--regions", "2"], message)
    refused(capsys, ["synth", "--db", "", "--regions", "2"], "是一个目录,请用 --db 给出数据库文件名")
    # an unwritable place: under a file, and where nothing can be created (this suite may run as root, so not chmod)
    refused(capsys, ["synth", "--db", str(work / "text.duckdb" / "x.duckdb"), "--regions", "2"],
            f"无法在 {work / 'text.duckdb' / 'x.duckdb'} 生成数据库:路径中有一段不是目录")
    refused(capsys, ["synth", "--db", "/proc/planwatch-test.duckdb", "--regions", "2"],
            "无法在 /proc/planwatch-test.duckdb 生成数据库:")

    for target, message in (("missing.duckdb", "不存在,请先运行 python -m planwatch build"),
                            ("folder.duckdb", "是一个目录,请用 --db 给出数据库文件名"),
                            ("text.duckdb", "不是 DuckDB 数据库文件(或已损坏),未改动"),
                            ("other.sqlite", "不是 DuckDB 数据库文件(或已损坏),未改动"),
                            ("empty.duckdb", "不是 planwatch 数据库(没有其数据表),未改动")):
        refused(capsys, ["refresh", "--db", str(work / target)], message)
    refused(capsys, ["refresh", "--db", str(work / "text.duckdb" / "x.duckdb")], "不存在")
    # every other command that reads or writes --db refuses the same files the same way
    (tmp_path / "values.csv").write_text("indicator_id,year,value\nzhangjiagang-women-k01,2024,86\n", encoding="utf-8")
    for command in (["import", str(tmp_path / "values.csv")], ["undo", "1"], ["batches"],
                    ["report", "--out", str(tmp_path / "r.xlsx")], ["sql", "SELECT 1"]):
        for target, message in (("text.duckdb", "不是 DuckDB 数据库文件(或已损坏),未改动"),
                                ("other.sqlite", "不是 DuckDB 数据库文件(或已损坏),未改动"),
                                ("empty.duckdb", "不是 planwatch 数据库(没有其数据表),未改动")):
            refused(capsys, [*command, "--db", str(work / target)], message)
    for command in (["synth", "--regions", "2"], ["refresh"]):  # a device
        refused(capsys, [*command, "--db", "/dev/null"], "/dev/null 不是普通文件")
    assert not Path("/dev/null.lock").exists()
    assert tree(work) == before  # nothing written, not even a writer's copy or a lock file
    assert not Path("/proc/planwatch-test.duckdb.lock").exists()


def test_a_second_writer_holding_the_lock(synth_db, tmp_path, capsys, monkeypatch):
    """synth and refresh wait for the writers' lock, then say another write is under way (exit 2), file unchanged."""
    from planwatch import db

    monkeypatch.setattr(db.write_lock.__wrapped__, "__defaults__", (0.2,))  # wait 0.2 s instead of 60 s
    path = tmp_path / "held.duckdb"
    shutil.copy(synth_db, path)
    before = path.read_bytes()
    with db.write_lock(path):  # another writer (flock: a second open file description conflicts, as another process)
        refused(capsys, ["refresh", "--db", str(path)], "另一项写入(构建、导入或审核)仍在进行")
        refused(capsys, ["synth", "--db", str(path), "--regions", "2"], "另一项写入(构建、导入或审核)仍在进行")
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["held.duckdb", "held.duckdb.lock"]
