"""The reporting-round pages through app.py (AppTest): 监测管理 opens a round and assigns a unit, 单位填报 shows the
unit's indicators and its submissions, 审核 returns and approves, 报送进度 counts as v_reporting_progress, and the
indicator page's 修订记录. Edits in st.data_editor and file uploads cannot be simulated here: the grid's functions
are tested in test_round.py and the whole round in the browser (test_browser.py)."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from apptest import html_tables, metrics, open_page, texts, use_database_with_accounts
from conftest import one

from planwatch import accounts, importer, review, round_ui
from planwatch import db as db_mod
from planwatch import round as round_mod

INFANT = "zhangjiagang-children-k02"
LIFE = "zhangjiagang-women-k01"


@pytest.fixture(scope="module", autouse=True)
def app_db(demo_db, tmp_path_factory):
    return use_database_with_accounts(demo_db, tmp_path_factory.mktemp("round_app"), [
        ("wj", "filler", "张家港市", "市卫健委"), ("tj", "reviewer", "张家港市", None), ("admin", "admin", None, None)])


def login(page: str, name: str, **query):
    at = open_page(page, **query)
    at.text_input[0].input(name)
    at.text_input[1].input("password1")
    at.button[0].click().run()
    assert not at.exception, at.exception
    return at


def submit(db, lines: list[tuple]) -> int:
    """A 填报员's submission of (indicator_id, year, value) rows, as the page's 提交 stores it."""
    data = "indicator_id,year,value\n" + "".join(f"{i},{y},{v}\n" for i, y, v in lines)
    with db_mod.open_reader(db) as reader:
        checked = importer.check(reader.cursor(), data.encode(), "page.csv")
        return round_mod.store(reader.cursor(), db, checked, accounts.get(db, "wj"))


def test_a_filler_waits_for_a_round_and_may_not_review(app_db):
    at = login("unit_entry", "wj")
    assert "尚未开启年度监测" in texts(at)
    at = login("review", "wj")
    assert "当前账号是填报员,本页只供管理员、审核员使用" in texts(at)


def test_admin_opens_a_round_and_assigns_a_unit(app_db):
    at = login("round_admin", "admin")
    at.number_input[0].set_value(2025)
    at.date_input[0].set_value(dt.date(2026, 3, 31))
    [b for b in at.button if b.label == "开启年度监测"][0].click().run()
    assert "已开启 2025 年度监测,截止日期 2026-03-31" in texts(at)
    assert one(app_db, "SELECT deadline, opened_by FROM reporting_round WHERE year = 2025") == (dt.date(2026, 3, 31),
                                                                                               "admin")
    box = [s for s in at.selectbox if s.label == "指标"][0]
    box.set_value("xianyang-women-t01")
    [t for t in at.text_input if t.label.startswith("责任单位")][0].input("市卫健委")
    [t for t in at.text_input if t.label.startswith("指定依据")][0].input("2025年第1次主任会议")
    [b for b in at.button if b.label == "指定"][0].click().run()
    assert "已指定 市卫健委" in texts(at)
    assert one(app_db, "SELECT unit_id, decided_by, basis FROM unit_assignment") == (
        "610400:市卫健委", "admin", "2025年第1次主任会议")
    assert one(app_db, "SELECT responsible_units FROM v_indicator WHERE indicator_id = 'xianyang-women-t01'") == (
        "市卫健委",)


def test_filler_sees_the_units_indicators_and_submissions(app_db):
    n_due = one(app_db, "SELECT n_due FROM v_reporting_progress WHERE unit_id = '320582:市卫健委' AND year = 2025")[0]
    batch = submit(app_db, [(INFANT, 2025, 2.0)])
    at = login("unit_entry", "wj")
    shown = texts(at)
    assert "张家港市 · 市卫健委 · 报送 2025 年数值 · 截止日期 2026-03-31" in shown
    n_all = one(app_db, "SELECT count(*) FROM _unit_scope WHERE unit_id = '320582:市卫健委'")[0]
    assert f"本单位可填报 {n_all} 项指标,其中牵头(应报){n_due} 项" in shown
    assert [t.label for t in at.tabs] == ["① 在线填报", "② 模板上传", "③ 本单位提交记录"]
    history = at.dataframe[-1].value
    assert list(history["批次"])[0] == batch and list(history["状态"])[0] == "待审核"
    # the grid shows what was sent beside the box (a review found it blank for every submitted or approved value)
    grid = at.dataframe[0].value.set_index("indicator_id")
    assert (grid.loc[INFANT, "reported"], grid.loc[INFANT, "state"]) == ("2(待审核)", "待审核")
    # a check's preview names the indicator and gives the value counted now beside the new one (it listed ids)
    with db_mod.open_reader(app_db) as reader:
        preview = review.preview_rows(reader.cursor(), pd.DataFrame(
            {"indicator_id": [INFANT], "year": [2025], "value": [2.5], "value_text": [None]}))
    assert preview[["name", "old_value", "new_value"]].values.tolist() == [["婴儿死亡率", None, "2.5"]]


def test_reviewer_returns_one_and_approves_another(app_db):
    returned = submit(app_db, [(LIFE, 2025, 87.0)])
    at = login("review", "tj")
    box = [s for s in at.selectbox if s.label == "选择提交"][0]
    box.set_value(returned).run()
    with db_mod.open_reader(app_db) as reader:
        preview = review.preview_batch(reader.cursor(), returned)
    assert f"通过后:1 项数值计入,其中 {(preview['old_status'] != preview['new_status']).sum()} 项指标状态改变" in texts(at)
    assert {"单位", "原值", "新值", "备注"} <= set(at.dataframe[0].value.columns)  # a value in the wrong unit shows
    at.text_area[0].input("请附统计年鉴出处")
    [b for b in at.button if b.label == "退回"][0].click().run()
    assert f"批次 {returned} 已退回:请附统计年鉴出处" in texts(at)
    assert one(app_db, "SELECT status, reviewed_by FROM import_batch WHERE batch_id = ?", [returned]) == ("已退回", "tj")
    first = one(app_db, "SELECT min(batch_id) FROM import_batch WHERE status = '待审核'")[0]
    [s for s in at.selectbox if s.label == "选择提交"][0].set_value(first).run()
    assert at.text_area[0].value == ""  # the reason written for the returned batch is not carried over
    [b for b in at.button if b.label == "审核通过"][0].click().run()
    assert f"批次 {first} 已通过" in texts(at)
    assert one(app_db, "SELECT review_note FROM import_batch WHERE batch_id = ?", [first]) in ((None,), ("",))
    assert one(app_db, "SELECT value FROM v_observation WHERE indicator_id = ? AND year = 2025", [INFANT]) == (2.0,)


def test_progress_board_counts_as_the_view(app_db):
    at = open_page("progress")
    totals = one(app_db, "SELECT sum(n_due), sum(n_submitted), sum(n_approved), sum(n_returned), sum(n_missing) "
                         "FROM v_reporting_progress WHERE year = 2025")
    figures = metrics(at)  # drawn as HTML (ui.metrics), no st.metric
    assert not at.metric and list(figures) == ["应报", "已提交", "已通过", "待审核", "退回", "未报", "逾期单位"]
    assert [int(figures[k].replace(",", "")) for k in ("应报", "已提交", "已通过", "退回", "未报")] == [
        int(v) for v in totals]
    board = at.dataframe[0].value
    health = board[board["责任单位"] == "市卫健委"].iloc[0]
    assert (health["已通过"], health["退回"]) == (1, 1)
    # the whole board in the popover (CSV, Excel), then the 催报清单's two
    assert [d.label for d in at.get("download_button")] == ["下载 CSV", "下载 Excel", "下载催报清单(xlsx)",
                                                             "打印版(网页,浏览器中打印)"]
    assert [p.proto.popover.label for p in at.main.get("popover")] == [f"下载报送进度(全部 {len(board):,} 个单位)"]
    reminders = at.dataframe[1].value
    owed = reminders[reminders["责任单位"] == "市卫健委"].iloc[0]
    assert "妇女人均预期寿命(已退回:请附统计年鉴出处)" in owed["欠报指标"]
    # the files (the print page, Excel) hold the query's rows: the deadline a day, not "2026-03-31 00:00:00"
    with db_mod.open_reader(app_db) as reader:
        every = db_mod.run_query(reader.cursor(), "round_reminders", year=2025, region=None)
    page = round_ui.printable(every, "催报清单").decode()
    assert "<td>2026-03-31</td>" in page and "00:00:00" not in page
    # two items of one unit under one name (化妆品抽查合格率: a key-table row and a text target) are told apart
    for items in reminders["欠报指标"]:
        labels = items.split(";")
        assert len(labels) == len(set(labels)), labels
    assert any("〔zhangjiagang-women-" in items for items in reminders["欠报指标"])
    # a province covers its counties' units (江苏省: 张家港市's)
    at = open_page("progress", region="320000")
    totals = one(app_db, "SELECT sum(n_due), sum(n_submitted), sum(n_approved), sum(n_returned), sum(n_missing) "
                         "FROM v_reporting_progress WHERE year = 2025 AND region = '张家港市'")
    figures = metrics(at)
    assert [int(figures[k].replace(",", "")) for k in ("应报", "已提交", "已通过", "退回", "未报")] == [
        int(v) for v in totals]
    assert set(at.dataframe[0].value["地区"]) == {"张家港市"}


def test_indicator_page_shows_revisions(app_db):
    at = open_page("indicator", id=INFANT, year="2025")
    assert "修订记录" in [s.value for s in at.subheader]
    history = at.dataframe[-1].value
    assert list(history["审核结果"]) == ["已通过"] and list(history["提交人"]) == ["wj"]


def test_revisions_not_approved_are_for_the_office_only(app_db):
    # 妇女人均预期寿命's only submission was returned with a reason: a visitor sees no value and no reviewer's note,
    # a 审核员 sees the returned batch and why (a review found both open to anyone).
    at = open_page("indicator", id=LIFE, year="2025")
    assert "该指标还没有审核通过的填报记录(示例数据不计)。" in [c.value for c in at.caption]
    assert "请附统计年鉴出处" not in str([d.value.to_csv() for d in at.dataframe])
    at = login("review", "tj")
    at.query_params.update(id=LIFE, year="2025")
    at.switch_page("pages/indicator.py").run()
    history = at.dataframe[-1].value
    assert list(history["审核结果"]) == ["已退回"] and list(history["审核意见"]) == ["请附统计年鉴出处"]
    assert list(history["数值"]) == ["87"] and list(history["原值"]) == ["—"]  # not "87.0" and "None"
    # a reviewer of another region is a visitor here; values print as entered, to four decimals
    accounts.add(app_db, "py", "password1", "reviewer", "平阳县")
    at = login("review", "py")
    at.query_params.update(id=LIFE, year="2025")
    at.switch_page("pages/indicator.py").run()
    assert "该指标还没有审核通过的填报记录(示例数据不计)。" in [c.value for c in at.caption]
    assert one(app_db, "SELECT pw_as_entered(2.341), pw_as_entered(30.0), pw_as_entered(NULL)") == ("2.341", "30", None)


def test_units_page_shows_timeliness(app_db):
    at = open_page("units", year="2025", region="张家港市")
    card = html_tables(at)[0]
    assert "报送及时率" in card.columns
    assert card.loc[card["责任单位"] == "市卫健委", "报送及时率"].iloc[0] == "0%"  # submitted after the deadline


def test_admin_closes_the_round_after_a_confirmation(app_db):
    at = login("round_admin", "admin")
    missing, returned, pending = one(app_db, "SELECT sum(n_missing), sum(n_returned), sum(n_pending) "
                                             "FROM v_reporting_progress WHERE year = 2025")
    assert returned == 1  # 妇女人均预期寿命, returned above
    assert f"按报送进度,全部地区目前仍有:未报 {missing:,} 项、退回 1 项、待审核 {pending:,} 项。" in texts(at)
    close = [b for b in at.button if b.label == "结束报送"][0]
    assert close.disabled  # until confirmed
    [c for c in at.checkbox if c.label == "确认结束 2025 年度报送"][0].check().run()
    [b for b in at.button if b.label == "结束报送"][0].click().run()
    assert not at.exception, at.exception
    assert f"已结束 2025 年度报送(结束时:未报 {missing:,} 项、退回 1 项、待审核 {pending:,} 项)。" in texts(at)
    assert one(app_db, "SELECT closed_by FROM reporting_round WHERE year = 2025") == ("admin",)
    assert list(at.dataframe[0].value["结束人"]) == ["admin"]
    assert "结束报送" not in [b.label for b in at.button]  # no open round left to close


def test_filler_and_board_see_the_closed_round(app_db):
    closed = one(app_db, "SELECT closed_at FROM reporting_round WHERE year = 2025")[0]
    at = login("unit_entry", "wj")
    assert at.selectbox[0].options == ["2025年度监测(已结束)"]
    shown = texts(at)
    assert f"2025 年度报送已于 {closed:%Y-%m-%d %H:%M} 结束,如需补报请联系工委办公室" in shown
    assert "本年度报送已结束,下表仅供查看" in shown
    assert "请修改后重新提交" not in shown  # the returned value can no longer be corrected by the unit
    entry = [b for b in at.button if b.label in ("保存草稿", "提交审核")]
    assert len(entry) == 2 and all(b.disabled for b in entry)
    at = open_page("progress")
    assert f"本年度报送已结束({closed:%Y-%m-%d %H:%M})" in texts(at)
    labels = list(metrics(at))
    assert "未报齐单位" in labels and "逾期单位" not in labels
    board = at.dataframe[0].value
    assert board.loc[board["责任单位"] == "市卫健委", "报送情况"].iloc[0] == "未报齐"
    assert "逾期" not in set(board["报送情况"])


def test_upload_boxes_leave_the_size_refusal_to_the_importer(app_db):
    # at its own limit the browser's file box refuses in English ("File must be 5.0MB or smaller"): it takes more,
    # and the importer's own Chinese refusal names the size
    from planwatch import upload_read
    from planwatch.extract import reading
    at = login("unit_entry", "wj")
    [box] = at.get("file_uploader")
    assert box.proto.max_upload_size_mb * 2**20 > upload_read.MAX_BYTES
    # …and the server takes a plan document of the reader's largest size (规划导入 says it in Chinese too)
    assert box.proto.max_upload_size_mb * 2**20 == reading.MAX_BYTES
    assert ".xls" in box.proto.type  # an old workbook reaches the importer's Chinese "另存为 xlsx", not the box's English
    with pytest.raises(importer.ImportRefused, match=r"文件大小 6.0MB,超过 5MB 上限"):
        upload_read.read(b"x" * (6 * 2**20), "big.csv")
