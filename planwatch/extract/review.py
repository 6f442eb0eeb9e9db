"""What the 规划导入 page needs besides drawing: the login gate, the draft table, the source view, adding a row
from a sentence, and refreshing the app after publishing."""
from __future__ import annotations

import hashlib
import html

import pandas as pd
import streamlit as st

from planwatch import catalogue, login
from planwatch.extract import COLUMNS, read_lines
from planwatch.extract.bounded import extract_bounded
from planwatch.extract.targets import find_targets
from planwatch.paths import DATA_DIR

CONTEXT = 3   # lines shown before and after the highlighted one


def require_admin() -> str:
    """The signed-in user allowed to publish plans (an administrator or office importer), or stop the page with
    the login form (planwatch/login.py)."""
    return login.require({"admin", "importer"}, note="规划导入需要管理员或导入员账号登录。").name


def load_document(data: bytes, name: str) -> dict:
    """Read and extract once per file (kept in the session): {key, name, lines, draft}."""
    key = hashlib.sha256(data).hexdigest()[:16]
    doc = st.session_state.get("import_doc")
    if doc is None or doc["key"] != key:
        lines = read_lines(data, name)
        doc = {"key": key, "name": name, "lines": lines, "version": 0,
               "draft": pd.DataFrame(extract_bounded(lines, name), columns=COLUMNS)}
        st.session_state["import_doc"] = doc
    return doc


def replace_draft(doc: dict, frame: pd.DataFrame) -> None:
    """A new base for the editable table (after adding a row): the editor starts again from it."""
    doc["draft"] = frame.reset_index(drop=True)
    doc["version"] += 1


def _line(value) -> int | None:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def row_labels(draft: pd.DataFrame) -> list[tuple[str, int, int]]:
    """(label, line, name line) of every draft row with a line, for choosing the row whose source is shown."""
    return [(f"第{no}行 {r['name'] or '(未命名)'} {r['target_value'] or ''}".strip(), no, _line(r["name_line"]) or no)
            for r in draft.astype(object).fillna("").to_dict("records") if (no := _line(r["source_line"]))]


def rows_in_range(draft: pd.DataFrame, first: int, last: int) -> list[dict]:
    """The reviewed rows of one plan: those whose line lies in [first, last] (a file may hold two plans), and rows
    added without a line, which publishing then refuses by name."""
    return [r for r in draft.to_dict("records") if (no := _line(r.get("source_line"))) is None or first <= no <= last]


def rows_from_sentence(lines: list[str], line_no: int, sentence: str, default_year: int) -> list[dict]:
    """Candidate rows for a sentence the reviewer copied from line line_no; one blank row when it has no target."""
    if not 0 < line_no <= len(lines) or not sentence or sentence not in lines[line_no - 1]:
        raise ValueError(f"第{line_no}行中没有这句话:请从右侧原文逐字复制")
    hits = find_targets(sentence, default_year) or [{"name": "", "unit": "", "target_op": "qualitative",
                                                     "target_value": "", "target_text": sentence[:60],
                                                     "target_year": default_year, "quote": sentence[:60],
                                                     "responsible_units": "", "confidence": 1.0}]
    return [{c: "" for c in COLUMNS} | h | {"is_key": 0, "source_line": line_no, "name_line": line_no,
                                             "note": "人工添加"} for h in hits]


def source_view(lines: list[str], line_no: int, name_line: int | None = None) -> str:
    """HTML of the lines around line_no with that line highlighted, and a key-table row's name cell shaded
    (text escaped: it is the uploaded document)."""
    name_line = name_line or line_no
    lo, hi = max(1, min(line_no, name_line) - CONTEXT), min(len(lines), max(line_no, name_line) + CONTEXT)
    parts = []
    for no in range(lo, hi + 1):
        text = html.escape(lines[no - 1]) or "&nbsp;"
        style = ("background:#FFF3B0;font-weight:600;" if no == line_no else
                 "background:#F3F0E0;" if no == name_line else "color:#555;")
        parts.append(f'<div style="{style}padding:2px 6px;"><span style="color:#999;">{no}</span> {text}</div>')
    return '<div style="font-size:0.9rem;line-height:1.5;">' + "".join(parts) + "</div>"


def domains() -> list[str]:
    return [d["domain"] for d in catalogue.read_csv(DATA_DIR / "domains.csv")]


def canonical_ids() -> list[str]:
    return [""] + [c["canonical_id"] for c in catalogue.read_csv(DATA_DIR / "canonical_indicators.csv")]

