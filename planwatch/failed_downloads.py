"""A download whose file fails to be made is said on the page in Chinese, naming the file and the problem.

A download button's file is made when it is clicked, by Streamlit's deferred-file handler, outside any script run.
Left alone, a failure there (an exception in the function that makes the file, or Streamlit's MediaFileStorageError)
is logged on the server and the browser shows an English line under the button for five seconds. Instead:
- `made_when_clicked(make, file_name)` wraps the function: a failure is logged with its traceback, its Chinese
  message kept for the visitor's session, and raised again (no file is sent);
- the handler (`streamlit_compat.report_download_failures(message_for)`, installed by planwatch.ui) sends the
  browser that message instead of Streamlit's English, and reruns the session;
- the rerun draws the message as st.error beside the page's download buttons (`ui.download_failure()`), once.
"""
from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable

from planwatch import streamlit_compat

LOG = logging.getLogger(__name__)
UNKNOWN_FILE = "下载文件未能生成(页面可能已更新),请再点一次下载按钮。"
MAX_SESSIONS = 1_000  # messages kept for sessions that have not rerun yet; the oldest go first

_pending: OrderedDict[str, str] = OrderedDict()  # session id -> the message its next run shows
_lock = threading.Lock()


def reason(exc: BaseException) -> str:
    """What went wrong, in Chinese: planwatch's own refusals say it themselves (e.g. 另一项写入仍在进行, a report
    scope too large); anything else is named by kind, its English detail left to the server's log."""
    if isinstance(exc, MemoryError):
        return "服务器内存不足,请缩小范围(地区、规划或单位)后再试。"
    text = " ".join(str(exc).split())
    if type(exc).__module__.startswith("planwatch") and re.search(r"[\u4e00-\u9fff]", text):
        return text if len(text) <= 120 else text[:120] + "…"
    if isinstance(exc, OSError):
        return "服务器无法读写文件,请稍后再试或联系管理员。"
    return "程序出错(详情已记入服务器日志),请稍后再试或联系管理员。"


def _keep(session: str | None, message: str) -> None:
    if session is None:
        return
    with _lock:
        _pending[session] = message
        _pending.move_to_end(session)
        while len(_pending) > MAX_SESSIONS:
            _pending.popitem(last=False)


def made_when_clicked(make: Callable[[], bytes | str], file_name: str) -> Callable[[], bytes | str]:
    """`make`, for a download button's data: a failure is logged, kept in Chinese for this session, raised again.
    Call it during the script run that draws the button (it notes the session)."""
    session = streamlit_compat.session_id()

    def made():
        try:
            return make()
        except Exception as exc:
            LOG.exception("download %s failed", file_name)
            _keep(session, f"未能生成“{file_name}”:{reason(exc)}")
            raise
    return made


def message_for(session: str) -> str:
    """The message for the browser after a failed download of this session (kept for its next run too)."""
    with _lock:  # none kept: Streamlit's own failure, e.g. a click on a button that a rerun had replaced
        message = _pending.get(session, UNKNOWN_FILE)
    _keep(session, message)
    return message


def pop(session: str | None) -> str | None:
    """The message of this session's failed download, once."""
    with _lock:
        return _pending.pop(session, None) if session is not None else None
