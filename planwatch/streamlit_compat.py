"""The one place where planwatch relies on Streamlit internals; tests/test_pages.py checks each assumption (the
third: tests/test_failed_downloads.py and tests/test_browser_downloads.py), so a Streamlit upgrade that changes
them fails a test instead of breaking the app.

1. The legacy pages/ router. The design card keeps the pages in `pages/`, which Streamlit also reads as the
   folder of a legacy multipage app: the first request after the server starts may then run a page script
   directly, skipping app.py (and its st.navigation and sidebar filters). `rerun_through_app` switches that
   router off (`PagesManager.uses_pages_directory`) and reruns, so the page runs through app.py. No public
   option does this (renaming the folder would, but the card names it).
2. The default page's own URL. Streamlit serves the default page at "/" and answers its url_path
   ("/overview", which the app's own links and old bookmarks use) with an English "Page not found" dialog.
   `open_default_page_by_its_path` makes a request for that path run the default page silently.
3. A download whose file fails to be made. A download button's file made on click is made by Streamlit's
   DeferredFileHandler outside any script run; on a failure it logs the error and answers the browser "Failed to
   generate file for download" (English, shown under the button). `report_download_failures(message)` wraps
   that handler: the browser gets message(session id) instead, and the session reruns on the page and URL its
   latest run ended on (AppSession._client_state), so the page can say what failed (planwatch.failed_downloads).
   No public hook reports a deferred download's failure.
"""
from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx


def rerun_through_app() -> None:
    """Switch Streamlit's legacy pages/ router off for this process and rerun the request through app.py."""
    PagesManager.uses_pages_directory = False
    st.rerun()


def open_default_page_by_its_path(url_path: str) -> None:
    """Before st.navigation: a request for `url_path` (the default page's own path) runs the default page
    instead of showing "Page not found"."""
    ctx = get_script_run_ctx()
    manager = ctx.pages_manager if ctx else None
    if manager is not None and not manager.intended_page_script_hash and manager.intended_page_name == url_path:
        manager.set_script_intent("", "")


def session_id() -> str | None:
    """The id of the session whose script is running (None outside a script run)."""
    ctx = get_script_run_ctx(suppress_warning=True)
    return ctx.session_id if ctx else None


def report_download_failures(message: Callable[[str], str]) -> None:
    """Streamlit's deferred-file handler answers a failed download with message(session id), in place of its
    English, and reruns that session. Installed once per process (idempotent)."""
    from streamlit.proto.ClientState_pb2 import ClientState
    from streamlit.runtime import Runtime
    from streamlit.runtime.backend_operation_handler import DeferredFileHandler

    if getattr(DeferredFileHandler.handle, "reports_failures", False):
        return
    original = DeferredFileHandler.handle

    async def handle(self, request, session_id):  # on the server's event loop, as AppSession wants
        response = await original(self, request, session_id)
        if response.error_msg:
            response.error_msg = message(session_id)
            session = Runtime.instance().get_app_session(session_id) if Runtime.exists() else None
            if session is not None:  # the page and URL the latest run ended on; no widget state: values kept
                last = session._client_state
                session.request_rerun(ClientState(query_string=last.query_string,
                                                  page_script_hash=session.page_script_hash))
        return response

    handle.reports_failures = True
    DeferredFileHandler.handle = handle
