"""The 统计监测报告 (or 中期/终期评估报告) as an editable Word document (python-docx), for the office to finish.

Laid out as Chinese government documents are (GB/T 9704): A4, body 仿宋_GB2312 三号 (16 pt) with a first-line
indent of two characters and a fixed 28 pt line, 一级标题 黑体, 二级标题 楷体_GB2312, tables 宋体, title
方正小标宋简体. Every style names its East Asian font (w:eastAsia; python-docx sets only the Latin name), and the
font table gives each a fallback (w:altName: 仿宋, 楷体, 宋体) with the GB2312 character set, so Word and WPS
substitute a Chinese font where the named one is missing. Headings are the built-in Heading 1/2 styles (the
navigation pane and the table of contents field use them); charts are PNGs (render.py) with numbered captions.
Every sentence comes from ReportContent (content.py).
"""
from __future__ import annotations

import io
from xml.sax.saxutils import escape

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from lxml import etree

from planwatch.report import embedded_font, render
from planwatch.report.content import DEMO_NOTE, DRAFT, ReportContent, as_percent

LATIN = "Times New Roman"
BODY, HEADING, HEADING2, TABLE, TITLE = "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体", "方正小标宋简体"
# name → (fallback name, panose): what Word/WPS use when the named font is not installed
FALLBACKS = {"仿宋_GB2312": ("仿宋", "02010609030101010101"), "楷体_GB2312": ("楷体", "02010609030101010101"),
             "方正小标宋简体": ("宋体", "02010600030101010101"), "黑体": ("SimHei", "02010609060101010101"),
             "宋体": ("SimSun", "02010600030101010101")}
DEMO_COLOR = RGBColor(0xC6, 0x5A, 0x00)
CN_NUMBERS = "一二三四五六七八九十"


def cn_number(i: int) -> str:
    """1 → 一, 12 → 十二 (section numbers up to 99)."""
    if i <= 10:
        return CN_NUMBERS[i - 1]
    tens, ones = divmod(i, 10)
    return (CN_NUMBERS[tens - 1] if tens > 1 else "") + "十" + (CN_NUMBERS[ones - 1] if ones else "")


def set_font(element, east_asia: str, latin: str = LATIN) -> None:
    """Name the Latin and the East Asian font of a style's or run's w:rPr."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    for theme_attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme_attr), None)


def _style(doc, name: str, east_asia: str, size: float, bold: bool = False, indent: bool = False,
           align=None, before: float = 0, after: float = 0):
    style = doc.styles[name]
    style.font.size, style.font.bold, style.font.italic = Pt(size), bold, False
    style.font.color.rgb = RGBColor(0, 0, 0)
    set_font(style.element, east_asia)
    fmt = style.paragraph_format
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(28 if size >= 14 else size * 1.5)
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.first_line_indent = Pt(size * 2) if indent else Pt(0)
    if align is not None:
        fmt.alignment = align
    return style


def _font_table(doc) -> None:
    """Declare the fonts with the GB2312 character set and a fallback name (w:altName)."""
    part = next(r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/fontTable"))
    root = parse_xml(part.blob)
    for name, (alt, panose) in FALLBACKS.items():
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        for tag, value in (("w:altName", alt), ("w:panose1", panose), ("w:charset", "86"),
                           ("w:family", "modern" if name != "宋体" else "roman"), ("w:pitch", "fixed")):
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            font.append(child)
        root.append(font)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _field(paragraph, instruction: str, placeholder: str = ""):
    """A Word field (PAGE, TOC, SEQ …): begin, instruction, separate, the shown text, end; returns the run of the
    shown text."""
    def char(kind: str):
        run = paragraph.add_run()
        fld = OxmlElement("w:fldChar")
        fld.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            fld.set(qn("w:dirty"), "true")
        run._r.append(fld)

    char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    char("separate")
    shown = paragraph.add_run(placeholder)
    char("end")
    return shown


class Report:
    def __init__(self, content: ReportContent, pngs: dict[str, bytes]):
        self.c, self.pngs, self.figures = content, pngs, 0
        doc = self.doc = Document()
        _font_table(doc)
        _style(doc, "Normal", BODY, 16, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        _style(doc, "Heading 1", HEADING, 16, before=6, after=0)
        _style(doc, "Heading 2", HEADING2, 16, indent=True)
        title = _style(doc, "Title", TITLE, 22, align=WD_ALIGN_PARAGRAPH.CENTER, after=12)
        for border in title.element.xpath(".//w:pBdr"):  # the template's title has a blue rule under it
            border.getparent().remove(border)
        _style(doc, "Subtitle", HEADING2, 16, align=WD_ALIGN_PARAGRAPH.CENTER)
        _style(doc, "Caption", HEADING, 12, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
        _style(doc, "TOC Heading", HEADING, 16, align=WD_ALIGN_PARAGRAPH.CENTER)
        for name in ("Header", "Footer"):
            _style(doc, name, BODY, 10.5)
        table_style = doc.styles.add_style("报告表格", WD_STYLE_TYPE.PARAGRAPH)
        table_style.base_style = doc.styles["Normal"]
        _style(doc, "报告表格", TABLE, 10.5, align=WD_ALIGN_PARAGRAPH.CENTER)
        settings = doc.settings.element  # ask Word to fill the TOC and SEQ fields when the file is opened
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.append(update)
        section = doc.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
        self._header_footer(section)
        props = doc.core_properties
        props.title, props.subject = f"{content.title}({content.subtitle})", content.committee
        props.keywords = "示例数据" if content.has_demo else ""
        props.author = content.committee

    def _header_footer(self, section) -> None:
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if self.c.has_demo:
            run = header.add_run("示例数据")
            run.bold, run.font.color.rgb = True, DEMO_COLOR
            header.add_run(" · ")
        header.add_run(f"{self.c.title} · {self.c.subtitle}")
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.add_run("— ")
        _field(footer, "PAGE", "1")
        footer.add_run(" —")

    # -- building blocks --------------------------------------------------------------------------------------------
    def para(self, text: str, style: str | None = None, bold_lead: str = ""):
        p = self.doc.add_paragraph(style=style)
        if bold_lead:
            p.add_run(bold_lead).bold = True
        self._text(p, text)
        return p

    @staticmethod
    def _text(p, text: str) -> None:
        """Text whose 【待补充】 marks are highlighted, so the office sees what to complete."""
        parts = text.split(DRAFT)
        for i, part in enumerate(parts):
            if i:
                mark = p.add_run(DRAFT)
                mark.bold, mark.font.color.rgb = True, RGBColor(0xC0, 0, 0)
            if part:
                p.add_run(part)

    def figure(self, key: str, caption: str, width_cm: float = 15.6) -> None:
        p = self.doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(0)
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run().add_picture(io.BytesIO(self.pngs[key]), width=Cm(width_cm))
        self.figures += 1
        cap = self.doc.add_paragraph(style="Caption")
        cap.add_run("图")
        _field(cap, "SEQ 图 \\* ARABIC", str(self.figures))
        cap.add_run(f" {caption}")

    def table(self, frame: pd.DataFrame, widths_cm: list[float], caption: str = ""):
        """A Word table (style Table Grid, fixed column widths, shaded header row repeated on every page), written
        as XML in one go: python-docx's per-cell API takes minutes for the 附表's thousands of cells."""
        if caption:
            self.para(caption, "Caption")
        style = self.doc.styles["报告表格"].style_id
        grid = "".join(f'<w:gridCol w:w="{int(Cm(w).twips)}"/>' for w in widths_cm)

        def cell(value, width: float, header: bool) -> str:
            text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
            shade = '<w:shd w:val="clear" w:color="auto" w:fill="D9D9D9"/>' if header else ""
            bold = "<w:rPr><w:b/></w:rPr>" if header else ""
            return (f'<w:tc><w:tcPr><w:tcW w:w="{int(Cm(width).twips)}" w:type="dxa"/>{shade}'
                    f'<w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
                    f'<w:r>{bold}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p></w:tc>')

        rows = ['<w:tr><w:trPr><w:tblHeader/></w:trPr>'
                + "".join(cell(name, w, True) for name, w in zip(frame.columns, widths_cm)) + "</w:tr>"]
        rows += ["<w:tr><w:trPr><w:cantSplit/></w:trPr>" + "".join(cell(v, w, False) for v, w in zip(values, widths_cm))
                 + "</w:tr>" for values in frame.itertuples(index=False)]
        xml = (f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="{self.doc.styles["Table Grid"].style_id}"/>'
               '<w:tblW w:w="0" w:type="auto"/><w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
               '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
               f'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{"".join(rows)}</w:tbl>')
        body = self.doc.element.body
        body.sectPr.addprevious(parse_xml(xml)) if body.sectPr is not None else body.append(parse_xml(xml))

    # -- the sections -----------------------------------------------------------------------------------------------
    def build(self) -> bytes:
        c, doc = self.c, self.doc
        doc.add_paragraph(c.title, style="Title")
        self.para(f"({c.committee} · 截至{c.year}年)", "Subtitle")
        self.para(f"{c.scope} · 生成于{c.generated:%Y年%m月%d日}", "Subtitle")
        if c.has_demo:
            note = self.para(DEMO_NOTE + ";成员单位报送数据后,请重新生成本报告。")
            for run in note.runs:
                run.bold, run.font.color.rgb = True, DEMO_COLOR
        doc.add_paragraph("目  录", style="TOC Heading")
        toc = doc.add_paragraph()
        toc.alignment = WD_ALIGN_PARAGRAPH.LEFT  # (the body is justified: lines ending in a break were stretched)
        toc.paragraph_format.first_line_indent = 0
        contents = _field(toc, 'TOC \\o "1-2" \\h \\z \\u')
        toc.add_run().add_break(WD_BREAK.PAGE)  # after the field: an update in Word replaces what is inside
        self.para(c.framing())
        self.overview()
        self.domains()
        self.problems()
        self.suggestions()
        self.appendix()
        self.contents(contents)
        embedded_font.embed(doc, (BODY, HEADING, HEADING2, TABLE, TITLE))
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()

    def contents(self, run) -> None:
        """The TOC field's shown text: the headings, without page numbers, until Word updates the field with them
        (it asks when the file opens: settings' updateFields); a PDF made by LibreOffice showed the instruction "(在
        Word 中右键点击此处选择“更新域”…)" instead of a table of contents."""
        levels = {"Heading 1": "", "Heading 2": "\u3000\u3000"}
        headings = [levels[p.style.name] + p.text for p in self.doc.paragraphs if p.style.name in levels]
        for number, text in enumerate(headings):
            if number:
                run.add_break()
            run.add_text(text)

    def overview(self) -> None:
        c = self.c
        self.doc.add_heading("一、总体情况", level=1)
        for sentence in c.overview_sentences():
            self.para(sentence)
        self.figure("headline", f"截至{c.year}年各状态指标数")
        plans = c.cut("plan")
        self.table(as_percent(plans, 1)[["规划", "指标数", "已评估", "已达标", "进展顺利", "进度滞后", "逆向变化", "无数据",
                                         "定性", "达标率", "基本实现率"]],
                   [2.9] + [1.2] * 8 + [1.35, 1.65], caption=f"表1 各规划指标状态与达标率(截至{c.year}年)")

    def domains(self) -> None:
        c = self.c
        self.doc.add_heading("二、分领域情况", level=1)
        self.figure("domain", f"截至{c.year}年各领域指标状态与达标率")
        for i, d in enumerate(c.domain_paragraphs(), start=1):
            self.doc.add_heading(f"\uff08{cn_number(i)}\uff09{d['domain']}", level=2)
            self.para(d["summary"])
            if d["progress"]:
                self.para("".join(d["progress"]) + (f"另有{d['more_progress']}项指标进展良好,见{c.listed_in}。"
                                                    if d["more_progress"] else ""), bold_lead="主要进展:")
            if d["gaps"]:
                self.para("".join(d["gaps"]) + (f"另有{d['more_gaps']}项指标存在差距,见{c.listed_in}。"
                                                if d["more_gaps"] else ""), bold_lead="存在差距:")
            elif c.cut("domain").query("领域 == @d['domain']")["已评估"].iloc[0]:
                self.para("已评估指标均已达标或进展顺利。", bold_lead="存在差距:")

    def problems(self) -> None:
        c = self.c
        counts, listed = c.warning_counts(), c.listed_warnings()
        self.doc.add_heading("三、存在的主要问题", level=1)
        kinds = listed["类型"].value_counts()
        self.para(f"截至{c.year}年共有红色预警{counts['红']}条、黄色预警{counts['黄']}条,其中"
                  + "、".join(f"{k}{int(n)}条" for k, n in kinds.items())
                  + (f";另有{counts['灰']}项指标未报送{c.year}年数据" if counts["灰"] else "")
                  + (f";{c.target_missing_text()}" if c.overview["n_target_missing"] else "")
                  + "。按紧急程度,主要问题如下(预警全表见年度报告工作簿)。"
                  if len(listed) else f"截至{c.year}年,{c.scope}没有红色或黄色预警。")
        for i, text in enumerate(c.problems(), start=1):
            self.para(text, bold_lead=f"{i}. ")

    def suggestions(self) -> None:
        c = self.c
        self.doc.add_heading("四、对策建议", level=1)
        self.para(f"以下按牵头单位(规划列名第一位的责任单位)列出。责任单位已报送整改措施的,照录其措施;尚未报送的,"
                  f"根据预警写出建议,标为“{DRAFT}”,请工委办公室会同责任单位修改完善。")
        for i, (unit, items) in enumerate(c.suggestions(), start=1):
            p = self.para("", bold_lead=f"\uff08{cn_number(i)}\uff09{unit}。")
            self._text(p, "".join(items))

    def appendix(self) -> None:
        c = self.c
        section = self.doc.add_section()
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21)
        section.top_margin = section.bottom_margin = Cm(2.0)
        section.left_margin = section.right_margin = Cm(2.0)
        self.doc.add_heading("附表  监测指标一览", level=1)
        table = c.appendix()
        self.para(f"共{len(c.indicators)}项指标(截至{c.year}年,{c.scope})。基线为规划文本印出的数值及年份,“—”表示规划"
                  "未印基线或当年未报送;逐年数值为当前有效的报送值" + (f";{c.demo_text()}" if c.has_demo else "") + "。")
        if c.appendix_note():  # a large scope: which indicators are listed, and where the others are
            self.para(c.appendix_note(), bold_lead="说明:")
        if table["地区"].nunique() == 1:  # one region's report: its name on every row only narrowed the figures
            table = table.drop(columns="地区")
        years = [col for col in table.columns if col.endswith("年") and col[:4].isdigit()]
        fixed = {"地区": 1.6, "规划": 1.2, "领域": 1.2, "指标": 3.5, "单位": 1.4, "基线(年)": 2.5, "目标": 2.0,
                 "状态": 2.0, "评估": 2.0, "预警": 1.8, "责任单位": 1.7}
        year_w = max(1.1, (25.7 - sum(fixed.get(col, 0) for col in table.columns)) / max(1, len(years)))
        widths = [fixed.get(col, year_w) for col in table.columns]
        self.table(table.rename(columns={y: y.removesuffix("年") for y in years}), widths)  # "2021" fits, "2021年" wrapped


def docx_bytes(content: ReportContent, pngs: dict[str, bytes] | None = None) -> bytes:
    return Report(content, pngs if pngs is not None else render.chart_pngs(content)).build()
