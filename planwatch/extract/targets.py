"""Quantitative targets in running text: 达到95%以上, 控制在7/10万以下, 保持在50%左右, 不少于1名, 一半以上, 每个区县建成一所 …

Each figure of a line is looked at with the words around it: a cue before it (达到, 控制在, 不少于, 至少配备 …) and a
modifier after it (以上, 以下, 以内, 左右). A figure with neither, and no measure word of a count, is not a target.
"""
from __future__ import annotations

import re

from planwatch.extract.numbers import Figure, figures

# Cue words before a figure and the operator they give when no modifier follows. Longest first.
CUES = [
    ("达到并保持在", ">="), ("达到或超过", ">="), ("达到或高于", ">="), ("维持在", ">="), ("≥", ">="), ("≤", "<="),
    ("不超出", "<="), ("保持稳定在", ">="), ("提高到", ">="), ("提高至", ">="), ("提升到", ">="),
    ("提升至", ">="), ("增加到", ">="), ("增加至", ">="), ("增长到", ">="), ("保持在", ">="), ("稳定在", ">="),
    ("控制在", "<="), ("下降到", "<="), ("下降至", "<="), ("降低到", "<="), ("降低至", "<="), ("减少到", "<="),
    ("不低于", ">="), ("不少于", ">="), ("不小于", ">="), ("不高于", "<="), ("不超过", "<="), ("不多于", "<="),
    ("至少有", ">="), ("至少", ">="), ("超过", ">"), ("高于", ">"), ("大于", ">"), ("低于", "<"), ("少于", "<"),
    ("小于", "<"), ("增至", ">="), ("降至", "<="), ("达到", ">="), ("保持", ">="), ("稳定", ">="), ("达", ">="),
    ("下降", ">="), ("降低", ">="), ("占比", ">="), ("占", ">="), ("为", ">="),
]
# Verbs of a count target (建成1所, 配备1名, 开展3次); the figure is a count of what follows.
COUNT_VERBS = ("建成", "建设", "建立", "新建", "改扩建", "创建", "配备", "配齐", "培育孵化", "孵化", "培育", "设置", "设立",
               "完成", "增加", "扩充", "打造", "新增", "开展", "组织", "举办", "刊出或播出", "播出", "办好", "掌握", "培训")
COUNT_UNITS = {"所", "个", "家", "名", "次", "项", "张", "处", "座", "件", "支", "场", "期", "人", "万个", "万人", "小时",
               "户", "间", "门", "节", "课时", "学时"}
WEAK_CUES = {"为", "占", "占比"}   # cues only for a rate (为100%), not for 普及为6月龄
FILLERS = r"(?:均|分别|力争|努力|确保|逐步|每年|每学期|累计|都|各|在|到|至|)"
CUE_RE = re.compile(
    "(?P<cue>" + "|".join(re.escape(c) for c, _ in CUES) + ")" + FILLERS + r"\s*$"
)
COUNT_RE = re.compile("(?:" + "|".join(COUNT_VERBS) + r")(?:了|有)?[^,,。;;、]{0,2}\s*$")
CUE_ANY = re.compile("|".join(re.escape(c) for c, _ in CUES[:-3]))
RATE_UNITS = {"%", "‰", "/10万", "/万", "/千"}
MODIFIER = re.compile(r"\s*(?P<mod>及以上|以上|以下|以内|左右)")
MODIFIER_OPS = {"以上": ">=", "及以上": ">=", "以下": "<=", "以内": "<=", "左右": "~"}
LIST_SEP = re.compile(r"^\s*(?:[、和及与]|,)?\s*$")
CLAUSE_END = set(",,。;;::!?")
SENTENCE = re.compile(r"[^。;;!?]+[。;;!?]?")
YEAR = re.compile(r"(20[23]\d)年(?!基础|为基数|度|\d|[))]|以来|起)")
BASE_YEAR_CONTEXT = re.compile(r"(?:在|以)\s*20\d\d\s*年(?:基础上|为基数)")
# Units for rates stated with an explicit per-base: 7/10万 (1/10万), 15/万.
PER_BASE = {"/10万": "1/10万", "/万": "1/万", "/千": "‰"}
ONE_PER_UNIT = re.compile(
    r"一(?P<unit>区县|县区|区镇|乡镇|镇街|镇|街道|村|社区|校|园)(?:[((][^))]{1,6}[))])?一(?P<what>[\u4e00-\u9fff]{1,4}?)(?=[”\"的,,。;])"
)
QUALITATIVE = re.compile(r"全覆盖|应([\u4e00-\u9fff])尽\1")
# a change asked for without a number, ending its clause (妇女人均预期寿命持续提升。): a 保持 target judged as improve
CHANGE = re.compile(r"(?:持续|逐步|稳步|不断|进一步)(?:提升|提高|增加|增长|上升|下降|降低|减少)|稳中有升")
MEASURE = re.compile(r"(?:率|比例|比重|人数|数量|寿命|年限)$")  # what names a measure, not an aim
UNITS_RE = re.compile(r"[((]\s*责任单位\s*[::]\s*(?P<units>[^))]+)[))]")


def _clause_start(line: str, pos: int, floor: int) -> int:
    i = pos
    while i > floor and line[i - 1] not in CLAUSE_END:
        i -= 1
    return i


def _clause_end(line: str, pos: int) -> int:
    i = pos
    while i < len(line) and line[i] not in CLAUSE_END:
        i += 1
    return i


def _op_for(cue: str | None, modifier: str | None, fig: Figure) -> str:
    if modifier:
        return MODIFIER_OPS[modifier]
    op = dict(CUES).get(cue or "", ">=")
    if op == ">=" and fig.unit == "%" and fig.value in ("100", "100.0"):
        return "="   # 达到100% / 保持在100%: complete, cannot be exceeded
    return op


def _is_year(line: str, fig: Figure) -> bool:
    return bool(re.fullmatch(r"(19|20)\d\d", fig.value)) and (fig.unit in ("年", "") or line[fig.end:fig.end + 1] == "年")


def _names(text: str, count: int) -> list[str]:
    """The measure's words before the cue; a list 新生儿、婴儿和5岁以下儿童死亡率 is split to match the figures."""
    text = re.sub(r"^(?:\d+[.、.]|[((][一二三四五六七八九十\d]+[))])", "", text.strip())
    text = re.sub(r"^(?:到|至|在)?\s*20\d\d\s*年(?:底|末)?[,,]?|^(?:力争|努力|确保|使|其中|实现|推动|全面)", "", text).strip()
    text = re.sub(r"(?:至少|不少于|均|分别|都|各|要|应|的|\s|(?:到|至)?20\d\d年(?:底|末)?)+$", "", text)
    if count == 1:
        return [text]
    parts = [p.strip() for p in re.split(r"[、和及与]", text) if p.strip()]
    if len(parts) != count:
        return [text] * count
    suffix = re.search(r"(死亡率|患病率|发生率|筛查率|接种率|检测率|覆盖率|成员中[^中]+|中[^中]+|比例|率|数)$", parts[-1])
    if suffix:
        parts = [p if p.endswith(suffix[1]) or len(p) > 8 else p + suffix[1] for p in parts]
    return parts


def _responsible(line: str, pos: int) -> str:
    m = UNITS_RE.search(line, pos)
    return "、".join(u.strip() for u in re.split(r"[、,,]", m["units"]) if u.strip()) if m else ""


def find_targets(line: str, default_year: int) -> list[dict]:
    """The quantitative targets of one line, each with name, operator, value, unit, year, quote and confidence."""
    out: list[dict] = []
    figs = figures(line)
    for sent in SENTENCE.finditer(line):
        s0, s1 = sent.span()
        in_sentence = [f for f in figs if s0 <= f.start < s1]
        group: list[tuple[Figure, dict]] = []   # figures of one list sharing a cue (分别控制在3‰、5‰和6‰以下)
        prev_end, prev_hit = None, None
        for fig in in_sentence:
            if prev_end is not None and fig.start < prev_end:
                continue   # the 10 of 7/10万, already part of the previous figure's unit
            if (_is_year(line, fig) or line[max(0, fig.start - 1):fig.start] in ("第", "《", "/", "从")
                    or fig.unit in ("岁", "个月", "月龄")):
                prev_end, prev_hit = None, None
                continue
            if BASE_YEAR_CONTEXT.search(line[max(s0, fig.start - 12):fig.start + 2]) and fig.unit == "年":
                continue
            clause0 = _clause_start(line, fig.start, s0)
            before = line[clause0:fig.start]
            listed = (prev_hit is not None and prev_end is not None and LIST_SEP.match(line[prev_end:fig.start])
                      and not fig.chinese and fig.unit == prev_hit["fig"].unit)
            mod_m = MODIFIER.match(line, fig.end)
            modifier, share = None, False
            if mod_m:
                after = line[mod_m.end():mod_m.end() + 1]
                if not after or after in CLAUSE_END or after in "、和并且及的(()":
                    modifier = mod_m["mod"]
                elif mod_m["mod"] == "以上" and fig.unit in ("%", ""):
                    modifier, share = mod_m["mod"], True   # 50%以上乡镇建有…: a share of the units named next
            cue_m = CUE_RE.search(before)
            if cue_m and cue_m["cue"] in WEAK_CUES and fig.unit not in RATE_UNITS:
                cue_m = None
            count_m = COUNT_RE.search(before) if fig.unit in COUNT_UNITS else None
            bare_count = fig.unit in COUNT_UNITS and not fig.chinese and re.search(r"[\u4e00-\u9fff))]\s*$", before)
            share_of = fig.unit == "%" and re.match(r"[\u4e00-\u9fff]", line[fig.end:fig.end + 1])
            cue_earlier = fig.unit in RATE_UNITS and CUE_ANY.search(before)
            share = share or (bool(share_of) and not cue_m)
            if not (cue_m or modifier or count_m or listed or bare_count or share_of or cue_earlier):
                prev_end, prev_hit = None, None
                continue
            cue = cue_m["cue"] if cue_m else None
            name_end = fig.start - len(cue_m.group(0)) if cue_m else (
                fig.start - len(count_m.group(0)) if count_m else fig.start)
            name_text = line[clause0:name_end]
            end = mod_m.end() if modifier else fig.end
            if share:
                name_text = re.sub(r"(要|应|须|必须)$", "", name_text.strip()) + line[end:_clause_end(line, end)].lstrip("的")
                name_text += "的比例"
            elif count_m or (not name_text.strip() and fig.unit in COUNT_UNITS):
                object_end = _clause_end(line, end)
                obj = re.sub(r"^(?:以上|以下|左右)", "", line[end:object_end])
                name_text = (name_text + obj).strip() or line[clause0:fig.start].strip()
            conf = 0.9 if (cue_m and modifier) else 0.8 if (cue_m or modifier) else 0.7 if count_m else 0.5
            if share or (cue_earlier and not cue_m):
                conf = min(conf, 0.6)
            if fig.chinese:
                conf -= 0.1
            hit = {
                "fig": fig, "cue": cue, "modifier": modifier, "name_text": name_text,
                "quote_start": clause0, "cue_start": name_end, "quote_end": end, "confidence": conf,
            }
            if listed and group:
                group.append((fig, hit))
            else:
                _flush(group, out, line, default_year, s0)
                group = [(fig, hit)]
            prev_end, prev_hit = end, hit
        _flush(group, out, line, default_year, s0)
        out += _qualitative(line, s0, s1, default_year)
        out += _one_per_unit(line, s0, s1, default_year)
        if not any(h.get("sentence") == s0 for h in out):  # (not beside a figure: 比例逐步提高,2030年达到40%)
            out += _changes(line, s0, s1, default_year)
    return out


def _changes(line: str, s0: int, s1: int, default_year: int) -> list[dict]:
    """Targets asking for a change without a number, each ending its clause: 妇女人均预期寿命持续提升 (保持,
    judged as improve: planwatch/catalogue.py change_asked gives the direction)."""
    hits = []
    for m in CHANGE.finditer(line, s0, s1):
        if m.end() < len(line) and line[m.end()] not in CLAUSE_END and line[m.end()] not in "((":
            continue   # 逐步提高…的水平: the change of something named after it, not a target
        clause0 = _clause_start(line, m.start(), s0)
        name = re.sub(r"^(?:\d+[.、.])?(?:到20\d\d年)?", "", line[clause0:m.start()].strip()).strip()
        if not MEASURE.search(name):
            continue   # 健康水平持续提升, 获得感进一步提升: an aim, not a measure
        hits.append({"name": name, "unit": "", "target_op": "maintain", "target_value": "", "target_text": m.group(0),
                     "target_year": _year_before(line, s0, m.start(), default_year),
                     "quote": line[clause0:m.end()].strip(),
                     "responsible_units": _responsible(line, m.end()), "confidence": 0.4})
    return hits


def _year_before(line: str, s0: int, pos: int, default_year: int) -> int:
    """A target's year: the last plan year (2021–2035) its sentence names before it, else the plan's."""
    years = [int(y) for y in YEAR.findall(line[s0:pos]) if 2021 <= int(y) <= 2035]
    return years[-1] if years else default_year


def _one_per_unit(line: str, s0: int, s1: int, default_year: int) -> list[dict]:
    """一区镇(街道)一普惠, 一村一站: one facility in every unit, a count target of 1 per unit."""
    hits = []
    for m in ONE_PER_UNIT.finditer(line, s0, s1):
        hits.append({"name": f"每个{m['unit']}{m['what']}数", "unit": "个", "target_op": ">=", "target_value": "1",
                     "target_text": m.group(0), "target_year": _year_before(line, s0, m.start(), default_year),
                     "quote": line[_clause_start(line, m.start(), s0):m.end()].strip()[-60:],
                     "responsible_units": _responsible(line, m.end()), "confidence": 0.5})
    return hits


def _qualitative(line: str, s0: int, s1: int, default_year: int) -> list[dict]:
    """Targets without a number: 实现…全覆盖, 应保尽保 (target_op qualitative; a reviewer decides whether to keep them)."""
    hits = []
    for m in QUALITATIVE.finditer(line, s0, s1):
        clause0 = _clause_start(line, m.start(), s0)
        name = re.sub(r"^(?:\d+[.、.])?(?:到20\d\d年)?(?:基本|全面|逐步|力争)?(?:实现|达到|做到)?", "",
                      line[clause0:m.start()]).strip()
        name = re.sub(r"(?:基本|全面|逐步)?(?:实现|达到|做到)$", "", name)
        quote = line[clause0:m.end()].strip()[-60:]
        hits.append({"name": name or m.group(0), "unit": "", "target_op": "qualitative", "target_value": "",
                     "target_text": m.group(0), "target_year": _year_before(line, s0, m.start(), default_year),
                     "quote": quote,
                     "responsible_units": _responsible(line, m.end()), "confidence": 0.4})
    return hits


def _flush(group, out, line, default_year, s0) -> None:
    if not group:
        return
    modifier = next((h["modifier"] for _, h in reversed(group) if h["modifier"]), None)
    cue = group[0][1]["cue"]
    names = _names(group[0][1]["name_text"], len(group))
    if not any(names) and out and out[-1]["sentence"] == s0:   # …到2025年达到90%,到2030年达到95%以上
        names = [out[-1]["name"]] * len(group)
    if not any(names):   # 高级专业技术人员比例逐步提高,2030年达到40%: the measure is named in the clause before
        q = group[0][1]["quote_start"]
        before = line[_clause_start(line, max(q - 1, s0), s0):max(q - 1, s0)]
        before = re.sub(r"(?:逐步|稳步|持续|不断|明显|显著|进一步)?(?:提高|提升|增加|下降|降低|稳定|扩大)$", "", before)
        names = _names(before, len(group))
    q0, q1 = group[0][1]["quote_start"], group[-1][1]["quote_end"]
    for (fig, hit), name in zip(group, names):
        op = _op_for(hit["cue"] or cue, hit["modifier"] or modifier, fig)
        quote = line[q0:q1].strip()
        if len(quote) > 60:
            quote = line[max(q0, fig.start - 30):q1].strip()[:60]
            if fig.text not in quote:
                quote = line[max(q0, fig.start - 30):hit["quote_end"]].strip()
        unit = PER_BASE.get(fig.unit, fig.unit)
        out.append({
            "name": name or "", "unit": unit, "target_op": op, "target_value": fig.value,
            "target_text": line[group[0][1]["cue_start"]:q1].strip(),
            "target_year": _year_before(line, s0, fig.start, default_year), "quote": quote,
            "responsible_units": _responsible(line, fig.end), "confidence": round(hit["confidence"], 2),
            "sentence": s0,
        })
    group.clear()
