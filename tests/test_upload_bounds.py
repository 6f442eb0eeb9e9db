"""数据填报 uploads are bounded before and while parsing (issue 11 item 4): compressed and uncompressed size, sheet
extent, DTDs, time, non-regular files; and no input, however broken, produces a traceback."""
from __future__ import annotations

import os
import random
import re
import struct
import time
import zipfile
import zlib
from io import BytesIO

import duckdb
import pytest
from conftest import one

from planwatch import cli, importer, upload_check, xlsx_read

K03 = "pingyang-women-k03"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TYPES = ('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
         '<Default Extension="xml" ContentType="application/xml"/></Types>')
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
ROOT_RELS = (f'<?xml version="1.0"?><Relationships xmlns="{PKG_RELS}">'
             f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')


def raw_xlsx(sheet_data: str, shared: list[str] | str | None = None, workbook_head: str = "",
             styles: str | None = None) -> bytes:
    """A minimal hand-written xlsx: one sheet with the given <sheetData> content."""
    rels = f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    parts = {
        "[Content_Types].xml": TYPES, "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": f'<?xml version="1.0"?>{workbook_head}<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
                           f'<sheet name="填报" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData>{sheet_data}'
                                    f'</sheetData></worksheet>',
    }
    if shared is not None:
        rels += f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
        items = shared if isinstance(shared, str) else "".join(f"<si><t>{s}</t></si>" for s in shared)
        parts["xl/sharedStrings.xml"] = f'<?xml version="1.0"?><sst xmlns="{MAIN}">{items}</sst>'
    if styles is not None:
        rels += f'<Relationship Id="rId3" Type="{REL}/styles" Target="styles.xml"/>'
        parts["xl/styles.xml"] = f'<?xml version="1.0"?><styleSheet xmlns="{MAIN}">{styles}</styleSheet>'
    parts["xl/_rels/workbook.xml.rels"] = (
        f'<?xml version="1.0"?><Relationships xmlns="{PKG_RELS}">{rels}</Relationships>')
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        for name, text in parts.items():
            book.writestr(name, text)
    return buffer.getvalue()


def inline_row(row: int, *values) -> str:
    cells = "".join(f'<c r="{"ABC"[i]}{row}" t="inlineStr"><is><t>{v}</t></is></c>' for i, v in enumerate(values))
    return f'<row r="{row}">{cells}</row>'


GOOD_ROWS = inline_row(1, "指标编号", "年份", "数值") + inline_row(2, K03, "2023", "55")


def refused(db, data: bytes) -> str:
    with duckdb.connect(str(db)) as con:
        with pytest.raises(importer.ImportRefused) as caught:
            importer.check(con, data, "bomb.xlsx")
    return str(caught.value)


def test_the_hand_written_workbook_is_read(fresh_db, capsys):
    path = fresh_db.parent / "ok.xlsx"
    path.write_bytes(raw_xlsx(GOOD_ROWS))
    assert cli.main(["import", str(path), "--db", str(fresh_db)]) == 0
    assert one(fresh_db, "SELECT value FROM v_observation WHERE indicator_id = ? AND year = 2023", [K03]) == (55,)


def test_styled_empty_cell_at_the_last_cell_costs_nothing(fresh_db):
    """openpyxl allocates 17 billion cells for this file; only cells with a value count here."""
    data = raw_xlsx(GOOD_ROWS + '<row r="1048576"><c r="XFD1048576" s="1"/></row>')
    start = time.perf_counter()
    with duckdb.connect(str(fresh_db)) as con:
        checked = importer.check(con, data, "far.xlsx")
    assert len(checked.rows) == 1 and time.perf_counter() - start < 5


@pytest.mark.parametrize("ref,row", [("XFD1048576", 1048576), ("GS2", 2), ("A20001", 20001)])
def test_a_value_beyond_the_sheet_limits_is_refused_naming_the_cell(fresh_db, ref, row):
    data = raw_xlsx(GOOD_ROWS + f'<row r="{row}"><c r="{ref}"><v>1</v></c></row>')
    message = refused(fresh_db, data)
    assert f"{ref} 单元格有内容,超出可读取的范围(最多 20000 行、200 列)" in message


def test_cells_kept_are_capped_from_real_content(fresh_db):
    """Values in column GR on every row make a 200-wide row each time: the cells kept are counted, not assumed."""
    far = "".join(f'<row r="{r}"><c r="GR{r}"><v>1</v></c></row>' for r in range(3, 2100))
    assert "有内容的范围过大(到第 2002 行已超过 400,000 个单元格)" in refused(fresh_db, raw_xlsx(GOOD_ROWS + far))


def test_huge_shared_string_is_refused_before_it_is_expanded(fresh_db):
    """A part that inflates past its limit stops being read at the limit (here 40 MB of 'x' in 40 KB)."""
    data = raw_xlsx(GOOD_ROWS, shared="<si><t>" + "x" * (40 * 2**20) + "</t></si>")
    assert len(data) < 200_000
    assert "解压后超过大小上限" in refused(fresh_db, data)


def test_lying_zip_directory_is_caught_while_inflating(fresh_db):
    """The directory claims 100 bytes for a member that inflates to 20 MB: reading stops and the file is refused."""
    data = bytearray(raw_xlsx(GOOD_ROWS, shared="<si><t>" + "y" * (20 * 2**20) + "</t></si>"))
    with zipfile.ZipFile(BytesIO(bytes(data))) as book:
        info = book.getinfo("xl/sharedStrings.xml")
    real = struct.pack("<I", info.file_size)
    assert data.count(real) == 2  # local header and central directory
    data = bytes(data).replace(real, struct.pack("<I", 100))
    assert "压缩数据已损坏" in refused(fresh_db, data)


def test_many_parts_are_refused(fresh_db):
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        for i in range(1001):
            book.writestr(f"x/{i}", "")
    assert "超过 1000 个上限" in refused(fresh_db, buffer.getvalue())


LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
          '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')


def with_prefix(data: bytes, part: str, prefix: str) -> bytes:
    """The workbook with prefix inserted after the XML declaration of one part."""
    buffer = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            text = source.read(info)
            if info.filename == part:
                text = text.replace(b"?>", b"?>" + prefix.encode(), 1)
            target.writestr(info.filename, text)
    return buffer.getvalue()


@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml",
                                  "xl/_rels/workbook.xml.rels", "xl/styles.xml"])
def test_dtd_is_refused_in_any_part(fresh_db, part):
    data = raw_xlsx(inline_row(1, "指标编号", "年份", "数值") + '<row r="2"><c t="s"><v>0</v></c></row>',
                    shared="<si><t>&lol3;</t></si>" if part.endswith("sharedStrings.xml") else ["x"],
                    styles="<cellXfs/>")
    assert "含有 DTD 声明" in refused(fresh_db, with_prefix(data, part, LAUGHS))


def test_a_million_shared_strings_are_refused_quickly(fresh_db):
    data = raw_xlsx(GOOD_ROWS, shared=[str(i) for i in range(1_000_000)])
    start = time.perf_counter()
    assert "共享字符串超过 200000 个" in refused(fresh_db, data)
    assert time.perf_counter() - start < 10


def test_the_time_limit_stops_reading_and_checking(fresh_db, monkeypatch):
    monkeypatch.setattr(upload_check, "TIME_LIMIT", -1)
    assert "读取超时" in refused(fresh_db, raw_xlsx(GOOD_ROWS))
    assert "超过 -1 秒仍未完成" in refused(fresh_db, f"指标编号,年份,数值\n{K03},2023,55\n".encode())


def test_percent_style_of_a_hand_written_workbook(fresh_db):
    styles = ('<numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%"/></numFmts>'
              '<cellStyleXfs count="1"><xf numFmtId="10"/></cellStyleXfs>'
              '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="9"/></cellXfs>')
    rows = (inline_row(1, "指标编号", "年份", "数值")
            + f'<row r="2"><c r="A2" t="inlineStr"><is><t>{K03}</t></is></c><c r="B2"><v>2023</v></c>'
              f'<c r="C2" s="1"><v>0.95499999999999996</v></c></row>'
            + f'<row r="3"><c r="A3" t="inlineStr"><is><t>{K03}</t></is></c><c r="B3" s="0"><v>2024</v></c>'
              f'<c r="C3" s="2"><v>0.5</v></c></row>')
    with duckdb.connect(str(fresh_db)) as con:
        checked = importer.check(con, raw_xlsx(rows, styles=styles), "s.xlsx")
    assert list(checked.rows["value"]) == [95.5, 50]


@pytest.mark.parametrize("kind", ["dev_zero", "fifo", "directory", "huge", "missing"])
def test_command_line_refuses_what_is_not_a_small_regular_file(fresh_db, tmp_path, capsys, kind):
    path = {"dev_zero": "/dev/zero", "fifo": tmp_path / "pipe.csv", "directory": tmp_path,
            "huge": tmp_path / "huge.csv", "missing": tmp_path / "none.csv"}[kind]
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "huge":
        with open(path, "wb") as handle:
            handle.truncate(2 * 2**30)  # sparse 2 GB
    start = time.perf_counter()
    assert cli.main(["import", str(path), "--db", str(fresh_db)]) == 2
    err = capsys.readouterr().err
    assert time.perf_counter() - start < 5
    expected = {"dev_zero": "不是普通文件", "fifo": "不是普通文件", "directory": "是文件夹",
                "huge": "超过 5MB 上限", "missing": "无法读取文件"}[kind]
    assert expected in err and "Traceback" not in err


def _checks_or_refuses(db, data: bytes) -> None:
    with duckdb.connect(str(db)) as con:
        try:
            importer.check(con, data, "fuzz.xlsx")
        except importer.ImportRefused as refusal:
            assert refusal.problems and all(isinstance(p, str) for p in refusal.problems)
            # no English of Python's or zipfile's ("BadZipFile", "File is not a zip file", "Invalid data stream")
            assert not re.search(r"Error|Exception|Bad|[Ii]nvalid|is not|codec|seek|version", "".join(refusal.problems))


def test_fuzzed_uploads_never_raise_anything_but_a_refusal(fresh_db):
    rng = random.Random(11)
    good = raw_xlsx(GOOD_ROWS, shared=["a", "b"], styles='<cellXfs><xf numFmtId="9"/></cellXfs>')
    cases = [bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 3000))) for _ in range(30)]
    cases += [good[:cut] for cut in range(0, len(good), max(1, len(good) // 40))]
    for _ in range(40):  # flipped bytes inside a valid workbook
        damaged = bytearray(good)
        for _ in range(rng.randint(1, 8)):
            damaged[rng.randrange(len(damaged))] = rng.getrandbits(8)
        cases.append(bytes(damaged))
    for method in (zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA):  # other decompressors raise other kinds (LZMAError, OSError)
        packed = BytesIO()
        with zipfile.ZipFile(BytesIO(good)) as source, zipfile.ZipFile(packed, "w", method) as book:
            for info in source.infolist():
                book.writestr(info.filename, source.read(info))
        for _ in range(40):
            damaged = bytearray(packed.getvalue())
            for _ in range(rng.randint(1, 8)):
                damaged[rng.randrange(len(damaged))] = rng.getrandbits(8)
            cases.append(bytes(damaged))
    directory = good.rfind(b"PK\x01\x02")  # the last central-directory entry: its fields, one at a time
    for offset, value in ((6, b"\x81\x00"), (8, b"\x00\x08"), (42, b"\xff\xff\xff\x7f"), (46, b"\x8a\xff")):
        damaged = bytearray(good)  # a version from the future, a UTF-8 flag on bytes that are not, a wild offset
        damaged[directory + offset:directory + offset + len(value)] = value
        cases.append(bytes(damaged))
    inner = BytesIO()
    with zipfile.ZipFile(inner, "w") as book:
        book.writestr("inner.xlsx", good)
        book.writestr("xl/workbook.xml", good)
    cases.append(inner.getvalue())
    cases += [b"PK\x03\x04", b"PK" + zlib.compress(b"x" * 10_000), b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
              "\ufeff指标编号,年份,数值\n\"未闭合,2023,5\n".encode(), b"\xff\xfe" + b"\x00\xd8" * 10,
              raw_xlsx('<row r="x"><c r="1A"><v>a</v></c></row><row r="-5"><c t="s"><v>99</v></c></row>'),
              raw_xlsx(GOOD_ROWS + '<row r="3"><c r="A3" t="e"><v>#N/A</v></c><c r="C3" t="b"><v>1</v></c></row>')]
    for data in cases:
        _checks_or_refuses(fresh_db, data)



@pytest.mark.parametrize("data,message", [
    (b"a," * (2 * 2**20), "第1行: 表格超出可读取的范围(最多 20000 行、200 列)"),
    ("指标编号,年份,数值\n".encode() + f"{K03},2023,5\n".encode() * 20_000, "第20001行: 表格超出可读取的范围"),
    (b",\n" * (2 * 2**20), "文件中没有表头和数据行"),
], ids=["wide", "long", "blank"])
def test_csv_has_the_same_extent_limits(fresh_db, data, message):
    start = time.perf_counter()
    assert message in refused(fresh_db, data)
    assert time.perf_counter() - start < 10


def test_shared_formula_without_text_is_still_a_formula(fresh_db):
    rows = (inline_row(1, "指标编号", "年份", "数值")
            + f'<row r="2"><c r="A2" t="inlineStr"><is><t>{K03}</t></is></c><c r="B2"><v>2023</v></c>'
              f'<c r="C2"><f t="shared" si="0"/><v>55</v></c></row>')
    assert "第2行 数值列: 单元格是公式“=(共享公式)”" in refused(fresh_db, raw_xlsx(rows))


@pytest.mark.parametrize("tail", ["", "\n"])  # a newline sends clean_text down its per-character path
def test_one_long_shared_string_in_every_cell_is_refused_quickly_in_bounded_memory(fresh_db, tail):
    # 30 KB of xlsx: one 32,000-character string filling 2,000 rows × 199 cells. Cleaned once per cell, it took
    # 25 GB (or an hour with the newline); cleaned once, every row is refused for its length at a glance.
    import resource

    header = '<row r="1">' + "".join(f'<c r="{xlsx_read.column_letter(i)}1" t="inlineStr"><is><t>{h}</t></is></c>'
                                     for i, h in enumerate(["指标编号", "年份", "数值"])) + "</row>"
    cells = "".join(f'<c t="s"><v>0</v></c>' for _ in range(199))
    rows = header + "".join(f'<row r="{r}">{cells}</row>' for r in range(2, 2002))
    data = raw_xlsx(rows, shared=[" " + "长" * 32_000 + tail])
    start, before = time.monotonic(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    message = refused(fresh_db, data)
    assert "第2行 指标编号列: 共 32000 字,超过 2000 字上限" in message
    assert time.monotonic() - start < 10
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 500_000  # KB: far below a copy per cell


def test_a_cell_naming_a_missing_shared_string_is_refused_in_chinese(fresh_db):
    rows = GOOD_ROWS + '<row r="3"><c r="A3" t="s"><v>99</v></c></row>'
    assert "A3 单元格引用了不存在的共享字符串" in refused(fresh_db, raw_xlsx(rows, shared=["x"]))


def test_a_word_document_renamed_xlsx_is_called_what_it_is(fresh_db):
    import docx

    out = BytesIO()
    docx.Document().save(out)
    assert "是 Word 文档或 PowerPoint 演示文稿,不是表格" in refused(fresh_db, out.getvalue())
