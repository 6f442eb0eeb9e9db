"""The sidebar menu per role (planwatch/navigation.py) through app.py with AppTest: each visitor sees the pages of
their role, in Chinese; the URL of a page they may not use shows the login form, never "Page not found".
(The browser test checks the same menus for "View N more" and the fold at 1280×720.)"""
from __future__ import annotations

import re

import pytest
from apptest import open_page, texts, unescape, use_database_with_accounts
from streamlit.testing.v1 import AppTest

from planwatch import accounts, login
from planwatch.paths import ROOT, default_db

READING = ["overview", "warnings", "domains", "regions", "units", "indicator",  # 监测
           "explorer", "reports", "catalogue", "method"]  # 分析与说明
MENUS = {
    None: READING + ["login"],
    "filler": READING + ["unit_entry", "progress"],
    "reviewer": READING + ["review", "progress"],
    "admin": READING + ["review", "data_entry", "plan_import", "round_admin", "accounts", "progress"],
}


@pytest.fixture(scope="module", autouse=True)
def app_db(demo_db, tmp_path_factory):
    return use_database_with_accounts(demo_db, tmp_path_factory.mktemp("nav_app"), [
        ("filler", "filler", "张家港市", "市卫健委"), ("reviewer", "reviewer", "张家港市", None),
        ("admin", "admin", None, None)])


def _log_in(name: str):
    at = open_page("login")
    at.text_input[0].input(name)
    at.text_input[1].input("password1")
    at.button[0].click().run()
    assert not at.exception, at.exception
    return at


def _menu_html(at) -> str:
    """The sidebar menu's HTML (navigation.menu_html). AppTest shows app.py's sidebar only on a run without
    switch_page, so menus are read on the default page or after a click on a link (at.switch_page)."""
    [menu] = [e.proto.body for e in at.sidebar.get("html") if e.proto.body.startswith("<nav class='pw-menu'>")]
    return menu


def _menu(at) -> list[str]:
    """The menu's pages by url_path (总览, the default page, links to "./")."""
    return [href.removeprefix("./") or "overview" for href in re.findall(r"<a href='([^']*)'", _menu_html(at))]


def _current(at) -> list[str]:
    """The titles of the pages marked as the current one."""
    return re.findall(r"aria-current='page'>([^<]*)</a>", _menu_html(at))


def _home(account: str | None = None):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    if account:
        # as after a login (the login form is tested below): the name, and its password's fingerprint
        at.session_state[login._SESSION] = account
        at.session_state[login._CREDENTIAL] = accounts.credential(default_db(), account)
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_visitor_sees_the_reading_pages_and_the_login_entry(app_db):
    at = _home()
    assert _menu(at) == MENUS[None]
    assert re.findall(r"<p>([^<]*)</p>", _menu_html(at)) == ["监测", "分析与说明", "填报与管理"]
    assert re.findall(r">([^<]*)</a>", _menu_html(at))[-1] == "登录"
    assert _current(at) == ["总览"]
    at = open_page("login")
    assert at.title[0].value == "填报与管理"
    assert [link.proto.page for link in at.main.get("page_link")] == ["progress"]  # public, without a login
    assert [t.label for t in at.text_input] == ["用户名", "密码"]


@pytest.mark.parametrize("role", ["filler", "reviewer", "admin"])
def test_a_logged_in_account_sees_the_pages_of_its_role(app_db, role):
    assert _menu(_home(role)) == MENUS[role]
    at = _log_in(role)  # the entry page: the account, 退出登录 and the role's pages
    assert f"当前账号:{role}({accounts.ROLES[role]})" in [t.value for t in at.text]
    assert [link.proto.page for link in at.main.get("page_link")] == [p for p in MENUS[role] if p not in READING]
    at.button(key="logout").click().run()
    assert [t.label for t in at.text_input] == ["用户名", "密码"]


@pytest.mark.parametrize("page", ["unit_entry", "review", "data_entry", "plan_import", "round_admin", "accounts"])
def test_a_page_the_visitor_may_not_use_shows_the_login(app_db, page):
    at = open_page(page)
    assert [t.label for t in at.text_input] == ["用户名", "密码"], page
    assert "Page not found" not in texts(at)


def test_a_page_of_another_role_says_whose_it_is(app_db):
    at = _log_in("filler")
    at.switch_page("pages/accounts.py").run()
    assert "当前账号是填报员,本页只供管理员使用。" in texts(at)


@pytest.mark.parametrize("current, title", [("", "总览"), ("overview", "总览"), ("warnings", "预警清单"),
                                            ("method", "方法说明"), ("login", "登录")])
def test_the_menu_marks_the_current_page_and_its_links_carry_no_filters(current, title):
    """The page shown (st.navigation's url_path: "" for the default page) is marked; a menu link has no query
    string, so the session keeps its filters (ui.filters)."""
    from planwatch import navigation

    menu = navigation.menu_html(None, current)
    assert re.findall(r"aria-current='page'>([^<]*)</a>", menu) == [title]
    hrefs = re.findall(r"href='([^']*)'", menu)
    assert hrefs == ["./"] + [f"./{p}" for p in MENUS[None][1:]]
    assert navigation.menu_html("admin", "accounts").count("aria-current") == 1


def test_the_sidebar_says_which_filters_are_in_force_and_folds_their_widgets(app_db):
    """ui.filters: the filters in force as text (the region as its chain), their selectboxes in the 更改筛选 popover."""
    at = open_page(None, year="2023", group="儿童", region="330300")
    [summary] = [m.value for m in at.sidebar.markdown if m.value.startswith("规划类别")]
    assert unescape(summary).split("\n") == ["规划类别:儿童", "地区:浙江省 › 温州市", "领域:全部", "责任单位:全部",
                                             "截至年份:2023年"]
    [panel] = at.sidebar.get("popover")
    assert panel.proto.popover.label == "更改筛选"
    assert {s.key for s in panel.selectbox} == {"filter_group", "filter_region_1", "filter_region_2", "filter_region_3",
                                               "filter_domain", "filter_unit", "filter_year"}  # 温州市 and its counties
    assert at.sidebar.selectbox(key="filter_year").value == 2023
