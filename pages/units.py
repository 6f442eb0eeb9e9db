"""责任单位: a scorecard per responsible unit, one unit's indicators, and the plans that name no units."""
import streamlit as st

from planwatch import paging, ui

UNITS = 100  # scorecard rows a page (and units offered in the picker below): at national scale there are ~34,000
NAMED = 5  # plans named in the notice on plans that name no units

f = ui.page_filters()
scope = dict(year=f.year, group=f.group, region=f.region, domain=f.domain)
rows = paging.fetch("unit_scorecard", "unit_page", UNITS, **scope)  # counts the units as it chooses its page
card = rows.frame
st.title(f"责任单位 · 截至{f.year}年")
if (card["n_demo"] > 0).any():
    ui.demo_notice()
st.caption("责任单位及其分工均照录规划原文。一项指标列有多个单位时,计入每个单位;达标率 = 已达标 ÷ 已评估"
           "(有数据的定量指标),无数据和定性指标不计入分母。侧栏的“责任单位”筛选只决定下方默认查看的单位。")

st.subheader(f"各单位计分卡(共 {rows.total:,} 个单位)")
if card.empty:
    st.info("所选范围内的规划没有列明任何责任单位。")
else:
    roles_printed = bool(card["牵头"].sum() + card["配合"].sum())
    ui.static_table(card.assign(**{c: card[c].map(ui.rate) for c in ("达标率", "基本实现率", "报送及时率")})[
        ["地区", "责任单位", "指标数", "达标率", "基本实现率", "已达标/已评估", "红色预警", "已达标", "进展顺利", "进度滞后",
         "逆向变化", "无数据", "定性", "首位列名", *(["牵头", "配合"] if roles_printed else []), "未区分", "来源",
         "报送及时率"]], wide=True)
    st.caption("按红色预警从多到少排列(同数时指标多的在前)。基本实现率 =(已实现 + 基本实现)÷ 已评估;红色预警:截至年份的"
               "红色预警条数(见预警清单);首位列名:该单位"
               "在原文责任单位列表中排第一位的指标数;牵头、配合:原文写明的分工,未区分:原文只列单位;来源:规划列明"
               "(规划原文所列)或工委指定;报送及时率:该年度监测中截止日期前首次提交的应报指标 ÷ 应报指标(见报送进度),"
               "未开启该年度监测时为“—”。")
    paging.control(rows)
    if not roles_printed:
        st.caption("这些规划的原文只列出责任单位,未区分牵头与配合;“首位列名”为该单位排在责任单位列表第一位的指标数,"
                   "不等于牵头。")
    # (示例值指标: how many of the unit's values are demonstration ones, as in the report's workbook; no
    # "已达标/已评估": its "2/3" opens in Excel as a date, and the two counts are columns of their own)
    ui.download_menu(paging.every_row("unit_scorecard", {"unit_id": "单位编号", "n_demo": "示例值指标"},
                                      drop=("已达标/已评估",), **scope),
                     f"责任单位计分卡_截至{f.year}年", "责任单位计分卡", f"下载计分卡(全部 {rows.total:,} 个单位)")

    labels = {row.unit_id: f"{row.地区} · {row.责任单位}({row.指标数} 项指标)" for row in card.itertuples()}
    units = list(labels)
    head = st.container(horizontal=True, vertical_alignment="bottom")
    title = head.empty()
    # The choice in a popover, which the browser mounts only when opened (as on 指标详情): a selectbox on the first
    # screen made every new visitor fetch its JavaScript.
    key = f"unit_pick_{f.unit}"
    st.session_state.setdefault(key, f.unit if f.unit in labels else units[0])
    if st.session_state[key] not in labels:  # the scorecard's page or the filters changed
        st.session_state[key] = units[0]
    ui.keep_shown([key])
    chosen = head.popover("查看其他单位", icon=":material/search:").selectbox(
        "责任单位(本页计分卡中的单位,可输入名称查找)", units, format_func=labels.get, key=key)
    title.subheader(ui.plain(f"单位详情 · {labels[chosen]}"))
    if f.unit is not None and f.unit not in labels:
        st.caption("侧栏所选责任单位不在本页计分卡中(在当前筛选范围内没有指标,或在计分卡的其他页),"
                   "已显示本页第一个单位。")
    row = card.set_index("unit_id").loc[chosen]
    ui.metrics([("负责指标", int(row["指标数"]), "原文将该单位列为责任单位的指标数"),
                ("达标率", ui.rate(row["达标率"] if row["已评估"] else None), "已达标 ÷ 已评估(有数据的定量指标)"),
                ("已达标 / 已评估", row["已达标/已评估"]),
                ("红色预警", int(row["红色预警"]))])
    detail = ui.query("unit_indicators", **scope, unit=chosen)
    detail = ui.with_detail_links(detail, f).assign(原文出处=detail["原文"] + "(第" + detail["行号"].astype(str) + "行)")
    ui.static_table(ui.as_links(detail)[["规划", "领域", "指标", "状态", ui.DETAIL, "角色", "列名顺序", "原文出处", "原因",
                                         "全部责任单位", "来源"]], wide=True)
    st.caption("角色:原文写明“牵头”“配合”时照录,否则为“未区分”;列名顺序:该单位在原文责任单位列表中的位置,1 为第一位;"
               "全部责任单位:原文为该指标列出的全部单位,按列名顺序。")

unlisted = paging.fetch("units_unlisted", "unlisted_page", **scope)  # at national scale, thousands of plans
if unlisted.total:
    st.subheader(f"有指标未列明责任单位的规划(共 {unlisted.total:,} 个)")
    none = unlisted.frame.loc[unlisted.frame["说明"] == "规划未列明责任单位", "规划"].tolist()  # listed first
    n_none = int(unlisted.frame["n_none"].iloc[0])  # on every page, not only this one
    if none:
        named = "、".join(none[:NAMED]) + ("等" if n_none > NAMED else "")
        st.warning(ui.plain(f"其中 {n_none:,} 个规划完全未列明责任单位({named}),其指标不计入上方计分卡。"),
                   icon=":material/info:")
    ui.static_table(unlisted.frame[["地区", "类别", "规划", "说明", "指标数", "未列明单位的指标", "仅为目标列明的单位条目"]])
    st.caption("仅为目标列明的单位条目:规划为某项目标或工程列出了单位,但该目标没有对应的量化指标。")
    paging.control(unlisted)
