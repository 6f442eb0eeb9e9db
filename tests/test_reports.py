"""年度报告: every format made through the command line from the demo database, opened again and checked against
the views; without demonstration values no file says 示例数据."""
from __future__ import annotations

import io
import re
import shutil
import subprocess

import openpyxl
import pytest
from conftest import one, rows
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from planwatch import cli, db, report
from planwatch.report import workbook

REGIONS = ("平阳县", "咸阳市", "乐清市", "怀柔区", "张家港市")
YEAR = 2024


def make(db_path, out_dir, fmt, *extra) -> bytes:
    path = out_dir / f"report.{fmt}"
    assert cli.main(["report", "--format", fmt, "--out", str(path), "--db", str(db_path), "--as-of", str(YEAR),
                     *extra]) == 0
    return path.read_bytes()


@pytest.fixture(scope="module")
def files(demo_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    return {fmt: make(demo_db, out, fmt) for fmt in report.FORMATS}


@pytest.fixture(scope="module")
def expected_titles(demo_db):
    with db.open_reader(demo_db) as con:
        return [s.title for s in report.outline(report.gather(con, YEAR))]


def slide_text(slide) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts += [cell.text for row in shape.table.rows for cell in row.cells]
    return "\n".join(parts)


def pdf_pages(data: bytes) -> list[str]:
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is needed: scripts/test.sh installs it"
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout
    return [p for p in text.decode("utf-8").split("\f") if p.strip()]


# -- slides ---------------------------------------------------------------------------------------------------------

def test_slides_are_16_9_with_the_outline_as_titles(files, expected_titles):
    prs = Presentation(io.BytesIO(files["pptx"]))
    assert abs(prs.slide_width / prs.slide_height - 16 / 9) < 0.01
    titles = [s.shapes.title.text_frame.text for s in prs.slides]
    assert titles == expected_titles
    assert len(prs.slides) >= 12
    assert titles[0] == "妇女儿童发展规划实施监测年度报告"
    assert titles[1] == f"总体达标率 · 截至{YEAR}年"
    assert titles[2:5] == ["各规划指标状态", "各领域指标状态与达标率", "各地区指标状态与达标率"]
    assert any(t.startswith("责任单位计分卡") for t in titles)
    assert sum(t.startswith("指标案例") for t in titles) >= 2
    assert titles[-1].startswith("方法说明")


def test_slides_have_charts_and_demo_label_everywhere(files):
    prs = Presentation(io.BytesIO(files["pptx"]))
    pictures = [sh for s in prs.slides for sh in s.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) >= 3 + 2  # status by plan, domain, region, the headline and the indicator stories
    assert all(sh.width > 0 and sh.height > 0 for sh in pictures)
    for number, slide in enumerate(prs.slides, start=1):
        assert "示例数据" in slide_text(slide), f"slide {number} does not say 示例数据"


def test_slides_list_the_most_urgent_warnings_red_first(files, demo_db):
    prs = Presentation(io.BytesIO(files["pptx"]))
    rows = []
    for slide in prs.slides:
        if slide.shapes.title.text_frame.text.startswith("预警清单"):
            table = next(sh.table for sh in slide.shapes if sh.has_table)
            assert [c.text for c in table.rows[0].cells] == ["级别", "地区", "指标", "原因"]
            rows += [[c.text for c in r.cells] for r in list(table.rows)[1:]]
    n_listed = one(demo_db, "SELECT count(*) FROM v_warning WHERE as_of_year = ? AND level IN ('红', '黄')", [YEAR])[0]
    n_slides = sum(slide.shapes.title.text_frame.text.startswith("预警清单") for slide in prs.slides)
    assert 0 < len(rows) <= n_listed and n_slides <= 4  # a meeting deck; the PDF and workbook list them all
    if len(rows) < n_listed:
        assert f"其余 {n_listed - len(rows)} 条" in "".join(slide_text(s) for s in prs.slides)
    levels = [r[0] for r in rows]
    assert levels == sorted(levels, key=["红", "黄"].index)
    # issue 13: the most urgent warning comes first (v_warning.urgency), ties by region and indicator
    first = one(demo_db, "SELECT i.name, w.kind || ':' || w.reason FROM v_warning w JOIN v_indicator i "
                         "USING (indicator_id) WHERE as_of_year = ? AND level = '红' "
                         "ORDER BY w.urgency DESC, i.region, w.indicator_id LIMIT 1", [YEAR])
    assert rows[0][2] == first[0] and rows[0][3] == first[1]


def test_every_slide_run_names_an_east_asian_font(files):
    prs = Presentation(io.BytesIO(files["pptx"]))
    for slide in prs.slides:
        xml = slide.part.blob.decode("utf-8")
        runs = len(re.findall(r"<a:r>", xml))
        assert runs > 0
        assert len(re.findall(r'<a:ea typeface="微软雅黑"/>', xml)) == runs


def test_slides_for_one_region(demo_db, tmp_path):
    prs = Presentation(io.BytesIO(make(demo_db, tmp_path, "pptx", "--region", "平阳县")))
    text = "\n".join(slide_text(s) for s in prs.slides)
    assert "平阳县妇女儿童工作委员会" in text
    assert "张家港市" not in text  # another region's warnings or units would name it


# -- PDF ------------------------------------------------------------------------------------------------------------

def test_pdf_pages_name_regions_and_warnings_and_say_demo(files):
    pages = pdf_pages(files["pdf"])
    assert len(pages) >= 4
    text = "\n".join(pages)
    for region in REGIONS:
        assert region in text
    assert "三、预警清单" in text and "预警" in text
    assert "达标率" in text
    for number, page in enumerate(pages, start=1):
        assert "示例数据" in page, f"PDF page {number} does not say 示例数据"
        assert f"第 {number} 页 / 共 {len(pages)} 页" in page


def test_pdf_embeds_its_cjk_font(files, tmp_path):
    path = tmp_path / "r.pdf"
    path.write_bytes(files["pdf"])
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout
    cjk = [line for line in fonts.splitlines() if "WenQuanYi" in line]
    assert cjk and all(" yes yes " in line for line in cjk)  # embedded and subset


def test_pdf_lists_every_warning(files, demo_db):
    text = "".join(pdf_pages(files["pdf"]))
    n = one(demo_db, "SELECT count(*) FROM v_warning WHERE as_of_year = ?", [YEAR])[0]
    assert re.search(rf"截至{YEAR}年共 {n} 条预警", text)
    grey = one(demo_db, "SELECT i.name FROM v_warning w JOIN v_indicator i USING (indicator_id) "
                        "WHERE as_of_year = ? AND level = '灰' ORDER BY w.indicator_id LIMIT 1", [YEAR])[0]
    assert re.sub(r"\s+", "", grey) in re.sub(r"\s+", "", text)  # grey warnings are listed too


# -- workbook -------------------------------------------------------------------------------------------------------

def test_workbook_sheets_match_the_views(files, demo_db):
    book = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))
    assert book.sheetnames == list(workbook.SHEETS)

    for sheet, view in (("预警", "v_warning"), ("指标状态", "v_status"), ("按规划", "v_attainment_by_plan"),
                        ("按领域", "v_attainment_by_domain"), ("按地区", "v_attainment_by_region"),
                        ("按责任单位", "v_attainment_by_unit")):
        n = one(demo_db, f"SELECT count(*) FROM {view} WHERE as_of_year = ?", [YEAR])[0]
        assert book[sheet].max_row - 1 == n > 0, sheet
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"


def test_workbook_rates_are_percent_numbers(files, demo_db):
    sheet = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))["按地区"]
    header = [c.value for c in sheet[1]]
    got = {r[header.index("地区")]: r[header.index("达标率")] for r in sheet.iter_rows(min_row=2, values_only=True)}
    want = dict(rows(demo_db, "SELECT region, attainment_rate FROM v_attainment_by_region WHERE as_of_year = ?",
                     [YEAR]))
    assert got == pytest.approx(want)
    cell = sheet.cell(2, header.index("达标率") + 1)
    assert cell.data_type == "n" and cell.number_format.endswith("%")
    status = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))["指标状态"]
    header = [c.value for c in status[1]]
    assert status.cell(2, header.index("目标进程") + 1).number_format.endswith("%")


def test_workbook_says_demo_and_has_no_formulas(files):
    book = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))
    about = book["说明"]
    assert about["A2"].value == "示例数据"
    assert all(sheet.oddHeader.right.text == "示例数据" for sheet in book.worksheets)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"


def test_workbook_for_one_region(demo_db, tmp_path):
    book = openpyxl.load_workbook(io.BytesIO(make(demo_db, tmp_path, "xlsx", "--region", "平阳县")))
    n = one(demo_db, "SELECT count(*) FROM v_warning w JOIN v_indicator i USING (indicator_id) "
                     "WHERE as_of_year = ? AND i.region = '平阳县'", [YEAR])[0]
    assert book["预警"].max_row - 1 == n
    assert [c.value for c in book["按地区"][2]][0] == "平阳县" and book["按地区"].max_row == 2


# -- without demonstration values, and refusals ---------------------------------------------------------------------

def test_no_demo_label_without_demonstration_values(base_db, tmp_path):
    prs = Presentation(io.BytesIO(make(base_db, tmp_path, "pptx")))
    assert not any("示例数据" in slide_text(s) for s in prs.slides)
    assert not any("示例数据" in p for p in pdf_pages(make(base_db, tmp_path, "pdf")))
    book = openpyxl.load_workbook(io.BytesIO(make(base_db, tmp_path, "xlsx")))
    assert book["说明"]["A2"].value != "示例数据"


@pytest.mark.parametrize("args,message", [
    (["--region", "火星市"], "不是监测地区"),
    (["--as-of", "1999"], "不可用"),
])
def test_bad_region_or_year_is_refused_in_chinese(demo_db, tmp_path, capsys, args, message):
    out = tmp_path / "x.pdf"
    assert cli.main(["report", "--out", str(out), "--db", str(demo_db), *args]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()
