"""Page caches are invalidated only for what changed (planwatch.versions): a write in one county changes the version
of its own region, its subtree's ancestors and the country, and of nothing else; writes that are not region-scoped,
and a write that moves the last as-of year, change everything; a cached page of another province is reused while one
covering the county is recomputed, on the new file."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from conftest import import_rows, one
from test_regions import serving

from planwatch import accounts, cli, db, importer, review, versions
from planwatch import round as round_mod

PINGYANG = "pingyang-women-k03"      # 平阳县 330326, in 温州市 330300, in 浙江省 330000
XIANYANG = "xianyang-children-t01"   # 咸阳市 610400 (a city's own plan), in 陕西省 610000
# region → the scopes a page can be filtered to: 平阳县 and its ancestors, its sibling 乐清市, other provinces,
# a county below 咸阳市 (no plan of its own), and the country (None)
SCOPES = (None, "330000", "330300", "330326", "330382", "110000", "110116", "610000", "610400", "610402", "320582")


def keys(path: Path) -> dict:
    with db.open_reader(path) as reader:
        return {scope: reader.versions.of(scope) for scope in SCOPES}


def changed(before: dict, after: dict) -> set:
    return {scope for scope in SCOPES if before[scope] != after[scope]}


@pytest.fixture
def stamped_db(fresh_db) -> Path:
    """fresh_db after one write (a build has no versions yet: the first write changes everything)."""
    assert import_rows(fresh_db, [(PINGYANG, 2022, 50.0)]) == 0
    return fresh_db


def test_a_new_file_is_keyed_on_its_identity_and_its_first_write_changes_everything(fresh_db):
    before = keys(fresh_db)
    assert set(before.values()) == {("file", *db.identity(fresh_db))}
    assert import_rows(fresh_db, [(PINGYANG, 2022, 50.0)]) == 0
    after = keys(fresh_db)
    assert changed(before, after) == set(SCOPES) and len(set(after.values())) == 1
    assert one(fresh_db, "SELECT region_code FROM _region_version")[0] == versions.EVERY


def test_an_import_in_a_county_changes_it_its_ancestors_and_the_country_only(stamped_db):
    before = keys(stamped_db)
    assert import_rows(stamped_db, [(PINGYANG, 2023, 61.5)]) == 0
    assert changed(before, keys(stamped_db)) == {None, "330000", "330300", "330326"}


def test_an_import_in_a_city_changes_the_counties_below_it(stamped_db):
    before = keys(stamped_db)
    assert import_rows(stamped_db, [(XIANYANG, 2023, 95.0)]) == 0
    assert changed(before, keys(stamped_db)) == {None, "610000", "610400", "610402"}


def test_an_undo_changes_the_batchs_regions(stamped_db):
    assert import_rows(stamped_db, [(PINGYANG, 2023, 61.5)]) == 0
    before = keys(stamped_db)
    batch = one(stamped_db, "SELECT max(batch_id) FROM import_batch")[0]
    assert cli.main(["undo", str(batch), "--db", str(stamped_db)]) == 0
    assert changed(before, keys(stamped_db)) == {None, "330000", "330300", "330326"}


def test_a_review_changes_the_batchs_regions(stamped_db):
    with db.open_reader(stamped_db) as reader:
        checked = importer.check(reader.cursor(), f"indicator_id,year,value\n{PINGYANG},2023,61.5\n".encode(), "v.csv")
    batch = importer.commit(stamped_db, checked, "单位", status="待审核", submitted_by="单位")
    before = keys(stamped_db)
    review.review(stamped_db, batch, accounts.Account("审核员", "reviewer"), approve=True)
    assert changed(before, keys(stamped_db)) == {None, "330000", "330300", "330326"}


def test_writes_that_name_no_region_change_everything(stamped_db):
    before = keys(stamped_db)
    round_mod.open_round(stamped_db, 2025, date(2026, 3, 31), by="办公室")
    middle = keys(stamped_db)
    assert changed(before, middle) == set(SCOPES)
    assert cli.main(["refresh", "--db", str(stamped_db)]) == 0
    assert changed(middle, keys(stamped_db)) == set(SCOPES)


def test_a_write_that_moves_the_last_as_of_year_changes_everything(stamped_db):
    indicator, = one(stamped_db, "SELECT min(indicator_id) FROM v_indicator i JOIN plan p USING (plan_id) "
                                 "WHERE p.period_end >= year(current_date) + 1 AND i.target_value IS NOT NULL")
    before = keys(stamped_db)
    with db.open_reader(stamped_db) as reader:
        last = reader.cursor().execute("SELECT max(as_of_year) FROM _status").fetchone()[0]
    assert import_rows(stamped_db, [(indicator, last + 1, 1.0)]) == 0
    assert changed(before, keys(stamped_db)) == set(SCOPES)


def test_versions_never_repeat_after_a_file_is_restored(stamped_db, tmp_path):
    backup = tmp_path / "backup.duckdb"
    shutil.copy(stamped_db, backup)
    assert import_rows(stamped_db, [(PINGYANG, 2023, 61.5)]) == 0
    seen = keys(stamped_db)["330326"]
    shutil.copy(backup, stamped_db)   # the restored file goes on from an older version …
    assert import_rows(stamped_db, [(PINGYANG, 2023, 70.0)]) == 0
    assert keys(stamped_db)["330326"] != seen   # … to a new one, not to the one the lost write had
    assert keys(stamped_db)["330326"][1] > seen[1]


def test_a_failed_write_stamps_nothing(stamped_db):
    before = keys(stamped_db)
    with pytest.raises(RuntimeError), db.writing(stamped_db) as con:
        con.execute("DELETE FROM observation")
        raise RuntimeError("stop")
    assert keys(stamped_db) == before


def test_an_overview_of_another_province_is_reused_while_the_changed_ones_are_recomputed(stamped_db, tmp_path,
                                                                                         monkeypatch):
    """The app's caches, counted through db.run_query: after an import in 怀柔区 (北京市), 总览 filtered to
    浙江省 runs none of its region-filtered queries again, 总览 filtered to 北京市 runs them all, on the new file."""
    from planwatch import ui
    from tests.apptest import open_page, texts

    calls = []
    run_query = db.run_query
    monkeypatch.setattr(db, "run_query", lambda con, name, **params: calls.append((name, params.get("region")))
                        or run_query(con, name, **params))
    with serving(stamped_db, tmp_path, monkeypatch) as path:
        pages = {region: texts(open_page(region=region, year="2025")) for region in ("330000", "110000")}
        assert {r for _, r in calls} >= {"330000", "110000"}
        calls.clear()
        assert import_rows(path, [("huairou-children-t01", 2025, 99.0)]) == 0
        zhejiang = texts(open_page(region="330000", year="2025"))
        assert not [c for c in calls if c[1] == "330000"]    # every region-filtered query came from the cache
        assert {c[1] for c in calls} <= {None}               # only the whole-country ones (sidebar) ran again
        assert zhejiang == pages["330000"]
        calls.clear()
        beijing = texts(open_page(region="110000", year="2025"))
        assert {"headline", "attainment_bars", "warning_counts"} <= {n for n, r in calls if r == "110000"}
        assert beijing != pages["110000"]
        assert ui.connection().reader().identity == db.identity(path)   # the reader reopened on the new file
