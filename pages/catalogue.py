"""规划指标目录: the nine plans and every indicator they set, with the plan's own words and where they stand."""
import streamlit as st

from planwatch import paging, ui

ALL = "全部规划"
CARDS = 12  # a search with at most this many hits is shown as cards quoting the plan
PLANS = 100  # plans a page (and offered in the plan choice): at national scale there are thousands
ROWS = 25  # indicators a page: each row quotes the plan, and the browser lays out every row before it shows the page

f = ui.page_filters()
scope = dict(group=f.group, region=f.region, domain=f.domain, unit=f.unit)
plan_rows = paging.fetch("catalogue_plans", "plan_page", PLANS, **scope)
plans, totals = plan_rows.frame, ui.query("catalogue_totals", **scope).iloc[0]
st.title("规划指标目录")
st.caption("各规划印发的指标和目标,逐项附规划原文引文及出处(来源文件、行号);与截至年份无关。"
           "侧栏的规划类别、地区、领域和责任单位筛选同样适用于本页。")

ui.metrics((label, f"{int(totals[label]):,}", help_text) for label, help_text in (
    ("指标数", "筛选范围内的全部指标"),
    ("重点表指标", "规划重点指标表(主要指标表)中的行"),
    ("文字目标", "正文中写明的量化或定性目标"),
    ("有基线", "规划印出2020年基线值的指标"),
    ("列明责任单位", "规划原文为其列出责任单位的指标")))

st.subheader(f"规划(共 {plan_rows.total:,} 个)")
ui.static_table(plans[["地区", "类别", "规划", "指标数", "重点表指标", "文字目标", "有基线", "定性目标", "列明责任单位",
                       "期限", "目标年", "印发文号", "来源文件", "标题行"]], wide=True)
st.caption("定性目标:没有数值的目标(如“应援尽援”),不计入达标率分母;印发文号为“—”:目录未记录;标题行:规划标题在来源"
           "文件中的行号。")
paging.control(plan_rows)

st.subheader("指标")
titles = dict(zip(plans["plan_id"], plans["规划"]))
left, right = st.columns([1, 3], vertical_alignment="bottom")
ui.keep_shown(["plan"])
# The plan choice in a popover, which the browser mounts only when opened: a selectbox on the first screen made every
# new visitor fetch its JavaScript. Still bound to the URL (?plan=).
plan = left.popover("按规划查看", icon=":material/filter_list:", width="stretch").selectbox(
    "规划" + ("(本页所列规划)" if plan_rows.pages > 1 else ""), [ALL, *titles],
    format_func=lambda v: titles.get(v, v), key="plan", bind="query-params")
search = right.text_input("搜索指标名称", key="q", bind="query-params", placeholder="例如:孕产妇死亡率",
                          help="按指标名称查找(忽略空格),例如“孕产妇死亡率”“女性比例”")
search = (search or "").strip() or None
chosen = {**scope, "plan": None if plan == ALL else plan, "search": search}
rows = paging.fetch("catalogue_indicators", "indicator_page", ROWS, **chosen)
inds = rows.frame

if inds.empty:
    st.info(ui.plain("没有符合条件的指标。" + (f"请检查搜索词“{ui.shorten(search)}”,或放宽侧栏筛选。" if search else "")))
    st.stop()
st.caption(ui.plain(("" if plan == ALL else f"{titles.get(plan, plan)}:") + f"{rows.total:,} 项指标"
                    + (f",名称含“{ui.shorten(search)}”" if search else "") + "。"))

if search and rows.total <= CARDS:
    for row in inds.itertuples():
        with st.container(border=True):
            where = row.出处
            if row.指标名行号 != row.行号:
                where += f"(指标名见第{row.指标名行号}行)"
            baseline = "" if row.基线 == "—" else f";基线 {row.基线}"
            source = (f"原文:重点指标表,目标单元格“{row.原文引文}” — {where}" if row.重点表
                      else f"原文:“{row.原文引文}” — {where}")
            st.markdown(f"**{ui.plain(row.地区)} · {ui.plain(row.规划)}** — {ui.plain(row.指标)}")
            st.markdown(ui.plain(f"目标:{row.目标}(原文“{row.目标原文}”),{row.目标年}年{baseline};"
                                 f"责任单位:{row.责任单位}") + "\n\n" + ui.plain(source))
            if isinstance(row.说明, str) and row.说明:
                st.caption(ui.plain(f"编目说明:{ui.curator_note(row.说明)}"))
            st.page_link("pages/indicator.py", label="指标详情 →", query_params={"id": row.indicator_id, **f.url()})

ui.static_table(ui.as_links(ui.with_detail_links(inds, f)).assign(重点表=inds["重点表"].map({True: "是", False: "否"}),
                                                     单位=inds["单位"].replace("", ui.MISSING),
                                                     说明=inds["说明"].map(ui.curator_note))[
    ["地区", "类别", "指标", "目标", "目标年", "原文引文", "出处", ui.DETAIL, "领域", "单位", "重点表", "基线", "目标原文",
     "责任单位", "说明"]].rename(columns={"说明": "编目说明"}), wide=True)
st.caption("目标:规范写法(≥ 不低于,≤ 不高于);目标原文:规划印出的目标,原样照录;原文引文:规划原文中含目标数字的一段,"
           "出处为其来源文件和行号;重点表:规划重点指标表中的行。基线引文和行号见下载的文件。")
paging.control(rows)

ui.download_menu(paging.every_row("catalogue_indicators", {"indicator_id": "指标编号", "plan_id": "规划编号"}, **chosen),
                 "规划指标目录", "规划指标目录", f"下载这 {rows.total:,} 项指标(含基线引文和行号)")
