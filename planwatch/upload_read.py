"""Reading an uploaded file (数据填报) into a header and rows of text, within fixed bounds.

Bounds, all checked before or while reading, each refused with a Chinese message: MAX_BYTES on the file as
uploaded (a path on the command line must be a regular file; at most MAX_BYTES + 1 bytes are ever read), the
xlsx limits of planwatch.xlsx_read (uncompressed size, sheet extent, no DTD), and TIME_LIMIT seconds of wall
time for reading and checking together. xlsx: the visible sheet 填报, else the one visible sheet with a
header (two such sheets are refused, not one silently left out); hidden sheets are never imported. CSV, with the
same row and column limits as xlsx: UTF-8 (with or without BOM), GBK/GB18030, or UTF-16 (Excel's "Unicode 文本",
tab-separated); any mix of line endings; a quote never closed is refused with its row.
"""
from __future__ import annotations

import codecs
import csv
import io
import os
import stat
import time
import unicodedata
from pathlib import Path

from planwatch import xlsx_read
from planwatch.xlsx_read import Formula, Scaled

MAX_BYTES = 5 * 1024 * 1024
MAX_PROBLEMS = 200
TIME_LIMIT = 15.0
MAX_NAME_CHARS = 120
COLUMN_ALIASES = {
    "indicator_id": "indicator_id", "指标编号": "indicator_id", "指标id": "indicator_id",
    "year": "year", "年份": "year", "年度": "year",
    "value": "value", "数值": "value", "值": "value", "填报值": "value",
    "note": "note", "备注": "note", "说明": "note",
    "numerator": "numerator", "分子": "numerator",
    "denominator": "denominator", "分母": "denominator",
    "reason": "reason", "原因说明": "reason", "原因": "reason",
    "measures": "measures", "整改措施": "measures", "措施": "measures",
}
Rows = list[tuple[int, list[str]]]
csv.field_size_limit(max(csv.field_size_limit(), MAX_BYTES + 1))  # over-long notes are refused by the checks


class ImportRefused(Exception):
    """The file was refused; .problems lists every reason (row and column named). .passed: the rows that had no
    problem of their own (a upload_check.Checked, or None), so a submission's further rules can be checked on them
    in the same round (round.check_submission: a clerk should not fix a value to be told of a missing 原因说明)."""

    def __init__(self, problems: list[str], passed=None):
        self.problems = problems
        self.passed = passed
        shown = problems[:MAX_PROBLEMS]
        more = f"\n……另有 {len(problems) - MAX_PROBLEMS} 处问题" if len(problems) > MAX_PROBLEMS else ""
        super().__init__("文件未导入,数据库未改动。请修改以下问题后重新上传:\n" + "\n".join(shown) + more)


# full-width ASCII forms (２０２３, ９５.５％, ｋ０３) and wide spaces: read as ASCII where a cell names a number, year,
# id or column; never applied to text the clerk wrote (notes, qualitative values), which is stored as written
NARROW = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | dict.fromkeys(
    (0xA0, 0x3000, 0x202F, 0x205F, *range(0x2000, 0x200B)), 0x20)


def narrow(text: str) -> str:
    return text.translate(NARROW)


def clean_text(value: str, keep_newlines: bool = True) -> str:
    """NFC, control and format characters removed (ESC, NUL, bidi overrides; newlines kept in notes if asked),
    surrounding spaces stripped. Not NFKC: that reads a footnote mark 95¹ as 951 and rewrites ① or ㎡ in notes."""
    text = unicodedata.normalize("NFC", value)
    if text.isprintable():
        return text.strip()
    kept = []
    for char in text:
        if char in "\r\n\t":
            kept.append("\n" if keep_newlines and char != "\t" else " ")
        elif unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co"):
            kept.append(char)
    return "".join(kept).strip()


def clean_name(file_name: str) -> str:
    """A file name safe to store and print on one line: base name only, no control characters, capped."""
    name = clean_text(str(file_name).replace("\\", "/").rpartition("/")[2], keep_newlines=False)
    return (name[:MAX_NAME_CHARS] + "…" if len(name) > MAX_NAME_CHARS else name) or "未命名文件"


HEADER_MAX = 40  # characters: a header naming a known column is shorter (the longest alias has 12)


def header_key(text: str) -> str | None:
    return COLUMN_ALIASES.get(narrow(text).lower().replace(" ", "")) if len(text) <= HEADER_MAX else None


def load_file(path: Path) -> bytes:
    """The bytes of a file named on the command line: a regular file of at most MAX_BYTES (a FIFO, a device such
    as /dev/zero or a directory is refused before anything is read)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise ImportRefused([f"无法读取文件 {clean_name(path)}:{exc.strerror}"]) from exc
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise ImportRefused([f"{clean_name(path)} 是文件夹,不是文件"])
        if not stat.S_ISREG(mode):
            raise ImportRefused([f"{clean_name(path)} 不是普通文件(管道或设备),请上传 xlsx 或 CSV 文件"])
        if os.fstat(fd).st_size > MAX_BYTES:
            raise _size_refusal(os.fstat(fd).st_size)
        with os.fdopen(os.dup(fd), "rb") as handle:
            return handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ImportRefused([f"无法读取文件 {clean_name(path)}:{exc.strerror}"]) from exc
    finally:
        os.close(fd)


def _size_refusal(size: int) -> ImportRefused:
    return ImportRefused([f"文件大小 {size / 1024 / 1024:.1f}MB,超过 {MAX_BYTES // 1024 // 1024}MB 上限"])


def read(data: bytes, file_name: str, deadline: float | None = None) -> tuple[list[str], Rows, list[str]]:
    """Header, rows (row number as the clerk sees it, cells) and structural problems of an uploaded file
    (xlsx or CSV, whatever its extension says)."""
    deadline = deadline or time.monotonic() + TIME_LIMIT
    name = clean_name(file_name)
    if len(data) == 0:
        raise ImportRefused(["文件为空(0字节)"])
    if len(data) > MAX_BYTES:
        raise _size_refusal(len(data))
    if data[:2] == b"PK":
        try:
            return _read_xlsx(data, deadline)
        except xlsx_read.Unreadable as exc:
            raise ImportRefused([f"“{name}”无法作为 xlsx 读取:{exc}"]) from None
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportRefused([f"“{name}”是旧版 Excel(xls)或加密的工作簿,请在 Excel 中另存为 xlsx(不设密码)后上传"])
    header, rows = _header_and_body([(n, [clean_text(c) for c in row]) for n, row in _read_csv(data, name)])
    return header, rows, []


def _header_and_body(rows: Rows) -> tuple[list[str], Rows]:
    """The first row naming the indicator id column is the header (title rows above it are ignored); without
    one, the first row (so that the refusal can list the columns found)."""
    for index, (_, cells) in enumerate(rows):
        if any(header_key(c) == "indicator_id" for c in cells):
            return cells, rows[index + 1:]
    return (rows[0][1], rows[1:]) if rows else ([], [])


def _cleaned(rows: Rows, deadline: float) -> Rows:
    """The sheet's text cells cleaned (clean_text), each distinct text once: a shared string may fill every cell
    of a sheet (400,000 cells of one 32,000-character string in a 30 KB file), and a copy per cell took gigabytes
    and, with a newline in it, an hour."""
    done: dict[str, str] = {}
    out = []
    for count, (row_no, cells) in enumerate(rows):
        if count % 1000 == 0 and time.monotonic() > deadline:
            raise xlsx_read.Unreadable(xlsx_read.TIMED_OUT)
        kept = []
        for cell in cells:
            if cell and not isinstance(cell, (Formula, Scaled)):
                text = done.get(cell)
                if text is None:
                    text = done[cell] = clean_text(cell)
                cell = text
            kept.append(cell)
        out.append((row_no, kept))
    return out


def _read_xlsx(data: bytes, deadline: float) -> tuple[list[str], Rows, list[str]]:
    first_visible: Rows | None = None
    chosen: Rows | None = None
    hidden, with_data = [], []  # with_data: visible sheets with a header, when none is named 填报
    for sheet in sorted(xlsx_read.sheets(data, deadline), key=lambda s: s.name != "填报"):
        if sheet.hidden:
            hidden.append(sheet.name)
            continue
        rows = _cleaned(sheet.rows(), deadline)
        if first_visible is None:
            first_visible = rows
        if any(header_key(c) == "indicator_id" for _, cells in rows for c in cells):
            if sheet.name == "填报":
                chosen = rows
                break
            chosen = chosen or rows
            with_data.append(sheet.name)
    if len(with_data) > 1:
        raise ImportRefused([f"有 {len(with_data)} 个可见的工作表都含指标编号列(“{'”“'.join(with_data)}”),无法判断导入哪一个;"
                             "请把要导入的工作表命名为“填报”,或每个工作表分别保存为一个文件上传"])
    if not chosen and not first_visible and hidden:
        raise ImportRefused([f"可见的工作表中没有数据;隐藏的工作表(“{'”“'.join(hidden)}”)不会被导入,"
                             "请取消隐藏或把数据复制到可见的工作表"])
    header, body = _header_and_body(chosen or first_visible or [])
    problems = []
    header = [str(c) for c in header]
    for row_no, cells in body:
        for col, cell in enumerate(cells):
            if isinstance(cell, (Formula, Scaled)):  # refused in the columns that are read, ignored in the others
                if col < len(header) and header_key(header[col]):
                    problems.append(f"第{row_no}行 {header[col]}列: " + (
                        f"单元格是公式“{cell[:60]}”,请改为直接填写数值" if isinstance(cell, Formula) else
                        f"单元格的数字格式显示的数与单元格中的数({cell})不同(如“0.0,”按千显示或插入小数点的“万”格式),"
                        "请把格式设为“常规”或“数值”后填写实际数值"))
                cells[col] = ""
    return header, body, problems


def _decode(data: bytes, name: str) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportRefused([f"“{name}”标明为 UTF-16 编码,但内容无法按 UTF-16 读取"]) from None
    head = data[:4096]
    if b"\x00" in head:
        # UTF-16 without a BOM: the zero bytes of ASCII characters (ids, digits, commas) all fall on one side of
        # each pair, and there are many (a stray NUL in a UTF-8 note is one)
        even, odd = head[0::2].count(0), head[1::2].count(0)
        many = len(head) // 20
        encoding = "utf-16-le" if odd > many and not even else "utf-16-be" if even > many and not odd else None
        try:
            text = data.decode(encoding) if encoding and len(data) % 2 == 0 else ""
        except UnicodeDecodeError:
            text = ""
        if text and "\x00" not in text:
            return text
        line = head[:head.index(0)].count(b"\n") + 1
        raise ImportRefused([f"“{name}”第{line}行含有空字符(NUL),不是表格文件的文字内容;请上传 xlsx 或 CSV"
                             "(若为 CSV,请在 Excel 或 WPS 中打开后另存)"])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        _refuse_mixed(data, name)
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    raise ImportRefused([f"“{name}”无法按 UTF-8、GBK 或 UTF-16 编码读取,不是可识别的表格文件(请上传 xlsx 或 CSV)"])


def _refuse_mixed(data: bytes, name: str) -> None:
    """A file that is not all UTF-8 but has a line of UTF-8 Chinese mixes encodings (a note pasted from another
    file): read as GB18030, its UTF-8 Chinese would be stored garbled (来源 as 鏉ユ簮), so it is refused, naming the
    first line that is not UTF-8. Two Chinese characters in the lines that read as UTF-8 (in one line or several:
    a note 暂无) make the file UTF-8: GBK bytes pass for UTF-8 by chance mostly as other scripts (位 reads λ), and
    for two Chinese characters need three GBK characters of rare byte patterns in a row."""
    lines = data.split(b"\n")
    texts = [_utf8_or_none(line) for line in lines]
    if sum(sum("\u4e00" <= ch <= "\u9fff" for ch in t) for t in texts if t is not None) >= 2:
        first = next(n for n, t in enumerate(texts, start=1) if t is None)
        raise ImportRefused([f"“{name}”是 UTF-8 编码,但第{first}行不是(可能是从别处粘贴的文字);请改正该行,"
                             "或在 Excel 或 WPS 中另存为 UTF-8 CSV 或 xlsx 后上传"])


def _utf8_or_none(line: bytes) -> str | None:
    try:
        return line.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _read_csv(data: bytes, name: str) -> Rows:
    text = _decode(data, name).replace("\r\n", "\n").replace("\r", "\n")
    first = next((line for line in text.split("\n", 50) if line.strip()), "")
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    # strict: a quote never closed is refused, not read as one field running to the end of the file (which
    # would turn every row below it into part of a note)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: Rows = []
    row_no, started = 0, 1  # started: the line the row being read begins on
    try:
        for row_no, row in enumerate(reader, start=1):
            while row and not row[-1].strip():
                row.pop()
            if row:
                if len(row) > xlsx_read.MAX_COLS or len(rows) >= xlsx_read.MAX_ROWS:
                    raise ImportRefused([f"第{row_no}行: 表格超出可读取的范围(最多 {xlsx_read.MAX_ROWS} 行、"
                                         f"{xlsx_read.MAX_COLS} 列),请拆分后上传"])
                rows.append((row_no, row))
            started = reader.line_num + 1
    except csv.Error:
        raise ImportRefused([f"第{row_no + 1}行(文件第{started}行起): 引号未配对,或右引号后紧跟了其他文字;"
                             "整格加引号时请成对使用,格内的引号写成两个(\"\")"]) from None
    return rows
