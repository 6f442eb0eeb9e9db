"""年度报告: the annual review as an editable Word report (docx), slides (pptx), a printable handout (pdf) and a
workbook (xlsx).

    from planwatch.report import generate
    data = generate(con, "pptx", year=2024, region="平阳县")   # bytes

content.py gathers the numbers once (the same named queries the pages use) and writes the sentences; document.py,
slides.py, pdf.py and workbook.py lay them out; render.py draws the charts as PNG with the CJK font shipped in fonts/.
"""
from __future__ import annotations

import duckdb

from planwatch.report.content import (MODES, ReportContent, ReportError, ReportSummary, gather, gathered, outline,
                                      summarise)

FORMATS = ("docx", "pptx", "pdf", "xlsx")
MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
LABELS = {"docx": "Word 报告(DOCX)", "pptx": "演示文稿(PPTX)", "pdf": "PDF 报告", "xlsx": "Excel 工作簿"}


def file_name(content: ReportContent, fmt: str) -> str:
    kind = "年度报告" if content.mode == "annual" else MODES[content.mode] + "报告"
    return f"{kind}_截至{content.year}年_{content.scope}.{fmt}"


def render_content(content: ReportContent, fmt: str, pngs: dict[str, bytes] | None = None) -> bytes:
    """The report of gathered content in one format; pngs (render.chart_pngs) can be shared between formats."""
    if fmt == "xlsx":
        from planwatch.report.workbook import xlsx_bytes

        return xlsx_bytes(content)
    if fmt == "docx":
        from planwatch.report.document import docx_bytes

        return docx_bytes(content, pngs)
    if fmt == "pptx":
        from planwatch.report.slides import pptx_bytes

        return pptx_bytes(content)
    if fmt == "pdf":
        from planwatch.report.pdf import pdf_bytes

        return pdf_bytes(content, pngs)
    raise ReportError(f"不支持的格式 {fmt},可选:{'、'.join(FORMATS)}")


def generate(con: duckdb.DuckDBPyConnection, fmt: str, year: int | None = None, region: str | None = None,
             mode: str = "annual") -> bytes:
    """Gather the numbers and lay them out in one format (docx, pptx, pdf or xlsx)."""
    if fmt not in FORMATS:
        raise ReportError(f"不支持的格式 {fmt},可选:{'、'.join(FORMATS)}")
    return render_content(gather(con, year, region, mode), fmt)


__all__ = ["FORMATS", "MIME", "MODES", "LABELS", "ReportContent", "ReportError", "ReportSummary", "file_name", "gather",
           "gathered", "generate", "outline", "render_content", "summarise"]
