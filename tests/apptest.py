"""Running pages through app.py with Streamlit's AppTest, on one demo database per test session."""
from __future__ import annotations

import html
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd

from streamlit.testing.v1 import AppTest

from planwatch.paths import ROOT


def use_database(source: Path, workdir: Path) -> Path:
    """Point the app at a private copy of a built database (the app caches one connection per process)."""
    target = workdir / "app.duckdb"
    if not target.exists():
        shutil.copy(source, target)
    os.environ["PLANWATCH_DB"] = str(target)
    from planwatch import ui

    ui.connection.clear()  # the app caches one database per process: serve this copy, not an earlier module's
    return target


def use_database_with_accounts(source: Path, workdir: Path, logins: list[tuple], password: str = "password1") -> Path:
    """use_database, with accounts (name, role, region, unit) sharing one password, hashed at a low bcrypt cost."""
    import pytest

    from planwatch import accounts

    path = use_database(source, workdir)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts, "ROUNDS", 4)
        for name, role, region, unit in logins:
            accounts.add(path, name, password, role, region, unit)
    return path


def open_page(page: str | None = None, **query) -> AppTest:
    """Run app.py with the given URL parameters, then switch to pages/<page>.py and run it."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params.update(query)
    at.run()
    if page:
        at.switch_page(f"pages/{page}.py")
        at.run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    """Every piece of text the page shows (titles, markdown, captions, alerts), for assertions; Markdown's
    backslash escapes (ui.plain) removed, as the reader sees the text."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        parts += [str(e.value) for e in getattr(at, kind)]
    return unescape("\n".join(parts)) + "\n" + html_texts(at)


def html_texts(at: AppTest) -> str:
    """The text of the st.html elements (tags, style sheets and scripts removed, entities decoded), as the reader
    sees it."""
    return "\n".join(html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<(style|script)\b.*?</\1>", " ", e.proto.body,
                                                                   flags=re.S))) for e in at.get("html"))


def unescape(markdown: str) -> str:
    """Markdown's backslash escapes removed (what the reader sees of text escaped with ui.plain)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown.replace("  \n", "\n"))


class _Collector(HTMLParser):
    """Rows of the HTML tables (a cell with a link reads as its href) and bars (svg.stacked_bars) in st.html."""

    def __init__(self):
        super().__init__()
        self.tables, self.bars, self._cell, self._bar, self._in_label = [], [], None, None, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = ""
        elif tag == "a" and self._cell is not None:
            self._cell, self._href = None, attrs.get("href")
            self.tables[-1][-1].append(self._href)
        elif "pw-bars" in classes:
            self.bars.append([])
        elif "pw-bar-row" in classes:
            self._bar = {"label": "", "href": attrs.get("href"), "segments": []}
            self.bars[-1].append(self._bar)
        elif "pw-bar-label" in classes:
            self._in_label = True
        elif self._bar is not None and tag == "span" and attrs.get("title"):
            self._bar["segments"].append(attrs["title"])

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append(self._cell)
        if tag in ("td", "th"):
            self._cell = None
        if tag == "span":
            self._in_label = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data
        if self._in_label and self._bar is not None:
            self._bar["label"] += data


def _collect(bodies: list[str]) -> _Collector:
    collector = _Collector()
    for body in bodies:
        collector.feed(body)
    return collector


def _bodies(at: AppTest) -> list[str]:
    return [element.proto.body for element in at.main.get("html")]


def html_tables(at: AppTest) -> list[pd.DataFrame]:
    """The HTML tables of the main area (ui.static_table, ui.table_html) as frames of text; a cell holding a link
    (svg.link) reads as the link's URL."""
    return [pd.DataFrame(rows[1:], columns=rows[0]) for rows in _collect(_bodies(at)).tables if rows]


def html_bars(at: AppTest | str) -> list[list[dict]]:
    """The bars of each svg.stacked_bars chart of the main area (or of one HTML text), in order: label, href
    (None: no link) and the tooltips of its segments ("label:status n 项")."""
    return _collect([at] if isinstance(at, str) else _bodies(at)).bars


def metrics(at: AppTest) -> dict[str, str]:
    """label: figure of the figures on the page, st.metric's and ui.metrics' (HTML) alike."""
    found = {m.label: m.value for m in at.metric}
    for body in _bodies(at):
        for label, value in re.findall(r"<div class='pw-metric-label'><span>(.*?)</span>(?:<span[^>]*>ⓘ</span>)?</div>"
                                       r"<div class='pw-metric-value'[^>]*>(.*?)</div>", body):
            found[html.unescape(label)] = html.unescape(value)
    return found
