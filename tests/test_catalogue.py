"""The curated plan catalogue: traceable to the seed documents, complete against the key tables, and built safely."""
from __future__ import annotations

import csv
import shutil

import duckdb
import pytest
from conftest import import_rows, one, rows

from planwatch import build, catalogue
from planwatch.paths import DATA_DIR, seeds_dir

SEEDS = seeds_dir()
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed documents not found at {SEEDS}")


def all_indicator_rows():
    for plan in catalogue.read_csv(DATA_DIR / "plans.csv"):
        for row in catalogue.read_csv(DATA_DIR / "plans" / plan["plan_id"] / "indicators.csv"):
            yield plan, row


@needs_seeds
def test_every_quote_is_on_its_line():
    lines = {f.name: f.read_text(encoding="utf-8").split("\n") for f in SEEDS.glob("*.txt")}
    checked = 0
    for plan, row in all_indicator_rows():
        source = lines[plan["source_file"]]
        for line_col, quote_col in (("target_line", "target_quote"), ("baseline_line", "baseline_quote")):
            if row[quote_col]:
                assert row[quote_col] in source[int(row[line_col]) - 1], (row["indicator_id"], quote_col)
                checked += 1
    for plan in catalogue.read_csv(DATA_DIR / "plans.csv"):
        for unit in catalogue.read_csv(DATA_DIR / "plans" / plan["plan_id"] / "units.csv"):
            assert unit["quote"] in lines[plan["source_file"]][int(unit["line"]) - 1], unit
            checked += 1
    assert checked > 1000


def test_figures_are_in_their_quotes():
    for _, row in all_indicator_rows():
        if row["target_value"]:   # printed as written, or in Chinese numerals (一所, 一半, 一区镇一普惠)
            assert catalogue._quote_has(row["target_quote"], row["target_value"]), row["indicator_id"]
        if row["baseline_value"]:
            assert row["baseline_value"] in row["baseline_quote"], row["indicator_id"]


def test_every_numeric_target_has_operator_and_value():
    for _, row in all_indicator_rows():
        assert row["target_op"] in catalogue.TARGET_OPS, row["indicator_id"]
        if row["target_op"] in catalogue.NUMERIC_OPS:
            assert catalogue._float(row["target_value"]) is not None, row["indicator_id"]
        else:
            assert row["target_value"] == "", row["indicator_id"]


def test_quotes_in_chinese_numerals_are_read():
    assert catalogue._quote_has("每个区县建成一所政府举办的机构", "1")
    assert catalogue._quote_has("力争一半以上配备女干部", "50")
    assert catalogue._quote_has("深化“一区镇(街道)一普惠”的托育服务", "1")
    assert not catalogue._quote_has("力争一半以上配备女干部", "30")
    assert not catalogue._quote_has("推进一体化建设", "1")


def test_canonical_groups_agree_on_unit_and_direction():
    canon = {c["canonical_id"]: c for c in catalogue.read_csv(DATA_DIR / "canonical_indicators.csv")}
    for _, row in all_indicator_rows():
        if row["canonical_id"]:
            c = canon[row["canonical_id"]]
            assert (row["unit"], row["direction"]) == (c["unit"], c["direction"]), row["indicator_id"]


def test_a_row_disagreeing_with_its_canonical_unit_is_refused(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "plans" / "yueqing-children" / "indicators.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "严重致残的出生缺陷发生率,‰,lower", "严重致残的出生缺陷发生率,1/‰,lower", 1), encoding="utf-8")
    with pytest.raises(catalogue.CatalogueError) as err:
        catalogue.load(data)
    assert "severe_birth_defects" in str(err.value) and "第2行" in str(err.value)


# Targets written in words or as counts (issue 16, item 5), hand-read from the seeds: id → (line, value, unit).
WORDED_TARGETS = {
    "xianyang-women-t21": (112, "1", "所"),      # 每个区县建成一所
    "xianyang-women-t22": (236, "50", "%"),      # 力争一半以上配备女干部
    "huairou-women-t22": (82, "50", "%"),        # 保持一半以上的领导班子配备有女干部
    "zhangjiagang-women-t38": (217, "50", "%"),  # 力争一半以上的领导班子配备女干部
    "zhangjiagang-children-t58": (543, "1", "次"),  # 每年…不少于一次
    "zhangjiagang-children-t59": (631, "1", "个"),  # 一区镇(街道)一普惠
    "pingyang-children-t43": (497, "1", "所"),   # 建立一所…多功能儿童活动中心
    "zhangjiagang-children-t61": (507, "1", "所"),  # 规划建设1所设施齐全的妇幼保健院
}


def test_worded_and_count_targets_are_in_the_catalogue():
    got = {row["indicator_id"]: (int(row["target_line"]), row["target_value"], row["unit"])
           for _, row in all_indicator_rows() if row["indicator_id"] in WORDED_TARGETS}
    assert got == WORDED_TARGETS


# The key tables as printed (重点指标目标表 / 主要指标): number of rows in the printed table.
PRINTED_KEY_ROWS = {"pingyang-women": 10, "pingyang-children": 10, "yueqing-children": 10,
                    "zhangjiagang-women": 11, "zhangjiagang-children": 11,
                    "xianyang-women": 0, "xianyang-children": 0, "huairou-women": 0, "huairou-children": 0}


def test_key_tables_are_complete(base_db):
    got = dict(rows(base_db, "SELECT plan_id, count(DISTINCT regexp_replace(indicator_id, '[ab]$', '')) "
                             "FILTER (WHERE is_key) FROM indicator GROUP BY plan_id"))
    assert got == PRINTED_KEY_ROWS


# Hand-read from the seed documents: (baseline, target op, target value, target text).
SPOT_CHECKS = {
    "pingyang-women-k01": (85.76, "maintain", None, "保持"),
    "pingyang-women-k02": (94.1, ">=", 95.0, "95"),
    "pingyang-women-k04": (17.29, ">=", 24.0, "24"),
    "pingyang-women-k08": (24.13, ">=", 24.92, "24.92"),
    "pingyang-women-k10": (208.0, "qualitative", None, "应援尽援"),
    "pingyang-children-k01": (8.7, "<", 9.0, "<9"),
    "yueqing-children-k01": (10.84, "<", 9.0, "<9"),
    "yueqing-children-k02": (1.38, ">=", 1.7, "1.7"),
    "zhangjiagang-women-k01": (85.7, "maintain", None, "持续提升"),
    "zhangjiagang-women-k02": (None, "<=", 7.0, "7"),
    "zhangjiagang-women-k03": (None, ">=", 12.3, "12.3"),
    "zhangjiagang-women-k04": (45.1, "~", 45.0, "45左右"),
}


def test_spot_checks_against_hand_reading(base_db):
    for indicator_id, expected in SPOT_CHECKS.items():
        got = one(base_db, "SELECT baseline_value, target_op, target_value, target_text FROM v_indicator "
                           "WHERE indicator_id = ?", [indicator_id])
        assert got == expected, indicator_id


def test_text_targets_spot_checks(base_db):
    expected = {  # (name fragment, op, value, target year, line)
        ("pingyang-women", "产前筛查率"): (">=", 90.0, 2025, 167),
        ("pingyang-women", "孕产妇死亡率"): ("<=", 7.0, 2025, 167),
        ("zhangjiagang-women", "出生人口性别比"): ("~", 108.0, 2025, 133),
        ("huairou-women", "孕产妇死亡率"): ("<=", 7.0, 2025, 20),
    }
    for (plan_id, fragment), want in expected.items():
        got = rows(base_db, "SELECT target_op, target_value, target_year, source_line FROM v_indicator "
                            "WHERE plan_id = ? AND name LIKE ?", [plan_id, f"%{fragment}%"])
        assert want in got, (plan_id, fragment, got)


def test_v_indicator_columns(base_db):
    with duckdb.connect(str(base_db), read_only=True) as con:
        columns = [c[0] for c in con.execute("DESCRIBE v_indicator").fetchall()]
    assert columns[:21] == [
        "indicator_id", "region", "plan_group", "domain", "domain_raw", "name", "unit", "is_key", "direction",
        "baseline_year", "baseline_value", "target_op", "target_value", "target_text", "target_year",
        "responsible_units", "canonical_id", "source_file", "source_line", "quote", "plan_id"]


def test_units_named_by_the_plan(base_db):
    # 张家港市 names 责任单位 for every goal: 孕产妇死亡率 (line 127) is the 市卫健委's.
    assert one(base_db, "SELECT responsible_units FROM v_indicator WHERE indicator_id = 'zhangjiagang-women-k02'") \
        == ("市卫健委",)
    # Aliases are normalised within a region (医保局 = 市医保局).
    assert one(base_db, "SELECT count(*) FROM unit WHERE name = '医保局'") == (0,)
    # 怀柔区 names none: no unit rows at all.
    assert one(base_db, "SELECT count(*) FROM indicator_unit WHERE plan_id LIKE 'huairou%'") == (0,)


def test_canonical_indicators_compare_regions(base_db):
    regions = rows(base_db, "SELECT DISTINCT region FROM v_indicator WHERE canonical_id = 'infant_mortality' ORDER BY 1")
    assert len(regions) >= 4
    assert one(base_db, "SELECT count(*) FROM v_reference WHERE canonical_id = 'infant_mortality'")[0] >= 3


def test_build_is_deterministic(tmp_path):
    a, b = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    build.build(a)
    build.build(b)
    sql = ("SELECT indicator_id, year, value, value_text FROM observation ORDER BY ALL",
           "SELECT * FROM v_indicator ORDER BY indicator_id")
    for query in sql:
        assert rows(a, query) == rows(b, query)


def test_no_demo_has_no_demo_rows(base_db, demo_db):
    assert one(base_db, "SELECT count(*) FROM v_observation WHERE source_kind = '示例'") == (0,)
    assert one(demo_db, "SELECT count(*) FROM v_observation WHERE source_kind = '示例'")[0] > 1000


def test_demo_shows_every_status(demo_db):
    statuses = {r[0] for r in rows(demo_db, "SELECT DISTINCT status FROM v_status WHERE as_of_year = 2024")}
    assert statuses == {"已达标", "进展顺利", "进度滞后", "逆向变化", "无数据", "定性"}
    kinds = {r[0] for r in rows(demo_db, "SELECT DISTINCT kind FROM v_warning WHERE as_of_year = 2024")}
    assert kinds == {"预计未达标", "逆向变化", "波动较大", "未填报"}


def test_rebuild_keeps_imported_observations(fresh_db):
    assert import_rows(fresh_db, [("pingyang-women-k03", 2021, 55)]) == 0
    build.build(fresh_db, with_demo=True)
    assert one(fresh_db, "SELECT value, source_kind FROM v_observation "
                         "WHERE indicator_id = 'pingyang-women-k03' AND year = 2021") == (55.0, "填报")
    assert one(fresh_db, "SELECT count(*) FROM import_batch WHERE source_kind = '填报'") == (1,)


def test_rebuild_of_an_older_schema_keeps_its_records(tmp_path, fresh_db):
    """A database from an older version (a record column it lacked) is rebuilt, its imports kept."""
    assert import_rows(fresh_db, [("pingyang-women-k03", 2021, 55)]) == 0
    old = tmp_path / "old.duckdb"  # named like the build's own alias for the previous file once was
    shutil.copy(fresh_db, old)
    with duckdb.connect(str(old)) as con:
        con.execute("ALTER TABLE observation DROP COLUMN measures")
    build.build(old, with_demo=False)
    assert one(old, "SELECT value FROM v_observation WHERE indicator_id = 'pingyang-women-k03'") == (55.0,)


def test_rebuild_refuses_a_newer_schema_rather_than_drop_its_data(tmp_path, fresh_db):
    with duckdb.connect(str(fresh_db)) as con:
        con.execute("ALTER TABLE observation ADD COLUMN checked_by VARCHAR")
    before = fresh_db.read_bytes()
    with pytest.raises(build.BuildError, match="表 observation 含有本版本不认识的列 checked_by"):
        build.build(fresh_db, with_demo=False)
    assert fresh_db.read_bytes() == before


def _corrupt(tmp_path, plan_id: str, column: str, value: str, row_index: int = 0):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "plans" / plan_id / "indicators.csv"
    table = list(csv.DictReader(path.open(encoding="utf-8")))
    table[row_index][column] = value
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=catalogue.INDICATOR_COLUMNS)
        writer.writeheader()
        writer.writerows(table)
    return data


@pytest.mark.parametrize("column,value,message", [
    ("domain", "体育", "第2行 domain列: 未知领域“体育”"),
    ("indicator_id", "pingyang-women-k02", "第3行 indicator_id列: 编号“pingyang-women-k02”重复"),
    ("target_op", "about", "第2行 target_op列: 未知目标类型“about”"),
])
def test_malformed_row_stops_build(tmp_path, base_db, column, value, message):
    db = tmp_path / "kept.duckdb"
    shutil.copy(base_db, db)
    before = db.read_bytes()
    data = _corrupt(tmp_path, "pingyang-women", column, value)
    with pytest.raises(catalogue.CatalogueError) as err:
        build.build(db, data_dir=data)
    assert f"plans/pingyang-women/indicators.csv {message}" in str(err.value)
    assert db.read_bytes() == before


@needs_seeds
def test_quote_off_its_line_stops_build(tmp_path):
    data = _corrupt(tmp_path, "pingyang-women", "target_line", "54", row_index=1)
    with pytest.raises(catalogue.CatalogueError) as err:
        build.build(tmp_path / "x.duckdb", data_dir=data)
    assert "第3行 target_quote列: 引用“95”不在 000_a2ccc41d0fcedee4.txt 第54行" in str(err.value)
    assert not (tmp_path / "x.duckdb").exists()


def test_committee_assignment_is_marked_as_such(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    (data / "unit_assignments.csv").write_text(
        "indicator_id,unit_name,role,decided_by,note\n"
        "huairou-women-t01,区卫健委,牵头,区妇儿工委2023年第一次全体会议,\n", encoding="utf-8")
    db = tmp_path / "x.duckdb"
    build.build(db, with_demo=False, data_dir=data)
    assert one(db, "SELECT u.name, iu.role, iu.provenance, iu.quote FROM indicator_unit iu JOIN unit u USING (unit_id) "
                   "WHERE iu.indicator_id = 'huairou-women-t01'") == ("区卫健委", "牵头", "工委指定",
                                                                     "区妇儿工委2023年第一次全体会议")
    (data / "unit_assignments.csv").write_text(
        "indicator_id,unit_name,role,decided_by,note\nhuairou-women-t01,区卫健委,主管,,\n", encoding="utf-8")
    with pytest.raises(catalogue.CatalogueError) as err:
        build.build(db, with_demo=False, data_dir=data)
    assert "unit_assignments.csv 第2行 role列: 未知角色“主管”" in str(err.value)
    assert "第2行 decided_by列: 须写明单位名称和指定依据" in str(err.value)


def test_a_row_with_more_fields_than_its_header_is_refused_and_thresholds_keep_their_sentences(tmp_path, demo_db):
    # data/thresholds.csv was unquoted: csv dropped every description after its first ASCII comma, so 方法说明 and
    # the PDF's 现行阈值 said "预计未达标且进度比低于此值(或目标年已过仍未达标)为红色预警" and no more
    from planwatch import catalogue
    bad = tmp_path / "t.csv"
    bad.write_text("key,value\na,1,extra, words\n", encoding="utf-8")
    with pytest.raises(catalogue.CatalogueError, match="t.csv 第2行:字段比表头多"):
        catalogue.read_csv(bad)
    description = one(demo_db, "SELECT description FROM method_threshold WHERE key = 'lag_red_ratio'")[0]
    assert description.endswith("评估为基本实现(差距在基本实现容差内)的均为黄色")
