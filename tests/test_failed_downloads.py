"""A download whose file fails to be made says so on the page in Chinese, naming the file and the problem, never a
traceback (Streamlit used to log it and show the browser "Failed to generate file for download").

Each test draws a page with AppTest, makes the maker of one file raise, then clicks the way the browser does:
Streamlit's own deferred-file handler (as planwatch.streamlit_compat wraps it) runs the function the page
registered for that button. The handler's answer to the browser is Chinese, and the next run shows st.error once."""
from __future__ import annotations

import asyncio

import pytest
from apptest import open_page, texts, use_database
from streamlit.proto.BackMsg_pb2 import BackendOperationRequest
from streamlit.runtime.backend_operation_handler import DeferredFileHandler
from streamlit.runtime.media_file_manager import MediaFileManager

from planwatch import db, downloads, failed_downloads, ui

SESSION = "test session id"  # AppTest's session (streamlit.testing.v1.local_script_runner)


@pytest.fixture(scope="module", autouse=True)
def app_db(demo_db, tmp_path_factory):
    path = use_database(demo_db, tmp_path_factory.mktemp("downloads"))
    ui.connection.clear()
    return path


@pytest.fixture
def buttons(monkeypatch) -> dict[str, tuple]:
    """The download buttons a page run registers: file name -> (its MediaFileManager, deferred file id)."""
    registered = {}
    original = MediaFileManager.add_deferred

    def add_deferred(self, callable_, mimetype, coordinates, file_name=None, **kwargs):
        file_id = original(self, callable_, mimetype, coordinates, file_name=file_name, **kwargs)
        registered[file_name] = (self, file_id)
        return file_id
    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return registered


def click(button: tuple) -> str:
    """What the browser is told after clicking the button: its error message ("" when the file was made)."""
    manager, file_id = button
    request = BackendOperationRequest(request_id="r1", deferred_file={"file_id": file_id})
    response = asyncio.run(DeferredFileHandler(lambda: manager).handle(request, SESSION))
    return response.error_msg


def errors(at) -> list[str]:
    return [e.value.replace("\\", "") for e in at.error]


def test_a_failing_excel_file_in_a_popover_is_named_in_chinese(buttons, monkeypatch):
    at = open_page("warnings", year="2024")
    name = next(n for n in buttons if n.endswith(".xlsx"))
    assert click(buttons[name]) == ""  # made: the file as before, no message
    at.run()
    assert not at.error

    def broken(*args, **kwargs):
        raise ValueError("openpyxl: cannot write cell")
    monkeypatch.setattr(downloads, "xlsx_bytes", broken)
    told = click(buttons[name])
    assert told == f"未能生成“{name}”:程序出错(详情已记入服务器日志),请稍后再试或联系管理员。"
    at.run()
    assert errors(at) == [told] and not at.exception  # beside the 下载 popover, not inside it
    assert "openpyxl" not in texts(at) and "Traceback" not in texts(at)
    at.run()
    assert not at.error  # said once


def test_a_refusal_of_planwatch_says_itself(buttons, monkeypatch):
    from planwatch import report

    at = open_page("reports", year="2024")
    name = next(n for n in buttons if n.endswith(".pdf"))

    def busy(*args, **kwargs):
        raise db.DatabaseBusy("另一项写入(构建、导入或审核)仍在进行,已等待 60 秒,请稍后再试。")
    monkeypatch.setattr(report, "render_content", busy)
    assert click(buttons[name]) == f"未能生成“{name}”:另一项写入(构建、导入或审核)仍在进行,已等待 60 秒,请稍后再试。"
    at.run()
    assert errors(at) == [f"未能生成“{name}”:另一项写入(构建、导入或审核)仍在进行,已等待 60 秒,请稍后再试。"]


def test_streamlits_own_failure_is_said_too(buttons):
    """A click on a button whose file Streamlit no longer holds (MediaFileStorageError: e.g. replaced by a rerun)."""
    at = open_page("explorer", sql="SELECT indicator_id FROM v_indicator LIMIT 3")
    manager, _ = next(iter(buttons.values()))
    assert click((manager, "no-such-file")) == failed_downloads.UNKNOWN_FILE
    at.run()
    assert errors(at) == [failed_downloads.UNKNOWN_FILE]


def test_reasons_are_chinese():
    assert failed_downloads.reason(MemoryError()) == "服务器内存不足,请缩小范围(地区、规划或单位)后再试。"
    assert failed_downloads.reason(PermissionError(13, "Permission denied")) == "服务器无法读写文件,请稍后再试或联系管理员。"
    assert failed_downloads.reason(db.DatabaseMissing("数据库 x 不存在")) == "数据库 x 不存在"
    assert failed_downloads.reason(RuntimeError("中文 but not ours")).startswith("程序出错")
