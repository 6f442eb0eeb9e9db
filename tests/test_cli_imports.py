"""The write commands load only what they need: an import, its undo, a review and opening a round run without pandas
(about 0.5 CPU-s of a 1,000-row import's start-up), numpy and pyarrow (0.1–0.2 CPU-s), Streamlit or the catalogue builder, and still refuse bad input
with a Chinese message and exit code 2. A checked file's rows reach DuckDB as list parameters, and the preview's
summary (change_counts) says what the pages' preview frame says.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import import_rows, one

from planwatch import accounts, cli, db, importer
from planwatch.paths import ROOT

INFANT = "zhangjiagang-children-k02"   # 婴儿死亡率 (‰), 张家港市, led by 市卫健委
LIFE = "zhangjiagang-women-k01"        # 妇女人均预期寿命 (岁)
HEAVY = ("pandas", "numpy", "pyarrow", "streamlit", "planwatch.build", "planwatch.synth")

RUN = """
import json, sys
from planwatch import cli
codes = [cli.main(argv) for argv in json.loads(sys.argv[1])]
print(json.dumps({"codes": codes, "loaded": [m for m in json.loads(sys.argv[2]) if m in sys.modules]}))
"""


def commands(*argvs: list[str]) -> tuple[dict, str]:
    """Run the command lines one after another in one fresh Python process: their exit codes, the heavy modules
    loaded by the end, and what they wrote to stderr."""
    done = subprocess.run([sys.executable, "-c", RUN, json.dumps(argvs), json.dumps(HEAVY)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1]), done.stderr


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(["indicator_id,year,value,note", *lines]) + "\n", encoding="utf-8")
    return path


def test_import_undo_and_round_load_no_pandas(fresh_db, tmp_path):
    values = write(tmp_path / "values.csv", [f"{INFANT},2021,2.0,", f"{LIFE},2021,86.0,"])
    result, _ = commands(["import", str(values), "--db", str(fresh_db)],
                         ["undo", "1", "--db", str(fresh_db)],
                         ["round", "open", "--year", "2025", "--deadline", "2026-03-31", "--db", str(fresh_db)])
    assert result == {"codes": [0, 0, 0], "loaded": []}
    assert one(fresh_db, "SELECT count(*), count(undone_at) FROM import_batch WHERE batch_id = 1") == (1, 1)
    assert one(fresh_db, "SELECT count(*) FROM observation WHERE batch_id = 1") == (2,)
    assert one(fresh_db, "SELECT deadline::VARCHAR FROM reporting_round WHERE year = 2025") == ("2026-03-31",)


def test_refusals_without_pandas_are_chinese_with_exit_code_2(fresh_db, tmp_path):
    bad = write(tmp_path / "bad.csv", [f"{INFANT},2021,2.0,", "no-such-id,2021,1,", f"{LIFE},二〇二一,86,"])
    before = fresh_db.read_bytes()
    result, stderr = commands(["import", str(bad), "--db", str(fresh_db)],
                              ["undo", "999", "--db", str(fresh_db)],
                              ["import", str(bad), "--db", str(tmp_path / "missing.duckdb")])
    assert result == {"codes": [2, 2, 2], "loaded": []}
    assert "第3行 指标编号列: 未知指标编号“no-such-id”" in stderr
    assert "第4行 年份列: 年份“二〇二一”不是有效的四位年份" in stderr
    assert "没有编号为 999 的导入批次" in stderr
    assert f"数据库 {tmp_path / 'missing.duckdb'} 不存在" in stderr
    assert "Traceback" not in stderr
    assert fresh_db.read_bytes() == before


def test_review_loads_no_pandas(fresh_db, tmp_path, monkeypatch):
    monkeypatch.setattr(accounts, "ROUNDS", 4)
    accounts.add(fresh_db, "wj", "password1", "filler", "张家港市", "市卫健委")
    accounts.add(fresh_db, "tj", "password1", "reviewer", "张家港市", None)
    submitted = write(tmp_path / "unit.csv", [f"{INFANT},2021,2.0,"])
    assert cli.main(["round", "open", "--year", "2021", "--deadline", "2099-03-31", "--db", str(fresh_db)]) == 0
    assert cli.main(["import", str(submitted), "--db", str(fresh_db), "--as", "wj"]) == 0
    result, _ = commands(["review", "1", "--approve", "--as", "tj", "--db", str(fresh_db)])
    assert result == {"codes": [0], "loaded": []}
    assert one(fresh_db, "SELECT status, reviewed_by FROM import_batch WHERE batch_id = 1") == ("已通过", "tj")
    assert one(fresh_db, "SELECT value FROM v_observation WHERE indicator_id = ? AND year = 2021", [INFANT]) == (2.0,)


def test_change_counts_say_what_the_preview_says(fresh_db, tmp_path):
    assert import_rows(fresh_db, [(INFANT, 2021, 2.0), (LIFE, 2021, 86.0)]) == 0
    # file rows 2–5: the same value (不变), another value (修改), two years not there yet (新增)
    data = write(tmp_path / "next.csv", [f"{INFANT},2021,2.0,", f"{LIFE},2021,86.5,", f"{INFANT},2022,1.9,",
                                         f"{LIFE},2022,86.1,说明"]).read_bytes()
    with db.open_reader(fresh_db) as reader:
        checked = importer.check(reader.cursor(), data, "next.csv")
        counts = importer.change_counts(reader.cursor(), checked)
        frame = importer.preview(reader.cursor(), checked)
    assert list(counts.items()) == [("新增", 2), ("不变", 1), ("修改", 1)]  # most first; ties in file order
    assert list(frame["change"]) == ["不变", "修改", "新增", "新增"]
    assert list(frame["old_value"].fillna(-1)) == [2.0, 86.0, -1, -1]
    assert list(frame["new_value"]) == [2.0, 86.5, 1.9, 86.1]
    assert checked.column("row_no") == [2, 3, 4, 5]
    assert checked.rows["note"].isna().tolist() == [True, True, True, False]


@pytest.mark.parametrize("text", ["95.5", "95.5%"])
def test_committed_rows_are_the_checked_rows(fresh_db, text):
    """Every column of a checked row lands in observation as checked (the list parameters keep types and NULLs)."""
    rate = "pingyang-women-k03"  # a % indicator
    csv_text = ("indicator_id,year,value,备注,分子,分母,原因说明,整改措施\n"
                f"{rate},2022,{text},来自统计年鉴,191,200,,\n")
    with db.open_reader(fresh_db) as reader:
        checked = importer.check(reader.cursor(), csv_text.encode("utf-8"), "rates.csv")
    batch = importer.commit(fresh_db, checked, uploader="测试")
    assert one(fresh_db, "SELECT row_no, indicator_id, year, value, value_text, note, numerator, denominator, reason, "
                         "measures FROM observation WHERE batch_id = ?", [batch]) == \
        (2, rate, 2022, 95.5, None, "来自统计年鉴", 191.0, 200.0, None, None)
