"""规划导入 extraction: phrasings, Chinese numerals, flattened key tables, recall on the seeds, docx and pdf input."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from planwatch import cli
from planwatch.extract import extract_lines, read_lines
from planwatch.extract.recall import catalogue_targets, missed, recall
from planwatch.extract.suggest import Suggester
from planwatch.extract.targets import find_targets
from planwatch.paths import ROOT, seeds_dir

SEEDS = sorted(seeds_dir().glob("*.txt"))
FONT = ROOT / "planwatch" / "report" / "fonts" / "wqy-microhei.ttc"


def one(line: str, year: int = 2025) -> list[tuple]:
    return [(h["target_op"], h["target_value"], h["unit"], h["target_year"]) for h in find_targets(line, year)]


@pytest.mark.parametrize("line, expected", [
    ("孕产妇死亡率控制在7/10万以下。", [("<=", "7", "1/10万", 2025)]),
    ("高中阶段毛入学率达到95%以上。", [(">=", "95", "%", 2025)]),
    ("女性比例提高到40%。", [(">=", "40", "%", 2025)]),
    ("居委会成员中女性比例保持在50%左右。", [("~", "50", "%", 2025)]),
    ("九年义务教育巩固率保持在100%。", [("=", "100", "%", 2025)]),
    ("5岁以下儿童生长迟缓率降至5%。", [("<=", "5", "%", 2025)]),
    ("龋齿患病率控制在25%以内。", [("<=", "25", "%", 2025)]),
    ("保障标准不低于人均消费支出的60%。", [(">=", "60", "%", 2025)]),
    ("每天户外活动时间不少于1小时。", [(">=", "1", "小时", 2025)]),
    ("艾滋病母婴传播率低于2%。", [("<", "2", "%", 2025)]),
    ("高中阶段教育毛入学率超过99%。", [(">", "99", "%", 2025)]),
    ("力争一半以上的领导班子配备女干部。", [(">=", "50", "%", 2025)]),
    ("三分之二以上的村建有儿童之家。", [(">=", "66.7", "%", 2025)]),
    ("每个区县建成一所标准化的妇幼保健机构。", [(">=", "1", "所", 2025)]),
    ("每个乡镇至少配备1名专职儿童社会工作者。", [(">=", "1", "名", 2025)]),
    ("每年开展不少于一次质量抽查。", [(">=", "1", "次", 2025)]),
    ("建成两个儿童友好示范社区。", [(">=", "2", "个", 2025)]),
    ("新生儿、婴儿和5岁以下儿童死亡率分别控制在3‰、5‰和6‰以下。",
     [("<=", "3", "‰", 2025), ("<=", "5", "‰", 2025), ("<=", "6", "‰", 2025)]),
    ("到2025年达到90%,2030年达到95%以上。", [(">=", "90", "%", 2025), (">=", "95", "%", 2030)]),
    ("出生人口性别比控制在108左右。", [("~", "108", "", 2025)]),
    ("新建、改建城市公厕女性和男性厕位比例至少达到3:2。", [(">=", "3:2", "", 2025)]),
])
def test_target_phrasings(line, expected):
    assert one(line) == expected


@pytest.mark.parametrize("line", [
    "5岁以下儿童死亡率有所下降,0-6岁儿童健康管理进一步加强。",   # ages are not targets
    "贯彻落实《中国妇女发展纲要(2021—2030年)》,推进一体化建设。",  # years, titles, 一体化
    "关注生命早期1000天,培育一批示范机构。",                        # no target word
])
def test_not_targets(line):
    assert [h for h in find_targets(line, 2025) if h["target_op"] != "qualitative"] == []


def test_names_quotes_and_units_are_verbatim():
    line = "3.孕产妇死亡率稳定在7/10万以下,孕产妇系统管理率达90%以上。(责任单位:市卫健委、市财政局)"
    hits = find_targets(line, 2025)
    assert [h["name"] for h in hits] == ["孕产妇死亡率", "孕产妇系统管理率"]
    assert all(h["quote"] in line for h in hits)
    assert [h["responsible_units"] for h in hits] == ["市卫健委、市财政局"] * 2


def test_full_coverage_is_a_qualitative_candidate():
    hits = find_targets("实现免费产前筛查服务目标人群全覆盖。", 2025)
    assert [(h["target_op"], h["name"], h["target_value"]) for h in hits] == [("qualitative", "免费产前筛查服务目标人群", "")]


FLAT_TABLE = """重点指标
序号

主 要 统 计 指 标

2020年

2025年

1

严重致残的出生缺陷发生率(1/‰)

8.7

<9

2

千名儿童儿科执业(助理)医师数(人)

2.15

保持

3

每千人拥有3岁以下婴幼儿托位数(个)

无数据

4.5

4

获得法律机构援助的未成年人数(人)

122

应援尽援

二、发展领域的目标和措施

(一)儿童与健康。

1.出生缺陷发生率、儿科医师与托位。
"""


def test_flattened_key_table():
    rows = [r for r in extract_lines(FLAT_TABLE.split("\n")) if r["is_key"]]
    got = [(r["key_no"], r["name"], r["unit"], r["baseline_value"], r["target_op"], r["target_value"],
            r["source_line"], r["name_line"]) for r in rows]
    assert got == [
        ("01", "严重致残的出生缺陷发生率", "1/‰", "8.7", "<", "9", 16, 12),
        ("02", "千名儿童儿科执业(助理)医师数", "人", "2.15", "maintain", "", 24, 20),
        ("03", "每千人拥有3岁以下婴幼儿托位数", "个", "", ">=", "4.5", 32, 28),
        ("04", "获得法律机构援助的未成年人数", "人", "122", "qualitative", "", 40, 36),
    ]
    assert {r["domain_raw"] for r in rows} == {"儿童与健康"}
    assert rows[0]["baseline_year"] == 2020 and rows[2]["baseline_year"] == ""


def test_table_row_with_two_targets_and_values_equal_to_row_numbers():
    lines = ["序号", "规划目标", "1", "新生儿死亡率(‰", "2", "2", "家长学校建成率%", "城市社区100", "农村社区90", "三、目标"]
    rows = [r for r in extract_lines(lines) if r["is_key"]]
    assert [(r["key_no"], r["name"], r["target_op"], r["target_value"]) for r in rows] == [
        ("01", "新生儿死亡率", "<=", "2"),
        ("02a", "家长学校建成率(城市社区)", "=", "100"),
        ("02b", "家长学校建成率(农村社区)", ">=", "90"),
    ]


def test_baseline_from_the_review_of_the_previous_period():
    lines = ["“十三五”期间,全市婴儿死亡率降至1.75‰。", "(一)儿童与健康", "1.婴儿死亡率控制在4‰以下。"]
    (row,) = extract_lines(lines)
    assert (row["baseline_year"], row["baseline_value"], row["baseline_line"]) == (2020, "1.75", 1)
    assert (row["target_value"], row["source_line"], row["domain"]) == ("4", 3, "健康")


def test_canonical_suggestion_uses_name_and_unit():
    s = Suggester.from_catalogue()
    assert s.suggest("孕产妇死亡率", "1/10万")["canonical_id"] == "maternal_mortality"
    assert s.suggest("孕产妇死亡率", "%")["canonical_id"] == ""   # unit disagrees
    assert s.suggest("新生儿死亡率", "‰")["canonical_id"] == "neonatal_mortality"
    assert s.suggest("街角小游园数", "个")["canonical_id"] == ""


def test_seeds_are_present():
    assert len(SEEDS) == 5, f"seed documents expected in {seeds_dir()}"


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_recall_on_seed(seed):
    """Every catalogue target of the seed is found on its line with its value."""
    rows = extract_lines(read_lines(seed.read_bytes(), seed.name))
    expected = catalogue_targets(seed.name)
    lost = [(r["indicator_id"], r["target_line"], r["target_value"]) for r in missed(rows, expected)]
    assert recall(rows, expected) >= 0.98, lost
    assert all(r["quote"] in seed.read_text(encoding="utf-8").split("\n")[int(r["source_line"]) - 1] for r in rows)


def _seed_lines(name: str) -> list[str]:
    return (seeds_dir() / name).read_text(encoding="utf-8").split("\n")


def _comparable(rows: list[dict]) -> list[tuple]:
    return sorted((r["is_key"], r["name"], r["unit"], r["target_op"], str(r["target_value"]), r["quote"],
                   str(r["baseline_value"])) for r in rows)


def test_docx_gives_the_same_rows_as_text():
    import docx

    lines = _seed_lines("000_a2ccc41d0fcedee4.txt")
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    from_docx = extract_lines(read_lines(buf.getvalue(), "plan.docx"))
    from_text = extract_lines(lines)
    assert len(from_text) >= len(catalogue_targets("000_a2ccc41d0fcedee4.txt"))
    assert _comparable(from_docx) == _comparable(from_text)
    assert [r["source_line"] for r in from_docx] == [r["source_line"] for r in from_text]


def test_docx_word_table_is_read_as_a_key_table():
    import docx

    document = docx.Document()
    document.add_paragraph("主要指标")
    table = document.add_table(rows=3, cols=4)
    for r, cells in enumerate([("序号", "主要统计指标", "2020年", "2025年"), ("1", "孕产妇死亡率(1/10万)", "8.1", "<7"),
                               ("2", "妇女国民体质合格率(%)", "94.1", "95")]):
        for c, text in enumerate(cells):
            table.cell(r, c).text = text
    document.add_paragraph("(一)妇女与健康")
    document.add_paragraph("1.孕产妇死亡率与体质。")
    buf = io.BytesIO()
    document.save(buf)
    rows = extract_lines(read_lines(buf.getvalue(), "plan.docx"))
    assert [(r["name"], r["unit"], r["baseline_value"], r["target_op"], r["target_value"]) for r in rows] == [
        ("孕产妇死亡率", "1/10万", "8.1", "<", "7"), ("妇女国民体质合格率", "%", "94.1", ">=", "95")]


def _pdf(lines: list[str]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate
    from xml.sax.saxutils import escape

    pdfmetrics.registerFont(TTFont("WQY", str(FONT), subfontIndex=0))
    style = ParagraphStyle("plain", fontName="WQY", fontSize=10, leading=14, spaceAfter=8, wordWrap="CJK")
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build([Paragraph(escape(line), style) for line in lines if line.strip()])
    return buf.getvalue()


def test_pdf_gives_the_same_rows_as_text():
    lines = _seed_lines("003_d4dfc7285a76c3b4.txt")[:170] + _seed_lines("000_a2ccc41d0fcedee4.txt")[50:145]
    from_pdf = extract_lines(read_lines(_pdf(lines), "plan.pdf"))
    from_text = extract_lines(lines)
    assert sum(r["is_key"] for r in from_text) == 10 and len(from_text) > 30
    assert _comparable(from_pdf) == _comparable(from_text)


def test_cli_extract_writes_the_csv(tmp_path, capsys):
    out = tmp_path / "draft.csv"
    assert cli.main(["extract", str(SEEDS[0]), "--out", str(out)]) == 0
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) > 70 and {"name", "target_value", "source_line", "quote", "confidence"} <= set(rows[0])
    assert "候选指标" in capsys.readouterr().err


@pytest.mark.parametrize("name, data, message", [
    ("plan.doc", b"x", "不支持的文件类型"),
    ("plan.pdf", b"not a pdf", "不是有效的 PDF"),
    ("plan.docx", b"not a zip", "不是有效的 Word"),
    ("plan.txt", b"", "是空的"),
])
def test_bad_documents_get_a_chinese_message(tmp_path, capsys, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    assert cli.main(["extract", str(path), "--out", str(tmp_path / "o.csv")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "o.csv").exists()
