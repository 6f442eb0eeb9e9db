"""The Word report carries its own Chinese font, for a computer that has none of the fonts it names.

The report names the 公文 fonts (仿宋_GB2312, 黑体, 楷体_GB2312, 宋体, 方正小标宋简体; document.py). A computer
without them, and a computer without any Chinese font (a fresh Linux, LibreOffice), drew every character as a box.
Word and LibreOffice use a font embedded in the document when the named font is not installed (an installed one
is used as before): so the shipped WenQuanYi Micro Hei (render.FONT_FILE, Apache-2.0), cut down to the characters
the report prints, is embedded under each of those names (ECMA-376 obfuscated TrueType: the first 32 bytes XORed
with the font key, a GUID).
"""
from __future__ import annotations

import io
import logging
import string
import uuid

from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from fontTools import subset
from fontTools.ttLib import TTCollection
from lxml import etree

from planwatch.report import render

FONT_TYPE = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
FONT_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"


def embed(doc, names: tuple[str, ...]) -> None:
    """Embed the shipped font, cut to the document's characters, under each of `names` (fontTable entries are
    added where missing); turns on Word's embedded-font setting."""
    data = _subset(_characters(doc))
    table = next(r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/fontTable"))
    root = parse_xml(table.blob)
    for number, name in enumerate(names, start=1):
        key = uuid.uuid4()
        part = Part(PackURI(f"/word/fonts/font{number}.odttf"), FONT_TYPE, _obfuscated(data, key), doc.part.package)
        font = next((f for f in root.findall(qn("w:font")) if f.get(qn("w:name")) == name), None)
        if font is None:
            font = etree.SubElement(root, qn("w:font"))
            font.set(qn("w:name"), name)
        embedded = etree.SubElement(font, qn("w:embedRegular"))
        embedded.set(qn("r:id"), table.relate_to(part, FONT_REL))
        embedded.set(qn("w:fontKey"), "{" + str(key).upper() + "}")
    table._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    settings = doc.settings.element
    if settings.find(qn("w:embedTrueTypeFonts")) is None:
        settings.insert(0, settings.makeelement(qn("w:embedTrueTypeFonts"), {}))


def _characters(doc) -> str:
    """Every character the document prints (body, headers and footers), and the printable ASCII besides (an
    edit in Word may add any digit or letter)."""
    texts = ["".join(doc.element.itertext()), string.printable]
    for section in doc.sections:
        for part in (section.header, section.footer):
            texts.append("".join(part._element.itertext()))
    return "".join(texts)


def _subset(characters: str) -> bytes:
    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # not "FFTM NOT subset" on a user's console
    font = TTCollection(str(render.FONT_FILE)).fonts[0]
    options = subset.Options()
    options.name_IDs, options.notdef_outline, options.glyph_names = ["*"], True, False
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _obfuscated(data: bytes, key: uuid.UUID) -> bytes:
    """The font as Word stores it: its first 32 bytes XORed with the key's 16 bytes in reverse order."""
    xor = bytes.fromhex(key.hex)[::-1]
    return bytes(b ^ xor[i % 16] for i, b in enumerate(data[:32])) + data[32:]
