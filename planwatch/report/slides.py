"""The annual review as a 16:9 PowerPoint deck (python-pptx): one slide per section of content.outline().

Readable on a projector: every text on a slide is at least 18 pt except the footer line; charts are native
PowerPoint charts (pptx_charts.py) with 18 pt text; each slide's speaker notes carry the report's sentences.

Chinese text: every run names 黑体 (SimHei) as its East Asian typeface (a:ea; python-pptx only sets a:latin) with
the GB2312 character set and SimHei's PANOSE number, and the theme's East Asian fonts say the same: PowerPoint and
WPS substitute an installed Chinese font of that character set where 黑体 is missing (WPS on 麒麟/UOS), and
LibreOffice asks fontconfig for any CJK font, so the text does not turn into boxes without 微软雅黑.
"""
from __future__ import annotations

import io
from xml.sax.saxutils import escape

import pandas as pd
from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.util import Inches, Pt

from planwatch import charts
from planwatch.report import pptx_charts
from planwatch.report.content import (DEMO_NOTE, UNIT_COLUMNS, WARNING_COLUMNS, WARNING_PT, ReportContent, Section,
                                      as_percent, method_points, outline, warning_cells)

LATIN_FONT = "Arial"
EA_FONT = "黑体"
EA_ATTRS = {"panose": "02010609060101010101", "pitchFamily": "49", "charset": "-122"}  # SimHei, GB2312
FONTS = (LATIN_FONT, EA_FONT, EA_ATTRS)
MIN_PT = 18      # no slide text below this, except the footer line
FOOTER_TOP = Inches(7.0)
INK = "222222"
MUTED = "666666"
ACCENT = "1F4E79"
DEMO = "C65A00"
HEADER_FILL = "DCE6F0"
STRIPE_FILL = "F5F7FA"

SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
CONTENT_TOP = Inches(1.25)
CONTENT_BOTTOM = Inches(6.95)
CONTENT_W = SLIDE_W - 2 * MARGIN


def _hex(color: str) -> RGBColor:
    return RGBColor.from_string(color.lstrip("#").upper())


def style_run(run, size: float, bold: bool = False, color: str = INK) -> None:
    """Font size, weight and colour, with 黑体 as the East Asian font and Chinese as the language."""
    font = run.font
    font.size = Pt(size)
    font.bold = bold
    font.color.rgb = _hex(color)
    font.name = LATIN_FONT
    rpr = run._r.get_or_add_rPr()
    rpr.set("lang", "zh-CN")
    rpr.set("altLang", "en-US")
    for old in rpr.findall(qn("a:ea")):
        rpr.remove(old)
    ea = rpr.makeelement(qn("a:ea"), {"typeface": EA_FONT, **EA_ATTRS})
    rpr.find(qn("a:latin")).addnext(ea)  # schema order: latin, ea, cs


def write(frame, paragraphs, size: float, bold: bool = False, color: str = INK, align=None, space_after: float = 0,
          anchor=MSO_ANCHOR.TOP) -> None:
    """Replace a text frame's text: one paragraph per item; an item is text or a list of (text, size, bold, color)."""
    frame.clear()
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    for i, item in enumerate(paragraphs):
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        if align is not None:
            p.alignment = align
        if space_after:
            p.space_after = Pt(space_after)
        for text, s, b, c in ([(item, size, bold, color)] if isinstance(item, str) else item):
            run = p.add_run()
            run.text = text
            style_run(run, s, b, c)


def textbox(slide, left, top, width, height, paragraphs, size: float, **kw):
    box = slide.shapes.add_textbox(left, top, width, height)
    write(box.text_frame, paragraphs, size, **kw)
    return box


_EA_XML = " ".join(f'{k}="{v}"' for k, v in EA_ATTRS.items())


def _run_xml(text: str, size: float, bold: bool, color: str) -> str:
    """One run as DrawingML, with the same font settings as style_run (tables have many cells: XML is faster)."""
    return (f'<a:r><a:rPr lang="zh-CN" altLang="en-US" sz="{int(size * 100)}" b="{int(bold)}">'
            f'<a:solidFill><a:srgbClr val="{color}"/></a:solidFill><a:latin typeface="{LATIN_FONT}"/>'
            f'<a:ea typeface="{EA_FONT}" {_EA_XML}/></a:rPr><a:t>{escape(text)}</a:t></a:r>')


def _cell_xml(text: str, size: float, bold: bool, color: str, fill: str) -> str:
    margin_lr, margin_tb = Inches(0.1), Inches(0.05)
    return (f'<a:tc {nsdecls("a")}><a:txBody><a:bodyPr/><a:lstStyle/><a:p>{_run_xml(text, size, bold, color)}</a:p>'
            f'</a:txBody><a:tcPr marL="{margin_lr}" marR="{margin_lr}" marT="{margin_tb}" marB="{margin_tb}" '
            f'anchor="ctr"><a:solidFill><a:srgbClr val="{fill}"/></a:solidFill></a:tcPr></a:tc>')


def table(slide, frame: pd.DataFrame, left, top, widths: list[float], size: float, header_size: float | None = None,
          fills: dict | None = None, colors: dict | None = None):
    """A table with a shaded header row; fills/colors map (row, col) to a cell fill / text colour."""
    rows, cols = len(frame) + 1, len(frame.columns)
    row_h = Inches((size * 1.2 / 72) + 0.1)
    shape = slide.shapes.add_table(rows, cols, left, top, Inches(sum(widths)), row_h * rows)
    tbl = shape.table
    tbl.first_row = True
    tbl.horz_banding = False
    for j, w in enumerate(widths):
        tbl.columns[j].width = Inches(w)
    for i, tr in enumerate(tbl._tbl.tr_lst):
        tr.h = row_h
        for j, tc in enumerate(list(tr.tc_lst)):
            if i == 0:
                xml = _cell_xml(str(frame.columns[j]), header_size or size, True, ACCENT, HEADER_FILL)
            else:
                value = frame.iat[i - 1, j]
                text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
                fill = (fills or {}).get((i - 1, j), STRIPE_FILL if i % 2 == 0 else "FFFFFF")
                xml = _cell_xml(text, size, (i - 1, j) in (fills or {}), (colors or {}).get((i - 1, j), INK), fill)
            tc.addprevious(parse_xml(xml))
            tr.remove(tc)
    return shape


def _theme_fonts(prs) -> None:
    """The theme's East Asian fonts (used for anything typed later) name the deck's font too."""
    part = prs.slide_master.part.part_related_by(RT.THEME)
    root = parse_xml(part.blob)
    for font in root.iter(qn("a:majorFont"), qn("a:minorFont")):
        font.find(qn("a:ea")).set("typeface", EA_FONT)
        for script in font.findall(qn("a:font")):
            if script.get("script") == "Hans":
                script.set("typeface", EA_FONT)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


class Deck:
    def __init__(self, content: ReportContent):
        self.content = content
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = SLIDE_W, SLIDE_H
        _theme_fonts(self.prs)
        self.prs.core_properties.title = f"{content.title}({content.subtitle})"
        self.prs.core_properties.subject = content.committee
        self.prs.core_properties.keywords = "示例数据" if content.has_demo else ""
        self.layout = self.prs.slide_layouts[5]  # Title Only: the title is a real title placeholder
        self.sections = outline(content)

    def new_slide(self, number: int, section: Section):
        slide = self.prs.slides.add_slide(self.layout)
        title = slide.shapes.title
        title.left, title.top, title.width, title.height = MARGIN, Inches(0.3), Inches(10.0), Inches(0.85)
        write(title.text_frame, [section.title], 30, bold=True, color=ACCENT, align=PP_ALIGN.LEFT,
              anchor=MSO_ANCHOR.MIDDLE)
        c = self.content
        line = slide.shapes.add_connector(1, MARGIN, Inches(1.15), SLIDE_W - MARGIN, Inches(1.15))
        line.line.color.rgb = _hex(ACCENT)
        line.line.width = Pt(1.5)
        # the footer line (the only text under 18 pt)
        textbox(slide, MARGIN, Inches(7.02), Inches(6.5), Inches(0.4),
                [f"妇女儿童发展规划监测 · {c.subtitle}"], 12, color=MUTED)
        textbox(slide, SLIDE_W - MARGIN - Inches(1.5), Inches(7.02), Inches(1.5), Inches(0.4),
                [f"{number} / {len(self.sections)}"], 12, color=MUTED, align=PP_ALIGN.RIGHT)
        if c.has_demo:
            badge = slide.shapes.add_shape(1, SLIDE_W - MARGIN - Inches(2.0), Inches(0.42), Inches(2.0), Inches(0.6))
            badge.fill.solid()
            badge.fill.fore_color.rgb = _hex(DEMO)
            badge.line.fill.background()
            write(badge.text_frame, ["示例数据"], 20, bold=True, color="FFFFFF", align=PP_ALIGN.CENTER,
                  anchor=MSO_ANCHOR.MIDDLE)
            textbox(slide, Inches(7.0), Inches(7.02), Inches(4.4), Inches(0.4),
                    ["示例数据:演示监测值,非真实统计"], 12, color=DEMO, align=PP_ALIGN.RIGHT)
        slide.notes_slide.notes_text_frame.text = "\n".join(c.notes(section))
        return slide

    def build(self) -> bytes:
        for number, section in enumerate(self.sections, start=1):
            slide = self.new_slide(number, section)
            getattr(self, f"_{section.kind}")(slide, section)
        out = io.BytesIO()
        self.prs.save(out)
        return out.getvalue()

    def note(self, slide, top, text: str, color: str = MUTED, height=Inches(0.45)):
        """One line of 18 pt text across the slide."""
        return textbox(slide, MARGIN, top, CONTENT_W, height, [text], MIN_PT, color=color)

    # -- one method per kind of section -------------------------------------------------------------------------
    def _title(self, slide, section):
        c = self.content
        slide.shapes.title.top, slide.shapes.title.height = Inches(1.5), Inches(1.2)
        write(slide.shapes.title.text_frame, [c.title], 40, bold=True, color=ACCENT, anchor=MSO_ANCHOR.MIDDLE)
        slide.shapes.title.width = Inches(12.3)
        textbox(slide, MARGIN, Inches(2.8), CONTENT_W, Inches(1.0),
                [[(c.committee, 24, True, INK)], [(c.subtitle + f" · 生成于{c.generated:%Y年%m月%d日}", 20, False,
                                                    MUTED)]], 24, space_after=6)
        textbox(slide, MARGIN, Inches(4.1), CONTENT_W, Inches(2.8), [[("监测的规划", 20, True, ACCENT)], *c.plan_lines()],
                MIN_PT, color=INK)
        if c.has_demo:
            textbox(slide, MARGIN, Inches(0.3), Inches(10), Inches(0.8), [DEMO_NOTE], MIN_PT, bold=True, color=DEMO)

    def _headline(self, slide, section):
        c, h = self.content, self.content.headline
        counts, basis = c.warning_counts(), c.basis_note()
        textbox(slide, MARGIN, CONTENT_TOP + Inches(0.1), Inches(4.7), Inches(1.6), [c.rate_text()], 96, bold=True,
                color=charts.STATUS_COLORS["已达标"].lstrip("#"))
        textbox(slide, MARGIN, CONTENT_TOP + Inches(1.85), Inches(4.7), Inches(3.8), [
            [(f"达标率:已达标 {h['n_met']} ÷ 已评估 {h['n_assessed']}", 20, True, INK)],  # (22 pt wrapped "110")
            c.excluded_text(),
            f"预警:红色 {counts['红']} 条、黄色 {counts['黄']} 条、未填报 {counts['灰']} 条。",
            *([[(basis, 20, True, DEMO)]] if basis else [])], 20, space_after=12)
        pptx_charts.status_counts(slide, c, (Inches(5.4), CONTENT_TOP + Inches(0.1), Inches(7.4), Inches(5.5)),
                                  FONTS)

    def _chart(self, slide, section):
        rows = self.content.cut(section.kind)
        height = min(CONTENT_BOTTOM - CONTENT_TOP - Inches(0.1), Inches(1.3 + 0.62 * len(rows)))  # even bars
        pptx_charts.status_mix(slide, self.content, section.kind,
                               (MARGIN, CONTENT_TOP + Inches(0.05), CONTENT_W, height), FONTS)
        if len(rows) <= 3:  # a few bars (one region's plans): their numbers fill the rest of the slide
            shown = as_percent(rows)[[rows.columns[0], "指标数", "已评估", "已达标", "达标率", "基本实现率", "进展顺利",
                                      "进度滞后", "逆向变化", "无数据"]]
            # (a column is as wide as its header at 18 pt, 0.25 in a character, plus the cell's margins)
            table(slide, shown, MARGIN, CONTENT_TOP + height + Inches(0.3),
                  [2.0, 1.0, 1.0, 1.0, 1.0, 1.5, 1.25, 1.25, 1.25, 1.0], MIN_PT)

    _plan = _domain = _region = _chart

    def _warnings(self, slide, section):
        c, counts = self.content, self.content.warning_counts()
        last = section.first + len(section.rows) - 1
        self.note(slide, Inches(1.25), f"红色 {counts['红']} 条、黄色 {counts['黄']} 条,按紧急程度排列"
                  + (f";本页为第 {section.first}–{last} 条。" if len(section.rows) else "。"))
        if section.rows.empty:
            textbox(slide, MARGIN, CONTENT_TOP + Inches(0.8), CONTENT_W, Inches(1.0),
                    [f"截至{c.year}年,{c.scope}没有红色或黄色预警。"], 24)
        else:
            rows = pd.DataFrame([warning_cells(r) for _, r in section.rows.iterrows()], columns=list(WARNING_COLUMNS))
            level_colors = {k: v.lstrip("#") for k, v in charts.LEVEL_COLORS.items()}
            fills = {(i, 0): level_colors[lv] for i, lv in enumerate(rows["级别"])}
            colors = {(i, 0): "FFFFFF" for i in range(len(rows))}
            table(slide, rows, MARGIN, Inches(1.8), list(WARNING_COLUMNS.values()), WARNING_PT, fills=fills,
                  colors=colors)
        rest = (f"另有 {section.not_shown} 条未在幻灯片上列出,见报告附表与 Excel 工作簿;"
                if section.not_shown else "")
        self.note(slide, Inches(6.5), rest + f"未填报(灰色){counts['灰']} 条。完整原因见备注。")

    def _units(self, slide, section):
        c = self.content
        lines = c.unlisted_lines() if section.first == 1 else []
        top = Inches(1.25)
        if section.rows is None or section.rows.empty:
            lines = lines or [f"{c.scope}的规划未列明指标的责任单位,没有计分卡。"]
        else:
            self.note(slide, top, "按红色预警数排列;一项指标列有多个单位时计入每个单位;达标率 = 已达标 ÷ 已评估。")
            rows = as_percent(section.rows)[list(UNIT_COLUMNS)]
            colors = {(i, len(UNIT_COLUMNS) - 1): "C00000" for i, v in enumerate(rows["红色预警"]) if v > 0}
            shape = table(slide, rows, MARGIN, Inches(1.8), list(UNIT_COLUMNS.values()), MIN_PT, colors=colors)
            top = shape.top + shape.height + Inches(0.1)
        if section.not_shown:
            lines.append(f"另有 {section.not_shown} 个单位,见报告与 Excel 工作簿。")
        if lines:
            textbox(slide, MARGIN, top, CONTENT_W, Inches(0.4) * len(lines), lines, MIN_PT, color=MUTED)

    def _story(self, slide, section):
        story = section.story
        textbox(slide, MARGIN, Inches(1.22), Inches(8.2), Inches(0.5), [story.title], 20, bold=True)
        pptx_charts.story_path(slide, story, (MARGIN, Inches(1.75), Inches(8.1), Inches(5.15)), FONTS)
        facts = [[(f"{k}:", MIN_PT, False, MUTED), (v, MIN_PT, True, INK)] for k, v in story.facts()]
        status_color = charts.STATUS_COLORS.get(story.ind["status"], "#444444").lstrip("#")
        facts[-1][1] = (story.ind["status"], MIN_PT, True, status_color)
        textbox(slide, Inches(8.8), Inches(1.3), Inches(4.05), Inches(3.1), facts, MIN_PT, space_after=2)
        textbox(slide, Inches(8.8), Inches(4.45), Inches(4.05), Inches(2.45), [story.ind["reason"]], MIN_PT,
                color=INK)

    def _method(self, slide, section):
        textbox(slide, MARGIN, CONTENT_TOP + Inches(0.1), CONTENT_W, Inches(5.5),
                [[("• ", MIN_PT, True, ACCENT), (p, MIN_PT, False, INK)] for p in method_points(self.content)],
                MIN_PT, space_after=8)


def pptx_bytes(content: ReportContent) -> bytes:
    return Deck(content).build()
