"""账号管理 (administrators only): the accounts, adding one with its role and scope, resetting a password, removing.

Every change goes through planwatch/accounts.py (the same checks and messages as `python -m planwatch users`).
"""
import re

import streamlit as st

from planwatch import accounts, choice, login, ui
from planwatch.paths import default_db

ui.page_filters()
st.title("账号管理")
me = login.require({"admin"}, note="账号管理需要管理员登录。")
login.logout_button(me)
db_path = default_db()
INPUTS = ("new_name", "new_password", "new_password2", "reset_password", "reset_password2", "remove_confirm")


def _plain(text: str) -> str:
    """Names inside a message shown as typed, not as Markdown."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:])", r"\\\1", text)


def _done(message: str) -> None:
    st.session_state["accounts_done"] = message
    for key in INPUTS:
        st.session_state.pop(key, None)
    st.rerun()


def _passwords(key: str) -> str | None:
    first = st.text_input("密码", type="password", key=key, max_chars=accounts.MAX_PASSWORD_BYTES,
                          help=f"至少 {accounts.MIN_PASSWORD} 个字符")
    second = st.text_input("再次输入密码", type="password", key=key + "2", max_chars=accounts.MAX_PASSWORD_BYTES)
    if first != second:
        st.error("两次输入的密码不一致。")
        return None
    return first


if "accounts_done" in st.session_state:
    st.success(_plain(st.session_state.pop("accounts_done")))

scopes = ui.query("account_scopes")
regions = dict(zip(scopes["region_code"], scopes["region_name"]))
units = dict(zip(scopes["unit_id"].dropna(), scopes["unit_name"].dropna()))
listed = accounts.list(db_path)
st.dataframe([{"用户名": a.name, "角色": a.role_label, "地区": regions.get(a.region, a.region or ""),
               "单位": units.get(a.unit, a.unit or ""), "保存在": "旧配置(secrets.toml 或环境变量)" if a.legacy else "账号文件"}
              for a in listed], hide_index=True, width="stretch")
st.caption(f"账号文件:{accounts.store_path(db_path).name}(与数据库同一目录,只保存 bcrypt 散列)。"
           "填报员只能填报本单位的指标,审核员审核本地区的提交,管理员管理账号,导入员由办公室直接导入数据。")

tab_add, tab_reset, tab_remove = st.tabs(["添加账号", "重设密码", "删除账号"])
with tab_add:
    c1, c2 = st.columns(2)
    name = c1.text_input("用户名", key="new_name", max_chars=accounts.MAX_NAME)
    role = c2.selectbox("角色", list(accounts.ROLES), format_func=accounts.ROLES.get, key="new_role")
    region = unit = None
    if role in ("filler", "reviewer"):
        region = c1.selectbox("地区", list(regions), format_func=regions.get, key="new_region")
    if role == "filler":
        choices = scopes[(scopes["region_code"] == region) & scopes["unit_id"].notna()]
        unit = c2.selectbox("责任单位", list(choices["unit_id"]), format_func=units.get, key="new_unit",
                            placeholder="该地区尚无责任单位")
    password = _passwords("new_password")
    if st.button("添加账号", type="primary", disabled=password is None):
        try:
            added = accounts.add(db_path, name, password, role, region, unit, con=ui.connection())
        except accounts.AccountError as exc:
            st.error(_plain(str(exc)))
        else:
            _done(f"已添加{added.role_label}账号“{accounts.shown(added.name)}”。")

names = [a.name for a in listed]
with tab_reset:
    chosen, picked = choice.pick("账号", names, "reset_name", accounts.shown)
    password = _passwords("reset_password")
    if choice.act(st.button("重设密码", type="primary", disabled=password is None or chosen is None), picked):
        try:
            accounts.set_password(db_path, chosen, password)
        except accounts.AccountError as exc:
            st.error(_plain(str(exc)))
        else:
            if chosen == me.name:  # one's own: this page stays logged in, the others end
                login.renew(me)
            _done(f"已重设账号“{accounts.shown(chosen)}”的密码;该账号在其他浏览器的登录随之失效。")

with tab_remove:
    others = [n for n in names if n != me.name]
    chosen, picked = choice.pick("账号", others, "remove_name", accounts.shown, help="不能删除当前登录的账号。")
    sure = st.checkbox("确认删除该账号", key="remove_confirm")
    if choice.act(st.button("删除账号", disabled=not sure or chosen is None), picked):
        try:
            accounts.remove(db_path, chosen)
        except accounts.AccountError as exc:
            st.error(_plain(str(exc)))
        else:
            _done(f"已删除账号“{accounts.shown(chosen)}”。")
