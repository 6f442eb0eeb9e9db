"""One writer, many readers, with real processes: a build racing an import keeps every batch; command-line imports
land while the app serves; analysts and a second app process read the same file; a killed writer leaves no trace."""
from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import expect, sync_playwright

from conftest import import_rows, one
from servers import streamlit_app
from test_browser import LAUNCH

from planwatch import db
from planwatch.paths import ROOT

INDICATOR = "pingyang-women-k03"  # 高等教育毛入学率, %, target ≥ 70


def _csv(path: Path, value: float, year: int = 2023) -> Path:
    path.write_text(f"indicator_id,year,value,note\n{INDICATOR},{year},{value},\n", encoding="utf-8")
    return path


def _planwatch(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "planwatch", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _value(db_path: Path, year: int = 2023):
    row = one(db_path, "SELECT value FROM v_observation WHERE indicator_id = ? AND year = ?", [INDICATOR, year])
    return row and row[0]


@pytest.mark.parametrize("import_delay", [-0.8, -0.3, 0.0, 0.3, 0.8])
def test_a_build_racing_an_import_keeps_the_batch(fresh_db, tmp_path, import_delay):
    """Whichever starts first, the import is in the database afterwards and says so."""
    csv_path = _csv(tmp_path / "v.csv", 61.5)
    first, second = (("import", str(csv_path)), ("build", "--no-demo")) if import_delay < 0 else \
        (("build", "--no-demo"), ("import", str(csv_path)))
    procs = [_planwatch(*first, "--db", str(fresh_db))]
    time.sleep(abs(import_delay))
    procs.append(_planwatch(*second, "--db", str(fresh_db)))
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    assert _value(fresh_db) == 61.5
    assert one(fresh_db, "SELECT count(*) FROM import_batch WHERE source_kind = '填报'")[0] == 1
    assert not list(fresh_db.parent.glob("*.building")) and not list(fresh_db.parent.glob("*.writing-*"))


def test_a_reader_follows_every_write(fresh_db):
    """The app's Database notices a write from anywhere at its next query; its old cursors keep working."""
    database = db.Database(fresh_db)
    before = database.version
    old_cursor = database.cursor()
    assert import_rows(fresh_db, [(INDICATOR, 2023, 62.0)]) == 0
    assert database.version != before
    assert database.cursor().execute("SELECT value FROM v_observation WHERE indicator_id = ?",
                                     [INDICATOR]).fetchone() == (62.0,)
    assert old_cursor.execute("SELECT count(*) FROM v_observation WHERE indicator_id = ?",
                              [INDICATOR]).fetchone() == (0,)


def test_an_analysts_open_connection_does_not_block_an_import(fresh_db, tmp_path):
    """An analyst holds the file open read-only in another process (Python or the DuckDB CLI) during an import."""
    analyst = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; con = duckdb.connect(sys.argv[1], read_only=True); "
                               "print(con.execute('SELECT count(*) FROM v_status').fetchone()[0], flush=True); "
                               "time.sleep(20); print(con.execute('SELECT count(*) FROM v_status').fetchone()[0])",
         str(fresh_db)], stdout=subprocess.PIPE, text=True)
    assert int(analyst.stdout.readline()) > 0
    start = time.monotonic()
    proc = _planwatch("import", str(_csv(tmp_path / "v.csv", 63.0)), "--db", str(fresh_db))
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert time.monotonic() - start < 10
    assert _value(fresh_db) == 63.0
    analyst.kill()


def test_a_killed_writer_leaves_the_file_as_it_was(fresh_db):
    """A writer killed inside db.writing (after its change, before the rename): nothing lands, the next one does."""
    code = ("import sys, os, signal; from planwatch import db\n"
            "with db.writing(sys.argv[1]) as con:\n"
            "    con.execute(\"UPDATE import_batch SET uploader = 'x'\")\n"
            "    os.kill(os.getpid(), signal.SIGKILL)\n")
    before = db.identity(fresh_db)
    proc = subprocess.run([sys.executable, "-c", code, str(fresh_db)], cwd=ROOT)
    assert proc.returncode == -9
    assert db.identity(fresh_db) == before
    assert import_rows(fresh_db, [(INDICATOR, 2023, 64.0)]) == 0
    assert _value(fresh_db) == 64.0
    assert not list(fresh_db.parent.glob("*.writing-*"))


def _blocks_and_rows(db_path: Path) -> tuple[tuple, dict]:
    """(total, free) blocks of the file, and each table's row count and content hash (the version stamps aside)."""
    with db.open_reader(db_path) as reader:
        cur = reader.cursor()
        blocks = cur.execute("SELECT total_blocks, free_blocks FROM pragma_database_size() "
                             "WHERE database_name = current_database()").fetchone()
        tables = [r[0] for r in cur.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = "
                                            "current_database() AND table_name <> '_region_version'").fetchall()]
        return blocks, {t: cur.execute(f"SELECT count(*), bit_xor(hash(t)) FROM {t} t" + (
            " WHERE key NOT LIKE 'version%'" if t == "meta" else "")).fetchone() for t in tables}


def test_a_full_refresh_does_not_grow_the_file(tmp_path):
    """A full refresh replaces the method tables; the blocks they held stay in the file as free space, reused by the
    next refresh. The writer writes a compact file when more than a quarter would be free: refresh after refresh,
    the file stays within a third of its data size, with the same rows."""
    from planwatch import synth

    path = tmp_path / "synth.duckdb"
    synth.synth(path, 40)
    size = path.stat().st_size
    (total, free), rows = _blocks_and_rows(path)
    assert total > 40
    for _ in range(3):
        assert subprocess.run([sys.executable, "-m", "planwatch", "refresh", "--db", str(path)], cwd=ROOT,
                              capture_output=True).returncode == 0
        (total, free), after = _blocks_and_rows(path)
        # the writer decides before it closes the file; closing may free a block or two more (seen under load)
        assert free <= db.COMPACT_FREE_SHARE * total + 2
        assert path.stat().st_size <= size / (1 - db.COMPACT_FREE_SHARE)
        assert after == rows
    assert not list(tmp_path.glob("*.writing-*"))


def test_a_writer_refreshing_its_own_copy_reuses_the_method_tables_blocks(tmp_path):
    """On a writer's own copy (own_copy) a full refresh drops the method tables and checkpoints first: the new rows
    take the freed blocks, so the writer has nothing to compact; without it a fifth of the file (40 regions; a third
    at 2,850) is left free. The rows are the same either way."""
    from planwatch import synth, views

    path = tmp_path / "synth.duckdb"
    synth.synth(path, 40)
    left = {}
    for own_copy in (False, True):
        copy = tmp_path / f"own-{own_copy}.duckdb"
        shutil.copy(path, copy)
        with duckdb.connect(str(copy)) as con:
            views.refresh(con, own_copy=own_copy)
            con.execute("CHECKPOINT")
            left[own_copy] = con.execute("SELECT total_blocks, free_blocks FROM pragma_database_size()").fetchone()
        assert _blocks_and_rows(copy)[1] == _blocks_and_rows(path)[1]
    (plain_total, plain_free), (total, free) = left[False], left[True]
    assert plain_free > 0.2 * plain_total  # (at 2,850 regions a third: the writer then compacts)
    assert free <= 2 and total < plain_total


def test_imports_land_while_two_app_processes_serve_and_show_within_five_seconds(base_db, tmp_path):
    """Two `streamlit run` processes over one file: a command-line import lands within seconds, each app shows it
    within 5 s, and an analyst opens the file read-only meanwhile."""
    path = tmp_path / "served.duckdb"
    shutil.copy(base_db, path)
    detail = f"/indicator?id={INDICATOR}&year=2023"
    with streamlit_app(path) as first, streamlit_app(path) as second, sync_playwright() as p:
        browser = p.chromium.launch(**LAUNCH)
        pages = [browser.new_page(viewport={"width": 1280, "height": 900}) for _ in (first, second)]
        for page, url in zip(pages, (first, second)):
            page.goto(url + detail)
            expect(page.get_by_text("高等教育毛入学率").first).to_be_visible(timeout=60_000)
        with duckdb.connect(str(path), read_only=True) as analyst:
            assert analyst.execute("SELECT count(*) FROM v_indicator").fetchone()[0] > 300
        start = time.monotonic()
        proc = _planwatch("import", str(_csv(tmp_path / "v.csv", 65.25)), "--db", str(path))
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        assert time.monotonic() - start < 10
        for page, url in zip(pages, (first, second)):  # the next page run shows it (bench/import_serving.py times it)
            page.goto(url + detail)
            expect(page.get_by_text("65.25").first).to_be_visible(timeout=10_000)
        browser.close()


def test_the_same_file_imported_by_two_processes_at_once_lands_once(fresh_db, tmp_path):
    """Both processes find no earlier batch with the file's checksum before the writers' lock; the second one to
    hold the lock finds the first's batch and is refused, changing nothing."""
    csv_path = _csv(tmp_path / "same.csv", 62.5)
    procs = [_planwatch("import", str(csv_path), "--db", str(fresh_db)) for _ in range(2)]
    results = [(proc.returncode, err) for proc in procs for _, err in [proc.communicate(timeout=120)]]
    assert sorted(code for code, _ in results) == [0, 2]
    assert any("同一文件(校验和相同)已作为批次" in err for _, err in results)
    assert one(fresh_db, "SELECT count(*) FROM import_batch WHERE source_kind = '填报'")[0] == 1
