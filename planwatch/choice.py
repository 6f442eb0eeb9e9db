"""The item a button acts on: a batch to review or undo, an indicator to assign, an assignment to revoke, an
account, a year to close.

A selectbox answers by position. When the list changes between the user's look and their click (another user
approved the batch on screen, an import added a batch, an admin removed an account), the click's rerun reads the new
list and the same position names another item: 审核 returned a batch nobody had opened, 撤销 undid a batch that
was not the chosen one. pick() remembers the list each run showed; `unchanged` is false when this run's list is not
that one, and the page then refuses the action with STALE instead of acting (the user looks again and clicks again).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

STALE = "列表在您查看后已有变化(他人已处理、新增或删除了记录),为免误操作,本次未执行;请核对所选内容后重新操作。"


def pick(label: str, options: Sequence, key: str, format_func: Callable = str, where=st, **kwargs):
    """(the chosen option, unchanged): a selectbox under `where` (st, a column, a form), and whether its options
    are the ones the previous run showed, so an action clicked now applies to what the user saw."""
    options = list(options)
    value = where.selectbox(label, options, format_func=format_func, key=key, **kwargs)
    shown_key = f"{key}_options_shown"
    unchanged = st.session_state.get(shown_key) == options
    st.session_state[shown_key] = options
    return value, unchanged


def act(clicked: bool, unchanged: bool) -> bool:
    """Whether to carry out a click on the chosen item: not when the list changed since the user looked (STALE is
    shown instead)."""
    if clicked and not unchanged:
        st.error(STALE)
    return clicked and unchanged
