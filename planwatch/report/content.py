"""Everything an annual report shows, gathered once from the named queries, and the order it is shown in.

The slides, the PDF handout, the workbook and the app's presentation mode all read one `ReportContent` and walk
the same `outline()`, so the numbers and the order agree across formats.
"""
from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from planwatch import db
from planwatch.explain import share


class ReportError(Exception):
    """A report that cannot be made as asked (unknown region or year); the message is for the user, in Chinese."""


STATUS_ASSESSED = ("已达标", "进展顺利", "进度滞后", "逆向变化")
LEVEL_ORDER = ("红", "黄", "灰")
DEMO_NOTE = "示例数据:含系统生成的演示监测值(非真实统计),仅用于展示功能"
DRAFT = "【待补充】"   # marks a sentence the office completes: written from the warnings, not from the units
# --mode: the report's kind (the 监测组's annual report, the 评估组's midterm and final evaluation)
MODES = {"annual": "年度监测", "midterm": "中期评估", "final": "终期评估"}
TITLES = {"annual": "妇女儿童发展规划实施监测年度报告", "midterm": "妇女儿童发展规划实施中期评估报告",
          "final": "妇女儿童发展规划实施终期评估报告"}


def report_title(mode: str, region: str | None, groups: set[str]) -> str:
    """The report's name as a committee's is worded: its place (the region asked for) and the plans it covers
    (groups: 妇女, 儿童): "乐清市儿童发展规划实施监测年度报告"; of every place: "妇女儿童发展规划…"."""
    kind = "儿童" if groups == {"儿童"} else "妇女" if groups == {"妇女"} else "妇女儿童"
    return (region or "") + TITLES[mode].replace("妇女儿童", kind, 1)


def by_urgency(warnings: pd.DataFrame) -> pd.DataFrame:
    """THE order of urgency for every list of warnings in the reports: v_warning.urgency (higher is more urgent)
    when the views have it, otherwise the query's own order (red first, reversal before shortfall)."""
    if "urgency" in warnings.columns:
        return warnings.sort_values("urgency", ascending=False, kind="stable").reset_index(drop=True)
    return warnings.reset_index(drop=True)


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
        # at the target year the time has run out (the time share stops at the last report's year); a value far
        # behind its start reads so, not "-2200%"
        done = "—" if pd.isna(ind["progress"]) else "低于起点" if ind["progress"] < -1 else share(ind["progress"])
        progress = done if done == "—" else \
            f"{done} / {'目标年已到' if ind.get('is_final') else share(ind['expected_progress'])}"
        return [("基线", baseline), (f"目标({int(ind['target_year'])}年)", ind["target_label"]), ("最新值", latest),
                (f"按趋势{int(ind['target_year'])}年约为", val(ind["projected_value"])),
                ("目标进程 / 时间进度", progress), ("状态", ind["status"])]


def as_percent(frame: pd.DataFrame, decimals: int = 0) -> pd.DataFrame:
    """frame with its rates (达标率, 基本实现率, where present) printed as percentages, "—" where none (the tables
    of the slides, handout, Word report and presentation; 基本实现率 had printed 0.6772)."""
    return frame.assign(**{rate: frame[rate].map(lambda v: "—" if pd.isna(v) else f"{v:.{decimals}%}")
                           for rate in ("达标率", "基本实现率") if rate in frame})


def rate_text(headline: dict) -> str:
    """达标率 of a headline.sql row, "—" when nothing was assessed."""
    return "—" if headline["n_assessed"] == 0 else f"{headline['attainment_rate']:.0%}"


@dataclass
class ReportContent:
    year: int
    region: str | None
    regions: list[str]
    plans: pd.DataFrame            # catalogue_plans.sql
    headline: dict                 # headline.sql (counts as int)
    attainment: pd.DataFrame       # report_attainment.sql: cut, 类别, counts, 达标率
    warnings: pd.DataFrame         # warnings_list.sql, red first
    units: pd.DataFrame            # unit_scorecard.sql (= v_attainment_by_unit plus red warnings)
    indicators: pd.DataFrame       # report_indicators.sql
    stories: list[Story]
    thresholds: pd.DataFrame       # method_thresholds.sql
    previous: dict | None          # headline.sql for the year before (None: no earlier year)
    overview: dict                 # report_overview.sql: reporting coverage and the outlook at the target year
    sentences: pd.DataFrame        # report_sentences.sql: one progress or gap sentence per assessed indicator
    values: pd.DataFrame           # report_values.sql: every year's value of every indicator in scope
    unlisted: pd.DataFrame         # units_unlisted.sql: plans that name no units for some or all indicators
    mode: str = "annual"
    generated: dt.date = field(default_factory=dt.date.today)

    @property
    def scope(self) -> str:
        return self.region or "全部监测地区"

    @property
    def committee(self) -> str:
        """Who reports: the scope's committee, or of a report on several places their committees together, not
        one invented body named after all of them ("咸阳市、平阳县、…妇女儿童工作委员会")."""
        if self.region or len(self.regions) == 1:
            return f"{self.region or self.regions[0]}妇女儿童工作委员会"
        return "各地妇女儿童工作委员会"

    @property
    def title(self) -> str:
        return report_title(self.mode, self.region, _groups(self.attainment))

    @property
    def subtitle(self) -> str:
        return f"截至{self.year}年 · {self.scope}"

    @property
    def has_demo(self) -> bool:
        """Any value shown is a demonstration value (source kind 示例)."""
        return bool(self.headline["n_demo"] > 0) or bool((self.indicators["数据来源"] == "示例").any())

    @property
    def all_demo(self) -> bool:
        """Every value shown is a demonstration value: none a member unit reported."""
        return self.has_demo and bool((self.values["source_kind"] == "示例").all())

    def demo_text(self, starred: bool = True) -> str:
        """Which of the values are demonstration values, for a report's notes ("" when none is); starred: the
        report has the Word 附表, which stars them."""
        if not self.has_demo:
            return ""
        if self.all_demo:
            return "监测值均为系统生成的示例数据(非真实统计)"
        return ("监测值中既有成员单位填报的数值,也有系统生成的示例数据(非真实统计"
                + (";附表中标 * 者)" if starred else ";Excel 工作簿各表的“数据来源”列注明)"))

    @property
    def tolerance(self) -> float:
        return float(self.thresholds.set_index("key").loc["approx_tolerance", "value"])

    def cut(self, name: str) -> pd.DataFrame:
        """report_attainment rows of one cut (plan, domain, region), the category column named for the cut."""
        label = {"plan": "规划", "domain": "领域", "region": "地区"}[name]
        return (self.attainment[self.attainment["cut"] == name].drop(columns=["cut"])
                .rename(columns={"类别": label}).reset_index(drop=True))

    def chart_rows(self, cut: str) -> pd.DataFrame:
        """The bars of a status chart (slides, handout, presentation): cut()'s rows, lowest 达标率 first, at most
        MAX_BARS of plans or regions (the others summed in one bar, as on 总览: a province has hundreds of plans),
        each with a label carrying its 达标率 and denominator, and its count of each status. The labels and the
        counts come from the same rows, and a name two regions share carries its parent (report_attainment.sql)."""
        rows = self.cut(cut)
        name = rows.columns[0]
        if cut != "domain" and len(rows) > MAX_BARS:
            rest = rows.iloc[MAX_BARS - 1:]
            summed = {name: f"其余{len(rest)}个{'规划' if cut == 'plan' else '地区'}",
                      **rest.drop(columns=name).sum(numeric_only=True).to_dict()}
            rows = pd.concat([rows.iloc[:MAX_BARS - 1], pd.DataFrame([summed])], ignore_index=True)
        counts = rows.drop(columns=[name, "达标率", "基本实现率"]).astype(int)
        labels = [f"{label}  {met / assessed:.0%}({met}/{assessed})" if assessed else f"{label}  —"
                  for label, met, assessed in zip(rows[name], counts["已达标"], counts["已评估"])]
        return counts.assign(label=labels)

    def rate_text(self) -> str:
        return rate_text(self.headline)

    def denominator_text(self) -> str:
        h = self.headline
        return (f"已达标 {h['n_met']} 项 ÷ 已评估 {h['n_assessed']} 项;基本实现率 {self.basic_rate_text()}"
                f"(已实现 {h['n_met']} 项 + 基本实现 {h['n_basic']} 项,同一分母);另有无数据 {h['n_no_data']} 项、"
                f"定性目标 {h['n_qualitative']} 项不计入分母(共 {h['n_indicators']} 项指标)")

    def excluded_text(self) -> str:
        h = self.headline
        return (f"基本实现率 {self.basic_rate_text()}((已实现 + 基本实现)÷ 已评估);无数据 {h['n_no_data']} 项、"
                f"定性目标 {h['n_qualitative']} 项不计入分母;共 {h['n_indicators']} 项指标。")

    def basis_note(self) -> str:
        """What the headline rests on when the year's values are missing ("" when they are in): the slides and the
        handout show the rate on their first page, and a 终期评估 with nothing reported for the target year must say so."""
        o = self.overview
        if o["n_due"] and not o["n_reported"]:
            return f"{self.year}年数据未报,按此前最近一年的数值判定。"
        if o["n_target_missing"]:
            return f"{self.overview['n_target_missing']}项目标年数据未报,按此前最近一年判定。"
        return ""

    def basic_rate_text(self) -> str:
        h = self.headline
        return "—" if h["n_assessed"] == 0 else f"{h['basic_rate']:.0%}"

    def status_counts(self) -> dict[str, int]:
        """Indicators per status (the headline's counts by status name)."""
        h = self.headline
        return {"已达标": h["n_met"], "进展顺利": h["n_on_track"], "进度滞后": h["n_lagging"], "逆向变化": h["n_reversed"],
                "不能判断": h.get("n_undetermined", 0), "无数据": h["n_no_data"], "定性": h["n_qualitative"]}

    def warning_counts(self) -> dict[str, int]:
        counts = self.warnings["级别"].value_counts()
        return {level: int(counts.get(level, 0)) for level in LEVEL_ORDER}

    def listed_warnings(self) -> pd.DataFrame:
        """The warnings the slides list one by one, most urgent first: red and yellow (grey ones, not reported,
        are counted)."""
        return by_urgency(self.warnings[self.warnings["级别"].isin(["红", "黄"])])

    # -- the report's sentences (docx sections, speaker notes); every number is read from the fields above ------
    def plans_text(self) -> str:
        """The plans a sentence names: their titles, or above MAX_NAMED_PLANS (a province's hundreds) their number."""
        if len(self.plans) <= MAX_NAMED_PLANS:
            return "、".join(self.plans["规划"])
        return f"{self.scope}{self.plans['region_code'].nunique()}个地区的{len(self.plans)}部妇女儿童发展规划"

    def plan_lines(self) -> list[str]:
        """The plans as the title slide and screen list them: one line for more than MAX_NAMED_PLANS (a province's
        hundreds), each plan (up to three), or one line per region (the plans' full titles would not fit at 18 pt)."""
        if len(self.plans) > MAX_NAMED_PLANS:
            return [f"{self.plans_text()}({int(self.plans['指标数'].sum())}项指标)"]
        if len(self.plans) <= 3:
            return [f"{r.规划}({r.指标数}项指标)" for r in self.plans.itertuples()]
        return [f"{region}:{'、'.join(g['类别'])}规划({int(g['指标数'].sum())}项指标)"
                for region, g in self.plans.groupby("地区", sort=False)]

    def framing(self) -> str:
        """The opening paragraph: what kind of report this is."""
        plans = self.plans_text()
        return {
            "annual": f"根据规划确定的监测指标,{self.committee}组织成员单位对{plans}截至{self.year}年的实施情况"
                      "开展年度统计监测。现将监测结果报告如下。",
            "midterm": f"{self.period_text('规划实施已过半程。')}{self.committee}对照规划目标,对{plans}截至{self.year}年"
                       "的实施情况开展中期评估,重点评估各项指标能否按期实现。现将评估结果报告如下。",
            "final": f"{self.period_text('')}{self.committee}对{plans}截至{self.year}年的实施情况开展终期评估,"
                     "逐项核对规划目标的实现情况。现将评估结果报告如下。",
        }[self.mode]

    def period_text(self, before: str) -> str:
        """Where the plans' period stands at the as-of year (`before`: what to say while no target year has come)."""
        last = self.indicators["目标年"].max() if len(self.indicators) else None
        if last is None or pd.isna(last):
            return before
        if self.year > last:
            return "规划期已经结束。"
        if self.year == last:
            return "规划期即将结束。"
        first = self.indicators["目标年"].min()
        if self.year >= first:
            return f"部分规划目标年已到,其余规划的目标年为{int(last)}年。"
        return before or f"规划目标年为{int(last)}年,尚未到期。"

    def final_text(self) -> str:
        """From the target year on the calls are met or not, never "预计": final on the target year's value, provisional
        (初步) while that value is not reported and the call stands on an earlier year's."""
        o, h = self.overview, self.headline
        short, early = o["n_final"] - o["n_final_met"], o["n_final_early"]
        on_time = o["n_final"] - early
        scope = "各规划目标年已到,已评估的" if o["n_final"] == h["n_assessed"] else "目标年已到的"
        if not early:
            basis = f"{scope}{o['n_final']}项指标均按目标年数值作最终判定"
        elif not on_time:
            basis = (f"{scope}{o['n_final']}项指标目标年数据均尚未报送,暂依据此前最近一年的数值作初步判定"
                     "(报送后更新)")
        else:
            basis = (f"{scope}{o['n_final']}项指标中,{on_time}项按目标年数值作最终判定,{early}项目标年数据尚未报送、"
                     "暂依据此前最近一年的数值作初步判定(报送后更新)")
        return (f"{basis}:实现规划目标{o['n_final_met']}项,未实现{short}项(基本实现{o['n_final_basic']}项、仍有差距"
                f"{short - o['n_final_basic']}项)"
                + (f",其中逆向变化{o['n_final_reversed']}项" if o["n_final_reversed"] else "") + "。")

    def target_missing_text(self) -> str:
        """The final calls resting on a year before a target year that has passed: that year's value is owed."""
        return f"{self.overview['n_target_missing']}项指标的目标年数据仍未报送"

    def overview_sentences(self) -> list[str]:
        """一、总体情况: 达标率 with its denominator, the change on last year, the outlook, reporting coverage."""
        h, o, counts = self.headline, self.overview, self.warning_counts()
        out = [f"截至{self.year}年,{self.scope}共监测指标{h['n_indicators']}项,其中已评估{h['n_assessed']}项"
               f"(有监测数据的定量指标),已实现规划目标(已达标){h['n_met']}项,达标率为{self.rate_text()}"
               f"(已达标÷已评估);进展顺利{h['n_on_track']}项,进度滞后{h['n_lagging']}项,逆向变化"
               f"{h['n_reversed']}项;无数据{h['n_no_data']}项、定性目标{h['n_qualitative']}项"
               + (f"、不能判断(事件数少){h['n_undetermined']}项" if h.get("n_undetermined") else "")
               + "不计入达标率分母。"]
        if h["n_assessed"] and "n_basic" in h:
            out.append(f"按“已实现、基本实现、仍有差距”评估,已实现{h['n_met']}项、基本实现{h['n_basic']}项,"
                       f"基本实现率为{h['basic_rate']:.0%}((已实现+基本实现)÷已评估);仍有差距"
                       f"{h['n_assessed'] - h['n_met'] - h['n_basic']}项。")
        p = self.previous
        if p is None or p["n_assessed"] == 0 or h["n_assessed"] == 0:
            out.append(f"{self.year - 1}年没有可比的监测数据,暂不作年度比较。")
        elif not o["n_reported"]:  # the same values as a year before: no change to speak of
            out.append(f"{self.year}年尚无报送数据,暂不作年度比较(已实现目标的指标仍为{h['n_met']}项)。")
        else:
            d_met = h["n_met"] - p["n_met"]
            d_rate = round((h["attainment_rate"] - p["attainment_rate"]) * 100, 1)
            met = f"增加{d_met}项" if d_met > 0 else f"减少{-d_met}项" if d_met < 0 else "持平"
            rate = f"提高{d_rate:g}个百分点" if d_rate > 0 else f"下降{-d_rate:g}个百分点" if d_rate < 0 else "持平"
            out.append(f"与{self.year - 1}年相比,已实现目标的指标{met}(由{p['n_met']}项到{h['n_met']}项),"
                       f"达标率{rate}(由{p['attainment_rate']:.1%}到{h['attainment_rate']:.1%})。")
        if o["n_final"]:
            out.append(self.final_text())
        rest = h["n_assessed"] - o["n_final"]
        if rest:
            years = "、".join(f"{y}年" for y in sorted(self.indicators.loc[self.indicators["目标年"] > self.year, "目标年"]
                                                       .dropna().astype(int).unique()))
            out.append(f"按当前趋势外推到规划目标年({years}),{'其余' if o['n_final'] else '已评估的'}{rest}项指标中"
                       f"预计可实现{o['n_projected_met']}项(占{o['n_projected_met'] / rest:.0%}),预计难以实现"
                       f"{o['n_projected_short']}项(逆向变化或按趋势预计未达标"
                       # (基本实现 counts them too: say which, or the two counts seem to contradict)
                       + (f",其中{o['n_projected_short_basic']}项与目标的差距已在基本实现容差内"
                          if o["n_projected_short_basic"] else "") + ")"
                       + (f",数据点不足、暂不外推{o['n_unprojected']}项" if o["n_unprojected"] else "") + "。")
        if o["n_due"]:  # the indicators due for the year: none after its target year
            due = (f"{o['n_due']}项定量指标" if o["n_due"] == o["n_quantitative"]
                   else f"目标年未过的{o['n_due']}项定量指标")
            out.append(f"数据报送方面,{due}中{o['n_reported']}项已报送{self.year}年数据,"
                       f"报送率{o['n_reported'] / o['n_due']:.0%};{o['n_due'] - o['n_reported']}项"
                       f"未报送{self.year}年数据"
                       + (f";另有{self.target_missing_text()}" if o["n_target_missing"] else "") + "。")
        elif o["n_quantitative"]:
            out.append(f"各规划目标年均已过,{self.year}年不再报送监测数据"
                       + (f";{self.target_missing_text()},请督促补报" if o["n_target_missing"] else "") + "。")
        out.append(f"共有预警{len(self.warnings)}条:红色{counts['红']}条、黄色{counts['黄']}条、未填报(灰色)"
                   f"{counts['灰']}条。")
        return out

    def domain_paragraphs(self, per_kind: int = 5) -> list[dict]:
        """二、分领域情况: per domain a summary, the main progress and the gaps (at most per_kind sentences each,
        key-table indicators and the largest gaps first) and how many more there are (listed_in says where)."""
        out = []
        for r in self.cut("domain").itertuples(index=False):
            rows = self.sentences[self.sentences["领域"] == r.领域]
            progress = rows[rows["类别"] == "进展"].sort_values(  # moved toward the target, key-table, 已达标 first
                ["向目标前进", "重点表指标", "状态"], ascending=[False, False, True], kind="stable")
            gaps = rows[rows["类别"] == "差距"].assign(rev=lambda d: d["状态"] == "逆向变化").sort_values(
                ["rev", "进度比"], ascending=[False, True], kind="stable", na_position="first")
            rate = f"达标率{r.达标率:.0%}" if r.已评估 else "暂无可计算的达标率"
            out.append({
                "domain": r.领域,
                "summary": f"{r.领域}领域共有指标{r.指标数}项,已评估{r.已评估}项,已实现目标{r.已达标}项,{rate};"
                           f"进展顺利{r.进展顺利}项,进度滞后{r.进度滞后}项,逆向变化{r.逆向变化}项,无数据{r.无数据}项"
                           + (f",不能判断(事件数少){r.不能判断}项" if getattr(r, "不能判断", 0) else "")
                           + (f",定性目标{r.定性}项" if r.定性 else "") + "。",
                "progress": progress["句子"].head(per_kind).tolist(), "more_progress": max(0, len(progress) - per_kind),
                "gaps": gaps["句子"].head(per_kind).tolist(), "more_gaps": max(0, len(gaps) - per_kind)})
        return out

    def problems(self, limit: int = 8) -> list[str]:
        """三、存在的主要问题: the most urgent warnings with their reasons and the units' own explanations."""
        listed = self.listed_warnings()
        out = []
        for w in listed.head(limit).itertuples(index=False):
            said = (f"责任单位说明:{w.原因说明}" if isinstance(w.原因说明, str) and w.原因说明
                    else f"{DRAFT}请{w.牵头单位}说明原因。" if w.牵头单位 != "规划未列明"
                    else f"{DRAFT}规划未列明责任单位,请明确牵头单位并说明原因。")
            out.append(f"{w.地区}{w.规划}规划“{w.指标}”({w.级别}色预警,{w.类型};责任单位:{w.责任单位}):{w.原因}{said}")
        return out

    # one per kind of red or yellow warning (v_warning's kinds but 未填报, which is grey and counted apart)
    CALLS = {"逆向变化": "出现逆向变化,建议查明原因,制定整改措施,尽快扭转",
             "到期未达标": "目标年已到仍未实现目标{目标},建议分析差距原因,提出补短板措施并在下一周期规划中统筹推进",
             "预计未达标": "按当前趋势难以按期实现目标{目标},建议加大工作力度、加快进度",
             "波动较大": "年度数值波动较大,建议核实统计口径和数据质量"}

    def suggestions(self, per_unit: int = 5) -> list[tuple[str, list[str]]]:
        """四、对策建议, by lead unit: the units' stated measures where given, otherwise what the warning calls for,
        marked 【待补充】 for the office to complete."""
        listed = self.listed_warnings()
        out = []
        for unit, rows in listed.groupby("牵头单位", sort=False):
            items = []
            for w in rows.drop_duplicates("indicator_id").itertuples(index=False):
                if isinstance(w.整改措施, str) and w.整改措施:
                    items.append(f"{w.地区}“{w.指标}”:{w.整改措施}")
                else:
                    call = self.CALLS[w.类型].format(目标=w.目标)
                    items.append(f"{DRAFT}{w.地区}“{w.指标}”{call}。")
            more = len(items) - per_unit
            items = items[:per_unit] + ([f"另有{more}项指标的预警,见{self.listed_in}。"] if more > 0 else [])
            name = "规划未列明责任单位的指标" if unit == "规划未列明" else unit
            out.append((name, items))
        grey, missing = self.warning_counts()["灰"], self.overview["n_target_missing"]
        if grey or missing:
            owed = "、".join(([f"{grey}项指标未报送{self.year}年数据"] if grey else [])
                            + ([self.target_missing_text()] if missing else []))
            out.append(("数据报送", [f"{DRAFT}{owed},建议督促相关单位按时报送,确保监测数据完整。"]))
        return out

    def deck_units(self) -> pd.DataFrame:
        """The scorecard rows a meeting deck shows: most red warnings first, then most indicators."""
        return self.units.sort_values(["红色预警", "指标数"], ascending=False, kind="stable").reset_index(drop=True)

    def unlisted_lines(self) -> list[str]:
        """One line per region whose plans name no units at all (its scorecard would otherwise be silently empty),
        by region code (two regions may share a name); past MAX_UNLISTED_LINES regions (a province's dozens) one
        line naming the first few and counting them all."""
        rows = self.unlisted[self.unlisted["说明"] == "规划未列明责任单位"]
        groups = [g for _, g in rows.groupby("region_code", sort=False)]
        if len(groups) <= MAX_UNLISTED_LINES:
            return [f"{g['地区'].iloc[0]}:{'、'.join(g['类别'])}规划未列明责任单位({int(g['指标数'].sum())}项指标),"
                    "不在计分卡中。" for g in groups]
        named = "、".join(g["地区"].iloc[0] for g in groups[:MAX_UNLISTED_LINES])
        return [f"{named}等{len(groups)}个地区的{len(rows)}部规划未列明责任单位({int(rows['指标数'].sum())}项指标),"
                "不在计分卡中;名单见 Excel 工作簿。"]

    def cut_sentences(self, cut: str) -> list[str]:
        """One sentence per plan, domain or region: its counts and 达标率 with the denominator."""
        out = []
        for r in self.cut(cut).itertuples(index=False):
            rate = f"达标率{r.达标率:.0%}(已达标{r.已达标}项÷已评估{r.已评估}项)" if r.已评估 else "尚无已评估指标"
            out.append(f"{r[0]}:指标{r.指标数}项,{rate};进展顺利{r.进展顺利}项,进度滞后{r.进度滞后}项,"
                       f"逆向变化{r.逆向变化}项,无数据{r.无数据}项。")
        return out

    def notes(self, section: "Section") -> list[str]:
        """The speaker notes of a slide: the report's sentences for what the slide shows."""
        kind = section.kind
        if kind == "title":
            return [self.framing()] + ([DEMO_NOTE + "。"] if self.has_demo else [])
        if kind == "headline":
            return self.overview_sentences()
        if kind in ("plan", "region"):
            return self.cut_sentences(kind)
        if kind == "domain":
            return [d["summary"] for d in self.domain_paragraphs()]
        if kind == "warnings":
            out = []
            for w in section.rows.itertuples(index=False):
                said = f"责任单位说明:{w.原因说明}" if isinstance(w.原因说明, str) and w.原因说明 else ""
                out.append(f"{w.地区}{w.规划}规划“{w.指标}”({w.级别}色,{w.类型};责任单位:{w.责任单位}):{w.原因}{said}")
            if section.not_shown:
                out.append(f"另有{section.not_shown}条红色、黄色预警未在幻灯片上列出,见报告附表和 Excel 工作簿。")
            return out
        if kind == "units":
            return [f"{r.地区}{r.责任单位}:负责指标{r.指标数}项,已达标{r.已达标}项÷已评估{r.已评估}项,"
                    f"进度滞后{r.进度滞后}项,逆向变化{r.逆向变化}项,红色预警{r.红色预警}条。"
                    for r in (section.rows if section.rows is not None else self.units.head(0)).itertuples()] \
                + self.unlisted_lines()
        if kind == "story":
            story = section.story
            return [f"{story.title}:{story.ind['reason']}"] + [f"{w.级别}色预警({w.类型}):{w.原因}"
                                                               for w in story.warnings.itertuples()]
        return method_points(self)

    @property
    def listed_in(self) -> str:
        """Where the indicators a sentence leaves out are listed: the 附表, or the workbook when the 附表 is cut."""
        return "附表" if len(self.indicators) <= MAX_LISTED else "Excel 工作簿“指标状态”表"

    def appendix_indicators(self) -> pd.DataFrame:
        """The report_indicators rows the 附表 lists: every one, in the query's order, up to MAX_LISTED; above it the
        indicators with warnings first, most urgent first (the order of self.warnings, by_urgency), then the others in
        the query's order, MAX_LISTED in all."""
        ind = self.indicators
        if len(ind) <= MAX_LISTED:
            return ind
        warned = self.warnings["indicator_id"].drop_duplicates()
        order = pd.concat([warned, ind["指标编号"][~ind["指标编号"].isin(warned)]]).head(MAX_LISTED)
        return ind.set_index("指标编号", drop=False).loc[order.tolist()].reset_index(drop=True)

    def appendix_note(self) -> str:
        """What the 附表 leaves out and where the rest is ("" when it lists every indicator)."""
        n, w = len(self.indicators), self.warnings["indicator_id"].nunique()
        if n <= MAX_LISTED:
            return ""
        if w >= MAX_LISTED:
            which = f"有预警的{w}项指标中按紧急程度排在前面的{MAX_LISTED}项(红色预警在前)"
        else:
            which = (f"先按紧急程度列出有预警的全部{w}项指标(红色预警在前),再按地区、规划顺序列出其余指标中的"
                     f"{MAX_LISTED - w}项")
        return (f"指标较多,本表只列出{MAX_LISTED}项(共{n}项):{which};全部{n}项指标见 Excel 工作簿(数据表 xlsx)"
                "的“指标状态”表。")

    def appendix(self) -> pd.DataFrame:
        """附表: the indicators appendix_indicators() lists, with their baseline, each year's value, target, status,
        assessment and units."""
        ind = self.appendix_indicators()
        values = self.values[self.values["indicator_id"].isin(ind["指标编号"])]
        years = sorted({*values["year"].astype(int)} | {self.year})
        if self.has_demo and not self.all_demo:  # mixed: the demonstration values marked, the reported ones not
            values = values.assign(shown=values["shown"].where(values["source_kind"] != "示例", values["shown"] + "*"))
        wide = (values.pivot(index="indicator_id", columns="year", values="shown")
                .reindex(columns=years).reindex(ind["指标编号"]).astype(object))
        baseline = [("—" if pd.isna(v) else f"{v:g}({int(y)})") for v, y in zip(ind["基线值"], ind["基线年份"])]
        table = pd.DataFrame({"地区": ind["地区"], "规划": ind["规划类别"], "领域": ind["领域"], "指标": ind["指标"],
                              "单位": ind["单位"], "基线(年)": baseline})
        for y in years:
            table[f"{y}年"] = wide[y].fillna("—").tolist()
        # each indicator's red and yellow warnings, most urgent first ("红·逆向变化"): the sections send readers here
        # for the rest (未填报, grey, is the year's "—")
        shown = self.warnings[self.warnings["级别"].isin(["红", "黄"])]
        warned = shown.assign(w=shown["级别"] + "·" + shown["类型"]).groupby("indicator_id", sort=False)["w"].agg(";".join)
        return table.assign(目标=ind["目标"].tolist(), 状态=ind["状态"].tolist(), 评估=ind["评估"].fillna("—").tolist(),
                            预警=[warned.get(i, "—") for i in ind["指标编号"]], 责任单位=ind["责任单位"].tolist())

    def printed_warnings(self) -> tuple[pd.DataFrame, str]:
        """The warnings a printed list shows (most urgent first, at most MAX_LISTED) and what it leaves out ("" when
        nothing)."""
        n = len(self.warnings)
        if n <= MAX_LISTED:
            return self.warnings, ""
        return self.warnings.head(MAX_LISTED), (
            f"预警较多,本表只列出按紧急程度排在前面的{MAX_LISTED}条(共{n}条,红色在前);全部{n}条预警见 Excel 工作簿"
            "(数据表 xlsx)的“预警”表。")

    def printed_units(self) -> tuple[pd.DataFrame, str]:
        """The scorecard rows a printed table shows (all in the query's order, or above MAX_LISTED the units with the
        most red warnings, then the most indicators, as deck_units) and what it leaves out ("" when nothing)."""
        n = len(self.units)
        if n <= MAX_LISTED:
            return self.units, ""
        return self.deck_units().head(MAX_LISTED), (
            f"责任单位较多,本表只列出红色预警最多的{MAX_LISTED}个(共{n}个;红色预警一样多的,负责指标多的在前);"
            f"全部{n}个责任单位见 Excel 工作簿(数据表 xlsx)的“按责任单位”表。")


def _scope(con: duckdb.DuckDBPyConnection, region: str | None) -> tuple[str | None, str | None]:
    """(name, code) of the report's region, given by code or by a name only one region with plans has; a region
    covers its descendants (a province's report counts its cities and counties)."""
    if region is None:
        return None, None
    options = db.run_query(con, "region_options")
    match = options[(options["region_code"] == region) | (options["name"] == region)]
    if len(match) != 1:
        names = options["name"].tolist()
        shown = "、".join(names[:30]) + (f"等{len(names)}个" if len(names) > 30 else "")
        problem = "有重名,请用地区代码" if len(match) > 1 else "不是监测地区(本级和下级都没有规划)"
        raise ReportError(f"地区“{region}”{problem},可选:{shown}。")
    return match["name"].iloc[0], match["region_code"].iloc[0]


def _checked(con, year: int | None, region: str | None, mode: str) -> tuple[int, list[int], str | None, str | None]:
    """(as-of year, every as-of year, region name, region code) of a report asked for; ReportError when it cannot
    be made."""
    years = sorted(int(y) for y in con.cursor().execute(
        "SELECT DISTINCT as_of_year FROM v_status").df()["as_of_year"])
    if year is None:
        year = int(db.run_query(con, "default_year").iloc[0, 0])
    if year not in years:
        raise ReportError(f"截至年份 {year} 不可用,可选 {years[0]}–{years[-1]} 年。")
    name, region = _scope(con, region)
    if mode not in MODES:
        raise ReportError(f"报告类型“{mode}”不可用,可选:{'、'.join(f'{k}({v})' for k, v in MODES.items())}。")
    return year, years, name, region


def _headline(con, year: int, region: str | None) -> dict:
    """headline.sql for the report's scope (counts as int)."""
    return {k: int(v) if k.startswith("n_") else float(v)
            for k, v in db.run_query(con, "headline", year=year, group=None, region=region, domain=None,
                                     unit=None).iloc[0].fillna(0).items()}


def _stories(con, year: int, region: str | None) -> list[Story]:
    stories = []
    for row in db.run_query(con, "report_stories", year=year, region=region).itertuples():
        ind = db.run_query(con, "indicator_detail", id=row.indicator_id, year=year).iloc[0].to_dict()
        stories.append(Story(
            label=row.案例, ind=ind,
            series=db.run_query(con, "indicator_series", id=row.indicator_id, year=year),
            refs=db.run_query(con, "indicator_reference", id=row.indicator_id),
            warnings=db.run_query(con, "indicator_warnings", id=row.indicator_id, year=year)))
    return stories


def _regions(attainment: pd.DataFrame) -> list[str]:
    return attainment.query("cut == 'region'")["类别"].tolist()


def _groups(attainment: pd.DataFrame) -> set[str]:
    """The plan groups (妇女, 儿童) in scope: a plan's row reads "平阳县 妇女", its group the last word."""
    return {c.rsplit(" ", 1)[-1] for c in attainment.query("cut == 'plan'")["类别"]}


# A printed report (Word, PDF) lists at most this many rows in one table (the Word 附表's indicators, the PDF's
# warnings and units): a province's 16,000 indicators would be a 400-page appendix. Above it the rows that need
# attention come first and the table says how many of how many it lists; the workbook lists every row (streamed).
MAX_LISTED = 1_000
MAX_NAMED_PLANS = 10   # above it a sentence or the title slide counts the plans instead of naming each
MAX_BARS = 15          # bars of a plan or region chart: the 14 most lagging and one for the rest
MAX_UNLISTED_LINES = 3  # regions whose plans name no units, one line each on the scorecard slide
# The largest scope a report is made for: the workbook lists every indicator, and gather() holds every indicator,
# warning and value in memory. The largest province of a 2,850-county database (四川省, 16,354 indicators) takes
# 8-17 CPU-s and at most 0.8 GB a format (docs/scaling.md); the whole country (248,486: a streamed workbook alone
# 136 CPU-s and 1.3 GB) is reported province by province.
MAX_INDICATORS = 20_000


def too_big(headline: dict, name: str | None) -> str | None:
    """Why no report is made for this scope (None: one is)."""
    n = headline["n_indicators"]
    if n > MAX_INDICATORS:
        return (f"{name or '全部监测地区'}共 {n:,} 项指标,超过一份报告的上限 {MAX_INDICATORS:,} 项(Excel 工作簿逐项"
                "列出全部指标);请在侧栏选择下级地区(省、市或县)分别生成。")
    return None


def gather(con: duckdb.DuckDBPyConnection, year: int | None = None, region: str | None = None,
           mode: str = "annual") -> ReportContent:
    """Run every query a report needs, once; refused (ReportError) for a scope of more than MAX_INDICATORS."""
    year, years, name, region = _checked(con, year, region, mode)
    headline = _headline(con, year, region)
    refused = too_big(headline, name)
    if refused:
        raise ReportError(refused)
    plans = db.run_query(con, "catalogue_plans", group=None, region=region, domain=None, unit=None, page_limit=None,
                         page_offset=0).drop(columns="n_rows")
    stories = _stories(con, year, region)
    attainment = db.run_query(con, "report_attainment", year=year, region=region)
    return ReportContent(
        year=year, region=name, regions=_regions(attainment), plans=plans,
        headline=headline, attainment=attainment,
        warnings=by_urgency(db.run_query(con, "report_warnings", year=year, region=region, levels=[], most=None)),
        units=db.run_query(con, "unit_scorecard", year=year, group=None, region=region, domain=None,
                           page_limit=None, page_offset=0).drop(columns="n_rows"),  # every unit: no page
        indicators=db.run_query(con, "report_indicators", year=year, region=region),
        stories=stories, thresholds=db.run_query(con, "method_thresholds"),
        previous=_headline(con, year - 1, region) if year - 1 in years else None,
        overview={k: int(v) for k, v in db.run_query(con, "report_overview", year=year, region=region).iloc[0].items()},
        sentences=db.run_query(con, "report_sentences", year=year, region=region),
        values=db.run_query(con, "report_values", year=year, region=region),
        unlisted=db.run_query(con, "units_unlisted", year=year, group=None, region=region, domain=None,
                              page_limit=None, page_offset=0).drop(columns=["n_rows", "n_none"]), mode=mode)


@dataclass
class ReportSummary:
    """What the 年度报告 page shows before a file or the presentation is asked for: the scope, the headline, the
    warnings by level and the slides, from the stored summaries and a few small queries (the whole content of a
    national report, every indicator, warning and value, takes minutes to gather)."""
    year: int
    region: str | None
    mode: str
    headline: dict
    warnings: dict[str, int]       # warnings per level
    has_demo: bool
    sections: list                 # outline(): titles and kinds (the warning and unit slides' rows are not all here)

    @property
    def scope(self) -> str:
        return self.region or "全部监测地区"

    def rate_text(self) -> str:
        return rate_text(self.headline)

    def too_big(self) -> str | None:
        """Why no file or presentation is made for this scope (None: they are)."""
        return too_big(self.headline, self.region)


@functools.lru_cache(maxsize=2)
def gathered(con, year: int, region: str | None, mode: str, version: tuple) -> tuple[ReportContent, list]:
    """gather() and its outline() once per version of the database (`version`, the file's identity, is only part of
    the key): the app's presentation mode and its downloads share them. A national report's content is a few
    hundred megabytes: two are kept."""
    content = gather(con, year, region, mode)
    return content, outline(content)


def summarise(con: duckdb.DuckDBPyConnection, year: int | None = None, region: str | None = None,
              mode: str = "annual") -> ReportSummary:
    """The headline and the slides of the report gather() would make, without gathering it."""
    year, _, name, region = _checked(con, year, region, mode)
    headline = _headline(con, year, region)
    levels = db.run_query(con, "warning_counts", year=year, group=None, region=region, domain=None,
                          unit=None).groupby("level")["n"].sum()
    counts = {level: int(levels.get(level, 0)) for level in LEVEL_ORDER}
    listed = db.run_query(con, "report_warnings", year=year, region=region, levels=["红", "黄"],
                          most=MAX_WARNING_SLIDES * MAX_WARNING_ROWS)
    n_units = int(db.run_query(con, "unit_count", year=year, group=None, region=region, domain=None).iloc[0, 0])
    attainment = db.run_query(con, "report_attainment", year=year, region=region)
    sections = _outline(report_title(mode, name, _groups(attainment)), year, _regions(attainment), by_urgency(listed),
                        counts["红"] + counts["黄"],
                        pd.DataFrame(index=range(n_units)),  # only their number: the slides' titles
                        _stories(con, year, region))
    return ReportSummary(year, name, mode, headline, counts, headline["n_demo"] > 0, sections)


# ---------------------------------------------------------------------------------------------------------------
# The outline: one entry per slide (and per screen of the presentation mode), in order.

@dataclass
class Section:
    kind: str          # title, headline, plan, domain, region, warnings, units, story, method
    title: str
    rows: pd.DataFrame | None = None   # the rows of a table that is split across slides
    story: Story | None = None
    not_shown: int = 0  # warnings (units) left off the slides: all are in the report, the PDF and the workbook
    first: int = 1      # the number of the first row (warning, unit) on this slide


def text_width(text) -> float:
    """Width in CJK characters: Latin letters and digits are about half as wide."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return 0
    return sum(1.0 if ord(ch) > 0x2E7F else 0.55 for ch in str(text))


def lines(text, chars_per_line: float) -> int:
    return max(1, math.ceil(text_width(text) / chars_per_line))


# The warning table of a slide (inches, points): shared by the slides and the pagination, so that the rows of
# each slide fit its height. Projector-readable: 18 pt, at most 8 rows; the full reasons are in the speaker notes.
WARNING_PT = 18
WARNING_COLUMNS = {"级别": 0.75, "地区": 1.6, "指标": 3.1, "问题": 4.95, "责任单位": 1.93}
WARNING_HEIGHT = 4.2   # inches for the rows below the header (PowerPoint and LibreOffice lay rows out a little apart)
MAX_WARNING_ROWS = 8
MAX_WARNING_SLIDES = 4
UNIT_COLUMNS = {"地区": 1.45, "责任单位": 3.0, "指标数": 1.1, "达标率": 1.1, "已达标/已评估": 1.95, "进度滞后": 1.25,
                "逆向变化": 1.25, "红色预警": 1.23}
UNITS_PER_SLIDE = 8
MAX_UNIT_SLIDES = 2


def cell_lines(text, width_in: float, pt: float, padding_in: float = 0.2) -> int:
    return lines(text, (width_in - padding_in) / (pt / 72))


def row_height(texts: dict, widths: dict, pt: float) -> float:
    """Inches a table row takes: its tallest cell's lines at 1.2 line spacing plus the cell's top/bottom margins."""
    n = max(cell_lines(texts.get(col), width, pt) for col, width in widths.items())
    return n * pt * 1.2 / 72 + 0.1


def lead_units(row) -> str:
    """The first unit the plan names, with 等 when there are more (report_warnings.sql)."""
    return row["牵头单位"] + ("等" if row["责任单位数"] > 1 else "")


def warning_cells(row) -> dict:
    """The texts of one warning on a slide (short: the full reason is in the notes and the report)."""
    return {"级别": row["级别"], "地区": f"{row['地区']} {row['规划']}", "指标": row["指标"],
            "问题": f"{row['类型']}:{row['最新值']},目标{row['目标']}", "责任单位": lead_units(row)}


def paginate(frame: pd.DataFrame, height, budget: float, max_rows: int | None = None) -> list[pd.DataFrame]:
    """Split rows into pages whose summed height(row) stays within budget and that hold at most max_rows rows
    (at least one row per page)."""
    pages, start, used = [], 0, 0.0
    for i, (_, row) in enumerate(frame.iterrows()):
        need = height(row)
        if i > start and (used + need > budget or (max_rows and i - start >= max_rows)):
            pages.append(frame.iloc[start:i])
            start, used = i, 0.0
        used += need
    if start < len(frame) or not pages:
        pages.append(frame.iloc[start:])
    return [p.reset_index(drop=True) for p in pages]


def warning_row_height(row) -> float:
    return row_height(warning_cells(row), WARNING_COLUMNS, WARNING_PT)


def outline(content: ReportContent, warning_budget: float = WARNING_HEIGHT) -> list[Section]:
    """The slides in order; the presentation mode shows the same sections as screens."""
    listed = content.listed_warnings()
    return _outline(content.title, content.year, content.regions, listed, len(listed), content.deck_units(),
                    content.stories, warning_budget)


def _outline(title: str, year: int, regions: list[str], listed: pd.DataFrame, n_listed: int, units: pd.DataFrame,
             stories: list[Story], warning_budget: float = WARNING_HEIGHT) -> list[Section]:
    """The slides of a report: `listed` holds at least the first MAX_WARNING_SLIDES * MAX_WARNING_ROWS of the
    n_listed red and yellow warnings, most urgent first; `units` the scorecard rows in the deck's order."""
    sections = [Section("title", title),
                Section("headline", f"总体达标率 · 截至{year}年"),
                Section("plan", "各规划指标状态"),
                Section("domain", "各领域指标状态与达标率")]
    if len(regions) > 1:  # one region: its bar is the headline already
        sections.append(Section("region", "各地区指标状态与达标率"))
    # a meeting deck shows the most urgent warnings; the report, the handout and the workbook carry the full list
    # (only the rows that can reach a slide are laid out: a national list holds ~90,000 red and yellow warnings)
    pages = paginate(listed.head(MAX_WARNING_SLIDES * MAX_WARNING_ROWS), warning_row_height, warning_budget,
                     MAX_WARNING_ROWS)[:MAX_WARNING_SLIDES]
    not_shown = n_listed - sum(len(page) for page in pages)
    shown = 0
    for i, page in enumerate(pages, start=1):
        suffix = f"({i}/{len(pages)})" if len(pages) > 1 else ""
        sections.append(Section("warnings", f"预警清单{suffix}", rows=page, not_shown=not_shown, first=shown + 1))
        shown += len(page)
    n_unit_pages = min(MAX_UNIT_SLIDES, max(1, math.ceil(len(units) / UNITS_PER_SLIDE)))
    for i in range(n_unit_pages):
        suffix = f"({i + 1}/{n_unit_pages})" if n_unit_pages > 1 else ""
        sections.append(Section("units", f"责任单位计分卡{suffix}",
                                rows=units.iloc[i * UNITS_PER_SLIDE:(i + 1) * UNITS_PER_SLIDE].reset_index(drop=True),
                                not_shown=max(0, len(units) - n_unit_pages * UNITS_PER_SLIDE),
                                first=i * UNITS_PER_SLIDE + 1))
    for story in stories:
        sections.append(Section("story", f"指标案例 · {story.label}", story=story))
    sections.append(Section("method", "方法说明:怎样判断进展与预警"))
    return sections


def method_points(content: ReportContent) -> list[str]:
    """The rules in force, with the thresholds read from method_threshold (docs/method.md in eight lines: they fit
    one slide at 18 pt)."""
    t = content.thresholds.set_index("key")["value"]
    return [
        "达标率 = 已达标 ÷ 已评估(有监测值的定量指标);无数据、定性指标不进入分母,与达标率一并列出。",
        "目标进程 = 从基线走向目标已完成的比例;时间进度 = 已过去的时间比例;进度比 = 目标进程 ÷ 时间进度。",
        f"进展顺利:未达标、进度比 ≥ {t['on_track_ratio']:g};进度滞后:进度比较低或目标年已到;逆向变化:比起点更差"
        "(超出容差),或上限被突破。",
        f"基本持平:变化小于起点的 {t['noise_relative']:.0%}(起点未达标时不超过到目标距离的一半)或报告精度的一个单位"
        f"(不超过量级的 {t['precision_cap_relative']:.0%})。"
        f"评估:已实现;基本实现(差距 ≤ 目标值的 {t['basic_gap_relative']:.0%},或按趋势可如期达到);仍有差距。"
        "基本实现率 =(已实现 + 基本实现)÷ 已评估。",
        "目标年已到:按目标年的数值作最终判定,不再外推;目标年数值尚未报送的,暂依据之前最近一年的数值判定,报送后更新。",
        f"事件数少(率类一年少于 {t['small_events']:g} 例):按三年合并率及其95%置信区间判断,区间含目标为“不能判断”;"
        "比例的当年值已达标即为达标。",
        f"红色预警:逆向变化;预计未达标且进度比 < {t['lag_red_ratio']:g};到期未达标。其中评估为基本实现的为黄色;"
        f"未严重滞后、大幅波动(> {t['swing_relative']:.0%})亦为黄色。灰色:未填报。",
        f"趋势外推:基线和全部监测值的最小二乘直线,读出目标年数值(不足 {t['min_points_projection']:g} 个点不外推);"
        f"“左右”的容差为目标值的 {t['approx_tolerance']:.0%},越高(低)越好的指标只计不利一侧。",
    ]
