"""年度报告: every format made through the command line from the demo database, opened again and checked against
the views; without demonstration values no file says 示例数据."""
from __future__ import annotations

import collections
import dataclasses
import io
import re
import shutil
import subprocess
import zipfile

import docx
import duckdb
import openpyxl
import pytest
from conftest import import_rows, one, rows
from docx.oxml.ns import qn
from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Inches

from planwatch import cli, db, report
from planwatch.report import workbook

REGIONS = ("平阳县", "咸阳市", "乐清市", "怀柔区", "张家港市")
YEAR = 2024


# the warning every list puts first: most urgent (v_warning.urgency), then red, reversal, region, id
MOST_URGENT = """SELECT i.name, w.reason, coalesce(i.responsible_units, '规划未列明'), i.region, w.kind
FROM v_warning w JOIN v_indicator i USING (indicator_id)
WHERE as_of_year = ? AND level IN ('红', '黄')
ORDER BY w.urgency DESC, CASE level WHEN '红' THEN 1 ELSE 2 END,
         CASE kind WHEN '逆向变化' THEN 1 WHEN '预计未达标' THEN 2 ELSE 3 END, i.region, w.indicator_id LIMIT 1"""


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


def test_slides_have_native_charts_and_demo_label_everywhere(files):
    prs = Presentation(io.BytesIO(files["pptx"]))
    charts = [sh.chart for s in prs.slides for sh in s.shapes if sh.has_chart]
    assert len(charts) >= 4 + 2  # the headline, status by plan, domain, region and the indicator stories
    assert not any(sh.shape_type == MSO_SHAPE_TYPE.PICTURE for s in prs.slides for sh in s.shapes)
    names = zipfile.ZipFile(io.BytesIO(files["pptx"])).namelist()
    assert sum(n.startswith("ppt/charts/chart") and n.endswith(".xml") for n in names) == len(charts)
    assert sum(n.startswith("ppt/embeddings/") and n.endswith(".xlsx") for n in names) == len(charts)  # editable
    for number, slide in enumerate(prs.slides, start=1):
        assert "示例数据" in slide_text(slide), f"slide {number} does not say 示例数据"


def test_no_slide_text_under_18_pt_outside_the_footer(files):
    prs = Presentation(io.BytesIO(files["pptx"]))
    for number, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            if shape.top >= Inches(7.0):  # the footer line
                continue
            xml = etree.tostring(shape.chart._chartSpace if shape.has_chart else shape._element).decode()
            sizes = [int(v) for v in re.findall(r'\bsz="(\d+)"', xml)]
            if shape.has_chart or (shape.has_text_frame and shape.text_frame.text) or shape.has_table:
                assert sizes, f"slide {number}: {shape.name} has text without a size"
            assert all(v >= 1800 for v in sizes), f"slide {number}: {shape.name} has text under 18 pt: {sizes}"


def test_slides_list_the_most_urgent_warnings_with_units(files, demo_db):
    prs = Presentation(io.BytesIO(files["pptx"]))
    rows, notes = [], ""
    for slide in prs.slides:
        if slide.shapes.title.text_frame.text.startswith("预警清单"):
            table_shape = next(sh for sh in slide.shapes if sh.has_table)
            table = table_shape.table
            assert [c.text for c in table.rows[0].cells] == ["级别", "地区", "指标", "问题", "责任单位"]
            assert 1 <= len(table.rows) - 1 <= 8
            rows += [[c.text for c in r.cells] for r in list(table.rows)[1:]]
            notes += slide.notes_slide.notes_text_frame.text
            intro = next(sh for sh in slide.shapes if sh.has_text_frame and sh.text_frame.text.startswith("红色"))
            assert intro.top + intro.height <= table_shape.top  # the intro is not overlapped by the table
    n_listed = one(demo_db, "SELECT count(*) FROM v_warning WHERE as_of_year = ? AND level IN ('红', '黄')", [YEAR])[0]
    n_slides = sum(slide.shapes.title.text_frame.text.startswith("预警清单") for slide in prs.slides)
    assert 0 < len(rows) < n_listed and n_slides <= 4  # a meeting deck; the report and workbook list them all
    assert f"另有 {n_listed - len(rows)} 条未在幻灯片上列出,见报告附表" in "".join(slide_text(s) for s in prs.slides)
    levels = [r[0] for r in rows]
    assert levels == sorted(levels, key=["红", "黄"].index)
    first = one(demo_db, MOST_URGENT, [YEAR])
    assert rows[0][2] == first[0] and rows[0][3].startswith(f"{first[4]}:")
    assert rows[0][4] == first[2].split("、")[0] + ("等" if "、" in first[2] else "")
    assert first[1] in notes  # the full reason is in the speaker notes


def test_every_slide_run_names_an_east_asian_font_with_a_chinese_fallback(files):
    prs = Presentation(io.BytesIO(files["pptx"]))
    for slide in prs.slides:
        xml = slide.part.blob.decode("utf-8")
        runs = len(re.findall(r"<a:r>", xml))
        assert runs > 0
        assert len(re.findall(r'<a:ea typeface="黑体" panose="02010609060101010101" pitchFamily="49" '
                              r'charset="-122"/>', xml)) == runs
    theme = next(p for p in prs.part.package.iter_parts() if str(p.partname).startswith("/ppt/theme/"))
    assert '<a:ea typeface="黑体"/>' in theme.blob.decode("utf-8")  # the theme's East Asian font too


def test_speaker_notes_carry_the_reports_sentences(files, demo_db):
    prs = Presentation(io.BytesIO(files["pptx"]))
    notes = [s.notes_slide.notes_text_frame.text for s in prs.slides]
    assert all(notes)
    n_met, n_assessed = one(demo_db, "SELECT count(*) FILTER (WHERE status = '已达标'), count(*) FILTER (WHERE status "
                                     "IN ('已达标', '进展顺利', '进度滞后', '逆向变化')) FROM v_status "
                                     "WHERE as_of_year = ?", [YEAR])
    assert f"已评估{n_assessed}项" in notes[1] and f"(已达标){n_met}项" in notes[1]


def story_ids(db_path, region=None) -> dict[str, str]:
    with db.open_reader(db_path) as con:
        return {s.label: s.ind["indicator_id"] for s in report.gather(con, YEAR, region).stories}


@pytest.mark.parametrize("region", [None, *REGIONS])
def test_the_good_story_is_an_indicator_improving_toward_its_target(demo_db, region):
    good = story_ids(demo_db, region)["进展良好"]
    progress, status = one(demo_db, "SELECT progress, status FROM v_status WHERE indicator_id = ? AND as_of_year = ?",
                           [good, YEAR])
    assert progress is not None and progress > 0 and status in ("已达标", "进展顺利")
    assert good != "zhangjiagang-children-k02"  # 婴儿死亡率 rising 1.75 → 2.36‰ under its ≤4‰ limit


def test_a_lagging_story_appears_when_indicators_lag(demo_db):
    for region in REGIONS:
        n_lagging = one(demo_db, "SELECT count(*) FROM v_status_detail WHERE as_of_year = ? AND region = ? "
                                 "AND status = '进度滞后' AND n_points >= 2", [YEAR, region])[0]
        assert ("需要加力:进度滞后" in story_ids(demo_db, region)) == (n_lagging > 0), region


def test_a_lagging_story_at_the_target_year_says_the_time_has_run_out(demo_db):
    # as of 2025 张家港市's calls are final: the story said "需要加力:进度滞后" with "84% / 75%" (the time share of
    # the last report's year), for an indicator ahead of schedule that missed its target
    with db.open_reader(demo_db) as con:
        stories = {s.label: s for s in report.gather(con, 2025, "张家港市").stories}
    assert "需要加力:进度滞后" not in stories
    facts = dict(stories["需要加力:到期未达标"].facts())
    assert facts["目标进程 / 时间进度"].endswith(" / 目标年已到")


def test_slides_for_one_region(demo_db, tmp_path):
    prs = Presentation(io.BytesIO(make(demo_db, tmp_path, "pptx", "--region", "平阳县")))
    text = "\n".join(slide_text(s) for s in prs.slides)
    assert "平阳县妇女儿童工作委员会" in text
    assert "张家港市" not in text  # another region's warnings or units would name it
    titles = [s.shapes.title.text_frame.text for s in prs.slides]
    assert "各地区指标状态与达标率" not in titles  # one bar: the headline says it already
    plan_slide = prs.slides[titles.index("各规划指标状态")]
    [numbers] = [sh.table for sh in plan_slide.shapes if sh.has_table]  # the two plans' numbers under their bars
    assert [cell.text for cell in numbers.rows[0].cells][4:6] == ["达标率", "基本实现率"]
    assert "平阳县:妇女、儿童规划未列明责任单位" in text  # a line per region whose plans name no units


def test_a_report_on_several_places_is_their_committees_together(demo_db):
    with db.open_reader(demo_db) as con:
        content = report.gather(con, YEAR)
    assert len(content.regions) > 1 and content.committee == "各地妇女儿童工作委员会"
    assert content.framing().startswith("根据规划确定的监测指标,各地妇女儿童工作委员会组织成员单位对")


def test_the_outlook_says_which_projected_shortfalls_are_basically_met(demo_db):
    # 预计难以实现 and 基本实现 overlap (a gap within the tolerance, not heading to the target): the sentence says
    # how many of the one are the other, counted here from the public views
    with db.open_reader(demo_db) as con:
        content = report.gather(con, 2023)
    [n] = one(demo_db, """SELECT count(*) FROM v_status s WHERE as_of_year = 2023 AND NOT is_final
                           AND assessment = '基本实现' AND (status = '逆向变化' OR (status IN ('进展顺利', '进度滞后')
                           AND indicator_id IN (SELECT indicator_id FROM v_warning
                                                WHERE as_of_year = 2023 AND kind = '预计未达标')))""")
    [outlook] = [s for s in content.overview_sentences() if "预计难以实现" in s]
    assert n > 0 and f"其中{n}项与目标的差距已在基本实现容差内" in outlook


@pytest.mark.parametrize("region", ["浙江省", "330000"])
def test_a_province_report_counts_its_counties_and_lists_its_cities(demo_db, region):
    with db.open_reader(demo_db) as con:
        content = report.gather(con, YEAR, region)
    assert content.region == "浙江省" and content.committee == "浙江省妇女儿童工作委员会"
    assert content.regions == ["温州市"]   # its cities, each counting its counties
    n_met, n_assessed = one(demo_db, "SELECT sum(n_met), sum(n_assessed) FROM v_attainment_by_region "
                                     "WHERE as_of_year = ? AND region IN ('平阳县', '乐清市')", [YEAR])
    assert (content.headline["n_met"], content.headline["n_assessed"]) == (n_met, n_assessed)
    city = content.cut("region").set_index("地区").loc["温州市"]
    assert (city["已达标"], city["已评估"]) == (n_met, n_assessed)
    assert set(content.indicators["地区"]) == {"平阳县", "乐清市"}   # the 附表: every county indicator in scope


def test_a_province_deck_draws_its_cities_bars(tmp_path):
    # The 各地区 chart's labels were the cities and its counts by county name: every bar 0 (a review's province deck)
    from planwatch import synth

    path = tmp_path / "synth.duckdb"
    synth.synth(path, 100)   # 江苏省: counties of five cities
    prs = Presentation(io.BytesIO(make(path, tmp_path, "pptx", "--region", "320000")))
    plot = next(shape.chart for slide in prs.slides for shape in slide.shapes
                if shape.has_chart and "各地区" in slide.shapes.title.text).plots[0]
    cities = one(path, "SELECT count(DISTINCT city_code) FROM v_region JOIN plan USING (region_code) "
                       "WHERE province_code = '320000'")[0]
    assert len(plot.categories) == cities == 5
    assert all(sum(series.values[i] for series in plot.series) > 0 for i in range(cities))
    n_indicators = one(path, "SELECT n_indicators FROM v_attainment_rollup WHERE as_of_year = ? "
                             "AND region_code = '320000'", [YEAR])[0]
    assert sum(sum(series.values) for series in plot.series) == n_indicators


def test_a_chart_of_many_plans_draws_the_most_lagging_and_one_bar_for_the_rest(demo_db, monkeypatch):
    from planwatch.report import content as content_mod

    monkeypatch.setattr(content_mod, "MAX_BARS", 4)
    with db.open_reader(demo_db) as con:
        content = report.gather(con, YEAR, None)
    plans, bars = content.cut("plan"), content.chart_rows("plan")
    assert len(plans) == 9 and len(bars) == 4 and bars["label"].iloc[-1].startswith("其余6个规划")
    assert bars["指标数"].sum() == plans["指标数"].sum()   # the rest is summed, nothing dropped
    rest = plans.iloc[3:]
    assert bars["label"].iloc[-1].endswith(f"({rest['已达标'].sum()}/{rest['已评估'].sum()})")


# -- PDF ------------------------------------------------------------------------------------------------------------

def test_pdf_pages_name_regions_and_warnings_and_say_demo(files):
    pages = pdf_pages(files["pdf"])
    assert len(pages) >= 4
    text = "\n".join(pages)
    for region in REGIONS:
        assert region in text
    assert "三、预警清单" in text and "预警" in text
    assert "达标率" in text
    assert not re.search(r"\b0\.\d{4}\b", text)  # shares are percentages (基本实现率 printed 0.6772)
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


def test_every_workbook_column_is_named_in_chinese(files):
    # the 预警 sheet's last column was headed "urgency"
    book = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))
    for sheet in book.worksheets[1:]:  # (说明 is two columns of text: 项目, 内容)
        headers = [c.value for c in next(sheet.iter_rows(max_row=1))]
        english = [h for h in headers if not re.search(r"[\u4e00-\u9fff]", str(h))]
        assert not english, (sheet.title, english)


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
    (["--region", "鼓楼区"], "不是监测地区"),
    (["--as-of", "1999"], "不可用"),
])
def test_bad_region_or_year_is_refused_in_chinese(demo_db, tmp_path, capsys, args, message):
    out = tmp_path / "x.pdf"
    assert cli.main(["report", "--out", str(out), "--db", str(demo_db), *args]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


# -- Word report ----------------------------------------------------------------------------------------------------

def word(data: bytes):
    return docx.Document(io.BytesIO(data))


def headings(doc, level: int) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == f"Heading {level}"]


def table_rows(table) -> list[list[str]]:
    """Cell texts of a Word table, read from its XML (python-docx's cell API is slow on the 附表)."""
    return [["".join(tc.xpath(".//w:t/text()")) for tc in tr.iterchildren(qn("w:tc"))]
            for tr in table._tbl.iterchildren(qn("w:tr"))]


def body_text(doc) -> str:
    """The Word report's paragraphs as text, without the table of contents (which repeats the headings)."""
    return "\n".join(p.text for p in doc.paragraphs if "TOC \\o" not in p._p.xml)


def test_word_report_has_the_bureaus_sections_and_a_heading_per_domain(files, demo_db):
    doc = word(files["docx"])
    assert headings(doc, 1) == ["一、总体情况", "二、分领域情况", "三、存在的主要问题", "四、对策建议", "附表  监测指标一览"]
    domains = {r[0] for r in rows(demo_db, "SELECT domain FROM v_attainment_by_domain WHERE as_of_year = ?", [YEAR])}
    assert {re.sub(r"^\uff08[一二三四五六七八九十]+\uff09", "", h) for h in headings(doc, 2)} == domains
    assert len(headings(doc, 2)) == len(domains)
    # the table of contents shows the headings until Word fills in the page numbers (a PDF made by LibreOffice
    # showed "(在 Word 中右键点击此处选择“更新域”…)")
    toc = next(p for p in doc.paragraphs if "TOC \\o" in p._p.xml)
    assert [line.strip("\u3000") for line in toc.text.strip().split("\n")] == [
        h for h in (p.text for p in doc.paragraphs if p.style.name in ("Heading 1", "Heading 2"))]
    xml = doc.element.xml
    assert 'TOC \\o "1-2"' in xml and "SEQ 图" in xml  # a table of contents field and numbered figure captions
    assert len(doc.inline_shapes) >= 2
    assert "PAGE" in doc.sections[0].footer._element.xml
    assert all("示例数据" in s.header.paragraphs[0].text for s in doc.sections)
    assert doc.paragraphs[0].style.name == "Title" and doc.paragraphs[0].text == "妇女儿童发展规划实施监测年度报告"
    # 表1 gives each plan's 基本实现率 beside its 达标率, as the PDF and the workbook do
    basic = one(demo_db, "SELECT basic_rate FROM v_attainment_by_plan WHERE as_of_year = ? AND plan_id = "
                         "'pingyang-women'", [YEAR])[0]
    table1 = table_rows(doc.tables[0])
    assert table1[0][-2:] == ["达标率", "基本实现率"]
    assert [row[-1] for row in table1 if row[0] == "平阳县 妇女"] == [f"{basic:.1%}"]


def test_word_appendix_lists_every_indicator_with_the_views_status(files, demo_db):
    table = table_rows(word(files["docx"]).tables[-1])
    header, body = table[0], table[1:]
    assert header[:6] == ["地区", "规划", "领域", "指标", "单位", "基线(年)"]
    assert header[-5:] == ["目标", "状态", "评估", "预警", "责任单位"] and str(YEAR) in header
    assert len(body) == one(demo_db, "SELECT count(*) FROM v_indicator")[0]
    got = collections.Counter(r[header.index("状态")] for r in body)
    assert got == dict(rows(demo_db, "SELECT status, count(*) FROM v_status WHERE as_of_year = ? GROUP BY ALL", [YEAR]))
    value = one(demo_db, "SELECT i.name, o.value FROM v_observation o JOIN v_indicator i USING (indicator_id) "
                         "WHERE o.year = ? AND i.region = '平阳县' AND o.value IS NOT NULL "
                         "ORDER BY o.indicator_id LIMIT 1", [YEAR])
    row = next(r for r in body if r[0] == "平阳县" and r[3] == value[0])
    assert float(row[header.index(str(YEAR))]) == pytest.approx(value[1], abs=0.005)


def test_word_sentences_carry_the_views_figures(files, demo_db):
    doc = word(files["docx"])
    text = body_text(doc)
    counts = "SELECT count(*) FILTER (WHERE status = '已达标'), count(*) FILTER (WHERE status IN ('已达标', '进展顺利', " \
             "'进度滞后', '逆向变化')) FROM v_status WHERE as_of_year = ?"
    n_met, n_assessed = one(demo_db, counts, [YEAR])
    before, _ = one(demo_db, counts, [YEAR - 1])
    assert f"已评估{n_assessed}项(有监测数据的定量指标),已实现规划目标(已达标){n_met}项," \
           f"达标率为{n_met / n_assessed:.0%}" in text
    assert f"已实现目标的指标增加{n_met - before}项(由{before}项到{n_met}项)" in text
    n_q, n_rep = one(demo_db, "SELECT count(*), count(*) FILTER (WHERE latest_year = as_of_year) FROM v_status "
                              "WHERE as_of_year = ? AND status <> '定性'", [YEAR])
    assert f"{n_q}项定量指标中{n_rep}项已报送{YEAR}年数据" in text
    for domain, n, assessed, met in rows(demo_db, "SELECT domain, n_indicators, n_assessed, n_met "
                                                  "FROM v_attainment_by_domain WHERE as_of_year = ?", [YEAR]):
        assert f"{domain}领域共有指标{n}项,已评估{assessed}项,已实现目标{met}项" in text
    name, reason, _, region, _ = one(demo_db, MOST_URGENT, [YEAR])
    problems = text[text.index("三、存在的主要问题"):text.index("四、对策建议")]
    assert f"{region}" in problems and f"“{name}”" in problems and reason in problems
    assert "【待补充】" in problems and "【待补充】" in text[text.index("四、对策建议"):]  # drafts for the office


def test_word_styles_name_chinese_government_fonts(files):
    doc = word(files["docx"])
    east_asia = {name: doc.styles[name].element.rPr.rFonts.get(qn("w:eastAsia"))
                 for name in ("Normal", "Heading 1", "Heading 2", "Title", "报告表格")}
    assert east_asia == {"Normal": "仿宋_GB2312", "Heading 1": "黑体", "Heading 2": "楷体_GB2312",
                         "Title": "方正小标宋简体", "报告表格": "宋体"}
    assert doc.styles["Normal"].font.size.pt == 16
    fonts = zipfile.ZipFile(io.BytesIO(files["docx"])).read("word/fontTable.xml").decode("utf-8")
    assert re.search(r'<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>', fonts)  # the fallback


def test_word_report_carries_a_chinese_font_under_each_name_it_uses(files):
    # a computer without those fonts (or any Chinese font) draws the text with the embedded one: every character of
    # the document is in it, under each of the five names, and Word's embedded-font setting is on
    from fontTools.ttLib import TTFont

    book = zipfile.ZipFile(io.BytesIO(files["docx"]))
    table = etree.fromstring(book.read("word/fontTable.xml"))
    rels = {r.get("Id"): r.get("Target") for r in etree.fromstring(book.read("word/_rels/fontTable.xml.rels"))}
    embedded = {f.get(qn("w:name")): f.find(qn("w:embedRegular")) for f in table.findall(qn("w:font"))}
    names = ("仿宋_GB2312", "黑体", "楷体_GB2312", "宋体", "方正小标宋简体")
    assert all(embedded.get(name) is not None for name in names)
    printed = {ch for ch in "".join(etree.fromstring(book.read("word/document.xml")).itertext()) if ord(ch) > 0x2E80}
    for name in names:
        tag = embedded[name]
        key = bytes.fromhex(tag.get(qn("w:fontKey")).strip("{}").replace("-", ""))[::-1]
        data = bytearray(book.read("word/" + rels[tag.get(qn("r:id"))]))
        data[:32] = bytes(b ^ key[i % 16] for i, b in enumerate(data[:32]))
        covered = set(map(chr, TTFont(io.BytesIO(bytes(data))).getBestCmap()))
        assert printed and not printed - covered, name
    assert b"<w:embedTrueTypeFonts/>" in book.read("word/settings.xml")


def test_word_modes_and_no_demo_header_without_demonstration_values(demo_db, base_db, tmp_path):
    mid = word(make(demo_db, tmp_path, "docx", "--mode", "midterm", "--region", "平阳县"))
    assert mid.paragraphs[0].text == "平阳县妇女儿童发展规划实施中期评估报告"  # the place's report, named so
    assert "中期评估" in "".join(p.text for p in mid.paragraphs[:8])
    assert len(table_rows(mid.tables[-1])) - 1 == one(demo_db, "SELECT count(*) FROM v_indicator "
                                                                "WHERE region = '平阳县'")[0]
    final = word(make(demo_db, tmp_path, "docx", "--mode", "final"))
    assert final.paragraphs[0].text == "妇女儿童发展规划实施终期评估报告"
    # a place with one plan: its report is that plan's (乐清市 has only a 儿童 plan)
    only = word(make(demo_db, tmp_path, "docx", "--region", "乐清市"))
    assert only.paragraphs[0].text == "乐清市儿童发展规划实施监测年度报告"
    plain = word(make(base_db, tmp_path, "docx"))
    assert not any("示例数据" in s.header.paragraphs[0].text for s in plain.sections)
    assert "示例数据" not in "\n".join(p.text for p in plain.paragraphs)


def test_word_report_uses_the_units_explanations(fresh_db, tmp_path):
    ind, baseline = one(fresh_db, "SELECT indicator_id, baseline_value FROM v_indicator WHERE target_op = '>=' "
                                  "AND baseline_value BETWEEN 10 AND target_value - 1 ORDER BY indicator_id LIMIT 1")
    assert import_rows(fresh_db, [(ind, 2023, baseline - 3), (ind, YEAR, baseline - 5)]) == 0
    with duckdb.connect(str(fresh_db)) as con:
        con.execute("UPDATE observation SET reason = '统计口径调整', measures = '下半年开展专项行动' "
                    "WHERE indicator_id = ? AND year = ?", [ind, YEAR])
    text = body_text(word(make(fresh_db, tmp_path, "docx")))
    problems = text[text.index("三、存在的主要问题"):text.index("四、对策建议")]
    assert "责任单位说明:统计口径调整" in problems
    assert "下半年开展专项行动" in text[text.index("四、对策建议"):text.index("附表")]


@pytest.mark.parametrize("fmt", ["docx", "pptx"])
def test_the_target_years_report_suggests_for_targets_missed_at_the_deadline(demo_db, tmp_path, fmt):
    """From the target year on, warnings are 到期未达标: the 2025 report (the plans' last year) names them, and its
    对策建议 has a sentence for each kind of red and yellow warning."""
    kinds = {k for k, in rows(demo_db, "SELECT DISTINCT kind FROM v_warning WHERE level IN ('红', '黄')")}
    assert "到期未达标" in kinds and kinds <= set(report.content.ReportContent.CALLS)
    path = tmp_path / f"final.{fmt}"
    assert cli.main(["report", "--format", fmt, "--out", str(path), "--db", str(demo_db), "--as-of", "2025",
                     "--mode", "final"]) == 0
    if fmt == "docx":
        text = body_text(word(path.read_bytes()))
        assert "目标年已到仍未实现目标" in text[text.index("四、对策建议"):]


def test_a_scope_too_big_to_list_is_refused_before_any_work(demo_db, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(report.content, "MAX_INDICATORS", 100)
    n = rows(demo_db, "SELECT count(*) FROM v_indicator")[0][0]
    assert cli.main(["report", "--out", str(tmp_path / "r.xlsx"), "--db", str(demo_db)]) == 2
    assert f"全部监测地区共 {n:,} 项指标,超过一份报告的上限 100 项(Excel 工作簿逐项列出全部指标);请在侧栏选择下级地区" \
        in capsys.readouterr().err
    assert not (tmp_path / "r.xlsx").exists()
    assert cli.main(["report", "--out", str(tmp_path / "r.xlsx"), "--db", str(demo_db), "--region", "乐清市"]) == 0


def test_the_largest_province_of_a_national_database_is_not_refused():
    """四川省 has 16,354 indicators in `synth --regions 2850` (measured in docs/scaling.md); the whole country
    (248,486) is refused."""
    assert 16_354 <= report.content.MAX_INDICATORS < 248_486


# -- a large scope: the printed formats list the most urgent rows first, the workbook every row -------------------

# v_warning's indicators of the year, each once, as report_warnings and content.by_urgency order them: most urgent
# first, then region (name) and indicator id
# (a name its plan prints for two indicators carries the target: pw_shown_name)
SHOWN = ("pw_shown_name(i.name, pw_target_label(i.target_op, i.target_value, i.unit, i.target_text), "
         "t.name IS NOT NULL)")
TWINS = "LEFT JOIN _twin_names() t ON t.plan_id = i.plan_id AND t.name = i.name"
WARNED = f"""SELECT i.region, i.plan_group, {SHOWN} FROM v_warning w JOIN v_indicator i USING (indicator_id) {TWINS}
WHERE w.as_of_year = ? GROUP BY w.indicator_id, i.region, i.plan_group, 3
ORDER BY max(w.urgency) DESC, i.region, w.indicator_id"""
# the others, in report_indicators' order (region, 妇女 before 儿童, domain, id)
UNWARNED = f"""SELECT i.region, i.plan_group, {SHOWN} FROM v_indicator i JOIN domain d USING (domain) {TWINS}
WHERE i.indicator_id NOT IN (SELECT indicator_id FROM v_warning WHERE as_of_year = ?)
ORDER BY i.region_code, i.plan_group DESC, d.sort_order, i.indicator_id"""


@pytest.mark.parametrize("cap", [50, 200])
def test_word_appendix_of_a_large_scope_lists_the_most_urgent_indicators_first(demo_db, tmp_path, monkeypatch, cap):
    """Above content.MAX_LISTED the 附表 lists the indicators with warnings first, most urgent first, then the
    others in the report's order, MAX_LISTED in all, and says how many of how many and where the rest are. The demo
    has 375 indicators, 162 of them with warnings in 2024: a cap of 50 lists warned ones only, 200 all 162 and 38
    more."""
    monkeypatch.setattr(report.content, "MAX_LISTED", cap)
    n = one(demo_db, "SELECT count(*) FROM v_indicator")[0]
    warned = rows(demo_db, WARNED, [YEAR])
    assert (n, len(warned)) == (375, 162)
    doc = word(make(demo_db, tmp_path, "docx"))
    table = table_rows(doc.tables[-1])
    header, body = table[0], table[1:]
    listed = [(r[header.index("地区")], r[header.index("规划")], r[header.index("指标")]) for r in body]
    assert listed == (warned + rows(demo_db, UNWARNED, [YEAR]))[:cap]
    text = body_text(doc)
    which = ("有预警的162项指标中按紧急程度排在前面的50项(红色预警在前)" if cap == 50
             else "先按紧急程度列出有预警的全部162项指标(红色预警在前),再按地区、规划顺序列出其余指标中的38项")
    assert (f"说明:指标较多,本表只列出{cap}项(共375项):{which};全部375项指标见 Excel 工作簿(数据表 xlsx)的“指标状态”表。"
            in text)
    assert f"共375项指标(截至{YEAR}年,全部监测地区)。" in text
    domains = text[text.index("二、分领域情况"):text.index("三、存在的主要问题")]
    assert "见Excel 工作簿“指标状态”表。" in domains and "见附表" not in domains  # the 附表 no longer has them all


def test_word_appendix_within_the_cap_lists_every_indicator_without_a_note(files):
    text = body_text(word(files["docx"]))
    assert "本表只列出" not in text and "见附表" in text


def test_pdf_of_a_large_scope_lists_the_most_urgent_warnings_and_units_and_says_so(demo_db, tmp_path, monkeypatch):
    monkeypatch.setattr(report.content, "MAX_LISTED", 20)
    text = re.sub(r"\s+", "", "".join(pdf_pages(make(demo_db, tmp_path, "pdf"))))
    n_warnings = one(demo_db, "SELECT count(*) FROM v_warning WHERE as_of_year = ?", [YEAR])[0]
    n_units = one(demo_db, "SELECT count(*) FROM v_attainment_by_unit WHERE as_of_year = ?", [YEAR])[0]
    assert (n_warnings, n_units) == (169, 33)
    assert f"截至{YEAR}年共169条预警" in text
    assert ("预警较多,本表只列出按紧急程度排在前面的20条(共169条,红色在前);全部169条预警见Excel工作簿(数据表xlsx)"
            "的“预警”表。") in text
    assert ("责任单位较多,本表只列出红色预警最多的20个(共33个;红色预警一样多的,负责指标多的在前);全部33个责任单位见"
            "Excel工作簿(数据表xlsx)的“按责任单位”表。") in text
    assert re.sub(r"\s+", "", one(demo_db, MOST_URGENT, [YEAR])[0]) in text
    grey = rows(demo_db, "SELECT DISTINCT i.name FROM v_warning w JOIN v_indicator i USING (indicator_id) "
                         "WHERE as_of_year = ? AND level = '灰'", [YEAR])
    listed = text[text.index("三、预警清单"):text.index("四、责任单位计分卡")]
    assert "未填报" not in listed.split("全部169条预警")[1]  # the 20 most urgent are red: no grey row is listed
    assert grey  # (there are grey warnings to leave out)


def test_workbook_of_a_large_scope_still_lists_every_row(demo_db, tmp_path, monkeypatch):
    monkeypatch.setattr(report.content, "MAX_LISTED", 20)
    book = openpyxl.load_workbook(io.BytesIO(make(demo_db, tmp_path, "xlsx")))
    assert book["指标状态"].max_row - 1 == 375 and book["预警"].max_row - 1 == 169
    assert book["按责任单位"].max_row - 1 == 33


def test_workbook_streams_text_that_looks_like_a_formula_as_text(demo_db):
    with db.open_reader(demo_db) as con:
        content = report.gather(con, YEAR, "平阳县")
    content.indicators.loc[0, "指标"] = "=HYPERLINK(\"http://x\")"
    content.indicators = content.indicators.rename(columns={"原因": "+原因"})
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.xlsx_bytes(content)))["指标状态"]
    header = [c.value for c in sheet[1]]
    name = sheet.cell(2, header.index("指标") + 1)
    assert (name.value, name.data_type, name.quotePrefix) == ("=HYPERLINK(\"http://x\")", "s", True)
    reason = sheet.cell(1, header.index("+原因") + 1)
    assert (reason.data_type, reason.quotePrefix) == ("s", True)
    widths = {k: v.width for k, v in sheet.column_dimensions.items()}
    assert widths["D"] == 60 and widths["A"] == 8  # 指标 is long (capped at 60); 平阳县: 3 CJK characters = 6, + 2


def test_a_scope_of_many_plans_counts_them_instead_of_naming_each(demo_db, monkeypatch):
    """A province has hundreds of plans: the opening sentence and the title slide count them (浙江省 in the demo:
    平阳县's two plans and 乐清市's children's plan)."""
    with db.open_reader(demo_db) as con:
        content = report.gather(con, YEAR, "浙江省")
    assert "平阳县妇女发展“十四五”规划、" in content.framing() and len(content.plan_lines()) == 3  # each plan
    monkeypatch.setattr(report.content, "MAX_NAMED_PLANS", 2)
    n = one(demo_db, "SELECT count(*) FROM v_indicator WHERE region IN ('平阳县', '乐清市')")[0]
    assert content.plan_lines() == [f"浙江省2个地区的3部妇女儿童发展规划({n}项指标)"]
    assert content.framing().startswith("根据规划确定的监测指标,浙江省妇女儿童工作委员会组织成员单位对浙江省2个地区的3部"
                                        "妇女儿童发展规划截至2024年的实施情况开展年度统计监测。")


def test_reported_values_beside_demonstration_ones_are_told_apart(demo_db, tmp_path):
    # a unit's real 2024 value among the demonstration series: the 附表 stars the demonstration values only, and
    # the notes say both kinds are there (not "均为示例数据")
    path = tmp_path / "mixed.duckdb"
    shutil.copy(demo_db, path)
    with db.open_reader(path) as reader:
        pure = report.content.gather(reader.cursor(), YEAR, "平阳县")
    assert pure.all_demo and "均为" in pure.demo_text()
    assert import_rows(path, [("pingyang-women-k03", 2024, 66.6)]) == 0
    with db.open_reader(path) as reader:
        mixed = report.content.gather(reader.cursor(), YEAR, "平阳县")
    assert mixed.has_demo and not mixed.all_demo and "附表中标 * 者" in mixed.demo_text()
    assert "附表" not in mixed.demo_text(starred=False)  # the PDF has no 附表 to point to
    table = mixed.appendix().set_index("指标")
    row = table.loc[one(path, "SELECT name FROM indicator WHERE indicator_id = 'pingyang-women-k03'")[0]]
    assert row["2024年"] == "66.6" and row["2023年"].endswith("*")


def test_the_outlook_at_the_target_year_counts_final_shortfalls_not_missing_points(demo_db):
    # As of 2025 张家港市's plans (2025) are judged finally: the report says what was met and what was not, not
    # "预计" or "数据点不足、暂不外推" (a review found 52 final shortfalls called so). With 咸阳市's 2030 plans in
    # scope, the outlook projects and counts the final shortfalls apart.
    with db.open_reader(demo_db) as con:
        local = report.gather(con, 2025, "张家港市")
        country = report.gather(con, 2025, None)
        final_short = con.cursor().execute(
            "SELECT count(*) FROM filtered_status(2025, NULL, NULL, NULL, NULL) "
            "WHERE status IN ('进展顺利', '进度滞后') AND is_final").fetchone()[0]
    h = local.headline
    short = h['n_assessed'] - h['n_met']
    # no 2025 value yet: the calls are provisional (初步判定), not "均按目标年数值作最终判定…尚未报送" (a review)
    assert (f"各规划目标年已到,已评估的{h['n_assessed']}项指标目标年数据均尚未报送,暂依据此前最近一年的数值作初步判定"
            f"(报送后更新):实现规划目标{h['n_met']}项,未实现{short}项(基本实现{h['n_basic']}项、仍有差距"
            f"{short - h['n_basic']}项),其中逆向变化{h['n_reversed']}项。") in local.overview_sentences()
    # some reported, some not; and all reported, with no reversal (not "其中逆向变化0项")
    o = local.overview
    mixed = dataclasses.replace(local, overview=o | {"n_final_early": 10})
    assert mixed.final_text().startswith(f"各规划目标年已到,已评估的{h['n_assessed']}项指标中,{h['n_assessed'] - 10}项"
                                         "按目标年数值作最终判定,10项目标年数据尚未报送、暂依据此前最近一年的数值作初步判定"
                                         "(报送后更新):")
    done = dataclasses.replace(local, overview=o | {"n_final_early": 0, "n_final_reversed": 0})
    assert done.final_text() == (f"各规划目标年已到,已评估的{h['n_assessed']}项指标均按目标年数值作最终判定:实现规划目标"
                                 f"{h['n_met']}项,未实现{short}项(基本实现{h['n_basic']}项、仍有差距"
                                 f"{short - h['n_basic']}项)。")
    # the slides and the handout show the rate on their first page: they say it rests on 2024's values
    assert local.basis_note() == "2025年数据未报,按此前最近一年的数值判定。"
    # no value reported for 2025: no year-on-year change to speak of (it compared 2024's values with themselves)
    assert f"2025年尚无报送数据,暂不作年度比较(已实现目标的指标仍为{h['n_met']}项)。" in local.overview_sentences()
    # a year after the target year: the period has ended, nothing is due for it, and a value reported for the
    # target year would still change the call (a later one would not)
    with db.open_reader(demo_db) as con:
        later = report.gather(con, 2026, "张家港市", mode="final")
    assert later.framing().startswith("规划期已经结束。") and "即将结束" not in later.framing()
    assert (f"各规划目标年均已过,2026年不再报送监测数据;{h['n_assessed']}项指标的目标年数据仍未报送,请督促补报。"
            in later.overview_sentences())  # the values still owed are not lost with the year
    assert not any("报送率" in s for s in later.overview_sentences())
    assert later.basis_note() == f"{h['n_assessed']}项目标年数据未报,按此前最近一年判定。"
    with db.open_reader(demo_db) as con:  # 咸阳市's plans run to 2030: no "规划期即将结束" in 2026
        xianyang = report.gather(con, 2026, "咸阳市", mode="final")
    assert xianyang.framing().startswith("部分规划目标年已到,其余规划的目标年为2030年。")
    assert not any("暂不外推" in s or "按当前趋势" in s for s in local.overview_sentences())
    # the whole database: the final calls counted as such (逆向变化 among them), the 2030 plans projected
    final, final_met, final_reversed = one(demo_db, """
        SELECT count(*), count(*) FILTER (WHERE status = '已达标'), count(*) FILTER (WHERE status = '逆向变化')
        FROM v_status WHERE as_of_year = 2025 AND is_final AND status IN ('已达标', '进展顺利', '进度滞后', '逆向变化')""")
    sentences = country.overview_sentences()
    assert any(s.startswith(f"目标年已到的{final}项指标目标年数据均尚未报送,暂依据此前最近一年的数值作初步判定(报送后更新):"
                            f"实现规划目标{final_met}项,未实现{final - final_met}项")
               and f"逆向变化{final_reversed}项" in s for s in sentences), sentences
    outlook = next(s for s in sentences if s.startswith("按当前趋势"))
    assert outlook.startswith(f"按当前趋势外推到规划目标年(2030年),其余{country.headline['n_assessed'] - final}项指标中")
    assert final_short > 0


def test_a_one_region_word_appendix_leaves_out_the_region_column(demo_db, tmp_path):
    # its name on every row narrowed the figures so that years and statuses wrapped (2021 / 年, 进度滞 / 后)
    table = table_rows(word(make(demo_db, tmp_path, "docx", "--region", "平阳县")).tables[-1])
    assert table[0][:3] == ["规划", "领域", "指标"] and str(YEAR) in table[0]
    # each indicator's warnings: "另有N项指标的预警,见附表" sent readers to a table that did not show them
    warned = dict(rows(demo_db, "SELECT i.name, string_agg(w.level || '·' || w.kind, ';' ORDER BY w.urgency DESC, "
                                "w.kind) FROM v_warning w JOIN v_indicator i USING (indicator_id) WHERE w.as_of_year = ? "
                                "AND i.region = '平阳县' AND w.level <> '灰' GROUP BY i.indicator_id, i.name", [YEAR]))
    at = table[0].index("预警")
    shown = {r[2]: r[at] for r in table[1:] if r[at] != "—"}
    assert len(shown) > 10 and all(shown[name] == warned[name] for name in shown if name in warned)


def test_a_met_indicator_that_fell_since_its_baseline_is_not_reported_as_progress(demo_db, tmp_path):
    # 主要进展 read "村委会成员中女性比例由2020年的41.9%降至2023年的34.35%,已实现规划目标“≥30%”"
    with db.open_reader(demo_db) as con:
        sentences = db.run_query(con, "report_sentences", year=2024, region="320582")
    [said] = [s for s in sentences["句子"] if s.startswith("村委会成员中女性比例")]
    assert said == "村委会成员中女性比例由2020年的41.9%降至2023年的34.35%,仍达到规划目标“≥30%”,但较基线有所退步。"
    # a fall within noise is none, and is said so (not "由45.1%降至45.02%,已实现"): met, level with its baseline
    [level] = [s for s in sentences["句子"] if s.startswith("就业人员中的女性比例")]
    assert level == "就业人员中的女性比例与2020年的45.1%基本持平(2024年为45.02%),已实现规划目标“45%左右”。"
    # a strict target hit exactly is not "完成目标进程的100%…进展顺利"
    [exact] = [s for s in sentences["句子"] if s.startswith("艾滋病母婴传播率")]
    assert exact == "艾滋病母婴传播率2024年为2%,恰等于目标值,尚未达到目标“<2%”。"
    # on time but projected short (a 预计未达标 warning): 主要进展 says what the outlook counts. 中医药健康管理服务
    # 覆盖率 ≥70%: 50, 50, 50, 65 (2021–2024): progress 75% = time 75%, 进展顺利; the line through them reads 65% in
    # 2025, 5 points short, beyond the 0.5 tolerance
    path = tmp_path / "projected.duckdb"
    shutil.copy(demo_db, path)
    tcm = "pingyang-children-t05"
    assert import_rows(path, [(tcm, 2021, 50), (tcm, 2022, 50), (tcm, 2023, 50), (tcm, 2024, 65)]) == 0
    with db.open_reader(path) as con:
        pingyang = db.run_query(con, "report_sentences", year=2024, region="330326")
    [said] = [s for s in pingyang["句子"] if s.startswith("0-3岁儿童中医药健康管理服务覆盖率")]
    assert said == ("0-3岁儿童中医药健康管理服务覆盖率2024年为65%,完成目标进程的75%(时间进度75%),但按趋势2025年约为65%,"
                    "预计难以实现目标“≥70%”。")


def test_the_lead_unit_is_the_first_unit_the_plan_names_whole(demo_db, tmp_path):
    # 牵头单位 was the text before the first 、 of responsible_units: a unit named 各区镇、街道 listed first became 各区镇
    from planwatch import views
    path = tmp_path / "lead.duckdb"
    shutil.copy(demo_db, path)
    t55 = "zhangjiagang-children-t55"
    with duckdb.connect(str(path)) as con:
        con.execute("UPDATE indicator_unit SET position = 0 WHERE indicator_id = ? AND unit_id LIKE '%各区镇、街道'", [t55])
        views.refresh_indicators(con, [t55])
    with db.open_reader(path) as con:
        listed = db.run_query(con, "report_warnings", year=2023, region="320582", levels=[], most=None)
    name = one(path, "SELECT name FROM v_indicator WHERE indicator_id = ?", [t55])[0]
    [row] = listed[(listed["指标"] == name) & (listed["级别"] == "红")].to_dict("records")
    units = one(path, "SELECT count(*) FROM v_indicator_unit WHERE indicator_id = ?", [t55])[0]
    assert (row["牵头单位"], row["责任单位数"]) == ("各区镇、街道", units) and units > 1
    assert report.content.lead_units(row) == "各区镇、街道等"


def test_two_indicators_of_one_name_in_a_plan_are_told_apart_by_their_targets(demo_db):
    # 张家港市妇女规划 prints 化妆品抽查合格率 twice (≥95% in its key table, ≥90% in its text): the report's prose named
    # both alike, with different values and calls
    with db.open_reader(demo_db) as con:
        table = db.run_query(con, "report_indicators", year=2024, region="320582")
        sentences = db.run_query(con, "report_sentences", year=2024, region="320582")
    twins = sorted(n for n in table["指标"] if n.startswith("妇女用化妆品"))
    assert twins == ["妇女用化妆品、卫生用品、保健食品、内衣等抽查合格率(目标≥90%)",
                     "妇女用化妆品、卫生用品、保健食品、内衣等抽查合格率(目标≥95%)"]
    assert sum(s.startswith(tuple(twins)) for s in sentences["句子"]) == 2
    assert "(目标" not in "".join(n for n in table["指标"] if not n.startswith("妇女用化妆品"))  # others as printed


def test_a_name_both_plans_of_a_region_print_says_whose_it_is(demo_db):
    # 咸阳市's 农村自来水普及率 is in both plans: "已实现" and "存在差距" of one name in one section, a contradiction
    with db.open_reader(demo_db) as con:
        sentences = db.run_query(con, "report_sentences", year=2026, region="610400")["句子"].tolist()
    water = [s for s in sentences if s.startswith("农村自来水普及率")]
    assert sorted(s[:len("农村自来水普及率(妇女规划)")] for s in water) == ["农村自来水普及率(儿童规划)",
                                                                           "农村自来水普及率(妇女规划)"]
    assert not any("规划)" in s for s in sentences if not s.startswith("农村自来水普及率"))
