"""A bounded reader for the sheets of an uploaded xlsx workbook (数据填报).

Nothing is sized from what the file claims: the zip directory is checked first (member count, each member's
and the total uncompressed size), every part is then inflated in chunks and counted again (the directory can
lie), and a wall-clock deadline is checked after each chunk. The XML is parsed by expat with any DTD refused,
so no entity is ever declared or expanded. Only cells that hold a value are kept: a value beyond MAX_ROWS rows
or MAX_COLS columns refuses the file, while an empty styled cell far away (which makes a whole-sheet reader
allocate the rectangle up to it) costs nothing; the cells kept are capped at MAX_CELLS. Number formats come
from styles.xml: a percent-formatted number is returned as the clerk sees it (0.955 → "95.5%"), and a
date-formatted one as the date it shows (45000 → "2023-03-15", in the workbook's 1900 or 1904 date system), so
the checks read what the clerk meant.
"""
from __future__ import annotations

import datetime
import io
import lzma
import posixpath
import re
import time
import zipfile
import zlib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Callable, Iterator
from xml.parsers import expat

MAX_MEMBERS = 1000
MAX_MEMBER_BYTES = 32 * 1024 * 1024
MAX_TOTAL_BYTES = 64 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLS = 200
MAX_CELLS = 400_000  # cells kept, each row counted from column A to its last value
MAX_SHARED_STRINGS = 200_000
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
TIMED_OUT = "读取超时,文件过大或过于复杂;请拆分后上传"
CHUNK = 64 * 1024
PERCENT_FORMATS = {9, 10}  # built-in 0% and 0.00%
DATE_FORMATS = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)}  # built-in dates, times (and CJK)
DATE_LETTERS = re.compile(r"[ymdhs]", re.IGNORECASE)  # in a custom format, outside quoted text and [brackets]
FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')  # quoted text, escapes, [colour], padding
# formats that show another number than the cell holds: a comma after the last digit (0.0, shows 12345 as 12.3),
# or an escaped decimal point among the digits (0!.0000"万" shows 12345 as 1.2345万)
SCALING_COMMA = re.compile(r"[0#?],+(?![0#?,])")
INSERTED_POINT = re.compile(r"[0#?][!\\]\.[0#?]")


# What zipfile and its decompressors raise on a damaged, truncated or foreign archive (a fuzzer found each: a bad
# LZMA or bzip2 stream, a version from the future, a negative offset, a name that is not UTF-8)
DAMAGED = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, NotImplementedError, RuntimeError, OSError,
           ValueError)
DAMAGED_TEXT = "压缩数据已损坏、已加密或用了不支持的压缩方式;请用 Excel 或 WPS 打开后另存为 xlsx 再上传"


class Unreadable(Exception):
    """The workbook cannot be read within the limits; the message is Chinese and says why."""


class Formula(str):
    """A cell holding a formula; its text is the formula as written (with the leading =)."""


class Scaled(str):
    """A number whose format shows another number than the cell holds; its text is the number held."""


@dataclass
class Sheet:
    name: str
    hidden: bool
    rows: Callable[[], list[tuple[int, list[str]]]]  # parses on demand: (sheet row number, cells) with a value


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def number_text(raw: str, percent: bool = False) -> str:
    """The number an Excel cell holds, written plainly (no exponent, no binary noise); × 100 and a % sign
    when the cell is percent-formatted."""
    try:
        number = float(raw)
        exact = Decimal(repr(number))
    except (ValueError, InvalidOperation):
        return raw
    if not exact.is_finite():
        return raw
    if percent:
        exact *= 100
    text = format(exact, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return (text or "0") + ("%" if percent else "")


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _refuse_dtd(*_args) -> None:
    raise Unreadable("含有 DTD 声明(<!DOCTYPE>),出于安全原因不予读取;请用 Excel 或 WPS 另存为 xlsx 后上传")


class _Reader:
    def __init__(self, book: zipfile.ZipFile, deadline: float):
        self.book = book
        self.deadline = deadline
        self.budget = MAX_TOTAL_BYTES

    def parse(self, name: str, start=None, end=None, text=None, raw: bool = False) -> None:
        """Feed one part to expat in counted chunks; handlers receive local names (raw: names as written) and
        plain attributes."""
        try:
            info = self.book.getinfo(name)
        except KeyError:
            raise Unreadable(f"缺少工作簿部件 {name}") from None
        parser = expat.ParserCreate()
        parser.StartDoctypeDeclHandler = _refuse_dtd
        parser.EntityDeclHandler = _refuse_dtd
        parser.buffer_text = True
        if start:
            parser.StartElementHandler = start if raw else lambda tag, attrs: start(_local(tag), attrs)
        if end:
            parser.EndElementHandler = end if raw else lambda tag: end(_local(tag))
        if text:
            parser.CharacterDataHandler = text
        inflated = 0
        try:
            with self.book.open(info) as stream:
                while chunk := stream.read(CHUNK):
                    inflated += len(chunk)
                    if inflated > MAX_MEMBER_BYTES or inflated > self.budget:
                        raise Unreadable(f"解压后超过大小上限(单个部件 {MAX_MEMBER_BYTES // 2**20}MB,"
                                         f"合计 {MAX_TOTAL_BYTES // 2**20}MB),疑似压缩炸弹,不予读取")
                    parser.Parse(chunk, False)
                    if time.monotonic() > self.deadline:
                        raise Unreadable(TIMED_OUT)
                parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise Unreadable(f"部件 {name} 的 XML 已损坏(第 {exc.lineno} 行)") from None
        except DAMAGED:
            raise Unreadable(DAMAGED_TEXT) from None
        self.budget -= inflated

    def relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """Id → (type, target path in the package) of a part's .rels file (empty if it has none)."""
        folder, base = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", base + ".rels")
        found: dict[str, tuple[str, str]] = {}
        if rels not in self.book.NameToInfo:
            return found

        def start(tag, attrs):
            if tag == "Relationship" and attrs.get("TargetMode") != "External":
                target = attrs.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
                found[attrs.get("Id", "")] = (attrs.get("Type", ""), posixpath.normpath(path))
        self.parse(rels, start=start)
        return found

    def number_styles(self, part: str | None) -> dict[int, str]:
        """Cell format (cellXfs) index → "percent", "date" or "scaled", for those whose number format shows one."""
        if part is None:
            return {}
        formats: dict[int, str] = {}
        shows: dict[int, str] = {}
        state = {"in_xfs": False, "index": 0}

        def start(tag, attrs):
            if tag == "numFmt":
                formats[_int(attrs.get("numFmtId"))] = attrs.get("formatCode", "")
            elif tag == "cellXfs":
                state["in_xfs"] = True
            elif tag == "xf" and state["in_xfs"]:
                number_format = _int(attrs.get("numFmtId"))
                written = formats.get(number_format, "")
                code = FORMAT_LITERALS.sub("", written)
                if SCALING_COMMA.search(code) or INSERTED_POINT.search(written):
                    shows[state["index"]] = "scaled"
                elif number_format in PERCENT_FORMATS or "%" in code:
                    shows[state["index"]] = "percent"
                elif number_format in DATE_FORMATS or DATE_LETTERS.search(code):
                    shows[state["index"]] = "date"
                state["index"] += 1

        def end(tag):
            if tag == "cellXfs":
                state["in_xfs"] = False
        self.parse(part, start=start, end=end)
        return shows

    def shared_strings(self, part: str | None) -> list[str]:
        strings: list[str] = []
        if part is None:
            return strings
        state = {"depth_skip": 0, "in_t": False, "parts": [], "size": 0}

        def start(tag, attrs):
            if tag == "si":
                if len(strings) >= MAX_SHARED_STRINGS:
                    raise Unreadable(f"共享字符串超过 {MAX_SHARED_STRINGS} 个,表格过大")
                state["parts"], state["size"] = [], 0
            elif tag == "rPh":  # phonetic guide text is not part of the cell's value
                state["depth_skip"] += 1
            elif tag == "t" and not state["depth_skip"]:
                state["in_t"] = True

        def end(tag):
            if tag == "si":
                strings.append("".join(state["parts"]))
            elif tag == "rPh":
                state["depth_skip"] -= 1
            elif tag == "t":
                state["in_t"] = False

        def text(data):
            if state["in_t"] and state["size"] <= MAX_CELL_CHARS:
                state["parts"].append(data)
                state["size"] += len(data)
        self.parse(part, start=start, end=end, text=text)
        return strings

    def sheet_rows(self, part: str, strings: list[str], shows: dict[int, str],
                   epoch: datetime.datetime) -> list[tuple[int, list[str]]]:
        """(row number, cells) of the rows holding a value; a row's cells run from column A to its last value.
        The cells kept in all (rows × their width) are capped at MAX_CELLS."""
        rows: list[tuple[int, list[str]]] = []
        cells: dict[int, str] = {}
        row = kept = 0
        col, kind, style, value, formula, target = -1, "n", 0, [], None, None

        def start(tag, attrs):
            nonlocal row, col, kind, style, value, formula, target
            if ":" in tag:
                tag = tag.rpartition(":")[2]
            if tag == "c":
                ref = attrs.get("r")
                col = _column(ref) if ref else col + 1
                kind, style, value, formula = attrs.get("t", "n"), _int(attrs.get("s")), [], None
            elif tag == "v" or tag == "t":
                target = value
            elif tag == "row":
                cells.clear()
                row, col = _int(attrs.get("r"), row + 1), -1
            elif tag == "f":
                formula = target = []

        def end(tag):
            nonlocal target, kept
            if ":" in tag:
                tag = tag.rpartition(":")[2]
            if tag == "v" or tag == "t" or tag == "f":
                target = None
            elif tag == "c":
                text = _cell_value(kind, style, value, formula, strings, shows, epoch, (row, col))
                if text:
                    if row > MAX_ROWS or col >= MAX_COLS or row < 1 or col < 0:
                        raise Unreadable(f"{column_letter(max(col, 0))}{row} 单元格有内容,超出可读取的范围"
                                         f"(最多 {MAX_ROWS} 行、{MAX_COLS} 列);请删除表格外的内容后上传")
                    cells[col] = text
            elif tag == "row" and cells:
                width = max(cells) + 1
                kept += width
                if kept > MAX_CELLS:
                    raise Unreadable(f"有内容的范围过大(到第 {row} 行已超过 {MAX_CELLS:,} 个单元格);"
                                     "请删除表格外的内容或拆分后上传")
                rows.append((row, [cells.get(i, "") for i in range(width)]))
                cells.clear()

        def text(data):
            if target is not None and sum(map(len, target)) <= MAX_CELL_CHARS:
                target.append(data)
        self.parse(part, start=start, end=end, text=text, raw=True)
        return rows


def _int(text, default: int = 0) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        return default


def _column(ref: str) -> int:
    index = 0
    for char in ref:
        if "A" <= char <= "Z":
            index = index * 26 + ord(char) - 64
        elif "a" <= char <= "z":
            index = index * 26 + ord(char) - 96
        else:
            break
        if index > 16384:
            break
    return index - 1


def _cell_value(kind: str, style: int, value: list[str], formula: list[str] | None, strings: list[str],
                shows: dict[int, str], epoch: datetime.datetime, at: tuple[int, int]) -> str:
    raw = "".join(value)
    if formula is not None:
        return Formula("=" + ("".join(formula) or "(共享公式)"))
    if kind == "s":
        index = _int(raw, -1)
        if not 0 <= index < len(strings):
            raise Unreadable(f"{column_letter(max(at[1], 0))}{at[0]} 单元格引用了不存在的共享字符串,文件可能已损坏;"
                             "请在 Excel 中打开后另存再上传")
        return strings[index]
    if kind == "b":
        return {"1": "TRUE", "0": "FALSE"}.get(raw, raw)
    if kind in ("n", "") and raw:
        shown = shows.get(style)
        if shown == "scaled":
            return Scaled(number_text(raw))
        return date_text(raw, epoch) if shown == "date" else number_text(raw, shown == "percent")
    return raw


def date_text(raw: str, epoch: datetime.datetime) -> str:
    """The date (and time) a date-formatted serial number shows, ISO-written: 45000 → 2023-03-15."""
    try:
        moment = epoch + datetime.timedelta(days=float(raw))
    except (ValueError, OverflowError):
        return raw
    return moment.strftime("%Y-%m-%d %H:%M" if moment.time() != datetime.time() else "%Y-%m-%d")


def sheets(data: bytes, deadline: float) -> Iterator[Sheet]:
    """The workbook's sheets in tab order, each read only when its rows are asked for."""
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
    except DAMAGED:
        raise Unreadable("不是完整的压缩包(文件已损坏或不完整);请用 Excel 或 WPS 打开后另存为 xlsx 再上传") from None
    infos = book.infolist()
    if len(infos) > MAX_MEMBERS:
        raise Unreadable(f"压缩包内有 {len(infos)} 个部件,超过 {MAX_MEMBERS} 个上限")
    if any(i.file_size > MAX_MEMBER_BYTES for i in infos) or sum(i.file_size for i in infos) > MAX_TOTAL_BYTES:
        raise Unreadable(f"解压后超过大小上限(单个部件 {MAX_MEMBER_BYTES // 2**20}MB,"
                         f"合计 {MAX_TOTAL_BYTES // 2**20}MB),疑似压缩炸弹,不予读取")
    names = book.NameToInfo
    if "xl/workbook.bin" in names:
        raise Unreadable("是 xlsb(二进制工作簿)格式,请在 Excel 中另存为 xlsx 后上传")
    if "mimetype" in names and "content.xml" in names:
        raise Unreadable("是 ODS(OpenDocument)格式,请另存为 xlsx 后上传")
    if "word/document.xml" in names or "ppt/presentation.xml" in names:
        raise Unreadable("是 Word 文档或 PowerPoint 演示文稿,不是表格;请上传填报模板(xlsx)或 CSV 文件")
    reader = _Reader(book, deadline)
    workbook = next((target for kind, target in reader.relationships("").values()
                     if kind.endswith("/officeDocument")), "xl/workbook.xml")
    if workbook not in names:
        raise Unreadable("不是 Excel 工作簿(压缩包中没有 xl/workbook.xml)")
    parts = reader.relationships(workbook)
    listed: list[tuple[str, bool, str]] = []
    epoch = [datetime.datetime(1899, 12, 30)]  # 1900 system (serials from 61 on; Excel's 1900-02-29 aside)

    def start(tag, attrs):
        if tag == "workbookPr" and attrs.get("date1904", "").lower() in ("1", "true"):
            epoch[0] = datetime.datetime(1904, 1, 1)
        elif tag == "sheet":
            rid = next((v for k, v in attrs.items() if _local(k) == "id"), "")
            listed.append((attrs.get("name", ""), attrs.get("state", "visible") != "visible", rid))
    reader.parse(workbook, start=start)
    cache: dict[str, object] = {}

    def shared():
        if not cache:
            by_type = {kind.rpartition("/")[2]: target for kind, target in parts.values()}
            cache["strings"] = reader.shared_strings(by_type.get("sharedStrings"))
            cache["styles"] = reader.number_styles(by_type.get("styles"))
        return cache["strings"], cache["styles"], epoch[0]

    for name, hidden, rid in listed:
        kind, target = parts.get(rid, ("", ""))
        if not kind.endswith("/worksheet"):
            continue  # chart sheets, dialog sheets
        yield Sheet(name, hidden, lambda target=target: reader.sheet_rows(target, *shared()))
