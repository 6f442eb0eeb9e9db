"""The pages, and the sidebar menu each visitor sees: the pages of their role, in Chinese, never folded.

Every page is registered with st.navigation (so every URL works, and a page link from any page does), but
Streamlit's own menu is hidden: with 17 pages it folds behind an English "View 6 more" (its frontend collapses
a sidebar menu of more than twelve pages), and unfolded it pushes the filters below the fold at 1280×720.
`menu()` draws the menu instead, from the login state (planwatch/login.py):

- a visitor: 监测 and 分析与说明 (ten pages anyone may read) and 登录, the entry to 填报与管理;
- a logged-in account: the same ten pages and, instead of 登录, the pages of its role (ROLE_PAGES).

Access is still checked by each page (login.require), so the URL of a page the visitor may not use shows the
login form (or says which role may use it), never "Page not found".
"""
from __future__ import annotations

import html
from dataclasses import dataclass

import streamlit as st

from planwatch import accounts, login

WORK = "填报与管理"


@dataclass(frozen=True)
class PageSpec:
    script: str
    title: str
    icon: str
    url_path: str
    section: str
    roles: frozenset[str] = frozenset()  # who sees it in the menu when logged in (WORK pages only)


def _p(name: str, title: str, icon: str, section: str, roles: str = "") -> PageSpec:
    return PageSpec(f"pages/{name}.py", title, f":material/{icon}:", name, section, frozenset(roles.split()))


PAGES = [
    _p("overview", "总览", "dashboard", "监测"),
    _p("warnings", "预警清单", "warning", "监测"),
    _p("domains", "领域", "category", "监测"),
    _p("regions", "地区", "map", "监测"),
    _p("units", "责任单位", "account_balance", "监测"),
    _p("indicator", "指标详情", "monitoring", "监测"),
    _p("explorer", "数据探索", "query_stats", "分析与说明"),
    _p("reports", "年度报告", "summarize", "分析与说明"),
    _p("catalogue", "规划指标目录", "menu_book", "分析与说明"),
    _p("method", "方法说明", "functions", "分析与说明"),
    _p("login", "登录", "login", WORK),  # the visitor's entry: the login form, then the role's pages
    _p("unit_entry", "单位填报", "edit_note", WORK, "filler"),
    _p("review", "审核", "fact_check", WORK, "reviewer admin"),
    _p("data_entry", "数据填报", "upload_file", WORK, "importer admin"),
    _p("plan_import", "规划导入", "post_add", WORK, "importer admin"),
    _p("round_admin", "监测管理", "admin_panel_settings", WORK, "admin"),
    _p("accounts", "账号管理", "manage_accounts", WORK, "admin"),
    _p("progress", "报送进度", "checklist", WORK, "filler reviewer importer admin"),  # public, listed for staff
]
DEFAULT = "overview"


def st_pages() -> list[st.Page]:
    """Every page for st.navigation (the default page first)."""
    return [st.Page(p.script, title=p.title, icon=p.icon, url_path=p.url_path, default=p.url_path == DEFAULT)
            for p in PAGES]


def role_pages(role: str | None) -> list[PageSpec]:
    """The pages listed for a role (None: a visitor who is not logged in), in menu order."""
    if role is None:
        return [p for p in PAGES if p.section != WORK or p.url_path == "login"]
    return [p for p in PAGES if p.section != WORK or role in p.roles]


def current_role() -> str | None:
    """The logged-in account's role, None for a visitor (or when the accounts file cannot be read: the page
    itself says so when it needs an account)."""
    try:
        account = login.current()
    except accounts.AccountError:
        return None
    return account.role if account else None


def menu(role: str | None, current: str) -> None:
    """The sidebar menu (the page whose url_path is `current` marked); see menu_html."""
    st.sidebar.html(menu_html(role, current))


def menu_html(role: str | None, current: str) -> str:
    """The menu as one block of HTML: a small heading per section and a link per page, the current page marked
    (aria-current). A st.page_link per page cost a new visitor about a quarter of a blank page's load more than this
    (bench/element_cost.py, menu_page_links against menu); these links open their page in the same session (the
    click handler in ui.PAGE_SETUP), without query string, so the session keeps its filters (ui.filters)."""
    parts, section = [], None
    for spec in role_pages(role):
        if spec.section != section:
            section = spec.section
            parts.append(f"<p>{html.escape(section)}</p>")
        href = "./" if spec.url_path == DEFAULT else f"./{spec.url_path}"  # the default page is served at "/"
        marked = " aria-current='page'" if spec.url_path == (current or DEFAULT) else ""
        parts.append(f"<a href='{href}'{marked}>{html.escape(spec.title)}</a>")
    return f"<nav class='pw-menu'>{''.join(parts)}</nav>"
