"""审核: a 审核员 (监测组 / 妇儿办) reviews the region's submissions — old → new values, the status changes approval
would cause — and approves them (they count from then on) or returns them to the unit with a reason."""
import streamlit as st

from planwatch import choice, login, review, round_ui, ui
from planwatch.paths import default_db

ui.page_filters()
st.title("审核")
account = login.require({"reviewer", "admin"}, note="审核需要审核员账号登录;查看各页面无需登录。")
login.logout_button(account)
for message in st.session_state.pop("review_done", []):
    st.success(message)
queue = ui.query("review_queue", region_code=account.region if account.role == "reviewer" else None)
if queue.empty:
    choice.none_left("review_batch")  # another reviewer took the last batch on screen
    st.info("没有待审核的提交。")
    st.stop()
st.caption(f"待审核 {len(queue)} 批,最早提交的在前。审核通过的数值计入各页面和报告;退回的提交连同原因返回填报单位。")
labels = {r.batch_id: f"批次 {r.batch_id} · {r.unit} · {r.submitted_by} · {r.created_at:%Y-%m-%d %H:%M} · {r.row_count} 项"
          for r in queue.itertuples()}
batch_id, picked = choice.pick("选择提交", labels, "review_batch", labels.get)
con = ui.connection().cursor()
preview = review.preview_batch(con, int(batch_id))
changed = (preview["old_status"] != preview["new_status"]).sum()
st.write(f"通过后:{len(preview)} 项数值计入,其中 {changed} 项指标状态改变(黄色标出)。")
round_ui.status_table(preview)

with st.form("decision"):
    # one box per batch: a reason written for one batch is never carried to the next decision
    note = st.text_area("审核意见(退回时必填,将告知填报单位)", max_chars=1000, key=f"review_note_{batch_id}")
    approve, send_back = st.columns(2)
    approved = approve.form_submit_button("审核通过", type="primary", width="stretch")
    returned = send_back.form_submit_button("退回", width="stretch")
if choice.act(approved or returned, picked):
    try:
        superseded = review.review(default_db(), int(batch_id), account, approve=approved, note=note)
    except review.ReviewRefused as refused:
        st.error(str(refused))
    else:
        st.session_state["review_done"] = [review.approved_text(batch_id, superseded) + "。" if approved
                                           else f"批次 {batch_id} 已退回:{note.strip()}"]
        st.rerun()
