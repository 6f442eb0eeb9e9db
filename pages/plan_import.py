"""规划导入: upload a plan document, review the extracted draft beside the source text, publish it to the catalogue."""
import pandas as pd
import streamlit as st

from planwatch import ui
from planwatch.catalogue import TARGET_OPS
from planwatch.db import DatabaseBusy
from planwatch.extract import ReadError, plan_sections, publish, regions, review
from planwatch.extract.reading import MAX_BYTES
from planwatch.paths import default_db

DIRECTION_WORDS = {d: ui.NOTE_WORDS[d] for d in ("higher", "lower", "keep")} | {"qualitative": "定性"}
MAX_MB = MAX_BYTES // 2**20  # the reader's limit (20 MB, as the server's .streamlit/config.toml maxUploadSize)

ui.page_filters()
st.title("规划导入")
user = review.require_admin()
st.caption(f"当前用户:**{user}**。上传本地规划文件(txt、Word、PDF),系统提取重点指标表和正文中的量化目标,"
           "逐条核对(可修改、删除、补充)后选择地区和规划期发布;发布后各页面立即包含该规划。")

# (.doc too: the reader says in Chinese to save it as .docx, where the box would refuse it in English)
upload = st.file_uploader(f"规划文件(txt、docx 或 pdf,不超过 {MAX_MB} MB)", type=["txt", "docx", "pdf", "doc"],
                          key="plan_file", max_upload_size=MAX_MB)
if upload is not None:
    try:
        review.load_document(upload.getvalue(), upload.name)
    except ReadError as exc:
        st.error(str(exc))
doc = st.session_state.get("import_doc")   # the draft stays while the reviewer works (until another file)
if doc is None:
    st.stop()
lines = doc["lines"]
sections = plan_sections(lines) or [{"title": "", "first": 1, "last": len(lines), "group": "妇女", "target_year": 2025}]
period_end = sections[0]["target_year"]

st.subheader(f"① 核对草稿(共 {len(doc['draft'])} 条候选,按原文顺序)")
st.caption("每行对应原文一处目标;置信度低的请重点核对。删除行:选中行后按删除键。目标类型:`>=` 以上 · `<=` 以下 · "
           "`~` 左右 · `maintain` 保持(目标文字为“持续提升”“逐步提高”等的,须超出容差地向好变化才算达标) · `qualitative` 定性。方向:“左右”目标按方向判定,越高越好的(如儿科医师数"
           "0.85人左右)高出目标也算达到,保持在某水平的(如出生人口性别比108左右)高出、低于都算偏离。"
           "通用指标为系统建议(名称相似度与单位),请确认或清空。")
left, right = st.columns([3, 2])
with left:
    draft = st.data_editor(
        doc["draft"], key=f"draft_{doc['key']}_{doc['version']}", num_rows="dynamic", hide_index=True, height=460,
        column_order=["source_line", "is_key", "name", "unit", "target_op", "target_value", "direction", "target_year",
                      "baseline_value", "domain", "responsible_units", "canonical_id", "canonical_score",
                      "confidence", "quote", "note"],
        column_config={
            "source_line": st.column_config.NumberColumn("行号", min_value=1, max_value=len(lines), step=1),
            "is_key": st.column_config.CheckboxColumn("重点表"),
            "name": st.column_config.TextColumn("指标名称", width="medium"),
            "unit": st.column_config.TextColumn("单位", width="small"),
            "target_op": st.column_config.SelectboxColumn("目标类型", options=sorted(TARGET_OPS)),
            "target_value": st.column_config.TextColumn("目标值", width="small"),
            "direction": st.column_config.SelectboxColumn("方向", options=list(DIRECTION_WORDS),
                                                          format_func=DIRECTION_WORDS.get),
            "target_year": st.column_config.NumberColumn("目标年", step=1, format="%d"),
            "baseline_value": st.column_config.TextColumn("2020年基线", width="small"),
            "domain": st.column_config.SelectboxColumn("领域", options=review.domains()),
            "responsible_units": st.column_config.TextColumn("责任单位"),
            "canonical_id": st.column_config.SelectboxColumn("通用指标(建议)", options=review.canonical_ids()),
            "canonical_score": st.column_config.NumberColumn("相似度", disabled=True, format="%.2f"),
            "confidence": st.column_config.ProgressColumn("置信度", min_value=0, max_value=1, format="%.1f"),
            "quote": st.column_config.TextColumn("原文引用(逐字)", width="large"),
            "note": st.column_config.TextColumn("备注"),
        })
with right:
    labels = review.row_labels(draft)
    chosen = st.selectbox("查看原文", range(len(labels)), format_func=lambda i: labels[i][0]) if labels else None
    line_no, name_line = labels[chosen][1:] if chosen is not None else (1, 1)
    st.html(review.source_view(lines, line_no, name_line))
    with st.expander("从原文补充一条"):
        add_line = st.number_input("行号", min_value=1, max_value=len(lines), value=line_no, step=1)
        sentence = st.text_area("句子(从原文逐字复制)", value=lines[int(add_line) - 1][:200], height=90)
        if st.button("提取并添加"):
            try:
                added = review.rows_from_sentence(lines, int(add_line), sentence.strip(), period_end)
            except ValueError as exc:
                st.error(str(exc))
            else:
                review.replace_draft(doc, pd.concat([draft, pd.DataFrame(added)], ignore_index=True))
                st.rerun()

st.subheader("② 地区、规划期与发布")
k = st.selectbox("本次发布文件中的哪个规划(一份文件含两个规划时请分别发布)", range(len(sections)),
                 format_func=lambda i: f"{sections[i]['title'] or '整份文件'}(第{sections[i]['first']}–{sections[i]['last']}行)")
sec = sections[k]
choices = regions.choices()
c1, c2, c3, c4 = st.columns([3, 1, 1, 1])
region = c1.selectbox("地区(县级、市级单位,含行政区划代码)", range(len(choices)), index=None,
                      format_func=lambda i: choices[i][0], placeholder="输入地名搜索")
group = c2.radio("规划类别", ["妇女", "儿童"], index=["妇女", "儿童"].index(sec["group"]), horizontal=True, key=f"g{k}")
start = c3.number_input("起始年", 2000, 2050, 2021, step=1)
end = c4.number_input("目标年", 2000, 2050, sec["target_year"], step=1, key=f"end{k}")
# (a slider needs two ends: a document of one line is that line)
first, last = st.slider("本规划在文件中的行范围", 1, len(lines), (sec["first"], sec["last"]), key=f"range{k}") \
    if len(lines) > 1 else (1, 1)
title = st.text_input("规划名称", value=sec["title"], key=f"title{k}")
issuing = st.text_input("印发文号(可空)")
rows = review.rows_in_range(draft, first, last)
if st.button(f"发布规划({len(rows)} 条指标)", type="primary", disabled=region is None or not title):
    info = publish.PlanInfo(choices[region][1], group, title.strip(), int(start), int(end), issuing.strip())
    try:
        plan_id = publish.publish(lines, rows, info, db_path=default_db())  # and rebuilds the database
    except publish.PublishRefused as refused:
        st.error(f"未发布,数据目录未改动。共 {len(refused.problems)} 处问题:")
        st.text("\n".join(refused.problems[:50]))
    except DatabaseBusy as busy:
        st.error(str(busy))
    else:
        st.success(f"已发布 {title}({plan_id}),共 {len(rows)} 条指标。各页面已包含该规划。")
        st.page_link("pages/catalogue.py", label="在规划指标目录中查看 →")
