"""Running pages through app.py with Streamlit's AppTest, on one demo database per test session."""
from __future__ import annotations

import html
import os
import re
import shutil
from pathlib import Path

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
    """The text of the st.html elements (tags removed, entities decoded), as the reader sees it."""
    return "\n".join(html.unescape(re.sub(r"<(style|script)\b.*?</\1>|<[^>]+>", " ", e.proto.body, flags=re.S))
                     for e in at.get("html"))


def unescape(markdown: str) -> str:
    """Markdown's backslash escapes removed (what the reader sees of text escaped with ui.plain)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown.replace("  \n", "\n"))


def html_tables(at: AppTest) -> list:
    """The tables the page draws as HTML (ui.static_table), in order, as DataFrames of the text the reader sees;
    a cell holding a link gives the link's address (so that tests read where 查看 → leads). Numeric columns as
    numbers."""
    import io

    import pandas as pd

    frames = []
    for element in at.get("html"):
        if "pw-table" not in element.proto.body:
            continue
        [frame] = pd.read_html(io.StringIO(element.proto.body), extract_links="body", keep_default_na=False)
        frame = frame.map(lambda cell: cell[1] if cell[1] is not None else cell[0])
        for column in frame.columns:
            try:
                frame[column] = pd.to_numeric(frame[column])
            except (ValueError, TypeError):
                pass
        frames.append(frame)
    return frames
