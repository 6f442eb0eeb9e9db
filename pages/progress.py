"""报送进度: per region and unit, for a round, what is owed, submitted, approved, returned, missing and overdue;
a 催报 list of the units still missing, downloadable (xlsx) and printable. Viewing needs no login."""
import streamlit as st

from planwatch import downloads, paging, round_ui, ui
from planwatch import round as round_mod

f = ui.page_filters()
st.title("报送进度")
rounds = round_mod.rounds(ui.connection().cursor())
if rounds.empty:
    st.info("尚未开启年度监测。管理员可在“监测管理”页开启。")
    st.stop()
year = st.selectbox("监测年份", list(rounds["year"]), format_func=lambda y: round_mod.round_label(rounds, y))
deadline, closed = round_mod.round_of(rounds, year)
scope = dict(year=int(year), region=f.region)
board = paging.fetch("round_board", "board_page", **scope)  # a unit a row: ~34,000 at national scale
if closed:
    st.info(f"本年度报送已结束({closed:%Y-%m-%d %H:%M}):不再计逾期;“未报齐”的单位结束时仍有未报或退回的指标。")
st.caption(f"报送 {year} 年数值,截止日期 {deadline:%Y-%m-%d}。应报 = 各单位牵头的指标;"
           "已提交含待审核和已通过;退回的指标须重新提交;只有审核通过的数值计入统计。"
           + (f"(地区:{f.region_name})" if f.region else ""))
totals = ui.query("round_board_totals", **scope).iloc[0].fillna(0).drop("逾期单位" if closed else "未报齐单位")
ui.metrics([(label, f"{int(value):,}") for label, value in totals.items()])

st.dataframe(ui.shown(board.frame, keep=("报送及时率",)), hide_index=True, width="stretch", column_config={
    "报送及时率": st.column_config.ProgressColumn("报送及时率", format="percent", min_value=0, max_value=1)})
paging.control(board)
ui.download_menu(paging.every_row("round_board", **scope), f"报送进度_{year}年", "报送进度",
                 f"下载报送进度(全部 {board.total:,} 个单位)")

st.subheader("催报清单")
reminders = paging.fetch("round_reminders", "reminder_page", **scope)
if not reminders.total:
    st.success("各单位已全部报送。")
else:
    st.caption(f"{reminders.total:,} 个单位仍有未报或被退回的指标。"
               + ("本年度报送已结束,补报由工委办公室直接导入。" if closed else ""))
    st.dataframe(ui.shown(reminders.frame), hide_index=True, width="stretch")
    paging.control(reminders)
    every = paging.every_row("round_reminders", **scope)  # the files are made when a button is clicked
    left, right = st.columns(2)
    left.download_button("下载催报清单(xlsx)", lambda: downloads.xlsx_bytes(every(), "催报清单"), on_click="ignore",
                         file_name=f"催报清单_{year}.xlsx", mime=downloads.XLSX_MIME, width="stretch")
    title = f"{year}年度监测催报清单(截止 {deadline:%Y-%m-%d})"
    right.download_button("打印版(网页,浏览器中打印)", lambda: round_ui.printable(every(), title), on_click="ignore",
                          file_name=f"催报清单_{year}.html", mime="text/html", width="stretch")
