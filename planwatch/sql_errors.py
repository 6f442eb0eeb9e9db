"""Why an analyst's query failed, in Chinese: the kind of problem and the name or value concerned, quoted from the
engine's message ("找不到列“x”"), never the engine's English. Used by planwatch.guard for DuckDB's errors (binder,
catalogue, conversion, range, input, parser) and sqlglot's syntax descriptions (数据探索 and `python -m planwatch sql`).

A message no rule knows gets its kind's general sentence. Names and values are cut to NAME_CHARS characters.
"""
from __future__ import annotations

import re

NAME_CHARS = 40
CANDIDATES = 5  # names offered for an unknown column

_INTEGERS = {"INT8": "TINYINT", "INT16": "SMALLINT", "INT32": "INTEGER", "INT64": "BIGINT", "INT128": "HUGEINT",
             "UINT8": "UTINYINT", "UINT16": "USMALLINT", "UINT32": "UINTEGER", "UINT64": "UBIGINT",
             "UINT128": "UHUGEINT"}
_TYPE_WORDS = (  # (DuckDB type name pattern, Chinese)
    (r"(U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?|U?INT\d+|INTEGER_LITERAL)", "整数"),
    (r"(DOUBLE|FLOAT|REAL|DECIMAL.*|NUMERIC.*)", "小数"), (r"(VARCHAR|STRING_LITERAL|TEXT|STRING)", "文本"),
    (r"BOOL(EAN)?", "布尔值"), (r"DATE", "日期"), (r"TIMESTAMP.*", "时间"), (r"TIME.*", "时刻"),
    (r"INTERVAL", "时间间隔"), (r"(JSON|UUID)", None), (r"BLOB", "二进制"), (r".*\[\d*\]", "列表"),
    (r"STRUCT.*", "结构"), (r"MAP.*", "映射"), (r"\"?NULL\"?", "空值"))
_WHATS = {"scalar function": "函数", "aggregate function": "聚合函数", "function": "函数", "macro function": "函数",
          "table function": "表函数", "table macro function": "表函数", "table": "表", "view": "表",
          "type": "类型", "schema": "模式", "catalog": "数据库", "collation": "排序规则"}

GENERAL = {  # DuckDB's exception class -> what it means, when no rule below knows the message
    "BinderException": "查询出错:表、列或函数的名字或用法不对,请检查后再试。",
    "CatalogException": "查询出错:找不到查询中的某个表、函数或类型,请检查名字。",
    "ConversionException": "类型转换失败:查询中有值无法转换为所需的类型,请检查 CAST 和比较两侧的类型。",
    "OutOfRangeException": "数值超出范围,请先 CAST(… AS DOUBLE) 再计算。",
    "InvalidInputException": "查询中有无效的输入值(例如格式、正则表达式或 JSON 有误),无法计算。",
    "ParserException": "语法错误:无法解析这条查询。",
    "PermissionException": "不允许访问文件、扩展或设置。",
    "NotImplementedException": "数据库不支持这种写法,请换一种写法。",
    "TypeMismatchException": "类型不匹配,请用 CAST 转换后再试。",
    "InterruptException": "查询已停止。",
}
UNKNOWN = "查询出错,无法完成,请检查查询后再试。"


def _name(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= NAME_CHARS else text[:NAME_CHARS] + "…"


def type_name(name: str, sql: bool = False) -> str:
    """A DuckDB type in words ("INT32" -> 整数, with sql: 整数(INTEGER)); an unknown type quoted."""
    name = " ".join(name.split()).upper()
    shown = _INTEGERS.get(name, name)
    for pattern, word in _TYPE_WORDS:
        if re.fullmatch(pattern, name):
            if word is None:
                return shown
            return f"{word}({shown})" if sql and word in ("整数", "小数", "时间") else word
    return f"“{_name(shown)}”类型"


def _types(args: str) -> str:
    words = list(dict.fromkeys(type_name(a) for a in re.split(r",\s*", args.strip()) if a))
    return "和".join(words) if len(words) == 2 else "、".join(words) or "无参数"


def _unknown_column(m: re.Match) -> str:
    offered = re.findall(r'"([^"]*)"', m["rest"] or "")[:CANDIDATES]
    hint = ";可用的列如:" + "、".join(f"“{_name(c)}”" for c in offered) if offered else ""
    return f"找不到列“{_name(m['col'])}”{hint}。"


def _no_match(m: re.Match) -> str:
    func, args = _name(m["func"]), _types(m["args"])
    if re.fullmatch(r"\w+", func):
        return f"函数“{func}”不能用于{args}类型的参数:请用 CAST 转换类型,例如 CAST(x AS DOUBLE)。"
    return f"运算“{func}”不能用于{args}:请先用 CAST 转换类型,例如 CAST(x AS DOUBLE)。"


def _missing(m: re.Match) -> str:
    what = _WHATS.get(m["what"].lower(), "对象")
    return f"找不到{what}“{_name(m['name'])}”。"


def _template(text: str):
    """A rule's answer from a template: {group} is the quoted name or value, {type:group} a type in words."""
    def answer(m: re.Match) -> str:
        out = re.sub(r"\{type:(\w+)\}", lambda t: type_name(m[t[1]], sql=True), text)
        return re.sub(r"\{(\w+)\}", lambda g: _name(m[g[1]]), out)
    return answer


_Q = r'"(?P<{}>[^"]*)"'  # a double-quoted name in DuckDB's message
RULES = tuple((re.compile(pattern, re.IGNORECASE | re.DOTALL), answer if callable(answer) else _template(answer))
              for pattern, answer in (
    # names: columns, tables, functions, keys
    (r'Referenced column ' + _Q.format("col") + r' not found(?P<rest>.*)', _unknown_column),
    (r'(?:Values list|Table|View) ' + _Q.format("table") + r' does not have a column named ' + _Q.format("col"),
     "表“{table}”中没有列“{col}”。"),
    (r'Referenced table ' + _Q.format("table") + r' not found', "找不到表或别名“{table}”:须先在 FROM 中写出。"),
    (r'(?P<what>(?:Scalar |Aggregate |Table |Macro |Table Macro )?Function|Table|View|Type|Schema|Catalog|Collation)'
     r' with name "?(?P<name>[^"\s!]+)"? does not exist', _missing),
    (r'Could not find key ' + _Q.format("key") + r' in struct', "结构中没有键“{key}”。"),
    (r'Column ' + _Q.format("col") + r' does not exist on left side of join', "JOIN 左侧的表中没有列“{col}”。"),
    (r'Column ' + _Q.format("col") + r' does not exist on right side of join', "JOIN 右侧的表中没有列“{col}”。"),
    (r'column ' + _Q.format("col") + r' must appear in the GROUP BY clause',
     "列“{col}”须写进 GROUP BY,或放进聚合函数(例如 any_value、max)。"),
    (r'Ambiguous reference to column name ' + _Q.format("col"), "列名“{col}”不明确(几个表都有),请在前面加表名或别名。"),
    (r"No function matches the given name and argument types '(?P<func>[^(']*)\((?P<args>[^']*)\)'", _no_match),
    (r'Could not choose a best candidate function for the function call "(?P<func>[^(]*)\((?P<args>[^"]*)\)"',
     _no_match),
    (r'Set operations can only apply to expressions with the same number of result columns',
     "UNION、INTERSECT、EXCEPT 两侧的列数必须相同。"),
    (r'(LIMIT|OFFSET).{0,20}cannot be negative', "LIMIT、OFFSET 不能为负数。"),
    (r'WHERE clause cannot contain aggregates', "WHERE 中不能使用聚合函数,请改用 HAVING。"),
    (r'aggregate function calls cannot be nested', "聚合函数不能嵌套,请用子查询分两步计算。"),
    (r'window functions? (are|is) not allowed|cannot contain window functions',
     "此处不能使用窗口函数,请用子查询或 QUALIFY。"),
    (r'read-only mode|attached in read.only', "数据库以只读方式打开,不能修改。"),
    (r'Values were not provided for the following prepared statement parameters: (?P<names>.*)', "缺少参数:{names}。"),
    # values that do not convert or fit
    (r"Could not convert string '(?P<value>.*?)' to (?P<type>\w+)",
     "无法把文本“{value}”转换为{type:type}。"),
    (r'invalid (?:date|timestamp|time)\w* field format: ' + _Q.format("value") +
     r'(?:, expected format is \((?P<format>[^)]*)\))?', "无法把“{value}”转换为日期或时间(格式应为 YYYY-MM-DD)。"),
    (r'(?:date|timestamp|time)\w* field value out of range: ' + _Q.format("value"),
     "日期或时间“{value}”超出范围(例如月份大于 12)。"),
    (r'Date out of range: (?P<value>\S+)', "日期“{value}”超出范围。"),
    (r"Type (?P<from>\w+) with value (?P<value>.*?) can't be cast because the value is out of range for the "
     r"destination type (?P<to>\w+)", "数值“{value}”超出{type:to}的范围,无法转换。"),
    (r"Type (?P<from>\w+) with value (?P<value>.*?) can't be cast to the destination type (?P<to>\w+)",
     "值“{value}”无法转换为{type:to}。"),
    (r'Overflow in \w+ of (?P<type>\w+) \((?P<expr>[^)]*)\)',
     "数值溢出:“{expr}”超出{type:type}的范围,请先 CAST(… AS DOUBLE) 再计算。"),
    (r'Unimplemented type for cast \((?P<from>[^)]*?) -> (?P<to>[^)]*)\)', "不能把{type:from}转换为{type:to}。"),
    (r'Cannot (?:compare|mix) values of type (?P<a>\w+) and (?:type )?(?P<b>\w+)',
     "{type:a}与{type:b}不能直接比较或混用,请用 CAST 转换类型。"),
    (r'Division by zero', "除数为零:请用 NULLIF(除数, 0) 避免。"),
    (r'Could not parse string ' + _Q.format("value") + r' according to format specifier ' + _Q.format("format"),
     "无法按格式“{format}”解析“{value}”。"),
    (r'Malformed JSON.*?Input: "(?P<value>.*)"', "JSON 格式有误:“{value}”。"),
    (r'Epoch \w+ out of range', "时间戳超出范围。"),
    # shapes
    (r'Max expression depth limit of (?P<n>\d+) exceeded', "查询嵌套过深(表达式超过 {n} 层),请简化后再试。"),
    (r'maximum recursion depth|stack overflow', "查询嵌套过深(括号或子查询层数太多),请简化后再试。"),
    (r'syntax error at or near ' + _Q.format("near"), "语法错误:“{near}”附近无法解析。"),
    (r'syntax error at end of input', "语法错误:语句不完整。"),
    (r'Cannot change configuration option', "不允许更改设置。"),
))


def chinese(kind: str, text: str) -> str:
    """DuckDB's error (its exception class name and message) in Chinese."""
    for pattern, answer in RULES:
        match = pattern.search(text or "")
        if match:
            return answer(match)
    return GENERAL.get(kind, UNKNOWN)


SYNTAX_HINTS = (  # sqlglot's descriptions of a syntax error, in words an analyst reads
    (r"Required keyword", "语句不完整"), (r"Expecting \)", "缺少右括号"), (r"Expecting \(", "缺少左括号"),
    (r"Expected table name", "应为表名"),
    (r"The number of provided arguments \((\d+)\) is greater than the maximum number of supported arguments "
     r"\((\d+)\)", r"函数的参数过多:给了 \1 个,最多 \2 个"),
    (r"Invalid expression / Unexpected token|Unexpected token", "无法识别的写法"))


def syntax_hint(description: str) -> str:
    """sqlglot's description of a syntax error in Chinese ("无法解析" when unknown)."""
    for pattern, hint in SYNTAX_HINTS:
        match = re.match(pattern, description or "")
        if match:
            return match.expand(hint)
    return "无法解析"
