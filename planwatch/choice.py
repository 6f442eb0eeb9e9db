"""The item a button acts on: a batch to review or undo, an indicator to assign, an assignment to revoke, an
account, a year to close.

A keyed selectbox keeps its choice while the item is still listed; when the item goes (another user approved the
batch on screen, deleted the account chosen), Streamlit quietly shows the first item instead, at the next rerun —
one made by the user's own next step (ticking 确认, typing a password) or by the click itself. The button then
acted on an item the user never chose: 审核 returned a batch nobody had opened, 删除账号 removed another account.
pick() notices a choice that changed without the user changing it, says so at once (STALE_SHOWN) and makes the next
click refuse (STALE); the click after that acts on the item now shown. When the last item goes, the list and its
button are gone: none_left() says so (GONE) instead of a bare empty page.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import streamlit as st

STALE_SHOWN = "您原来选中的一项已被他人处理或删除,上面显示的是另一项;请核对后再操作。"
STALE = "所选内容在您查看后已变化(他人已处理或删除了原来的一项),为免误操作,本次未执行;请核对所选内容后重新操作。"
GONE = "您查看的一项已被他人处理或删除,现在没有可选的内容;刚才的操作(如有)未执行。"


@dataclass(frozen=True)
class Pick:
    key: str
    stale: bool  # the choice changed since the user last saw or made it


def pick(label: str, options: Sequence, key: str, format_func: Callable = str, **kwargs):
    """(the chosen option, Pick): a selectbox (not inside a form, whose widgets take no callbacks) that knows whether
    its choice is still the one the user made."""
    moved, seen, stale = f"{key}_moved", f"{key}_seen", f"{key}_stale"
    value = st.selectbox(label, list(options), format_func=format_func, key=key,
                            on_change=lambda: st.session_state.__setitem__(moved, True), **kwargs)
    if st.session_state.pop(moved, False):
        st.session_state[stale] = False
    elif seen in st.session_state and st.session_state[seen] != value:
        st.session_state[stale] = True
    st.session_state[seen] = value
    if st.session_state.get(stale):
        st.warning(STALE_SHOWN)
    return value, Pick(key, bool(st.session_state.get(stale)))


def act(clicked: bool, chosen: Pick) -> bool:
    """Whether to carry out a click on the chosen item: not the first click after the choice changed under the user
    (STALE is shown; the next click acts on the item shown)."""
    if not clicked:
        return False
    if chosen.stale:
        st.session_state[f"{chosen.key}_stale"] = False
        st.error(STALE)
        return False
    st.session_state.pop(f"{chosen.key}_seen", None)  # the item acted on may go: no change under the user
    return True


def none_left(key: str) -> None:
    """Where the list pick() showed under `key` is empty now: if the user had an item of it in view (not one they
    just acted on, which act() forgets), say that it went and that a click on it did nothing."""
    if st.session_state.pop(f"{key}_seen", None) is not None:
        st.session_state.pop(f"{key}_stale", None)
        st.warning(GONE)
