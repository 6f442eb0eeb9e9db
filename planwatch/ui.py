"""What every page shares: the cached connection, named queries, the sidebar filters kept in the URL, labels."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from planwatch import build, db
from planwatch.paths import default_db

GROUPS = ("妇女", "儿童")
ALL = "全部"  # the "no filter" choice (a selectbox cannot hold None as a chosen value)


@st.cache_resource(show_spinner="首次启动:正在从 data/ 构建数据库……")
def connection() -> db.Database:
    """One read-only view of the database per process (pages query through cursors); built on first start.
    It reopens by itself when a writer (this app, another app process, the command line) replaced the file."""
    path = default_db()
    build.ensure(path)
    return db.Database(path)


def data_version() -> tuple:
    """The identity of the database file being served: part of every cached query's key, so any write (from
    this process or another) shows on the next page run."""
    return connection().version


@st.cache_data(show_spinner=False, max_entries=512)
def _run(name: str, params: tuple, version: tuple) -> pd.DataFrame:
    return connection().cursor().execute(db.query_text(name), dict(params)).df()


def query(name: str, **params) -> pd.DataFrame:
    """Run queries/<name>.sql with named parameters ($name in the SQL); results are cached per data version."""
    return _run(name, tuple(sorted(params.items())), data_version())


@dataclass(frozen=True)
class Filters:
    year: int
    group: str | None = None
    region: str | None = None
    domain: str | None = None
    unit: str | None = None

    def params(self) -> dict:
        return {"year": self.year, "group": self.group, "region": self.region, "domain": self.domain,
                "unit": self.unit}

    def url(self) -> dict:
        """The filters as URL parameters (for links to other pages that keep the same view)."""
        return {k: str(v) for k, v in self.params().items() if v is not None}


def page_filters() -> Filters:
    """The filters app.py set for this run. The first request after the server starts may reach a page through
    Streamlit's legacy pages/ router, which skips app.py: switch that router off and rerun through app.py."""
    if "filters" not in st.session_state:
        from streamlit.runtime.pages_manager import PagesManager

        PagesManager.uses_pages_directory = False
        st.rerun()
    return st.session_state["filters"]


def _options() -> dict:
    frame = query("filter_options")
    return {kind: dict(zip(g["value"], g["label"])) for kind, g in frame.groupby("kind", sort=False)}


def filters() -> Filters:
    """Sidebar filters, read from and written back to the URL; a bad URL value gives a notice, not an error."""
    options = _options()
    years = sorted(int(y) for y in options["year"])
    default_year = int(query("default_year").iloc[0, 0])
    choices = {"group": list(GROUPS), "region": list(options["region"]), "domain": list(options["domain"]),
               "unit": list(options["unit"]), "year": years}
    labels = {"group": "规划类别", "region": "地区", "domain": "领域", "unit": "责任单位", "year": "截至年份"}
    for key, allowed in choices.items():
        state_key = f"filter_{key}"
        if state_key in st.session_state:
            continue
        raw = st.query_params.get(key)
        value = ALL if key != "year" else default_year
        if raw is not None:
            parsed = int(raw) if key == "year" and raw.isdigit() else raw
            if parsed in allowed:
                value = parsed
            else:
                st.toast(f"网址参数 {key}={raw} 无效,{labels[key]}已恢复为默认值", icon="⚠️")
                st.session_state.setdefault("url_notices", []).append(f"网址参数 {key}={raw} 无效,已使用默认值。")
        st.session_state[state_key] = value

    with st.sidebar:
        st.subheader("筛选")
        group = st.selectbox("规划类别", [ALL, *GROUPS], key="filter_group")
        region = st.selectbox("地区", [ALL, *choices["region"]], key="filter_region")
        domain = st.selectbox("领域", [ALL, *choices["domain"]], key="filter_domain")
        unit = st.selectbox("责任单位", [ALL, *choices["unit"]], key="filter_unit",
                            format_func=lambda v: options["unit"].get(v, v))
        year = st.selectbox("截至年份", years, key="filter_year", format_func=lambda v: f"{v}年")
    chosen = {k: (None if v == ALL else v) for k, v in
              {"group": group, "region": region, "domain": domain, "unit": unit}.items()}
    current = Filters(year=year, **chosen)
    for key in ("group", "region", "domain", "unit", "year"):
        value = getattr(current, key)
        if value is None or (key == "year" and value == default_year):
            st.query_params.pop(key, None)
        else:
            st.query_params[key] = str(value)
    for notice in st.session_state.pop("url_notices", []):
        st.warning(notice)
    return current


def demo_notice(frame: pd.DataFrame | None = None, column: str = "latest_source_kind") -> None:
    """Say 示例数据 wherever demonstration values are shown."""
    if frame is None or (column in frame and (frame[column] == "示例").any()):
        st.info("**示例数据**:本页含系统生成的演示监测值(非真实统计),仅用于展示功能;成员单位填报后将被真实数据替换。",
                icon=":material/science:")


def indicator_link(indicator_id: str) -> str:
    """URL of an indicator's detail page (relative, so it works behind any host)."""
    return f"./indicator?id={indicator_id}"
