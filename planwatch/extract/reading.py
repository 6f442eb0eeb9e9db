"""A plan document as numbered lines: plain text (UTF-8 or GB18030), Word (.docx) or PDF.

Word: one line per paragraph in document order, and a table's cells one per line (as a scraped web page prints
them), so the key-table reader handles both. PDF (pdfplumber): lines wrapped by the page width are joined back
into their paragraph; a short line, a larger gap or an indented start begins a new one.

A small file can unpack to gigabytes (a zip bomb in a .docx, one Flate stream in a PDF): a .docx is refused when
its parts would unpack past MAX_UNPACKED_BYTES (zipfile reads no part past its declared size), and both are read in
a child process (``python -m planwatch.extract.reading``) limited to READER_MEMORY of private memory and
READER_SECONDS (60 MB of tiny paragraphs had taken 98 CPU-s and 1.1 GB in the app).
"""
from __future__ import annotations

import io
import json
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

from planwatch.paths import ROOT
from planwatch.xlsx_read import DAMAGED

MAX_BYTES = 20 * 1024 * 1024
MAX_PDF_PAGES = 300
# a paragraph of a plan (the seed plans' longest: 516 characters); finding targets costs more than linear in a line
MAX_LINE_CHARS = 10_000
MAX_UNPACKED_BYTES = 64 * 2**20  # a .docx's parts once unpacked (the seed plans' document.xml is under 1 MB)
READER_MEMORY = 768 * 2**20  # RLIMIT_DATA of the .docx and PDF reader (planwatch/worker.py: why not RLIMIT_AS)
READER_SECONDS = 60
# the full-width forms of ASCII (U+FF01–FF5E: ０–９ ． ％ ， ： （ ） …) as ASCII, the form of the seed texts the
# extraction rules read (their figures' patterns take ASCII digits only); 。、“” and the other Chinese marks stay
FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
SUFFIXES = (".txt", ".docx", ".pdf")


class ReadError(Exception):
    """The document cannot be read; the message is Chinese and names the problem."""


def read_lines(data: bytes, name: str) -> list[str]:
    suffix = Path(name).suffix.lower()
    if len(data) > MAX_BYTES:
        raise ReadError(f"文件 {name} 超过 {MAX_BYTES // 1024 // 1024} MB")
    if not data:
        raise ReadError(f"文件 {name} 是空的")
    readers = {".txt": _text, ".docx": lambda d: _docx(d, name), ".pdf": lambda d: _pdf(d, name)}
    if suffix == ".doc":
        raise ReadError(f"{name} 是旧版 Word(.doc)文件:请在 Word 或 WPS 中另存为 .docx 后上传")
    if suffix not in readers:
        raise ReadError(f"不支持的文件类型“{suffix or name}”:请上传 .txt、.docx 或 .pdf")
    # one line per line whatever ended it: a soft break inside a Word paragraph, a lone CR (old Mac text), U+2028
    # (source.txt is written with "\n" and read back with universal newlines: a line must hold none)
    # full-width ASCII forms as ASCII (FULL_WIDTH): １２．５％ was read as 12 (\d matched １２, not ．５), and
    # （责任单位：…） or 3：2 not at all; the document stored (source.txt) and its quotes are this text
    lines = [part.translate(FULL_WIDTH) for line in readers[suffix](data) for part in (line.splitlines() or [""])]
    long = next((no for no, line in enumerate(lines, start=1) if len(line) > MAX_LINE_CHARS), None)
    if long is not None:
        raise ReadError(f"{name} 第{long}行有 {len(lines[long - 1]):,} 字,超过 {MAX_LINE_CHARS:,} 字上限"
                        "(规划的一个段落一般不超过千字);请在段落之间换行后再上传")
    return lines


def read_path(path: Path) -> list[str]:
    try:
        data = path.read_bytes()
    except OSError:
        raise ReadError(f"无法读取 {path}(文件不存在或没有读权限)") from None
    return read_lines(data, path.name)


def _text(data: bytes) -> list[str]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding).split("\n")  # (read_lines splits what else ends a line)
        except UnicodeDecodeError:
            continue
    raise ReadError("文本文件既不是 UTF-8 也不是 GBK/GB18030 编码")


def _docx(data: bytes, name: str) -> list[str]:
    try:
        unpacked = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except DAMAGED:  # what zipfile raises on a damaged archive
        raise ReadError(f"{name} 不是有效的 Word(.docx)文件") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise ReadError(f"{name} 解压后有 {unpacked // 2**20:,} MB,超过 {MAX_UNPACKED_BYTES // 2**20} MB 上限,"
                        "疑似压缩炸弹,不予读取")
    return _in_child(data, name, "docx")


def _pdf(data: bytes, name: str) -> list[str]:
    lines = _in_child(data, name, "pdf")
    if not any(line.strip() for line in lines):
        raise ReadError(f"{name} 中没有可提取的文字(可能是扫描件,请先做文字识别)")
    return lines


def _in_child(data: bytes, name: str, kind: str) -> list[str]:
    """The document's lines, read by a child process under READER_MEMORY and READER_SECONDS."""
    try:
        # (from the repository's folder, as the query worker: the package is found there, not installed)
        done = subprocess.run([sys.executable, "-m", "planwatch.extract.reading", kind, str(READER_MEMORY)],
                              input=data, capture_output=True, timeout=READER_SECONDS, cwd=ROOT)
    except subprocess.TimeoutExpired:
        raise ReadError(f"{name} 读取超过 {READER_SECONDS} 秒仍未完成,已停止(文件过大或过于复杂)") from None
    answer = json.loads(done.stdout or b'{"error": "broken"}') if done.returncode == 0 else {"error": "broken"}
    if "lines" in answer:
        return answer["lines"]
    if answer["error"] == "pages":
        raise ReadError(f"PDF 超过 {MAX_PDF_PAGES} 页")
    if b"MemoryError" in done.stderr or b"Memory allocation failed" in done.stderr:
        raise ReadError(f"{name} 解压后过大(读取超过 {READER_MEMORY // 2**20} MB 内存),疑似压缩炸弹,不予读取")
    # python-docx and pdfminer raise many kinds for a damaged, encrypted or foreign file
    raise ReadError(f"{name} 不是有效的 Word(.docx)文件" if kind == "docx"
                    else f"{name} 不是有效的 PDF 文件(或已加密、已损坏)")


def _docx_lines(data: bytes) -> dict:
    """(in the child) {"lines": [...]}: a paragraph a line, a table's cells one per line; anything wrong raises."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    for block in docx.Document(io.BytesIO(data)).iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            for row in block.rows:
                seen = []
                for cell in row.cells:
                    if any(cell._tc is s for s in seen):  # a merged cell appears once per grid column
                        continue
                    seen.append(cell._tc)
                    lines.extend([cell.text.replace("\n", ""), ""])
    return {"lines": lines}


def _pdf_lines(data: bytes) -> dict:
    """(in the child) {"lines": [...]} or {"error": "pages"}; anything else raises."""
    import pdfplumber

    lines: list[str] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        if len(pdf.pages) > MAX_PDF_PAGES:
            return {"error": "pages"}
        for page in pdf.pages:
            lines.extend(_page_paragraphs(page.extract_text_lines(layout=False, strip=True)))
    return {"lines": lines}


def _page_paragraphs(text_lines: list[dict]) -> list[str]:
    if not text_lines:
        return []
    right = max(t["x1"] for t in text_lines)
    left = min(t["x0"] for t in text_lines)
    paragraphs: list[str] = []
    prev = None
    for t in text_lines:
        size = max(t["bottom"] - t["top"], 1.0)
        continues = (
            prev is not None
            and prev["x1"] >= right - 1.5 * size            # the previous line ran to the right margin
            and t["top"] - prev["bottom"] < 0.8 * size      # no paragraph gap
            and t["x0"] <= left + 0.5 * size                # no first-line indent
        )
        if continues:
            paragraphs[-1] += t["text"]
        else:
            paragraphs.append(t["text"])
        prev = t
    return paragraphs


def limit_self(memory: int) -> None:
    """(in a child) At most `memory` bytes of private memory, no core file. A child limits itself: no preexec_fn,
    the app has threads."""
    resource.setrlimit(resource.RLIMIT_DATA, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


if __name__ == "__main__":  # the reader's child: reads the file on stdin, writes its lines as JSON on stdout
    kind, memory = sys.argv[1], int(sys.argv[2])
    limit_self(memory)
    read = _docx_lines if kind == "docx" else _pdf_lines
    sys.stdout.write(json.dumps(read(sys.stdin.buffer.read()), ensure_ascii=False))
