"""妇女儿童发展规划监测 — the Streamlit entry point: page router and shared sidebar."""
import streamlit as st

from planwatch import db, navigation, streamlit_compat, ui

st.set_page_config(page_title="妇女儿童发展规划监测", page_icon=":material/monitoring:", layout="wide")

streamlit_compat.open_default_page_by_its_path("overview")
page = st.navigation(navigation.st_pages(), position="hidden")  # the menu is ours: navigation.menu
ui.page_setup()
navigation.menu(navigation.current_role(), page.url_path)
st.session_state["filters"] = ui.filters()
try:
    page.run()
except db.DatabaseBusy as busy:  # any page's write that waited past the lock's limit: said, nothing was written
    st.error(f"{busy}本次操作未执行,数据库未改动。")
