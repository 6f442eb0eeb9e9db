"""The login for pages that need an account: `account = login.require(roles={"admin"})` at the top of a page.

require() returns the logged-in Account, or shows the login form (or says the role may not use the page) and
stops the page. The account is looked up again on every run, so a removed account takes effect at once, and so
does a new password or a name removed and added again (perhaps with another role): the session ends and asks for
the password. A successful login sets a signed cookie (accounts.issue_token, TOKEN_HOURS) so that a reload or a new
tab logs in again without the password; 退出登录 clears it and ends every cookie issued to that name so far
(planwatch.logouts). The cookie is read with st.context.cookies and written by a tiny script component
(st.components.v2: script in the app page, no library internals); it is SameSite=Strict, Secure over HTTPS.
st.context.cookies holds the cookies the session started with, so a session that logged out ignores them from then
on.
"""
from __future__ import annotations

import os
import time

import streamlit as st

from planwatch import accounts
from planwatch.paths import default_db

COOKIE = "planwatch_login"
_SESSION = "login_account"  # the name of the logged-in account
_PENDING = "login_cookie"  # cookie text for the script to set in the browser on the next run
_LOGGED_OUT = "login_logged_out"
_SINCE = "login_since"  # when this session logged in: a 退出登录 of the name after it, on any device, ends it
_CREDENTIAL = "login_credential"  # the account's password fingerprint at login: a reset or a re-added name ends it

_set_cookie = st.components.v2.component("planwatch_login_cookie", js="""
export default function ({ data }) {
  if (!data || !data.cookie) return;
  const secure = window.location.protocol === "https:" ? "; Secure" : "";
  document.cookie = data.cookie + "; Path=/; SameSite=Strict" + secure;
}
""")


def _client() -> str | None:
    """The client's address for login throttling. Behind a reverse proxy every request comes from the proxy: when
    the direct peer is one of $PLANWATCH_TRUSTED_PROXIES (comma-separated), the nearest address in X-Forwarded-For
    that is not a trusted proxy is the client (entries further left can be forged by the client itself)."""
    address = st.context.ip_address
    if not isinstance(address, str):  # None under AppTest, or when Streamlit cannot tell
        return None
    return client_address(address, st.context.headers.get("X-Forwarded-For"),
                          os.environ.get("PLANWATCH_TRUSTED_PROXIES", ""))


def client_address(peer: str, forwarded_for: str | None, trusted: str) -> str:
    proxies = {p.strip() for p in trusted.split(",") if p.strip()}
    if peer not in proxies or not forwarded_for:
        return peer
    for hop in reversed([h.strip() for h in forwarded_for.split(",") if h.strip()]):
        if hop not in proxies:
            return hop[:64]
    return peer


def current() -> accounts.Account | None:
    """The logged-in account of this session (from the form or, once per session, from the cookie)."""
    db_path = default_db()
    if _SESSION not in st.session_state and not st.session_state.get(_LOGGED_OUT):
        account = accounts.from_token(db_path, st.context.cookies.get(COOKIE))
        if account is not None:
            _logged_in(account)
    if _SESSION not in st.session_state:
        return None
    account = accounts.with_credential(db_path, st.session_state[_SESSION], st.session_state.get(_CREDENTIAL))
    if account is None or accounts.logged_out_since(db_path, account.name, st.session_state.get(_SINCE, 0)):
        # removed, given a new password, removed and added again (perhaps with another role), or logged out on
        # some device since this session logged in
        del st.session_state[_SESSION]
        return None
    return account


def _logged_in(account: accounts.Account) -> None:
    st.session_state[_SESSION] = account.name
    st.session_state[_SINCE] = time.time()
    st.session_state[_CREDENTIAL] = accounts.credential(default_db(), account.name)


def _write_cookie() -> None:
    """Mounted on every run (an element that came and went would shift the page's widgets, resetting its tabs)."""
    _set_cookie(data={"cookie": st.session_state.pop(_PENDING, None)}, key="login_cookie_writer")


def _form(note: str) -> None:
    with st.form("login"):
        st.write(note)
        name = st.text_input("用户名", max_chars=accounts.MAX_NAME, autocomplete="username")
        password = st.text_input("密码", type="password", max_chars=accounts.MAX_PASSWORD_BYTES,
                                 autocomplete="current-password")
        if st.form_submit_button("登录", type="primary"):
            try:
                account = accounts.verify(default_db(), name.strip(), password, _client())
            except (accounts.LoginRefused, accounts.AccountError) as refused:
                st.error(str(refused))
                return
            if account is None:
                st.error("用户名或密码不正确。")
                return
            renew(account)
            st.session_state.pop(_LOGGED_OUT, None)
            st.rerun()


def renew(account: accounts.Account) -> None:
    """Log this session in as account, with a new cookie: after the login form, or after the account set a new
    password for itself on 账号管理 (the old password's session and cookie end; this one goes on)."""
    _logged_in(account)
    st.session_state[_PENDING] = f"{COOKIE}={accounts.issue_token(default_db(), account)}; " \
                                 f"Max-Age={accounts.TOKEN_HOURS * 3600}"


def logout_button(account: accounts.Account, where=st) -> None:
    """Who is logged in, and 退出登录 (ends the session's login and clears the cookie)."""
    left, right = where.columns([4, 1])
    left.text(f"当前账号:{accounts.shown(account.name)}({account.role_label})")
    if right.button("退出登录", key="logout"):
        st.session_state.pop(_SESSION, None)
        st.session_state[_LOGGED_OUT] = True
        st.session_state[_PENDING] = f"{COOKIE}=; Max-Age=0"
        try:
            accounts.end_tokens(default_db(), account.name)   # a copy of the cookie elsewhere stops working too
        except OSError as exc:
            st.error(f"本页已退出登录,但未能让其他设备同时退出(记录文件无法写入:{exc.strerror or exc})。")
            _write_cookie()
            st.stop()
        st.rerun()


def require(roles: set[str] | None = None, note: str = "本页需要登录;查看各页面无需登录。") -> accounts.Account:
    """The logged-in account if its role is in `roles` (None: any role); otherwise the form, and the page stops."""
    _write_cookie()
    try:
        account = current()
    except accounts.AccountError as exc:  # a damaged accounts file: say so on the page instead of a traceback
        st.error(str(exc))
        st.stop()
    if account is None:
        _form(note)
        st.stop()
    if roles is not None and account.role not in roles:
        allowed = "、".join(accounts.ROLES[r] for r in sorted(roles))
        st.warning(f"当前账号是{account.role_label},本页只供{allowed}使用。")
        logout_button(account)
        st.stop()
    return account
