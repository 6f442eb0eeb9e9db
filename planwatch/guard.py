"""Analysts' SQL, read-only: one query over the public views, checked, then run on a sealed in-memory copy.

Used by the 数据探索 page and by `python -m planwatch sql`. The layers, in order:

1. Text: not empty, at most MAX_SQL_CHARS characters.
2. Tokens (sqlglot, dialect duckdb): exactly one statement (``只允许一条语句``); it must start like a query
   (SELECT, WITH, FROM, VALUES, DESCRIBE, SUMMARIZE or a parenthesis), so EXPORT, CHECKPOINT, CALL, COPY,
   SET, PRAGMA, ATTACH, INSTALL, LOAD … are refused by name (``只允许查询语句``).
3. Parse (sqlglot): a syntax error names its line and column; the statement must be a query (SELECT,
   WITH … SELECT, UNION/INTERSECT/EXCEPT of queries, VALUES, DESCRIBE/SUMMARIZE of a public view).
4. Tree: no write, DDL or command node anywhere; every table is a public view or a CTE of the same query (so a
   quoted path FROM '/etc/passwd' or "file.csv" is refused); table functions only range, generate_series, unnest;
   no file, glob, query() or getenv function anywhere; parameters only named ($year). Then DuckDB's own parser
   must agree: exactly one statement, of type SELECT.
5. Engine: the query never sees the real database. It runs on an in-memory DuckDB holding copies of the public
   views (loaded via Arrow, same names), with extension autoload/autoinstall off, no spilling to disk, then
   ``enable_external_access = false``, ``python_enable_replacements = false`` and ``lock_configuration = true``:
   even a statement that slipped past the parser cannot read or write files, attach databases, load extensions or
   change settings, and there is no file to write to or checkpoint.
6. Transaction: each query runs in its own transaction on its own cursor, always rolled back.
7. Limits: a timer thread interrupts the query after the time limit (``查询超时(5秒)``); at most MAX_ROWS rows
   are read (pages show SHOW_ROWS of them); the copy has a memory limit.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError
from sqlglot.tokens import TokenType

from planwatch import db

PUBLIC_VIEWS = ("v_indicator", "v_observation", "v_status", "v_warning", "v_attainment_by_plan",
                "v_attainment_by_domain", "v_attainment_by_region", "v_attainment_by_unit", "v_status_detail",
                "v_reference", "v_reporting_progress", "v_value_history")
TABLE_FUNCTIONS = frozenset({"range", "generate_series", "unnest"})
# functions that read files, run SQL text or read the environment; the engine refuses them too (layer 5)
FORBIDDEN_FUNCTIONS = frozenset({"glob", "query", "query_table", "sniff_csv", "getenv", "parquet_metadata",
                                 "parquet_schema", "parquet_file_metadata", "parquet_kv_metadata",
                                 "parquet_bloom_probe", "iceberg_scan", "delta_scan", "sqlite_scan",
                                 "postgres_scan", "mysql_scan", "duckdb_secrets", "which_secret", "load_aws_credentials"})
FORBIDDEN_PREFIXES = ("read_", "parquet_", "sqlite_", "postgres_", "mysql_", "st_read", "iceberg_", "delta_")
QUERY_STARTS = {TokenType.SELECT, TokenType.WITH, TokenType.FROM, TokenType.VALUES, TokenType.DESCRIBE,
                TokenType.SUMMARIZE, TokenType.L_PAREN}
# statements sqlglot reads as plain words: named as refused commands rather than as typos
COMMAND_WORDS = frozenset({"CHECKPOINT", "FORCE", "EXPORT", "IMPORT", "UPDATE_EXTENSIONS", "LOAD", "CALL", "RESET",
                           "VACUUM", "EXPLAIN", "PREPARE", "EXECUTE", "DEALLOCATE", "ABORT", "START", "END",
                           "PIVOT", "UNPIVOT"})
# PIVOT as a statement is several statements in DuckDB (it creates an enum type first): refused by name;
# SELECT … FROM … PIVOT (…) is an ordinary query
QUERY_ROOTS = (exp.Select, exp.SetOperation, exp.Values, exp.Describe, exp.Summarize)
SYNTAX_HINTS = (  # sqlglot's descriptions, in words an analyst reads
    ("Required keyword", "语句不完整"), ("Expecting )", "缺少右括号"), ("Expecting (", "缺少左括号"),
    ("Invalid expression / Unexpected token", "无法识别的写法"), ("Unexpected token", "无法识别的写法"))
FORBIDDEN_NODES = tuple(getattr(exp, name) for name in (
    "Insert", "Update", "Delete", "Merge", "Create", "Drop", "Alter", "Copy", "Command", "Set", "Pragma", "Attach",
    "Detach", "Install", "Use", "Transaction", "Commit", "Rollback", "Analyze", "Export", "Refresh", "Grant",
    "Revoke", "TruncateTable", "LoadData", "Show") if hasattr(exp, name))

DEFAULT_TIMEOUT = 5.0  # seconds
SHOW_ROWS = 10_000  # rows a page shows; the download holds up to MAX_ROWS
MAX_ROWS = 200_000
MAX_SQL_CHARS = 20_000
MEMORY_LIMIT = "1GB"


_PARSER = duckdb.connect(":memory:", config={"enable_external_access": False})  # only ever parses, never runs
_PARSER_LOCK = threading.Lock()


class QueryRefused(Exception):
    """The query was refused or failed; str() is the Chinese message for the user."""


@dataclass(frozen=True)
class Checked:
    sql: str
    params: tuple[str, ...]  # named parameters in order of first use ($year -> "year")


@dataclass
class Result:
    table: pa.Table  # up to MAX_ROWS rows
    elapsed: float  # seconds, query and fetch
    truncated: bool  # more than MAX_ROWS rows: only the first MAX_ROWS were kept
    frame: pd.DataFrame = field(init=False, repr=False)

    def __post_init__(self):
        self.frame = self.table.to_pandas()

    @property
    def n_rows(self) -> int:
        return self.table.num_rows


# --- layers 1-4: the check ------------------------------------------------------------------------------------------

def _statement_word(tokens) -> str:
    return tokens[0].text.upper() if tokens else ""


def check(sql: str) -> Checked:
    """Refuse anything but one read-only query over the public views; the message names the problem."""
    if sql is None or not sql.strip():
        raise QueryRefused("请输入查询语句(例如 SELECT * FROM v_indicator LIMIT 10)。")
    if len(sql) > MAX_SQL_CHARS:
        raise QueryRefused(f"查询过长:超过 {MAX_SQL_CHARS:,} 个字符。")
    dialect = sqlglot.Dialect.get_or_raise("duckdb")
    try:
        tokens = dialect.tokenize(sql)
    except TokenError as exc:
        raise QueryRefused(f"语法错误:无法识别的文本(引号或注释未闭合?){_short(str(exc))}") from None
    statements, current = [], []
    for token in tokens:
        if token.token_type == TokenType.SEMICOLON:
            if current:
                statements.append(current)
            current = []
        else:
            current.append(token)
    if current:
        statements.append(current)
    if not statements:
        raise QueryRefused("请输入查询语句(例如 SELECT * FROM v_indicator LIMIT 10)。")
    if len(statements) > 1:
        words = "、".join(_statement_word(s) for s in statements)
        raise QueryRefused(f"只允许一条语句:这里有 {len(statements)} 条({words}),请只保留一条查询。")
    first = statements[0][0]
    if first.token_type not in QUERY_STARTS:
        word = first.text.upper()
        if first.token_type == TokenType.VAR and word not in COMMAND_WORDS:  # a typo, not a command
            raise QueryRefused(f"语法错误(第{first.line}行第{max(first.col - len(first.text) + 1, 1)}列):"
                               f"无法识别“{first.text}”,查询应以 SELECT、WITH 或 FROM 开头。")
        raise QueryRefused(f"只允许查询语句(SELECT 或 WITH … SELECT):不允许 {word}。")

    try:
        tree = sqlglot.parse_one(sql, dialect="duckdb")
    except ParseError as exc:
        raise QueryRefused(_syntax_message(exc)) from None
    if not isinstance(tree, QUERY_ROOTS):
        raise QueryRefused(f"只允许查询语句(SELECT 或 WITH … SELECT):不允许 {_statement_word(statements[0])}。")

    ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    params: list[str] = []
    for node in tree.walk():
        if isinstance(node, FORBIDDEN_NODES):
            raise QueryRefused(f"只允许查询语句:不允许 {node.key.upper()}。")
        if isinstance(node, exp.Table):
            _check_table(node, ctes)
        elif isinstance(node, exp.Func):
            name = _func_name(node)
            if name in FORBIDDEN_FUNCTIONS or name.startswith(FORBIDDEN_PREFIXES):
                raise QueryRefused(f"不允许读取文件或外部数据:函数 {name}() 不可用,只能查询公开视图。")
        elif isinstance(node, (exp.Placeholder, exp.Parameter)):
            name = node.name
            if not name or name == "?" or name.isdigit():
                raise QueryRefused("只支持命名参数(例如 $year),不支持 ? 或 $1。")
            if name not in params:
                params.append(name)
    if isinstance(tree, (exp.Describe, exp.Summarize)) and not list(tree.find_all(exp.Table)):
        raise QueryRefused("DESCRIBE / SUMMARIZE 只能用于公开视图,例如 DESCRIBE v_indicator。")
    _duckdb_statement(sql)
    return Checked(sql, tuple(params))


def _syntax_message(exc: ParseError) -> str:
    first = exc.errors[0] if exc.errors else {}
    description = first.get("description") or _short(str(exc))
    hint = next((zh for en, zh in SYNTAX_HINTS if description.startswith(en)), "")
    where = f"(第{first['line']}行第{first['col']}列附近)" if first.get("line") else ""
    near = (first.get("highlight") or "").strip()
    text = f"语法错误{where}:" + (f"“{_short(near, 40)}”处" if near else "") + (hint or "无法解析")
    return text + f"。(解析器提示:{_short(description, 120)})"


def _duckdb_statement(sql: str) -> None:
    """DuckDB's own parser must agree: exactly one statement, and it is a SELECT."""
    with _PARSER_LOCK:
        try:
            statements = _PARSER.extract_statements(sql)
        except duckdb.Error as exc:
            raise QueryRefused(f"语法错误:{_short(str(exc), 300)}") from None
    if len(statements) != 1:
        raise QueryRefused(f"只允许一条语句:这里有 {len(statements)} 条。")
    kind = statements[0].type
    if kind != duckdb.StatementType.SELECT:
        raise QueryRefused(f"只允许查询语句(SELECT 或 WITH … SELECT):不允许 {kind.name}。")


def _func_name(node: exp.Func) -> str:
    if isinstance(node, exp.Anonymous):
        return str(node.this).lower()
    return node.sql(dialect="duckdb").split("(", 1)[0].strip().lower()


def _check_table(node: exp.Table, ctes: set[str]) -> None:
    if isinstance(node.this, exp.Func):  # a table function: FROM range(10), FROM read_csv('x')
        name = _func_name(node.this)
        if name not in TABLE_FUNCTIONS:
            raise QueryRefused(f"不允许读取文件或调用表函数 {name}():只能查询公开视图"
                               f"(可用的表函数只有 {'、'.join(sorted(TABLE_FUNCTIONS))})。")
        return
    name = node.name
    qualifier = ".".join(p for p in (node.catalog, node.db) if p)
    if not qualifier and name.lower() in ctes:
        return
    if qualifier.lower() not in ("", "main", "memory.main", "memory") or name.lower() not in PUBLIC_VIEWS:
        full = f"{qualifier}.{name}" if qualifier else name
        if any(ch in name for ch in "/\\*.~") or name.lower().endswith((".csv", ".parquet", ".json")):
            raise QueryRefused(f"不允许读取文件:“{full}”。只能查询公开视图:{'、'.join(PUBLIC_VIEWS)}。")
        raise QueryRefused(f"“{full}”不是公开视图。只能查询:{'、'.join(PUBLIC_VIEWS)}。")


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


# --- layers 5-7: the sealed copy ------------------------------------------------------------------------------------

class Sandbox:
    """An in-memory DuckDB with copies of the public views, sealed before any analyst query runs."""

    def __init__(self, source: duckdb.DuckDBPyConnection):
        reader = source.cursor()  # a fresh cursor: no unfinished result of the caller's is in the way
        self.version = db.data_version(reader)
        tables = {view: reader.sql(f"SELECT * FROM {view}").to_arrow_table() for view in PUBLIC_VIEWS}
        reader.close()
        self.con = duckdb.connect(":memory:", config={
            "autoload_known_extensions": False, "autoinstall_known_extensions": False,
            "allow_community_extensions": False, "allow_persistent_secrets": False,
            "temp_directory": "", "memory_limit": MEMORY_LIMIT})
        for view, table in tables.items():
            self.con.register("_arrow_copy", table)
            self.con.execute(f"CREATE TABLE {view} AS SELECT * FROM _arrow_copy")
            self.con.unregister("_arrow_copy")
        for setting in ("SET enable_external_access = false", "SET python_enable_replacements = false",
                        "SET lock_configuration = true"):
            self.con.execute(setting)
        self._lock = threading.Lock()

    @classmethod
    def from_file(cls, db_path: Path | str) -> "Sandbox":
        source = db.connect(db_path, read_only=True)
        try:
            return cls(source)
        finally:
            source.close()

    def run(self, sql: str, params: dict | None = None, timeout: float = DEFAULT_TIMEOUT,
            max_rows: int = MAX_ROWS) -> Result:
        """Check, then run; raises QueryRefused with a Chinese message for every refusal and failure."""
        checked = check(sql)
        params = params or {}
        missing = [p for p in checked.params if p not in params]
        if missing:
            raise QueryRefused("缺少参数:" + "、".join(f"${p}" for p in missing) + "。")
        return self.execute(checked.sql, {p: params[p] for p in checked.params}, timeout, max_rows)

    def execute(self, sql: str, params: dict | None = None, timeout: float = DEFAULT_TIMEOUT,
                max_rows: int = MAX_ROWS) -> Result:
        """Run on the sealed copy without the check (layers 5-7 only); tests use it to prove the engine's seal."""
        with self._lock:
            cur = self.con.cursor()
        fired = threading.Event()

        def stop():
            fired.set()
            cur.interrupt()

        timer = threading.Timer(timeout, stop)
        start = time.perf_counter()
        timer.start()
        try:
            cur.begin()
            table = _fetch(cur.sql(sql, params=params or None), max_rows + 1)
            truncated = table.num_rows > max_rows
            table = table.slice(0, max_rows)
        except duckdb.Error as exc:
            raise QueryRefused(_engine_message(exc, fired.is_set(), timeout)) from None
        finally:
            timer.cancel()
            try:
                cur.rollback()
            except duckdb.Error:
                pass
            cur.close()
        return Result(table, time.perf_counter() - start, truncated)


def _fetch(relation, limit: int) -> pa.Table:
    """At most `limit` rows of a query, batch by batch (the rest is never computed)."""
    if relation is None:  # a statement without a result (only reachable through execute())
        return pa.table({})
    reader = relation.to_arrow_reader(8192)
    batches, n = [], 0
    for batch in reader:
        batches.append(batch)
        n += batch.num_rows
        if n >= limit:
            break
    return pa.Table.from_batches(batches, reader.schema).slice(0, limit)


def _engine_message(exc: duckdb.Error, timed_out: bool, timeout: float) -> str:
    text = _short(str(exc), 300)
    if timed_out or isinstance(exc, duckdb.InterruptException):
        return f"查询超时({timeout:g}秒),已停止。请缩小范围(加 WHERE 条件或 LIMIT)后再试。"
    if isinstance(exc, duckdb.PermissionException):
        return f"不允许访问文件、扩展或设置:{text}"
    if isinstance(exc, duckdb.OutOfMemoryException):
        return f"查询所需内存超过上限({MEMORY_LIMIT}),已停止。请缩小范围后再试。"
    if isinstance(exc, duckdb.ParserException):
        return f"语法错误:{text}"
    if isinstance(exc, duckdb.InvalidInputException) and "configuration" in text.lower():
        return f"不允许更改设置:{text}"
    if isinstance(exc, (duckdb.CatalogException, duckdb.BinderException)):
        return f"查询出错(表、列或函数名不对?):{text}"
    return f"查询出错:{text}"
