"""The one place where planwatch relies on Streamlit internals; tests/test_pages.py checks each assumption, so a
Streamlit upgrade that changes them fails a test instead of breaking the app.

1. The legacy pages/ router. The design card keeps the pages in `pages/`, which Streamlit also reads as the
   folder of a legacy multipage app: the first request after the server starts may then run a page script
   directly, skipping app.py (and its st.navigation and sidebar filters). `rerun_through_app` switches that
   router off (`PagesManager.uses_pages_directory`) and reruns, so the page runs through app.py. No public
   option does this (renaming the folder would, but the card names it).
2. The default page's own URL. Streamlit serves the default page at "/" and answers its url_path
   ("/overview", which the app's own links and old bookmarks use) with an English "Page not found" dialog.
   `open_default_page_by_its_path` makes a request for that path run the default page silently.
"""
from __future__ import annotations

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
