"""What the reporting-round pages share: the online grid, status previews, upload boxes that clear, 修订记录."""
from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from planwatch import importer, login, ui

GRID_LABELS = {  # in the order shown: what to enter right after what it is compared with
    "indicator": st.column_config.TextColumn("指标", width="medium", disabled=True),
    "unit": st.column_config.TextColumn("单位", width=60, disabled=True),
    "baseline": st.column_config.TextColumn("基线(2020)", width=80, disabled=True),
    "last_values": st.column_config.TextColumn("往年数值", width=120, disabled=True),
    "target": st.column_config.TextColumn("目标", width=80, disabled=True),
    "reported": st.column_config.TextColumn("本年已报", width=100, disabled=True,
                                            help="最近一次提交的数值及其状态;改报请在“本年数值”填写新值"),
    "value_input": st.column_config.TextColumn("本年数值", width=80, max_chars=40),
    "reason": st.column_config.TextColumn("原因说明", max_chars=2000),
    "measures": st.column_config.TextColumn("整改措施", max_chars=2000),
    "note": st.column_config.TextColumn("备注", max_chars=500),
    "state": st.column_config.TextColumn("本年状态", width="small", disabled=True),
    "kind": st.column_config.TextColumn("填写", width="small", disabled=True),
}
GRID_HIDDEN = ("indicator_id", "role", "review_note", "submitted_by")


def grid_editor(grid: pd.DataFrame, key: str) -> pd.DataFrame:
    """The unit's indicators with the four columns a clerk fills (messages name a row as 第N行 and its indicator)."""
    shown = grid.copy()
    for column in ("value_input", "reason", "measures", "note"):
        shown[column] = shown[column].astype(object).where(shown[column].notna(), "")
    config = dict(GRID_LABELS) | {c: None for c in GRID_HIDDEN}
    return st.data_editor(shown, column_config=config, column_order=list(GRID_LABELS), num_rows="fixed",
                          hide_index=True, width="stretch", height=min(38 + 35 * len(shown), 520), key=key)


def problems(refused: importer.ImportRefused, title: str = "以下问题需要修改(数据库未改动):") -> None:
    st.error(f"**{title}** 共 {len(refused.problems)} 处")
    st.text("\n".join(refused.problems[:importer.MAX_PROBLEMS]))


def status_table(frame: pd.DataFrame) -> None:
    """Old → new values and statuses (review.preview_* output), changed statuses highlighted."""
    def shown(v):
        return "—" if v is None or v != v else (f"{v:g}" if isinstance(v, float) else str(v))
    table = pd.DataFrame({
        "指标": frame.get("name", frame["indicator_id"]), "年份": frame["year"],
        **({"单位": frame["unit"].fillna("")} if "unit" in frame else {}),  # a value in the wrong unit shows
        **({"原值": frame["old_value"].map(shown), "新值": frame["new_value"].map(shown)
            + frame.get("superseded_by", pd.Series(index=frame.index, dtype=object)).map(
                lambda n: "" if pd.isna(n) else f"(批次 {int(n)} 已更新,本值不计入)")}
           if "new_value" in frame else {}),
        # the counts a rate was reported with, for the reviewer to check against the value
        **({"分子": frame["numerator"].map(shown), "分母": frame["denominator"].map(shown)}
           if "numerator" in frame and frame["numerator"].notna().any() else {}),
        "原状态": frame["old_status"].fillna("—"), "新状态": frame["new_status"].fillna("—"),
        "新状态的原因": frame["new_reason"].fillna(""),
        **{label: frame[col].fillna("") for col, label in (("reason", "原因说明"), ("measures", "整改措施"),
                                                          ("note", "备注")) if col in frame}})
    st.dataframe(table.style.apply(lambda row: ["background-color: #FFE8B0" if row["原状态"] != row["新状态"] else ""]
                                   * len(row), axis=1), hide_index=True, width="stretch")


def uploader(label: str, name: str):
    """A file box that can be emptied after a confirmed import (a new key each time), so a rerun cannot import
    the same file twice. It takes what the server takes (.streamlit/config.toml maxUploadSize, 20 MB) and the
    importer refuses files over its 5 MB in Chinese, naming the size: at the box's own limit the browser says "File
    must be 5.0MB or smaller", in English and not to be reworded."""
    generation = st.session_state.get(f"{name}_generation", 0)
    # (.xls too: the importer says in Chinese to save it as .xlsx, where the box would refuse it in English)
    return st.file_uploader(f"{label}(xlsx、csv 或 txt,不超过 5 MB)", type=["xlsx", "csv", "txt", "xls"],
                            key=f"{name}_{generation}")


def clear_uploader(name: str) -> None:
    st.session_state[f"{name}_generation"] = st.session_state.get(f"{name}_generation", 0) + 1


def revisions(indicator_id: str) -> None:
    """修订记录 on the indicator page: every value entered for it, with who, when, review and the value replaced.
    Submissions not (yet) approved and the reviewers' notes are shown to the office (审核员, 管理员) only."""
    account = login.current()
    office = account is not None and (account.role == "admin" or account.role == "reviewer" and bool(
        ui.query("indicator_in_region", id=indicator_id, region=account.region).iloc[0, 0]))  # its region's only
    frame = ui.query("indicator_revisions", id=indicator_id, office=office)
    st.subheader("修订记录")
    if frame.empty:
        st.caption("该指标还没有审核通过的填报记录(示例数据不计)。")
        return
    st.caption("每次填报或导入的数值:提交人、时间、批次、审核结果,以及它替换的原值。只有审核通过的数值计入统计"
               + (";待审核和退回的提交及审核意见仅审核员和管理员可见。" if office else "。"))
    st.dataframe(ui.shown(frame), hide_index=True, width="stretch")


def printable(frame: pd.DataFrame, title: str) -> bytes:
    """A self-contained HTML page of a table, laid out for printing on A4 (the browser's 打印)."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape('' if v is None or v != v else str(v))}</td>" for v in row)
                   + "</tr>" for row in frame.itertuples(index=False))
    return (f"<!doctype html><html lang='zh-CN'><meta charset='utf-8'><title>{html.escape(title)}</title>"
            "<style>@page{size:A4 landscape;margin:15mm}body{font-family:sans-serif;font-size:11pt}"
            "table{border-collapse:collapse;width:100%}th,td{border:1px solid #555;padding:4px;vertical-align:top}"
            "th{background:#eee}</style>"
            f"<h2>{html.escape(title)}</h2><table><tr>{head}</tr>{body}</table></html>").encode("utf-8")
