"""数据探索 and `sql` say why a query failed in Chinese, naming the column, table, function or value concerned, and
never pass on DuckDB's or sqlglot's English (it used to read "查询出错:Binder Error: Referenced column …")."""
from __future__ import annotations

import re

import pytest

from planwatch import guard, sql_errors


@pytest.fixture(scope="module")
def sandbox(demo_db) -> guard.Sandbox:
    sandbox = guard.Sandbox(demo_db, size=1)
    yield sandbox
    sandbox.close()


# words a message may use outside quotes: SQL the analyst writes, and the names of views and table functions
SQL_WORDS = {"SELECT", "WITH", "FROM", "WHERE", "GROUP", "BY", "HAVING", "LIMIT", "OFFSET", "UNION", "INTERSECT",
             "EXCEPT", "JOIN", "CAST", "AS", "DOUBLE", "VARCHAR", "NULLIF", "QUALIFY", "JSON", "UUID", "INTEGER",
             "TINYINT", "SMALLINT", "BIGINT", "HUGEINT", "YYYY", "MM", "DD", "any_value", "max", "x"}
IDENTIFIERS = set(guard.PUBLIC_VIEWS) | set(guard.TABLE_FUNCTIONS)


def english(message: str) -> list[str]:
    """ASCII words in message outside quoted names and values (“…”), other than SQL words and public names."""
    unquoted = re.sub(r"“[^”]*”", "", message)
    return [w for w in re.findall(r"(?<![$\w])[A-Za-z_][A-Za-z_0-9]*", unquoted) if w not in SQL_WORDS | IDENTIFIERS]


ERRONEOUS = {  # query -> what the message must say
    "SELECT nosuch FROM v_indicator": "找不到列“nosuch”;可用的列如:",
    "SELECT avg(value) OVER (ORDER BY nosuch) FROM v_observation": "找不到列“nosuch”",
    "SELECT i.nosuch FROM v_indicator i": "表“i”中没有列“nosuch”",
    "SELECT x.name FROM v_indicator": "找不到表或别名“x”",
    "SELECT * FROM nosuch_view": "“nosuch_view”不是公开视图",
    "SELECT * FROM range(10) r JOIN range(5) s USING (nope)": "JOIN 左侧的表中没有列“nope”",
    "SELECT {'a': 1}.b": "结构中没有键“b”",
    "SELECT nosuchfunc(1)": "找不到函数“nosuchfunc”",
    "SELECT lower(1, 2, 3)": "函数的参数过多:给了 3 个,最多 1 个",
    "SELECT * FROM read_csv('/etc/passwd')": "表函数“read_csv”",
    "SELECT CAST('abc' AS INTEGER)": "无法把文本“abc”转换为整数(INTEGER)",
    "SELECT * FROM v_indicator LIMIT 'a'": "无法把文本“a”转换为整数(BIGINT)",
    "SELECT 'abc'::DATE": "无法把“abc”转换为日期或时间(格式应为 YYYY-MM-DD)",
    "SELECT DATE '2024-13-45'": "日期或时间“2024-13-45”超出范围",
    "SELECT make_date(2024, 13, 1)": "日期“2024-13-1”超出范围",
    "SELECT CAST(300 AS TINYINT)": "数值“300”超出整数(TINYINT)的范围",
    "SELECT 2147483647::INTEGER + 1::INTEGER": "数值溢出:“2147483647 + 1”超出整数(INTEGER)的范围",
    "SELECT 'abc'::JSON": "JSON 格式有误:“abc”",
    "SELECT strptime('x', '%Y')": "无法按格式“%Y”解析“x”",
    "SELECT name / 2 FROM v_indicator": "运算“/”不能用于文本和整数",
    "SELECT 'x' / 2": "运算“/”不能用于文本和整数",
    "SELECT sum(name) FROM v_indicator": "函数“sum”不能用于文本类型的参数",
    "SELECT 10 // 0": "除数为零",
    "SELECT 10 % 0::INTEGER": "除数为零",
    "SELECT indicator_id FROM v_indicator GROUP BY plan_id": "列“indicator_id”须写进 GROUP BY",
    "SELECT name FROM v_indicator UNION SELECT 1, 2": "两侧的列数必须相同",
    "SELECT * FROM v_indicator LIMIT -1": "LIMIT、OFFSET 不能为负数",
    "SELECT " + "(" * 300 + "1" + ")" * 300: "查询嵌套过深",
    "SELECT " + "1+" * 2000 + "1": "查询嵌套过深(表达式超过 1000 层)",
    "SELECT FROM WHERE": "语法错误(第1行第17列附近):“WHERE”处应为表名",
    "SELECT 1 +": "语法错误(第1行第10列附近):“+”处语句不完整",
    "SELECT 'unterminated": "语法错误:无法识别的文本(引号或注释未闭合?)",
    "SELECT * FROM v_indicator WHERE": "语法错误(第1行第31列附近):“WHERE”处语句不完整",
    "SELECT error('Binder Error: boom')": sql_errors.GENERAL["InvalidInputException"],  # unknown: the kind's sentence
    "SELECT regexp_matches('a', '(')": sql_errors.GENERAL["InvalidInputException"],
}


@pytest.mark.parametrize("sql", list(ERRONEOUS))
def test_an_erroneous_query_is_told_in_chinese_naming_what_is_wrong(sandbox, sql):
    with pytest.raises(guard.QueryRefused) as refused:
        sandbox.run(sql)
    message = str(refused.value)
    assert ERRONEOUS[sql] in message, message
    assert not english(message), (message, english(message))
    assert "Error" not in message and len(message) < 300


@pytest.mark.parametrize("kind,text,expected", [
    ("BinderException", 'Binder Error: Ambiguous reference to column name "name" (use: "i.name" or "s.name")',
     "列名“name”不明确"),
    ("BinderException", 'Binder Error: Cannot execute statement of type "DROP" on database "pw" which is attached '
                        'in read-only mode!', "数据库以只读方式打开,不能修改。"),
    ("CatalogException", "Catalog Error: Table Function with name nosuch does not exist!", "找不到表函数“nosuch”。"),
    ("CatalogException", 'Catalog Error: Type with name "numbr" does not exist!', "找不到类型“numbr”。"),
    ("BinderException", "Binder Error: WHERE clause cannot contain aggregates!", "WHERE 中不能使用聚合函数"),
    ("ConversionException", "Conversion Error: Unimplemented type for cast (BLOB -> DATE)", "不能把二进制转换为日期"),
    ("ParserException", 'Parser Error: syntax error at or near "FORM"', "语法错误:“FORM”附近无法解析。"),
    ("ParserException", "Parser Error: syntax error at end of input", "语法错误:语句不完整。"),
    ("InvalidInputException", 'Invalid Input Error: Cannot change configuration option "threads" - the '
                              'configuration has been locked', "不允许更改设置。"),
    ("PermissionException", "Permission Error: File system LocalFileSystem has been disabled by configuration",
     "不允许访问文件、扩展或设置。"),
    ("SomethingNew", "A message nobody has seen", sql_errors.UNKNOWN),
    ("ConversionException", 'Conversion Error: Could not convert string \'' + "长" * 60 + "' to INT32",
     "无法把文本“" + "长" * 40 + "…”转换为整数(INTEGER)"),
])
def test_engine_messages_in_chinese(kind, text, expected):
    message = sql_errors.chinese(kind, text)
    assert expected in message, message
    assert not english(message), message


def test_the_check_for_english_can_fail():
    assert english("查询出错:Binder Error: Referenced column") == ["Binder", "Error", "Referenced", "column"]
    assert english("找不到列“Referenced column”;CAST(x AS DOUBLE),v_indicator,$year") == []
