"""Everything an annual report shows, gathered once from the named queries, and the order it is shown in.

The slides, the PDF handout, the workbook and the app's presentation mode all read one `ReportContent` and walk
the same `outline()`, so the numbers and the order agree across formats.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from planwatch import db


class ReportError(Exception):
    """A report that cannot be made as asked (unknown region or year); the message is for the user, in Chinese."""


STATUS_ASSESSED = ("已达标", "进展顺利", "进度滞后", "逆向变化")
LEVEL_ORDER = ("红", "黄", "灰")
DEMO_NOTE = "示例数据:含系统生成的演示监测值(非真实统计),仅用于展示功能"


def run(con: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    """queries/<name>.sql on a plain DuckDB connection (what ui.query does inside the app, without the cache)."""
    return con.cursor().execute(db.query_text(name), params).df()


@dataclass
class Story:
    """One indicator told from its baseline through its path and latest value to the projection."""
    label: str
    ind: dict
    series: pd.DataFrame
    refs: pd.DataFrame
    warnings: pd.DataFrame

    @property
    def title(self) -> str:
        return f"{self.ind['region']} · {self.ind['plan_group']} · {self.ind['name']}"

    def facts(self) -> list[tuple[str, str]]:
        """(label, value) pairs for the side panel: baseline, target, latest, projection, status."""
        ind, unit = self.ind, self.ind["unit"] or ""

        def val(v) -> str:
            return "—" if v is None or pd.isna(v) else f"{v:.4g}{unit}"

        baseline = "—" if pd.isna(ind["baseline_value"]) else \
            f"{val(ind['baseline_value'])}({int(ind['baseline_year'])}年)"
        latest = "—" if pd.isna(ind["latest_year"]) else f"{val(ind['latest_value'])}({int(ind['latest_year'])}年)"
        progress = "—" if pd.isna(ind["progress"]) else \
            f"{ind['progress']:.0%} / {ind['expected_progress']:.0%}"
        return [("基线", baseline), (f"目标({int(ind['target_year'])}年)", ind["target_label"]), ("最新值", latest),
                (f"按趋势{int(ind['target_year'])}年约为", val(ind["projected_value"])),
                ("目标进程 / 时间进度", progress), ("状态", ind["status"])]


@dataclass
class ReportContent:
    year: int
    region: str | None
    regions: list[str]
    plans: pd.DataFrame            # catalogue_plans.sql
    headline: dict                 # headline.sql (counts as int)
    mix: pd.DataFrame              # status_mix.sql: cut, category, status, n
    attainment: pd.DataFrame       # report_attainment.sql: cut, 类别, counts, 达标率
    warnings: pd.DataFrame         # warnings_list.sql, red first
    units: pd.DataFrame            # unit_scorecard.sql (= v_attainment_by_unit plus red warnings)
    indicators: pd.DataFrame       # report_indicators.sql
    stories: list[Story]
    thresholds: pd.DataFrame       # method_thresholds.sql
    generated: dt.date = field(default_factory=dt.date.today)

    @property
    def scope(self) -> str:
        return self.region or "全部监测地区"

    @property
    def committee(self) -> str:
        if self.region:
            return f"{self.region}妇女儿童工作委员会"
        return "、".join(self.regions) + "妇女儿童工作委员会"

    @property
    def title(self) -> str:
        return "妇女儿童发展规划实施监测年度报告"

    @property
    def subtitle(self) -> str:
        return f"截至{self.year}年 · {self.scope}"

    @property
    def has_demo(self) -> bool:
        """Any value shown is a demonstration value (source kind 示例)."""
        return bool(self.headline["n_demo"] > 0) or bool((self.indicators["数据来源"] == "示例").any())

    @property
    def tolerance(self) -> float:
        return float(self.thresholds.set_index("key").loc["approx_tolerance", "value"])

    def cut(self, name: str) -> pd.DataFrame:
        """report_attainment rows of one cut (plan, domain, region), the category column named for the cut."""
        label = {"plan": "规划", "domain": "领域", "region": "地区"}[name]
        return (self.attainment[self.attainment["cut"] == name].drop(columns=["cut"])
                .rename(columns={"类别": label}).reset_index(drop=True))

    def rate_text(self) -> str:
        h = self.headline
        return "—" if h["n_assessed"] == 0 else f"{h['attainment_rate']:.0%}"

    def denominator_text(self) -> str:
        h = self.headline
        return (f"已达标 {h['n_met']} 项 ÷ 已评估 {h['n_assessed']} 项;基本实现率 {self.basic_rate_text()}"
                f"(已实现 {h['n_met']} 项 + 基本实现 {h['n_basic']} 项,同一分母);另有无数据 {h['n_no_data']} 项、"
                f"定性目标 {h['n_qualitative']} 项不计入分母(共 {h['n_indicators']} 项指标)")

    def excluded_text(self) -> str:
        h = self.headline
        return (f"基本实现率 {self.basic_rate_text()}(已实现 + 基本实现 ÷ 已评估);无数据 {h['n_no_data']} 项、"
                f"定性目标 {h['n_qualitative']} 项不计入分母;共 {h['n_indicators']} 项指标。")

    def basic_rate_text(self) -> str:
        h = self.headline
        return "—" if h["n_assessed"] == 0 else f"{h['basic_rate']:.0%}"

    def warning_counts(self) -> dict[str, int]:
        counts = self.warnings["级别"].value_counts()
        return {level: int(counts.get(level, 0)) for level in LEVEL_ORDER}

    def listed_warnings(self) -> pd.DataFrame:
        """The warnings the slides list one by one: red and yellow (grey ones, not reported, are counted)."""
        return self.warnings[self.warnings["级别"].isin(["红", "黄"])].reset_index(drop=True)


def gather(con: duckdb.DuckDBPyConnection, year: int | None = None, region: str | None = None) -> ReportContent:
    """Run every query a report needs, once."""
    years = sorted(int(y) for y in con.cursor().execute(
        "SELECT DISTINCT as_of_year FROM v_status").df()["as_of_year"])
    if year is None:
        year = int(run(con, "default_year").iloc[0, 0])
    if year not in years:
        raise ReportError(f"截至年份 {year} 不可用,可选 {years[0]}–{years[-1]} 年。")
    regions = run(con, "filter_options").query("kind == 'region'")["value"].tolist()
    if region is not None and region not in regions:
        raise ReportError(f"地区“{region}”不是监测地区,可选:{'、'.join(regions)}。")

    everything = dict(year=year, group=None, region=region, domain=None, unit=None)
    plans = run(con, "catalogue_plans", group=None, region=region, domain=None, unit=None)
    headline = {k: int(v) if k.startswith("n_") else float(v)
                for k, v in run(con, "headline", **everything).iloc[0].fillna(0).items()}
    story_ids = run(con, "report_stories", year=year, region=region)
    stories = []
    for row in story_ids.itertuples():
        ind = run(con, "indicator_detail", id=row.indicator_id, year=year).iloc[0].to_dict()
        stories.append(Story(
            label=row.案例, ind=ind,
            series=run(con, "indicator_series", id=row.indicator_id, year=year),
            refs=run(con, "indicator_reference", id=row.indicator_id),
            warnings=run(con, "indicator_warnings", id=row.indicator_id, year=year)))
    return ReportContent(
        year=year, region=region, regions=[region] if region else regions, plans=plans, headline=headline,
        mix=run(con, "status_mix", **everything),
        attainment=run(con, "report_attainment", year=year, region=region),
        warnings=run(con, "warnings_list", **everything),
        units=run(con, "unit_scorecard", year=year, group=None, region=region, domain=None),
        indicators=run(con, "report_indicators", year=year, region=region),
        stories=stories, thresholds=run(con, "method_thresholds"))


# ---------------------------------------------------------------------------------------------------------------
# The outline: one entry per slide (and per screen of the presentation mode), in order.

@dataclass
class Section:
    kind: str          # title, headline, plan, domain, region, warnings, units, story, method
    title: str
    rows: pd.DataFrame | None = None   # the rows of a table that is split across slides
    story: Story | None = None
    not_shown: int = 0  # warnings left off the slides (they are all in the PDF and the workbook)


def text_width(text) -> float:
    """Width in CJK characters: Latin letters and digits are about half as wide."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return 0
    return sum(1.0 if ord(ch) > 0x2E7F else 0.55 for ch in str(text))


def lines(text, chars_per_line: float) -> int:
    return max(1, math.ceil(text_width(text) / chars_per_line))


# The warning table of a slide (inches, points): shared by the slides and the pagination, so that the rows of
# each slide fit its height. 类型 starts the 原因 cell; responsible units are in the handout and the workbook.
WARNING_PT = 13
WARNING_COLUMNS = {"级别": 0.62, "地区": 1.55, "指标": 2.95, "原因": 7.18}
WARNING_HEIGHT = 4.55   # inches for the rows below the header (PowerPoint and LibreOffice lay rows out a little apart)
UNIT_COLUMNS = ("地区", "责任单位", "指标数", "达标率", "已达标/已评估", "进展顺利", "进度滞后", "逆向变化", "无数据",
                "红色预警")


def cell_lines(text, width_in: float, pt: float, padding_in: float = 0.2) -> int:
    return lines(text, (width_in - padding_in) / (pt / 72))


def row_height(texts: dict, widths: dict, pt: float) -> float:
    """Inches a table row takes: its tallest cell's lines at 1.2 line spacing plus the cell's top/bottom margins."""
    n = max(cell_lines(texts.get(col), width, pt) for col, width in widths.items())
    return n * pt * 1.2 / 72 + 0.1


def warning_cells(row) -> dict:
    """The texts of one warning on a slide."""
    return {"级别": row["级别"], "地区": f"{row['地区']} {row['规划']}", "指标": row["指标"],
            "原因": f"{row['类型']}:{row['原因']}"}


def paginate(frame: pd.DataFrame, height, budget: float) -> list[pd.DataFrame]:
    """Split rows into pages whose summed height(row) stays within budget (at least one row per page)."""
    pages, start, used = [], 0, 0.0
    for i, (_, row) in enumerate(frame.iterrows()):
        need = height(row)
        if used + need > budget and i > start:
            pages.append(frame.iloc[start:i])
            start, used = i, 0.0
        used += need
    if start < len(frame) or not pages:
        pages.append(frame.iloc[start:])
    return [p.reset_index(drop=True) for p in pages]


def warning_row_height(row) -> float:
    return row_height(warning_cells(row), WARNING_COLUMNS, WARNING_PT)


MAX_WARNING_SLIDES = 4


def outline(content: ReportContent, warning_budget: float = WARNING_HEIGHT, units_per_slide: int = 13) -> list[Section]:
    """The slides in order; the presentation mode shows the same sections as screens."""
    sections = [Section("title", content.title),
                Section("headline", f"总体达标率 · 截至{content.year}年"),
                Section("plan", "各规划指标状态"),
                Section("domain", "各领域指标状态与达标率"),
                Section("region", "各地区指标状态与达标率")]
    listed = content.listed_warnings()
    # a meeting deck shows the most urgent warnings (red first); the handout and workbook carry the full list
    pages = paginate(listed, warning_row_height, warning_budget)[:MAX_WARNING_SLIDES]
    not_shown = len(listed) - sum(len(page) for page in pages)
    for i, page in enumerate(pages, start=1):
        suffix = f"({i}/{len(pages)})" if len(pages) > 1 else ""
        sections.append(Section("warnings", f"预警清单{suffix}", rows=page, not_shown=not_shown))
    units = content.units
    n_unit_pages = max(1, math.ceil(len(units) / units_per_slide))
    for i in range(n_unit_pages):
        suffix = f"({i + 1}/{n_unit_pages})" if n_unit_pages > 1 else ""
        sections.append(Section("units", f"责任单位计分卡{suffix}",
                                rows=units.iloc[i * units_per_slide:(i + 1) * units_per_slide].reset_index(drop=True)))
    for story in content.stories:
        sections.append(Section("story", f"指标案例 · {story.label}", story=story))
    sections.append(Section("method", "方法说明:怎样判断进展与预警"))
    return sections


def method_points(content: ReportContent) -> list[str]:
    """The rules in force, with the thresholds read from method_threshold."""
    t = content.thresholds.set_index("key")["value"]
    return [
        "达标率 = 已达标 ÷ 已评估;已评估 = 有监测值的定量指标(已达标、进展顺利、进度滞后、逆向变化),"
        "无数据和定性指标不进入分母,但与达标率一起列出。",
        "目标进程 = 从基线走向目标已完成的比例;时间进度 = 从基线年到目标年已过去的比例;进度比 = 目标进程 ÷ 时间进度。",
        f"进展顺利:尚未达标、进度比 ≥ {t['on_track_ratio']:g};进度滞后:进度比低于 {t['on_track_ratio']:g} "
        "或目标年已到;逆向变化:比基线(起点)更差,或上限目标被突破。",
        f"基本持平:变化小于起点数值的 {t['noise_relative']:.0%},或不超过报告精度的一个单位,不算逆向变化或波动。"
        f"评估:已实现(达标);基本实现(未达标,但差距不超过目标值的 {t['basic_gap_relative']:.0%},或目标年前按趋势可达到);"
        "仍有差距。基本实现率 = (已实现 + 基本实现)÷ 已评估。",
        "目标年已到(截至年份 ≥ 目标年):按目标年(或之前最近一年)的数值作最终判定,不再外推,不再有“进展顺利”。",
        f"事件数少(率类指标一年少于 {t['small_events']:g} 例):按最近三年合并率及其95%置信区间(Poisson 精确区间;"
        "比例用 Wilson 区间)判断;区间包含目标为“不能判断(事件数少)”。预警按紧迫度排序。",
        f"红色预警:逆向变化,或按趋势预计未达标且进度比 < {t['lag_red_ratio']:g}(或目标年已到且仍有差距);"
        "黄色预警:预计未达标但进度未严重滞后,或最近两次变化方向相反且幅度超过 "
        f"{t['swing_relative']:.0%};灰色:截至年份未填报。",
        f"趋势外推:对基线和全部监测值做最小二乘直线拟合,读出目标年数值;不足 {t['min_points_projection']:g} "
        f"个数据点不外推。“左右”目标的容差为目标值的 {t['approx_tolerance']:.0%}。",
    ]
