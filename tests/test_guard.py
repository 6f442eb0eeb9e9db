"""The analysts' SQL guard: ordinary and saved queries run; every refusal names its problem, leaves the database
file byte-for-byte unchanged and creates no file; a runaway query stops within its time limit."""
from __future__ import annotations

import csv
import hashlib
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import import_rows, one, rows

from planwatch import cli, db, guard, saved, worker
from planwatch.paths import ROOT

YEAR = 2024


@pytest.fixture(scope="module")
def sandbox(demo_db) -> guard.Sandbox:
    sandbox = guard.Sandbox(demo_db)
    yield sandbox
    sandbox.close()


@pytest.fixture
def work(demo_db, tmp_path):
    """A private copy of the demo database, with a fingerprint of the file and of everything in its folder."""
    db = tmp_path / "db" / "work.duckdb"
    db.parent.mkdir()
    shutil.copy(demo_db, db)
    return db


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(*roots: Path) -> set[str]:
    return {str(p) for root in roots for p in root.rglob("*")}


def _cli(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main(["sql", *argv])
    out, err = capsys.readouterr()
    return code, out, err


# --- ordinary queries --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("sql,check", [
    ("SELECT count(*) AS n FROM v_indicator", "SELECT count(*) FROM v_indicator"),
    ("select region, count(*) from v_indicator group by region", "SELECT count(DISTINCT region_code) FROM region "
                                                                 "WHERE is_seed"),
    ("WITH red AS (SELECT * FROM v_warning WHERE level = '红') SELECT indicator_id FROM red",
     "SELECT count(*) FROM v_warning WHERE level = '红'"),
    ("SELECT indicator_id FROM v_status WHERE status = '已达标' UNION SELECT indicator_id FROM v_warning",
     "SELECT count(*) FROM (SELECT indicator_id FROM v_status WHERE status = '已达标' "
     "UNION SELECT indicator_id FROM v_warning)"),
    ("FROM v_attainment_by_region WHERE as_of_year = 2024;", "SELECT count(*) FROM v_attainment_by_region "
                                                             "WHERE as_of_year = 2024"),
    ("DESCRIBE v_status_detail", "SELECT count(*) FROM (DESCRIBE v_status_detail)"),
    ("SELECT * FROM v_reference r JOIN v_indicator i USING (canonical_id)",
     "SELECT count(*) FROM v_reference r JOIN v_indicator i USING (canonical_id)"),
])
def test_ordinary_queries_return_the_rows_of_the_real_views(sandbox, demo_db, sql, check):
    result = sandbox.run(sql)
    expected = one(demo_db, check)[0]
    if "count(*) AS n" in sql:
        assert result.frame.iloc[0, 0] == expected
    else:
        assert result.n_rows == expected > 0
    assert not result.truncated and result.elapsed < guard.DEFAULT_TIMEOUT


def test_named_parameters_bind(sandbox, demo_db):
    result = sandbox.run("SELECT * FROM v_status_detail WHERE as_of_year = $year AND region = $region",
                         {"year": YEAR, "region": "张家港市"})
    assert result.n_rows == one(demo_db, "SELECT count(*) FROM v_status_detail WHERE as_of_year = ? "
                                         "AND region = '张家港市'", [YEAR])[0]
    with pytest.raises(guard.QueryRefused, match=r"缺少参数:\$region"):
        sandbox.run("SELECT * FROM v_indicator WHERE region = $region")


def test_large_result_is_capped_and_says_so(sandbox):
    result = sandbox.run("SELECT * FROM range(1000000)")
    assert result.n_rows == guard.MAX_ROWS and result.truncated


def test_engine_names_every_public_view_and_nothing_else(sandbox):
    names = set(sandbox.execute("SELECT view_name FROM duckdb_views() WHERE database_name = 'memory' "
                                "AND NOT internal").frame["view_name"])
    assert names == set(guard.PUBLIC_VIEWS)
    assert sandbox.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = 'memory'").frame.iloc[0, 0] == 0
    databases = dict(sandbox.execute("SELECT database_name, path FROM duckdb_databases() WHERE NOT internal")
                     .frame.values)
    # the file is attached read-only under pw; the guard refuses duckdb_databases() and any name but a public view
    assert databases.keys() == {"memory", "pw"}
    settings = dict(sandbox.execute("SELECT name, value FROM duckdb_settings() WHERE name IN ("
                                    "'enable_external_access', 'lock_configuration', 'autoload_known_extensions',"
                                    "'autoinstall_known_extensions', 'python_enable_replacements', 'secret_directory',"
                                    "'home_directory', 'temp_directory', 'max_temp_directory_size')").frame.values)
    spill = settings.pop("temp_directory")  # the worker's own folder, removed with it
    assert "planwatch-query-" in spill and settings.pop("max_temp_directory_size") in ("1.0 GiB", "1.0 GB", "953.6 MiB")
    assert settings == {"secret_directory": "", "home_directory": "",
                        "enable_external_access": "false", "lock_configuration": "true",
                        "autoload_known_extensions": "false", "autoinstall_known_extensions": "false",
                        "python_enable_replacements": "false"}


def test_copy_is_keyed_on_the_data_version(fresh_db):
    before = guard.Sandbox(fresh_db)
    assert before.run("SELECT count(*) FROM v_observation").frame.iloc[0, 0] == 0
    indicator = one(fresh_db, "SELECT indicator_id FROM v_indicator WHERE target_op = '>=' LIMIT 1")[0]
    assert import_rows(fresh_db, [(indicator, 2023, 50)]) == 0
    after = guard.Sandbox(fresh_db)
    assert after.run("SELECT value FROM v_observation").frame["value"].tolist() == [50]
    assert after.version != before.version
    assert after.version == db.identity(fresh_db)  # the key of the app's caches (ui.data_version)
    assert before.run("SELECT count(*) FROM v_observation").frame.iloc[0, 0] == 0  # a copy, not a window
    before.close()
    after.close()


# --- saved queries -----------------------------------------------------------------------------------------------------

SAVED = saved.all_queries()


def test_at_least_eight_saved_queries():
    assert len(SAVED) >= 8
    titles = {q.title for q in SAVED}
    for wanted in ("连续两年进度滞后的儿童指标", "各通用指标表现最差的地区", "红色预警最多的责任单位", "从未填报的指标",
                   "与上一年相比状态变化", "各领域达标率", "已达标后回落的指标", "与上级地区公开值的比较"):
        assert wanted in titles


@pytest.mark.parametrize("query", SAVED, ids=[q.name for q in SAVED])
def test_saved_query_has_a_chinese_header_and_returns_rows(sandbox, query):
    assert re.search(r"[\u4e00-\u9fff]", query.title) and re.search(r"[\u4e00-\u9fff]", query.description)
    assert set(guard.check(query.sql).params) == set(query.params)  # the header lists exactly the $parameters
    result = sandbox.run(query.sql, saved.resolve(query, {}, YEAR))
    assert result.n_rows > 0


def _saved(sandbox, name, **given):
    query = saved.get(name)
    return sandbox.run(query.sql, saved.resolve(query, given, YEAR)).frame


def test_lagging_two_years_are_children_lagging_in_both_years(sandbox, demo_db):
    frame = _saved(sandbox, "lagging_children_two_years")
    expected = {r[0] for r in rows(demo_db, "SELECT s.indicator_id FROM v_status s JOIN v_status p USING (indicator_id) "
                                            "JOIN v_indicator i USING (indicator_id) WHERE s.as_of_year = ? AND "
                                            "p.as_of_year = ? - 1 AND s.status = '进度滞后' AND p.status = '进度滞后' "
                                            "AND i.plan_group = '儿童'", [YEAR, YEAR])}
    assert set(frame["指标编号"]) == expected and len(frame) == len(expected)


def test_worst_region_is_no_better_than_any_other(sandbox, demo_db):
    frame = _saved(sandbox, "worst_region_per_canonical")
    rank = {"逆向变化": 1, "进度滞后": 2, "进展顺利": 3, "已达标": 4}
    for row in frame.itertuples():
        statuses = [r[0] for r in rows(demo_db, "SELECT status FROM v_status_detail WHERE as_of_year = ? "
                                                "AND canonical_id = ?", [YEAR, row.通用指标]) if r[0] in rank]
        assert rank[row.最差地区状态] == min(rank[s] for s in statuses)
        assert rank[row.最好地区状态] == max(rank[s] for s in statuses)


def test_units_red_warnings_count_each_units_red_indicators(sandbox, demo_db):
    frame = _saved(sandbox, "units_most_red_warnings", region="张家港市").set_index("责任单位")
    n = one(demo_db, "SELECT count(DISTINCT w.indicator_id) FROM v_warning w JOIN v_indicator i USING (indicator_id) "
                     "WHERE w.as_of_year = ? AND w.level = '红' AND i.region = '张家港市' "
                     "AND list_contains(string_split(i.responsible_units, '、'), '市卫健委')", [YEAR])[0]
    assert frame.loc["市卫健委", "红色预警指标数"] == n
    assert frame["红色预警指标数"].is_monotonic_decreasing
    # a unit whose name holds a 、 is one unit, as the plan lists it (split at 、 it was 各区镇 and 街道)
    listed = set(_saved(sandbox, "units_most_red_warnings", region="张家港市", year=2023)["责任单位"])
    assert "各区镇、街道" in listed and not {"各区镇", "街道"} & listed  # (t55 is red in 2023)


def test_units_are_linked_to_indicators_one_row_each(demo_db):
    # v_indicator_unit: the link v_indicator prints as responsible_units (in its order), one row per unit
    joined = rows(demo_db, "SELECT indicator_id, string_agg(unit, '、' ORDER BY position, unit) FROM v_indicator_unit "
                           "GROUP BY ALL EXCEPT SELECT indicator_id, responsible_units FROM v_indicator "
                           "WHERE responsible_units IS NOT NULL")
    assert joined == []
    assert one(demo_db, "SELECT count(*) FROM v_indicator_unit WHERE unit = '各区镇、街道'")[0] == 4


def test_saved_region_covers_the_regions_below_it_by_code_or_name(sandbox, demo_db):
    """$region in the saved queries: a code or a name, with every region below it (浙江省: 平阳县 and 乐清市)."""
    def regions(region):
        return sorted(set(_saved(sandbox, "status_change_vs_last_year", region=region)["地区"]))

    everywhere = regions(None)
    assert {"平阳县", "乐清市"} <= set(everywhere) and len(everywhere) > 2
    assert regions("浙江省") == regions("330000") == ["乐清市", "平阳县"]
    assert regions("温州市") == ["乐清市", "平阳县"] and regions("330326") == regions("平阳县") == ["平阳县"]
    assert regions("没有这个地区") == []


def test_attainment_by_domain_matches_the_view(sandbox, demo_db):
    frame = _saved(sandbox, "attainment_by_domain").set_index("领域")
    rate = one(demo_db, "SELECT round(attainment_rate * 100, 1) FROM v_attainment_by_domain "
                        "WHERE as_of_year = ? AND domain = '健康'", [YEAR])[0]
    assert frame.loc["健康", "达标率(%)"] == rate


# --- the data dictionary -----------------------------------------------------------------------------------------------

def test_every_public_view_column_has_a_chinese_description(demo_db):
    described = {(r["view"], r["column"]): r["description"] for r in saved.schema_descriptions()}
    actual = set()
    for view in guard.PUBLIC_VIEWS:
        assert described.get((view, ""), "").strip(), f"{view} has no description"
        for (column,) in rows(demo_db, f"SELECT column_name FROM (DESCRIBE {view})"):
            actual.add((view, column))
            assert re.search(r"[\u4e00-\u9fff]", described.get((view, column), "")), f"{view}.{column} undescribed"
    stale = {k for k in described if k[1] and k not in actual}
    assert not stale, f"described columns that no longer exist: {sorted(stale)}"


# --- refusals: named message, non-zero exit, unchanged file, no file created ------------------------------------------

REFUSALS = {
    "insert": ("INSERT INTO v_indicator SELECT * FROM v_indicator", "只允许查询语句"),
    "update": ("UPDATE v_indicator SET name = 'x'", "只允许查询语句"),
    "delete": ("DELETE FROM v_observation", "只允许查询语句"),
    "create": ("CREATE TABLE t AS SELECT 1", "只允许查询语句"),
    "drop": ("DROP TABLE indicator", "只允许查询语句"),
    "copy_to": ("COPY v_indicator TO '{tmp}/out.csv'", "只允许查询语句"),
    "copy_query_to": ("COPY (SELECT * FROM v_indicator) TO '{tmp}/out.parquet' (FORMAT parquet)", "只允许查询语句"),
    "attach": ("ATTACH '{tmp}/other.duckdb' AS other", "只允许查询语句"),
    "install": ("INSTALL httpfs", "只允许查询语句"),
    "load": ("LOAD httpfs", "只允许查询语句"),
    "set": ("SET enable_external_access = true", "只允许查询语句"),
    "pragma": ("PRAGMA enable_checkpoint_on_shutdown", "只允许查询语句"),
    "read_csv": ("SELECT * FROM read_csv('/etc/passwd')", "不允许读取文件"),
    "read_parquet": ("SELECT * FROM read_parquet('{tmp}/*.parquet')", "不允许读取文件"),
    "read_text": ("SELECT content FROM read_text('/etc/passwd')", "不允许读取文件"),
    "read_text_scalar": ("SELECT (SELECT read_text('/etc/hostname')) AS x", "不允许读取文件"),
    "glob": ("SELECT * FROM glob('/etc/*')", "不允许读取文件"),
    "quoted_path": ("SELECT * FROM '/etc/passwd'", "不允许读取文件"),
    "quoted_csv_in_join": ("SELECT * FROM v_indicator, 'file.csv'", "不允许读取文件"),
    "base_table": ("SELECT * FROM indicator", "不是公开视图"),
    "stacked": ("SELECT 1; DROP TABLE indicator", "只允许一条语句"),
    "export": ("EXPORT DATABASE '{tmp}/export'", "只允许查询语句"),
    "checkpoint": ("CHECKPOINT", "只允许查询语句"),
    "call": ("CALL pragma_version()", "只允许查询语句"),
    "syntax": ("SELECT *\nFROM v_indicator\nWHERE", "语法错误(第3行"),
}


@pytest.mark.parametrize("name", list(REFUSALS))
def test_refused_through_the_command_line(work, tmp_path, capsys, name):
    sql, message = REFUSALS[name]
    sql = sql.format(tmp=tmp_path)
    before_sha, before_files = _sha(work), _files(tmp_path)
    code, out, err = _cli(capsys, sql, "--db", str(work))
    assert code != 0
    assert message in err and "Traceback" not in err and out == ""
    assert _sha(work) == before_sha
    assert _files(tmp_path) == before_files
    assert one(work, "SELECT count(*) FROM indicator")[0] > 0


def test_duckdb_parser_must_agree_on_one_select():
    for sql, message in [("COPY (SELECT 1) TO 'x.csv'", "只允许查询语句"), ("CHECKPOINT", "只允许查询语句"),
                         ("SELECT 1; SELECT 2", "只允许一条语句"), ("SELEC 1", "语法错误")]:
        with pytest.raises(guard.QueryRefused, match=message):
            guard._duckdb_statement(sql)
    guard._duckdb_statement("WITH t AS (SELECT 1) SELECT * FROM t")


def test_messages_name_the_problem_in_chinese():
    cases = {"SELECT *\nFROM v_indicator\nWHERE": "语法错误(第3行第5列附近):“WHERE”处语句不完整",
             "SELECT (1": "缺少右括号",
             "selec 1": "语法错误(第1行第1列):无法识别“selec”",
             "PIVOT v_status ON status": "只允许查询语句",
             "SELECT ?": "只支持命名参数",
             "": "请输入查询语句",
             "SELECT * FROM information_schema.tables": "不是公开视图"}
    for sql, message in cases.items():
        with pytest.raises(guard.QueryRefused) as refused:
            guard.check(sql)
        assert message in str(refused.value), (sql, str(refused.value))


# --- the engine's seal, without the parser (what a statement that slipped past the check would meet) -----------------

ENGINE = {
    "copy_to": "COPY (SELECT 1) TO '{tmp}/slip.csv'",
    "attach": "ATTACH '{tmp}/slip.duckdb' AS slip",
    "read_csv": "SELECT * FROM read_csv('/etc/passwd')",
    "quoted_path": "SELECT * FROM '/etc/passwd'",
    "glob": "SELECT * FROM glob('/etc/*')",
    "install": "INSTALL httpfs",
    "load": "LOAD httpfs",
    "set": "SET enable_external_access = true",
    "unlock": "SET lock_configuration = false",
    "export": "EXPORT DATABASE '{tmp}/slip_export'",
}


@pytest.mark.parametrize("name", list(ENGINE))
def test_sealed_copy_refuses_even_unchecked_statements(sandbox, tmp_path, name):
    before = _files(tmp_path)
    with pytest.raises(guard.QueryRefused):
        sandbox.execute(ENGINE[name].format(tmp=tmp_path))
    assert _files(tmp_path) == before


def test_unchecked_writes_are_rolled_back(sandbox):
    sandbox.execute("DROP VIEW v_indicator")
    sandbox.execute("CREATE TABLE slipped AS SELECT 1")
    with pytest.raises(guard.QueryRefused, match="只读"):  # the database file itself is attached read-only
        sandbox.execute("DROP TABLE pw.main.v_status")
    sandbox.execute("CHECKPOINT")
    assert sandbox.run("SELECT count(*) FROM v_indicator").frame.iloc[0, 0] > 0
    with pytest.raises(guard.QueryRefused, match="不是公开视图"):
        sandbox.run("SELECT * FROM slipped")
    assert "slipped" not in set(sandbox.execute("SELECT table_name FROM duckdb_tables()").frame["table_name"])


# --- time limit --------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("sql", [
    "SELECT count(*) FROM v_status a, v_status b, v_status c, v_status d",
    "SELECT count(*) FROM range(10000000000) t(x) WHERE x % 7 = 3",
])
def test_runaway_query_is_stopped_within_its_limit(sandbox, sql):
    sandbox.run("SELECT 1")  # a worker is ready (starting one is not part of the query's time)
    start = time.perf_counter()
    with pytest.raises(guard.QueryRefused, match=r"查询超时\(1秒\)"):
        sandbox.run(sql, timeout=1)
    assert time.perf_counter() - start < 1 + 2.0  # the limit plus stopping the worker; unstopped, these run minutes
    assert sandbox.run("SELECT 1").n_rows == 1  # the copy is usable afterwards


def test_runaway_query_on_the_command_line_stops_at_the_default_five_seconds(work, capsys):
    before = _sha(work)
    start = time.perf_counter()
    code, out, err = _cli(capsys, "SELECT count(*) FROM range(10000000000) t(x) WHERE x % 7 = 3", "--db", str(work))
    elapsed = time.perf_counter() - start
    assert code != 0 and "查询超时(5秒)" in err
    assert elapsed < guard.DEFAULT_TIMEOUT + 5  # includes starting the worker (about 1 s; more on a busy machine)
    assert _sha(work) == before


# --- command line ------------------------------------------------------------------------------------------------------

def test_command_line_prints_the_table(work, capsys):
    code, out, err = _cli(capsys, "SELECT region, count(*) AS n FROM v_indicator GROUP BY region ORDER BY n DESC",
                          "--db", str(work))
    assert code == 0
    lines = out.strip().splitlines()
    n_regions = one(work, "SELECT count(DISTINCT region) FROM v_indicator")[0]
    assert len(lines) == 1 + n_regions and lines[0].split() == ["region", "n"]
    top = one(work, "SELECT region, count(*) AS n FROM v_indicator GROUP BY region ORDER BY n DESC LIMIT 1")
    assert lines[1].split() == [top[0], str(top[1])]
    assert f"共 {n_regions} 行" in err


def test_command_line_runs_a_saved_query_with_parameters(work, capsys):
    code, out, err = _cli(capsys, "--saved", "attainment_by_domain", "--param", "year=2023", "--db", str(work))
    assert code == 0 and "各领域达标率:共" in err
    rate = one(work, "SELECT round(attainment_rate * 100, 1) FROM v_attainment_by_domain "
                     "WHERE as_of_year = 2023 AND domain = '健康'")[0]
    health = next(line for line in out.splitlines() if line.split()[0] == "健康")
    assert float(health.split()[1]) == rate   # printed 25.0 when the rate is whole


@pytest.mark.parametrize("region", ["330000", "浙江省"])
def test_command_line_takes_a_region_by_code_or_name(work, capsys, region):
    # README: "$region: a name or a 6-digit code"; the code was read as a number and failed on the first region name
    code, out, err = _cli(capsys, "--saved", "never_reported", "--param", "year=2024", "--param", f"region={region}",
                          "--db", str(work))
    assert code == 0, err
    assert out and not any(name in out for name in ("张家港市", "怀柔区", "咸阳市"))   # 浙江省's counties only


@pytest.mark.parametrize("year", ["abc", "999999999", "2024.5"])
def test_command_line_names_a_year_that_is_no_year(work, capsys, year):
    # "abc" was answered about SQL the user never wrote (运算“-”不能用于文本和整数), 999999999 by no rows at all
    code, out, err = _cli(capsys, "--saved", "attainment_by_domain", "--param", f"year={year}", "--db", str(work))
    assert code == 2 and f"参数 year 应为 2000–2100 之间的年份,例如 --param year=2024(收到“{year}”)" in err


def test_command_line_says_when_a_query_returns_no_rows(work, capsys):
    code, out, err = _cli(capsys, "SELECT indicator_id, name FROM v_indicator WHERE false", "--db", str(work))
    assert code == 0 and out == "indicator_id  name\n(没有返回任何行)\n" and "Empty DataFrame" not in out


def test_command_line_unknown_saved_query_is_named(work, capsys):
    code, _, err = _cli(capsys, "--saved", "no_such_query", "--db", str(work))
    assert code == 2 and "没有名为“no_such_query”的常用查询" in err


def test_command_line_as_a_process_exits_non_zero_without_traceback(work):
    before = _sha(work)
    done = subprocess.run([sys.executable, "-m", "planwatch", "sql", "SELECT 1; DROP TABLE indicator", "--db",
                           str(work), "--timeout", "3"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "只允许一条语句" in done.stderr and "Traceback" not in done.stderr
    assert _sha(work) == before
    done = subprocess.run([sys.executable, "-m", "planwatch", "sql", "SELECT count(*) AS n FROM v_warning", "--db",
                           str(work)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.split() == ["n", str(one(work, "SELECT count(*) FROM v_warning")[0])]


def test_schema_file_is_well_formed():
    with saved.SCHEMA_FILE.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["view", "column", "description"]
    # a comma in a description is quoted: unquoted, the data dictionary showed "指标方向:higher 越高越好" only
    assert [r for r in rows if len(r) != 3] == []
    described = {(r["view"], r["column"]): r["description"] for r in saved.schema_descriptions()}
    assert described[("v_indicator", "direction")].endswith("qualitative 定性")


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "0", "-1", "61", "abc", "1e400", ""])
def test_command_line_timeout_must_be_a_finite_number_up_to_a_minute(work, capsys, value):
    code, out, err = _cli(capsys, "SELECT 1", f"--timeout={value}", "--db", str(work))
    assert code == 2 and "--timeout 应为 0 到 60 之间的秒数" in err and out == ""


def test_command_line_timeout_in_range_is_used(work, capsys):
    code, _, err = _cli(capsys, "SELECT count(*) FROM range(10000000000) t(x) WHERE x % 7 = 3", "--timeout", "1.5",
                        "--db", str(work))
    assert code == 2 and "查询超时(1.5秒)" in err


@pytest.mark.parametrize("out,message", [("/nonexistent/x.xlsx", "目录 /nonexistent 不存在"),
                                         ("{tmp}", "这是一个目录"),
                                         ("/proc/planwatch/x.xlsx", "不存在"),
                                         ("/proc/x.xlsx", "无法写入 /proc/x.xlsx")])
def test_report_into_a_missing_or_unwritable_place_is_refused_in_chinese(work, tmp_path, capsys, out, message):
    code = cli.main(["report", "--format", "xlsx", "--out", out.format(tmp=tmp_path), "--db", str(work)])
    _, err = capsys.readouterr()
    assert code == 2 and message in err and "Traceback" not in err


# --- shapes the check must accept or refuse without a traceback ------------------------------------------------------

@pytest.mark.parametrize("depth", [30, 45, 60, 200, 900])
def test_deep_nesting_gets_a_chinese_message_or_runs(sandbox, depth):
    for sql in ["SELECT " + "(" * depth + "1" + ")" * depth,
                "SELECT * FROM " + "(SELECT * FROM " * depth + "v_indicator" + ") s" * depth,
                "SELECT 1 WHERE " + " AND ".join(["(1 = 1" for _ in range(depth)]) + ")" * depth]:
        try:
            result = sandbox.run(sql)
        except guard.QueryRefused as exc:
            assert "嵌套过深" in str(exc), str(exc)
        else:
            assert result.n_rows >= 1


@pytest.mark.parametrize("sql,expected", [("(SELECT 1)", 1), ("((SELECT 2))", 2), ("(SELECT 1) UNION ALL (SELECT 2)", 1),
                                          ("(SELECT count(*) FROM v_indicator) LIMIT 1", None)])
def test_a_query_in_parentheses_is_a_query(sandbox, sql, expected):
    result = sandbox.run(sql)
    assert result.n_rows >= 1
    if expected is not None:
        assert result.frame.iloc[0, 0] == expected


CTE_ESCAPES = {
    "issue": "SELECT * FROM (WITH \"/etc/passwd\" AS (SELECT 1) SELECT 1) x, '/etc/passwd'",
    "base_table": "SELECT * FROM (WITH indicator AS (SELECT 1) SELECT 1) x, indicator",
    "union_branch": "(WITH \"/etc/passwd\" AS (SELECT 1) SELECT 1) UNION ALL SELECT * FROM '/etc/passwd'",
    "scalar_subquery": "SELECT (WITH indicator AS (SELECT 1) SELECT 1) AS a, * FROM indicator",
    "in_subquery": "SELECT * FROM indicator WHERE 1 IN (WITH indicator AS (SELECT 1) SELECT 1)",
    "later_sibling": "WITH a AS (SELECT * FROM indicator), indicator AS (SELECT 1) SELECT * FROM a",
    "self_not_recursive": "WITH indicator AS (SELECT * FROM indicator) SELECT * FROM indicator",
    "cte_of_a_cte_body": "WITH a AS (WITH indicator AS (SELECT 1) SELECT 1) SELECT * FROM a, indicator",
    "lateral": "SELECT * FROM v_indicator, LATERAL (WITH indicator AS (SELECT 1) SELECT 1) l, indicator",
}


@pytest.mark.parametrize("name", list(CTE_ESCAPES))
def test_a_cte_name_shadows_tables_only_in_its_own_scope(name):
    with pytest.raises(guard.QueryRefused, match="不允许读取文件|不是公开视图"):
        guard.check(CTE_ESCAPES[name])


@pytest.mark.parametrize("sql,expected", [
    ("WITH x AS (SELECT 1 AS n) SELECT * FROM (SELECT * FROM (SELECT n FROM x) a) b", 1),
    ("WITH x AS (SELECT 2 AS n), y AS (SELECT n FROM x) SELECT * FROM y", 2),
    ("WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 5) SELECT sum(n) FROM t", 15),
    ("SELECT count(*) FROM v_indicator WHERE region IN (WITH \"/etc/passwd\" AS (SELECT '平阳县' AS r) "
     "SELECT r FROM \"/etc/passwd\")", None),
    ("WITH x AS (SELECT 3 AS n) SELECT n FROM x UNION ALL SELECT n FROM x ORDER BY 1 LIMIT 1", 3),
])
def test_ctes_in_scope_still_work(sandbox, demo_db, sql, expected):
    value = sandbox.run(sql).frame.iloc[0, 0]
    if expected is None:
        expected = one(demo_db, "SELECT count(*) FROM v_indicator WHERE region = '平阳县'")[0]
    assert value == expected


@pytest.mark.parametrize("sql", [
    "SELECT current_setting('secret_directory')",
    "SELECT current_setting('home_directory') AS h",
    "SELECT * FROM duckdb_settings()",
    "SELECT (SELECT value FROM duckdb_settings() LIMIT 1)",
    "SELECT * FROM duckdb_extensions()",
    "SELECT * FROM duckdb_databases()",
    "SELECT * FROM pragma_database_list",
    "SELECT * FROM pragma_version()",
    "SELECT getvariable('x')",
    "SELECT duckdb_secrets()",
])
def test_settings_and_engine_metadata_are_refused(sql):
    with pytest.raises(guard.QueryRefused, match="不允许|不是公开视图") as refused:
        guard.check(sql)
    assert "/" not in str(refused.value).split("。")[0].replace("/etc", "")  # no path in the message


# --- resource bombs: real worker processes, peak memory and wall time measured ----------------------------------------

MB = 2**20
BOMBS = {  # the examples, then classes beyond them
    "nested_repeat": "SELECT length(repeat(repeat('x', 100000000), 30))",
    "range_list": "SELECT len(range(0, 600000000))",
    "list_transform": "SELECT len(list_transform(range(0, 100000000), lambda x: x * 2))",
    "big_strings_many_rows": "SELECT repeat('x', 100000) AS s FROM range(200000)",
    "result_over_the_byte_cap": "SELECT repeat('x', 1000) AS s FROM range(200000)",
    "string_agg": "SELECT length(string_agg(repeat('x', 10000), ',')) FROM range(1000000)",
    "nested_string_agg": "SELECT length(string_agg(s, '')) FROM (SELECT string_agg(repeat('ab', 100000), '') AS s "
                         "FROM range(1000) GROUP BY range % 10)",
    "unnest": "SELECT count(*) FROM (SELECT unnest(range(0, 100000000)))",
    "list_sort": "SELECT list_sort(range(0, 300000000))[1]",
    "cross_join": "SELECT count(*) FROM generate_series(1, 1000000) a(x), generate_series(1, 1000000) b(y) "
                  "WHERE x + y = 7",
    "recursive_doubling": "WITH RECURSIVE t(n, s) AS (SELECT 1, 'x' UNION ALL SELECT n + 1, s || s FROM t "
                          "WHERE n < 40) SELECT max(length(s)) FROM t",
    "recursive_endless": "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT count(*) FROM t",
    "regex": "SELECT count(*) FROM range(100000000) r(x) WHERE regexp_matches(repeat('a', 1000) || x::VARCHAR, "
             "'(a+)+(b|c)')",
    "view_cross_join": "SELECT count(*) FROM v_status a, v_status b, v_status c, v_status d",
}


@pytest.mark.parametrize("name", list(BOMBS))
def test_a_bomb_stays_within_the_memory_bound_and_the_deadline(work, name):
    from bench.rss import PeakRss

    sandbox = guard.Sandbox(work, size=1)
    try:
        sandbox.run("SELECT 1")  # the worker is up: its start is not part of the measure
        start = time.perf_counter()
        with PeakRss(only=str(work)) as peak:
            with pytest.raises(guard.QueryRefused, match="内存超过上限|查询超时|结果过大") as refused:
                sandbox.run(BOMBS[name], timeout=3)
        elapsed = time.perf_counter() - start
        assert elapsed < 3 + 2.0, (name, elapsed, str(refused.value))  # unstopped, a bomb runs far longer
        assert peak.largest_child < worker.WORKER_MEMORY, (name, peak.largest_child // MB)
        assert sandbox.run("SELECT 42 AS n").frame.iloc[0, 0] == 42  # a fresh or the same worker answers next
    finally:
        sandbox.close()


def test_result_over_the_byte_cap_is_named(work):
    sandbox = guard.Sandbox(work, size=1)
    try:
        with pytest.raises(guard.QueryRefused, match=r"结果过大:超过 32 MB"):
            sandbox.run(BOMBS["result_over_the_byte_cap"])
    finally:
        sandbox.close()


@pytest.mark.parametrize("sql", ["SELECT list_resize([NULL], 20000) AS x FROM range(3000)",
                                 "SELECT list_resize([true], 20000, true) AS x, 1 AS x FROM range(5000)",
                                 # 700 columns of type NULL: no Arrow bytes at all, 1.1 GB of pandas in the app
                                 "SELECT " + ", ".join(f"c AS c{i}" for i in range(700))
                                 + " FROM (SELECT NULL AS c FROM range(200000))",
                                 # dates and decimals are Python objects in pandas: 5 × 200,000 dates are 4 MB of
                                 # Arrow and 40 MB of pandas; 2 × 200,000 decimals 6.4 MB and 45 MB
                                 "SELECT " + ", ".join(f"DATE '2020-01-01' + (i % 999)::INT AS d{i}" for i in range(5))
                                 + " FROM range(200000) r(i)",
                                 "SELECT (i / 7)::DECIMAL(18, 3) AS a, (i / 3)::DECIMAL(18, 3) AS b FROM range(200000) r(i)"])
def test_lists_count_at_their_size_as_text(work, sql):
    # Arrow holds a list of NULLs or booleans in almost nothing (3,000 × 20,000 NULLs: a few KB), and its JSON text
    # took the app process to 1.7 GB: the worker makes the text, and the byte cap counts it.
    sandbox = guard.Sandbox(work, size=1)
    try:
        with pytest.raises(guard.QueryRefused, match=r"结果过大:超过 32 MB"):
            sandbox.run(sql)
    finally:
        sandbox.close()


def test_concurrent_bombs_share_a_bounded_pool(work):
    """Four visitors at once on a pool of two: never more than two workers' memory, the rest wait or are told
    the explorer is busy; nothing runs past its deadline."""
    from concurrent.futures import ThreadPoolExecutor

    from bench.rss import PeakRss

    sandbox = guard.Sandbox(work, size=2)
    bombs = [BOMBS["nested_repeat"], BOMBS["cross_join"], BOMBS["string_agg"], BOMBS["recursive_endless"]]

    def attempt(sql):
        try:
            sandbox.run(sql, timeout=3)
        except guard.QueryRefused as exc:
            return str(exc)
        return "ran"

    try:
        start = time.perf_counter()
        with PeakRss(only=str(work)) as peak, ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(attempt, bombs))
        elapsed = time.perf_counter() - start
    finally:
        sandbox.close()
    assert all(re.search("内存超过上限|查询超时|查询繁忙", a) for a in answers), answers
    assert peak.total < 2 * worker.WORKER_MEMORY + 200 * MB, peak.total // MB  # two running, one starting
    assert elapsed < 2 * (3 + 2.0) + worker.BUSY_WAIT + 4  # two rounds, a wait, replacements starting


def test_a_visitor_waiting_for_a_busy_pool_is_told_in_chinese(work):
    import threading

    sandbox = guard.Sandbox(work, size=1)
    sandbox.run("SELECT 1")
    slow = threading.Thread(target=lambda: pytest.raises(guard.QueryRefused, sandbox.run, BOMBS["cross_join"],
                                                         timeout=worker.BUSY_WAIT + 2))
    try:
        slow.start()
        time.sleep(0.3)
        start = time.perf_counter()
        with pytest.raises(guard.QueryRefused, match="查询繁忙") as refused:
            sandbox.run("SELECT 1")
        assert time.perf_counter() - start < worker.BUSY_WAIT + 0.5
        assert refused.value.transient
        slow.join()
    finally:
        sandbox.close()


def test_result_cache_is_bounded_in_bytes():
    cache = guard.ResultCache(1000)
    for i in range(10):
        cache.put(i, f"answer {i}", 300)
    assert cache.nbytes <= 1000 and cache.get(9) == "answer 9" and cache.get(0) is None
    cache.get(7)  # recently used: kept
    cache.put("big", "too big", 600)  # over half the budget: not kept at all
    cache.put(10, "answer 10", 300)
    assert cache.get("big") is None and cache.get(7) == "answer 7" and cache.get(8) is None


EXOTIC = {  # types pandas, Excel or Parquet cannot hold as they come (an Arrow or pandas error before)
    "union": ("SELECT union_value(k := 'x') AS v", "x"),
    "interval": ("SELECT INTERVAL 1000000 YEAR AS v", "1000000 years"),
    "bit": ("SELECT '101'::BIT AS v", "101"),
    "bignum": ("SELECT 123456789012345678901234567890::BIGNUM AS v", "123456789012345678901234567890"),
    "uhugeint": ("SELECT 340282366920938463463374607431768211455::UHUGEINT AS v",
                 "340282366920938463463374607431768211455"),  # pandas showed -1
    "timetz": ("SELECT '12:00:00+08'::TIMETZ AS v", "12:00:00+08"),
    "infinite_date": ("SELECT 'infinity'::DATE AS v", "infinity"),
    "minus_infinite_timestamptz": ("SELECT '-infinity'::TIMESTAMPTZ AS v", "-infinity"),
    # beyond what Arrow prints: said in Chinese, not "<value out of range: 999999999999999999>"
    "far_timestamp": ("SELECT make_timestamp(999999999999999999) AS v", guard.OUT_OF_RANGE),
    "far_date": ("SELECT DATE '9999-12-31' + 100000000 AS v", guard.OUT_OF_RANGE),
    "nested": ("SELECT MAP {[1]: {'a': [MAP {'k': 1}]}} AS v", '{"[1]":{"a":[{"k":1}]}}'),  # JSON, made by the worker
    "nested_twice_named": ("SELECT [1, NULL] AS v, 2 AS v", "[1,null]"),
    "zoned_now": ("SELECT now() AS v", None),
}


@pytest.mark.parametrize("name", list(EXOTIC))
def test_every_type_reaches_the_table_and_the_downloads(sandbox, name):
    import io

    import pyarrow.parquet as pq

    from planwatch import downloads

    sql, shown = EXOTIC[name]
    result = sandbox.run(sql)
    if shown is not None:
        assert result.frame.iloc[0, 0] == shown
    assert downloads.csv_bytes(result.frame) and downloads.xlsx_bytes(result.frame)
    pq.write_table(result.table, io.BytesIO())


def test_a_database_the_worker_cannot_open_is_said_without_paths(tmp_path):
    sandbox = guard.Sandbox(tmp_path / "missing.duckdb", size=1)
    try:
        with pytest.raises(guard.QueryRefused, match="无法读取数据库") as refused:
            sandbox.run("SELECT 1")
        assert "/" not in str(refused.value) and "missing" not in str(refused.value)
    finally:
        sandbox.close()


@pytest.mark.parametrize("sql", ["SELECT * FROM range(100000000)",
                                 "SELECT a.*, b.reason AS r2 FROM v_status_detail a, v_status_detail b"])
def test_a_short_timeout_on_a_large_result_is_a_message_not_a_traceback(work, capsys, sql):
    code, out, err = _cli(capsys, sql, "--timeout", "1", "--db", str(work))
    assert "Traceback" not in err and "INTERRUPT" not in err
    assert (code == 0 and "只取前 200,000 行" in err) or (code == 2 and re.search(r"查询超时\(1秒\)|结果过大", err))



def test_a_worker_spills_only_into_its_own_folder_which_goes_with_it(work):
    sandbox = guard.Sandbox(work, size=1)
    sandbox.run("SELECT 1")
    spills = [w.spill for w in sandbox.pool._idle]
    assert spills and all(Path(s).is_dir() for s in spills)
    with pytest.raises(guard.QueryRefused, match=r"查询超时\(1秒\)"):  # a killed worker's folder goes at once
        sandbox.run("SELECT count(*) FROM range(10000000000) t(x) WHERE x % 7 = 3", timeout=1)
    assert not any(Path(s).exists() for s in spills)
    sandbox.close()


def test_a_long_chain_of_casts_is_checked_in_linear_time():
    # ::INT casts nest without parentheses (no "nesting too deep"); each was rendered whole to read its name:
    # 13 chains of 300 took 10 s of the app's CPU per check, three checks per page run
    import time
    sql = "SELECT " + ", ".join(["1" + "::INT" * 300] * 13)
    start = time.process_time()
    guard.check(sql)
    assert time.process_time() - start < 5  # a complexity bound, not a speed target


@pytest.mark.parametrize("sql", ["SELECT 1 AS a;\n-- 注释", "SELECT 1 AS a;;", "WITH t AS (SELECT 1 AS a) SELECT a FROM t;;"])
def test_a_trailing_empty_statement_or_comment_is_no_second_query(sql):
    # refused with "只允许查询语句…:不允许 SELECT": the empty statement after the ";" was taken for the query
    assert guard.check(sql).sql == sql
    with pytest.raises(guard.QueryRefused, match="不允许读取文件"):
        guard.check("SELECT * FROM read_csv('x');;")  # the one statement is the one checked
