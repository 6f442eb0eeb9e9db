"""Long tables a page at a time: the database sends one page of a named query's rows (LIMIT/OFFSET on its own
ORDER BY) and the total; downloads fetch every row only when their button is clicked.

    rows = paging.fetch("warnings_list", "warning_page", **params)   # this page's rows, rows.total, rows.start
    st.dataframe(rows.frame, ...)
    paging.control(rows)                                              # 第 1–200 条,共 152,340 条 + page buttons
    ui.download_buttons(paging.every_row("warnings_list", **params), name, sheet)

A page number lives in the session under a key that includes the parameters, so a change of filters starts again
at page 1. At national scale (2,850 regions) a list runs to hundreds of thousands of rows; a browser grid of that
size costs tens of megabytes and seconds to draw.
"""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from planwatch import db, ui

PAGE_SIZE = 200


@dataclass(frozen=True)
class Rows:
    frame: pd.DataFrame  # the rows of this page
    total: int  # rows in the whole list
    start: int  # offset of the first row of this page
    size: int  # rows per page
    key: str  # session key of the page number

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))


def _key(key: str, params: tuple) -> str:
    return f"{key}_{hashlib.sha1(repr(params).encode()).hexdigest()[:10]}"


def fetch(name: str, key: str, size: int = PAGE_SIZE, **params) -> Rows:
    """The page of queries/<name>.sql that the reader chose (page 1 at first and after the parameters changed)."""
    total = int(ui.query(name, count=True, **params).iloc[0, 0])
    state_key = _key(key, tuple(sorted(params.items())))
    pages = max(1, math.ceil(total / size))
    number = st.session_state.get(state_key, 1)
    if not isinstance(number, int) or not 1 <= number <= pages:  # the list became shorter (a write, a filter)
        st.session_state.pop(state_key, None)
        number = 1
    start = (number - 1) * size
    return Rows(ui.query(name, limit=size, offset=start, **params), total, start, size, state_key)


def control(rows: Rows) -> None:
    """Which rows are shown, of how many, and the page buttons (only when there is more than one page)."""
    if rows.pages == 1:
        return
    line = st.container(horizontal=True, vertical_alignment="center")
    line.caption(f"第 {rows.start + 1:,}–{rows.start + len(rows.frame):,} 条,共 {rows.total:,} 条"
                 f"(每页 {rows.size} 条,共 {rows.pages:,} 页;表头排序只在本页内)")
    line.pagination(rows.pages, key=rows.key, max_visible_pages=7)


def every_row(name: str, rename: dict | None = None, drop: tuple = (), **params):
    """A function returning every row of queries/<name>.sql (columns in `drop` left out, others renamed by
    `rename`), for a download button to call when clicked (on another thread: it holds the app's database, not
    Streamlit)."""
    database = ui.connection()
    return lambda: db.run_query(database, name, **params).drop(columns=list(drop)).rename(columns=rename or {})
