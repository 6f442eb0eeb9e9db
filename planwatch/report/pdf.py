"""The annual review as a printable A4 handout (reportlab): headings, tables and the same charts as the slides.

The CJK font is the TrueType collection the project ships (fonts/wqy-microhei.ttc, WenQuanYi Micro Hei,
Apache-2.0): reportlab embeds a subset of it, so the PDF reads the same on any machine.
"""
from __future__ import annotations

import io

import pandas as pd
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (Image, KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer,
                                Table, TableStyle)
from xml.sax.saxutils import escape

from planwatch import charts
from planwatch.report import render
from planwatch.report.content import DEMO_NOTE, ReportContent, as_percent, method_points, text_width

FONT = "WQYMicroHei"
PAGE_W, PAGE_H = A4
MARGIN_X = 18 * mm
TEXT_W = PAGE_W - 2 * MARGIN_X
ACCENT = colors.HexColor("#1F4E79")
MUTED = colors.HexColor("#666666")
DEMO = colors.HexColor("#C65A00")
HEADER_FILL = colors.HexColor("#DCE6F0")
STRIPE = colors.HexColor("#F5F7FA")
rl_config.useA85 = 0  # binary streams: ASCII85 (pure Python here) took a third of the time for no gain


def _register_font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(render.FONT_FILE), subfontIndex=0))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT, italic=FONT, boldItalic=FONT)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=15, wordWrap="CJK", spaceAfter=4)
    return {
        "body": base,
        "title": ParagraphStyle("title", base, fontSize=22, leading=30, textColor=ACCENT, spaceAfter=8),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=13, leading=19, spaceAfter=2),
        "muted": ParagraphStyle("muted", base, fontSize=9, leading=13, textColor=MUTED),
        "h1": ParagraphStyle("h1", base, fontSize=16, leading=22, textColor=ACCENT, spaceBefore=10, spaceAfter=6),
        "h2": ParagraphStyle("h2", base, fontSize=12.5, leading=18, textColor=ACCENT, spaceBefore=8, spaceAfter=4),
        "big": ParagraphStyle("big", base, fontSize=40, leading=46, textColor=colors.HexColor(
            charts.STATUS_COLORS["已达标"])),
        "demo": ParagraphStyle("demo", base, fontSize=10.5, leading=15, textColor=DEMO, borderColor=DEMO,
                               borderWidth=1, borderPadding=6, spaceBefore=6, spaceAfter=10),
        "cell": ParagraphStyle("cell", base, fontSize=8, leading=10.5, spaceAfter=0),
        "head": ParagraphStyle("head", base, fontSize=8, leading=10.5, spaceAfter=0, textColor=ACCENT),
        "level": ParagraphStyle("level", base, fontSize=8, leading=10.5, spaceAfter=0, textColor=colors.white,
                                alignment=TA_CENTER),
    }


class _Doc(SimpleDocTemplate):
    """Adds a PDF outline entry (bookmark) for every h1/h2 heading."""

    def afterFlowable(self, flowable):
        if isinstance(flowable, Paragraph) and flowable.style.name in ("h1", "h2"):
            key = f"h{id(flowable)}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.getPlainText(), key, level=0 if flowable.style.name == "h1" else 1)


def _numbered_canvas(content: ReportContent):
    """A canvas that draws the running header and footer once the page count is known (第 n 页 / 共 N 页)."""

    class NumberedCanvas(pdfcanvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            self.saveState()
            self.setFont(FONT, 8.5)
            self.setFillColor(MUTED)
            self.drawString(MARGIN_X, PAGE_H - 12 * mm, f"{content.title} · {content.subtitle}")
            self.setStrokeColor(ACCENT)
            self.setLineWidth(0.6)
            self.line(MARGIN_X, PAGE_H - 13.5 * mm, PAGE_W - MARGIN_X, PAGE_H - 13.5 * mm)
            self.line(MARGIN_X, 15 * mm, PAGE_W - MARGIN_X, 15 * mm)
            self.drawRightString(PAGE_W - MARGIN_X, 10 * mm, f"第 {self._pageNumber} 页 / 共 {total} 页")
            if content.has_demo:
                self.setFillColor(DEMO)
                self.setFont(FONT, 9)
                self.drawString(MARGIN_X, 10 * mm, DEMO_NOTE)
            self.restoreState()

    return NumberedCanvas


def _image(png: bytes, width: float, max_height: float | None = None) -> Image:
    img = Image(io.BytesIO(png))
    ratio = img.imageHeight / img.imageWidth
    w = width
    if max_height and w * ratio > max_height:
        w = max_height / ratio
    img.drawWidth, img.drawHeight = w, w * ratio
    return img


def _table(frame: pd.DataFrame, widths_mm: list[float], st: dict, level_col: int | None = None,
           number_cols: tuple[int, ...] = ()) -> Table:
    """Wrapped text cells, shaded repeated header, striped rows; the level column coloured red/yellow/grey."""
    room = [(w * mm - 6) / st["cell"].fontSize for w in widths_mm]  # characters a line holds

    def cell(v, style, j):
        text = "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)
        if style is st["cell"] and text_width(text) <= room[j]:
            return text  # a plain string needs no line breaking: much faster than a Paragraph
        return Paragraph(escape(text), style)

    data = [[cell(c, st["head"], j) for j, c in enumerate(frame.columns)]]
    for row in frame.itertuples(index=False):
        data.append([cell(v, st["level"] if j == level_col else st["cell"], j) for j, v in enumerate(row)])
    t = Table(data, colWidths=[w * mm for w in widths_mm], repeatRows=1)
    style = [("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("FONT", (0, 0), (-1, -1), FONT, st["cell"].fontSize, st["cell"].leading),
             ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT), ("LINEBELOW", (0, -1), (-1, -1), 0.5, MUTED),
             ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
             ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]
    for i in range(2, len(data), 2):
        style.append(("BACKGROUND", (0, i), (-1, i), STRIPE))
    if level_col is not None:
        for i, v in enumerate(frame.iloc[:, level_col], start=1):
            style.append(("BACKGROUND", (level_col, i), (level_col, i),
                          colors.HexColor(charts.LEVEL_COLORS.get(v, "#999999"))))
    t.setStyle(TableStyle(style))
    return t


def _attainment_table(frame: pd.DataFrame, st: dict) -> Table:
    shown = as_percent(frame.drop(columns=["示例值指标"]), 1)
    first = 40 if shown.columns[0] == "规划" else 30
    rest = (TEXT_W / mm - first) / (len(shown.columns) - 1)
    return _table(shown, [first] + [rest] * (len(shown.columns) - 1), st)


def pdf_bytes(content: ReportContent, pngs: dict[str, bytes] | None = None) -> bytes:
    _register_font()
    pngs = pngs if pngs is not None else render.chart_pngs(content)
    st = _styles()
    c = content
    story: list = []
    P = Paragraph

    # -- cover and headline ----------------------------------------------------------------------------------------
    story += [P(c.title, st["title"]), P(escape(c.committee), st["subtitle"]),
              P(f"{c.subtitle} · 生成于{c.generated:%Y年%m月%d日}", st["muted"])]
    if c.has_demo:
        story.append(P(DEMO_NOTE + f";{c.demo_text(starred=False)},成员单位填报后由真实数据替换;达标率和预警按报告中的全部"
                       "监测值计算。", st["demo"]))
    story.append(P("一、总体情况", st["h1"]))
    story.append(P(f"截至{c.year}年,{escape(c.scope)}的达标率为", st["body"]))
    story.append(P(c.rate_text(), st["big"]))
    story.append(P(escape(c.denominator_text()) + "。" + c.basis_note(), st["body"]))
    counts = c.warning_counts()
    story.append(P(f"预警共 {len(c.warnings)} 条:红色 {counts['红']} 条、黄色 {counts['黄']} 条、"
                   f"未填报(灰色){counts['灰']} 条,清单见第三部分。", st["body"]))
    story.append(_image(pngs["headline"], 120 * mm))
    plans = c.plans[["规划", "地区", "类别", "期限", "指标数"]]
    story += [P("监测的规划", st["h2"]), _table(plans, [84, 24, 16, 30, 20], st)]

    # -- cuts ------------------------------------------------------------------------------------------------------
    story += [PageBreak(), P("二、各规划、领域和地区的指标状态", st["h1"]),
              P("图中每一行是一个规划(领域、地区)的指标按状态的构成;行标签给出达标率及其分子和分母(已达标/已评估)。"
                "表中“已评估”= 已达标 + 进展顺利 + 进度滞后 + 逆向变化,无数据和定性指标不计入分母。", st["muted"])]
    for cut, title in (("plan", "各规划"), ("domain", "各领域"), ("region", "各地区")):
        story.append(KeepTogether([P(title, st["h2"]), _image(pngs[cut], TEXT_W, 95 * mm), Spacer(1, 3 * mm),
                                   _attainment_table(c.cut(cut), st)]))

    # -- warnings --------------------------------------------------------------------------------------------------
    story += [PageBreak(), P("三、预警清单", st["h1"]),
              P(f"截至{c.year}年共 {len(c.warnings)} 条预警(红色 {counts['红']}、黄色 {counts['黄']}、灰色 "
                f"{counts['灰']}),红色在前,同级按紧急程度排列。红色:逆向变化、按趋势预计未达标且进度严重滞后、"
                "或目标年已到仍未达标(到期未达标),且仍有差距;黄色:其余预计未达标,基本实现的逆向变化、预计或到期未达标,"
                "或波动较大;灰色:截至年份未填报。", st["muted"])]
    if c.warnings.empty:
        story.append(P("所选范围内没有预警。", st["body"]))
    else:
        w, left_out = c.printed_warnings()
        if left_out:
            story.append(P(escape(left_out), st["body"]))
        w = w.assign(地区=w["地区"] + " " + w["规划"])
        story.append(_table(w[["级别", "类型", "地区", "指标", "原因", "责任单位"]], [9, 15, 20, 34, 74, 22], st,
                            level_col=0))

    # -- units -----------------------------------------------------------------------------------------------------
    story += [PageBreak(), P("四、责任单位计分卡", st["h1"]),
              P("责任单位照录规划原文;一项指标列有多个单位时计入每个单位。达标率 = 已达标 ÷ 已评估。", st["muted"])]
    if c.units.empty:
        story.append(P(f"{escape(c.scope)}的规划未列明指标的责任单位。", st["body"]))
    else:
        u, left_out = c.printed_units()
        if left_out:
            story.append(P(escape(left_out), st["body"]))
        u = as_percent(u)
        cols = ["地区", "责任单位", "指标数", "达标率", "已达标/已评估", "进展顺利", "进度滞后", "逆向变化", "无数据", "定性",
                "红色预警"]
        story.append(_table(u[cols], [17, 33, 12, 13, 19, 14, 14, 14, 13, 11, 14], st))

    # -- stories ---------------------------------------------------------------------------------------------------
    story += [PageBreak(), P("五、指标案例", st["h1"]),
              P("每个案例从规划基线出发:灰色虚线为匀速达到目标的路径,实线与圆点为监测值,点线与三角为按趋势外推到"
                "目标年的数值,绿色横线为目标。", st["muted"])]
    for i, s in enumerate(c.stories):
        facts = pd.DataFrame([dict(s.facts())])
        block = [P(f"{escape(s.label)}:{escape(s.title)}", st["h2"]), _image(pngs[f"story{i}"], 150 * mm, 68 * mm),
                 _table(facts, [TEXT_W / mm / len(facts.columns)] * len(facts.columns), st),
                 Spacer(1, 2 * mm), P(escape(s.ind["reason"]), st["body"])]
        block += [P(f"{w.级别}色预警({escape(w.类型)}):{escape(w.原因)}", st["body"]) for w in s.warnings.itertuples()]
        story.append(KeepTogether(block))

    # -- method ----------------------------------------------------------------------------------------------------
    story += [PageBreak(), P("六、方法说明", st["h1"])]
    story += [P("• " + escape(p), st["body"]) for p in method_points(c)]
    t = c.thresholds.assign(value=[f"{v:.0%}" if k in ("approx_tolerance", "swing_relative") else f"{v:g}"
                                   for k, v in zip(c.thresholds["key"], c.thresholds["value"])])
    t = t[["label", "value", "description"]].set_axis(["阈值", "现行值", "说明"], axis=1)
    story += [P("现行阈值(data/thresholds.csv)", st["h2"]), _table(t, [50, 20, 104], st),
              Spacer(1, 4 * mm),
              P("数据来源:规划文本(重点指标表与正文量化目标,逐项注明出处);监测值为成员单位填报"
                + (";本报告含系统生成的示例数据" if c.has_demo else "") + "。", st["muted"])]

    out = io.BytesIO()
    doc = _Doc(out, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=20 * mm,
               bottomMargin=20 * mm, title=f"{c.title}({c.subtitle})", author=c.committee,
               subject="示例数据" if c.has_demo else c.title, creator="planwatch")
    doc.build(story, canvasmaker=_numbered_canvas(c))
    return out.getvalue()
