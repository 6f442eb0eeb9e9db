"""Long tables a page at a time: the database sends one page of a named query's rows (LIMIT/OFFSET on its own
ORDER BY) and the total; downloads fetch every row only when their button is clicked.

    rows = paging.fetch("warnings_list", "warning_page", **params)   # this page's rows, rows.total, rows.start
    st.dataframe(rows.frame, ...)
    paging.control(rows)                                              # 第 1–200 条,共 152,340 条 + page buttons
    ui.download_buttons(paging.every_row("warnings_list", **params), name, sheet)

A query may take its page itself, as the parameters $page_limit and $page_offset (NULL and 0: every row), and give
the length of the whole list in a column n_rows: it can then sort the rows by their keys alone and make the text of a
row (names, reasons, quotes) only for the page's rows, where a LIMIT after its ORDER BY would make it for every row
first, and it counts them in the same pass. fetch and every_row pass them to such a query.

The page number is in the URL (?warning_page=3: the list's key; a shared link opens that page) and in the session;
a change of the list's parameters (the filters) starts again at page 1, and so does a number the list does not
have (a hostile or stale link: page 1, no error). At national scale (2,850 regions) a list runs to hundreds of
thousands of rows; a browser grid of that size costs tens of megabytes and seconds to draw.
"""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from planwatch import db, integers, ui

PAGE_SIZE = 200


@dataclass(frozen=True)
class Rows:
    frame: pd.DataFrame  # the rows of this page
    total: int  # rows in the whole list
    start: int  # offset of the first row of this page
    size: int  # rows per page
    key: str  # session key and URL parameter of the page number

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))


MAX_PAGE = 1_000_000  # a larger number in a URL is no page of any list


def _chosen(key: str, params: dict) -> int:
    """The page the reader chose: from the session, or at first from the URL; 1 after the parameters changed."""
    scope = hashlib.sha1(repr(tuple(sorted(params.items()))).encode()).hexdigest()[:10]
    seen, st.session_state[f"{key}_scope"] = st.session_state.get(f"{key}_scope"), scope
    if seen is not None and seen != scope:
        return 1
    number = integers.whole_number(st.session_state.get(key) or st.query_params.get(key) or 1)
    return number if number is not None and 1 <= number <= MAX_PAGE else 1


def _pages_itself(name: str) -> bool:
    """queries/<name>.sql takes its page as $page_limit and $page_offset, and says the list's length (n_rows)."""
    return "$page_limit" in (db.QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")


def _own_page(name: str, size: int, number: int, params: dict) -> tuple[pd.DataFrame, int]:
    """Page `number` of a query that pages itself, and the number of rows in the whole list."""
    frame = ui.query(name, page_limit=size, page_offset=(number - 1) * size, **params)
    return frame.drop(columns="n_rows"), int(frame["n_rows"].iloc[0]) if len(frame) else 0


def fetch(name: str, key: str, size: int = PAGE_SIZE, total: int | None = None, **params) -> Rows:
    """The page of queries/<name>.sql that the reader chose (page 1 at first and after the parameters changed).
    `total`: the number of rows when the page knows it already (from its own counts), which saves counting them
    (a query that pages itself counts them as it chooses its page)."""
    number = _chosen(key, params)
    if _pages_itself(name):
        frame, total = _own_page(name, size, number, params)
        if frame.empty and number > 1:  # the list became shorter (a write, a filter)
            number = 1
            frame, total = _own_page(name, size, number, params)
    else:
        if total is None:
            total = int(ui.query(name, count=True, **params).iloc[0, 0])
        number = number if number <= max(1, math.ceil(total / size)) else 1  # the list may have become shorter
        frame = ui.query(name, limit=size, offset=(number - 1) * size, **params)
    if st.session_state.get(key, 1) != number:
        st.session_state[key] = number   # before the page buttons (bound to the URL's parameter) are drawn
    return Rows(frame, total, (number - 1) * size, size, key)


def control(rows: Rows) -> None:
    """Which rows are shown, of how many, and the page buttons (only when there is more than one page)."""
    if rows.pages == 1:
        return
    line = st.container(horizontal=True, vertical_alignment="center")
    line.caption(f"第 {rows.start + 1:,}–{rows.start + len(rows.frame):,} 条,共 {rows.total:,} 条"
                 f"(每页 {rows.size} 条,共 {rows.pages:,} 页;表头排序只在本页内)")
    line.pagination(rows.pages, key=rows.key, max_visible_pages=7, bind="query-params")


def every_row(name: str, rename: dict | None = None, drop: tuple = (), **params):
    """A function returning every row of queries/<name>.sql (columns in `drop` left out, others renamed by
    `rename`), for a download button to call when clicked (on another thread: it holds the app's database, not
    Streamlit)."""
    database = ui.connection()
    every = {"page_limit": None, "page_offset": 0} if _pages_itself(name) else {}
    return lambda: (db.run_query(database, name, **every, **params)
                    .drop(columns=[*drop, *(["n_rows"] if every else [])]).rename(columns=rename or {}))
