"""Who is acting in a reporting round: the one place that talks to the accounts store.

The accounts store and the login widget are built on branch wip/login (`Account(name, role, region, unit)`,
`accounts.get/verify`, `login.require(roles=...)`). Until that lands this adapter reads accounts from the
environment variable PLANWATCH_ACCOUNTS ("name:role:region:unit:bcrypt-hash;…"); editor accounts of
planwatch/auth.py keep working as office importers.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

import duckdb

from planwatch import auth

ROLES = {"filler": "填报员", "reviewer": "审核员", "admin": "管理员", "importer": "导入员"}


@dataclass(frozen=True)
class Account:
    name: str
    role: str  # filler | reviewer | admin | importer
    region: str | None = None  # region name, e.g. 张家港市 (None: every region)
    unit: str | None = None  # unit name within the region, e.g. 市卫健局 (fillers)

    @property
    def label(self) -> str:
        where = " · ".join(p for p in (self.region, self.unit) if p)
        return f"{self.name}({ROLES.get(self.role, self.role)}{'·' + where if where else ''})"


def _accounts() -> dict[str, tuple[Account, str]]:
    found = {name: (Account(name, "importer"), hashed) for name, hashed in auth.editors().items()}
    for item in filter(None, os.environ.get("PLANWATCH_ACCOUNTS", "").split(";")):
        name, role, region, unit, hashed = (item.split(":", 4) + [""] * 5)[:5]
        found[name] = (Account(name, role, region or None, unit or None), hashed)
    return found


def get(name: str) -> Account | None:
    found = _accounts().get(name)
    return found[0] if found else None


def verify(name: str, password: str) -> Account | None:
    found = _accounts().get(name)
    return found[0] if found and auth.check(name, password, {name: found[1]}) else None


def unit_id(con: duckdb.DuckDBPyConnection, account: Account) -> str | None:
    """The unit_id (`<region_code>:<name>`) of a filler's unit, or None when the catalogue has no such unit."""
    if not account.unit:
        return None
    row = con.execute("SELECT DISTINCT u.unit_id FROM unit u JOIN region r USING (region_code) "
                      "LEFT JOIN unit_alias a ON a.region_code = u.region_code AND a.name = u.name "
                      "WHERE (u.name = $unit OR a.alias = $unit) AND ($region IS NULL OR r.name = $region)",
                      {"unit": account.unit, "region": account.region}).fetchall()
    return row[0][0] if len(row) == 1 else None


def require(*roles: str) -> Account:
    """The signed-in account of this browser session with one of `roles`; otherwise a login form and st.stop()."""
    import streamlit as st

    account = st.session_state.get("account")
    if account is not None and account.role in roles:
        return account
    wanted = "、".join(ROLES[r] for r in roles)
    if account is not None:
        st.warning(f"当前账号 {account.label} 无权使用本页(需要{wanted}账号)。")
        if st.button("退出登录"):
            del st.session_state["account"]
            st.rerun()
        st.stop()
    with st.form("login"):
        st.write(f"本页需要{wanted}账号登录;查看各监测页面无需登录。")
        name = st.text_input("用户名")
        password = st.text_input("密码", type="password")
        if st.form_submit_button("登录", type="primary"):
            found = verify(name, password)
            if found is not None:
                st.session_state["account"] = found
                st.rerun()
            st.error("用户名或密码不正确。")
    st.stop()
