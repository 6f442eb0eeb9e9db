"""The annual review as a 16:9 PowerPoint deck (python-pptx): one slide per section of content.outline().

Chinese text: every run names 微软雅黑 as its East Asian typeface (a:ea; python-pptx only sets a:latin), so
PowerPoint on Windows uses it and other programs substitute their own CJK sans-serif font. Charts are PNGs
rendered with the project's own CJK font (render.py).
"""
from __future__ import annotations

import io
from xml.sax.saxutils import escape

import pandas as pd
from PIL import Image
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.util import Inches, Pt

from planwatch import charts
from planwatch.report import render
from planwatch.report.content import (DEMO_NOTE, UNIT_COLUMNS, WARNING_COLUMNS, WARNING_PT, ReportContent, Section,
                                      method_points, outline, warning_cells)

LATIN_FONT = "Microsoft YaHei"
EA_FONT = "微软雅黑"
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
    """Font size, weight and colour, with 微软雅黑 as the East Asian font and Chinese as the language."""
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
    ea = rpr.makeelement(qn("a:ea"), {"typeface": EA_FONT})
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


def picture(slide, png: bytes, left, top, max_w, max_h, center: bool = True):
    """A chart PNG scaled to fit the box, keeping its aspect ratio."""
    w, h = Image.open(io.BytesIO(png)).size
    scale = min(max_w / w, max_h / h)
    width, height = int(w * scale), int(h * scale)
    if center:
        left = left + (max_w - width) // 2
    return slide.shapes.add_picture(io.BytesIO(png), left, top, width=width, height=height)


def _run_xml(text: str, size: float, bold: bool, color: str) -> str:
    """One run as DrawingML, with the same font settings as style_run (tables have many cells: XML is faster)."""
    return (f'<a:r><a:rPr lang="zh-CN" altLang="en-US" sz="{int(size * 100)}" b="{int(bold)}">'
            f'<a:solidFill><a:srgbClr val="{color}"/></a:solidFill><a:latin typeface="{LATIN_FONT}"/>'
            f'<a:ea typeface="{EA_FONT}"/></a:rPr><a:t>{escape(text)}</a:t></a:r>')


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


class Deck:
    def __init__(self, content: ReportContent, pngs: dict[str, bytes]):
        self.content, self.pngs = content, pngs
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = SLIDE_W, SLIDE_H
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
        textbox(slide, MARGIN, Inches(7.02), Inches(6.5), Inches(0.4),
                [f"妇女儿童发展规划监测 · 年度报告 · {c.subtitle}"], 12, color=MUTED)
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
        return slide

    def build(self) -> bytes:
        for number, section in enumerate(self.sections, start=1):
            slide = self.new_slide(number, section)
            getattr(self, f"_{section.kind}")(slide, section)
        out = io.BytesIO()
        self.prs.save(out)
        return out.getvalue()

    # -- one method per kind of section -------------------------------------------------------------------------
    def _title(self, slide, section):
        c = self.content
        slide.shapes.title.top, slide.shapes.title.height = Inches(1.5), Inches(1.2)
        write(slide.shapes.title.text_frame, [c.title], 40, bold=True, color=ACCENT, anchor=MSO_ANCHOR.MIDDLE)
        slide.shapes.title.width = Inches(12.3)
        textbox(slide, MARGIN, Inches(2.8), CONTENT_W, Inches(1.0),
                [[(c.committee, 24, True, INK)], [(c.subtitle + f" · 生成于{c.generated:%Y年%m月%d日}", 20, False,
                                                    MUTED)]], 24, space_after=6)
        plans = [f"{r.规划}({r.指标数}项指标)" for r in c.plans.itertuples()]
        textbox(slide, MARGIN, Inches(4.1), CONTENT_W, Inches(2.8), [[("监测的规划", 16, True, ACCENT)], *plans],
                14 if len(plans) > 6 else 16, color=INK)
        if c.has_demo:
            textbox(slide, MARGIN, Inches(0.3), Inches(10), Inches(0.8), [DEMO_NOTE], 16, bold=True, color=DEMO)

    def _headline(self, slide, section):
        c, h = self.content, self.content.headline
        counts = c.warning_counts()
        textbox(slide, MARGIN, CONTENT_TOP + Inches(0.1), Inches(4.7), Inches(1.6), [c.rate_text()], 96, bold=True,
                color=charts.STATUS_COLORS["已达标"].lstrip("#"))
        textbox(slide, MARGIN, CONTENT_TOP + Inches(1.85), Inches(4.7), Inches(3.8), [
            [(f"达标率:已达标 {h['n_met']} ÷ 已评估 {h['n_assessed']}", 20, True, INK)],
            c.excluded_text(),
            f"预警:红色 {counts['红']} 条、黄色 {counts['黄']} 条、未填报 {counts['灰']} 条。"], 18, space_after=12)
        picture(slide, self.pngs["headline"], Inches(5.4), CONTENT_TOP + Inches(0.15), Inches(7.4), Inches(5.45))

    def _chart(self, slide, section):
        picture(slide, self.pngs[section.kind], MARGIN, CONTENT_TOP + Inches(0.05), CONTENT_W,
                CONTENT_BOTTOM - CONTENT_TOP - Inches(0.1))

    _plan = _domain = _region = _chart

    def _warnings(self, slide, section):
        c, counts = self.content, self.content.warning_counts()
        textbox(slide, MARGIN, Inches(1.22), CONTENT_W, Inches(0.4),
                [f"截至{c.year}年:红色 {counts['红']} 条、黄色 {counts['黄']} 条(红色在前,按类型、地区排列)"
                 + (f",幻灯片列出前 {counts['红'] + counts['黄'] - section.not_shown} 条,其余 {section.not_shown} 条"
                    if section.not_shown else "")
                 + f";未填报(灰色){counts['灰']} 条。完整清单见 PDF 报告与 Excel 工作簿。"], 14, color=MUTED)
        if section.rows.empty:
            textbox(slide, MARGIN, CONTENT_TOP + Inches(0.6), CONTENT_W, Inches(1.0),
                    [f"截至{c.year}年,{c.scope}没有红色或黄色预警。"], 22)
            return
        rows = pd.DataFrame([warning_cells(r) for _, r in section.rows.iterrows()], columns=list(WARNING_COLUMNS))
        level_colors = {k: v.lstrip("#") for k, v in charts.LEVEL_COLORS.items()}
        fills = {(i, 0): level_colors[lv] for i, lv in enumerate(rows["级别"])}
        colors = {(i, 0): "FFFFFF" for i in range(len(rows))}
        table(slide, rows, MARGIN, Inches(1.68), list(WARNING_COLUMNS.values()), WARNING_PT, header_size=14,
              fills=fills, colors=colors)

    def _units(self, slide, section):
        c = self.content
        if section.rows is None or section.rows.empty:
            textbox(slide, MARGIN, CONTENT_TOP + Inches(0.3), CONTENT_W, Inches(1.0),
                    [f"{c.scope}的规划未列明指标的责任单位,没有计分卡。"], 22)
            return
        textbox(slide, MARGIN, Inches(1.22), CONTENT_W, Inches(0.4),
                ["一项指标列有多个单位时计入每个单位;达标率 = 已达标 ÷ 已评估;红色预警为所负责指标的红色预警条数。"],
                14, color=MUTED)
        rows = section.rows.assign(达标率=section.rows["达标率"].map(lambda v: "—" if pd.isna(v) else f"{v:.0%}"))
        rows = rows[list(UNIT_COLUMNS)]
        colors = {(i, len(UNIT_COLUMNS) - 1): "C00000" for i, v in enumerate(rows["红色预警"]) if v > 0}
        table(slide, rows, MARGIN, Inches(1.68), [1.25, 2.45, 0.95, 0.95, 1.75, 1.0, 1.0, 1.0, 0.9, 1.05], 14,
              colors=colors)

    def _story(self, slide, section):
        story, i = section.story, self.content.stories.index(section.story)
        textbox(slide, MARGIN, Inches(1.22), Inches(8.2), Inches(0.45), [story.title], 18, bold=True)
        picture(slide, self.pngs[f"story{i}"], MARGIN, Inches(1.7), Inches(8.0), Inches(4.75))
        textbox(slide, MARGIN, Inches(6.5), Inches(8.2), Inches(0.45),
                ["实线与圆点:监测值;灰色虚线:匀速达标路径;点线与三角:趋势外推到目标年;绿色横线:目标"], 12,
                color=MUTED)
        facts = [[(f"{k}:", 16, False, MUTED), (v, 18, True, INK)] for k, v in story.facts()]
        status_color = charts.STATUS_COLORS.get(story.ind["status"], "#444444").lstrip("#")
        facts[-1][1] = (story.ind["status"], 18, True, status_color)
        textbox(slide, Inches(8.75), Inches(1.3), Inches(4.1), Inches(3.2), facts, 16, space_after=4)
        notes = [story.ind["reason"]] + [f"{w.级别}色预警({w.类型})" for w in story.warnings.itertuples()]
        textbox(slide, Inches(8.75), Inches(4.55), Inches(4.1), Inches(2.4), notes, 14, color=INK, space_after=4)

    def _method(self, slide, section):
        textbox(slide, MARGIN, CONTENT_TOP + Inches(0.1), Inches(7.6), Inches(5.5),
                [[("• ", 16, True, ACCENT), (p, 16, False, INK)] for p in method_points(self.content)], 16,
                space_after=8)
        t = self.content.thresholds[["label", "value"]].rename(columns={"label": "阈值", "value": "现行值"})
        t["现行值"] = [f"{v:.0%}" if k in ("approx_tolerance", "swing_relative") else f"{v:g}"
                    for k, v in zip(self.content.thresholds["key"], t["现行值"])]
        textbox(slide, Inches(8.5), CONTENT_TOP + Inches(0.1), Inches(4.3), Inches(0.4),
                ["现行阈值(data/thresholds.csv)"], 14, bold=True, color=ACCENT)
        table(slide, t, Inches(8.5), CONTENT_TOP + Inches(0.55), [3.2, 1.1], 14)


def pptx_bytes(content: ReportContent, pngs: dict[str, bytes] | None = None) -> bytes:
    return Deck(content, pngs if pngs is not None else render.chart_pngs(content)).build()
