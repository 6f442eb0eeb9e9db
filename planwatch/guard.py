"""Analysts' SQL, read-only: one query over the public views, checked, then run in a worker process on a sealed
in-memory copy.

Used by the 数据探索 page and by `python -m planwatch sql`. Every refusal and failure is a Chinese sentence; the
engine's and the parser's errors are worded by planwatch.sql_errors (the name or value concerned, never their English).
The layers, in order:

1. Text: not empty, at most MAX_SQL_CHARS characters; at most MAX_PATH_TOKENS subscripts and JSON arrows
   (sqlglot's cost for a chain of them is quadratic, and the check runs in the app's own process).
2. Tokens (sqlglot, dialect duckdb): exactly one statement (``只允许一条语句``); it must start like a query
   (SELECT, WITH, FROM, VALUES, DESCRIBE, SUMMARIZE or a parenthesis), so EXPORT, CHECKPOINT, CALL, COPY,
   SET, PRAGMA, ATTACH, INSTALL, LOAD … are refused by name (``只允许查询语句``).
3. Parse (sqlglot): a syntax error names its line and column; the statement must be a query (SELECT,
   WITH … SELECT, UNION/INTERSECT/EXCEPT of queries, VALUES, DESCRIBE/SUMMARIZE of a public view), also in
   parentheses: ``(SELECT 1)``. Nesting too deep for the parser (about 45 levels of parentheses) is refused
   (``查询嵌套过深``).
4. Tree: no write, DDL or command node anywhere; every table is a public view or a CTE in scope (a CTE's name
   shadows tables only inside the query that defines it, and inside a CTE's body only the CTEs before it count),
   so a quoted path FROM '/etc/passwd' or "file.csv" is refused; table functions only range, generate_series,
   unnest; no file, glob, query() or getenv function, nor current_setting(), getvariable(), duckdb_* or pragma_*
   (settings, paths, the engine's catalogue); parameters only named ($year). Then DuckDB's own parser must agree:
   exactly one statement, of type SELECT.
5. Engine (planwatch.worker): the query runs in a worker process on its own in-memory DuckDB, where the public
   views are views of the database file attached read-only (no copy: at national scale they hold millions of
   rows). The worker empties its secret, extension and home directories; extension autoload/autoinstall off;
   spilling only into its own temporary folder (at most worker.SPILL_LIMIT, removed with the worker); then
   ``enable_external_access = false``, ``python_enable_replacements = false`` and
   ``lock_configuration = true``: even a statement that slipped past the parser cannot write, read other files,
   attach databases, load extensions or change settings. What the guard alone stands for: such a statement could
   read the attached file's other tables (pw.*) and see its path; the parser refuses any name but a public view.
6. Transaction: each query runs in its own transaction, always rolled back.
7. Limits, enforced from outside the engine: each worker's private memory is bounded by the operating system
   (RLIMIT_DATA, worker.WORKER_MEMORY = 640 MB; beyond it ``查询所需内存超过上限``); the worker is killed when
   the time limit passes (``查询超时(5秒)``; DEFAULT_TIMEOUT, the command line allows up to 60 s) and replaced;
   at most MAX_ROWS rows and worker.MAX_RESULT_BYTES (32 MB, counted as Arrow bytes and at least what pandas
   holds a cell: worker.cell_bytes) come back (``结果过大``); at most
   worker.POOL_SIZE (2) queries run at once, a third waits up to 3 s and is then told ``查询繁忙``. Pages show
   SHOW_ROWS rows and keep recent results in a ResultCache bounded in bytes.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute  # noqa: F401  (pa.compute)
import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError
from sqlglot.tokens import TokenType

from planwatch import sql_errors, worker

PUBLIC_VIEWS = worker.SEALED_VIEWS
TABLE_FUNCTIONS = frozenset({"range", "generate_series", "unnest"})
# functions that read files, run SQL text or read the environment; the engine refuses them too (layer 5)
FORBIDDEN_FUNCTIONS = frozenset({"glob", "query", "query_table", "sniff_csv", "getenv", "parquet_metadata",
                                 "parquet_schema", "parquet_file_metadata", "parquet_kv_metadata",
                                 "parquet_bloom_probe", "iceberg_scan", "delta_scan", "sqlite_scan",
                                 "postgres_scan", "mysql_scan", "duckdb_secrets", "which_secret", "load_aws_credentials"})
FORBIDDEN_PREFIXES = ("read_", "parquet_", "sqlite_", "postgres_", "mysql_", "st_read", "iceberg_", "delta_")
# functions that show settings, paths or the engine's catalogue; the worker has emptied its paths too (layer 5)
SETTING_FUNCTIONS = frozenset({"current_setting", "getvariable"})
SETTING_PREFIXES = ("duckdb_", "pragma_")
QUERY_STARTS = {TokenType.SELECT, TokenType.WITH, TokenType.FROM, TokenType.VALUES, TokenType.DESCRIBE,
                TokenType.SUMMARIZE, TokenType.L_PAREN}
# statements sqlglot reads as plain words: named as refused commands rather than as typos
COMMAND_WORDS = frozenset({"CHECKPOINT", "FORCE", "EXPORT", "IMPORT", "UPDATE_EXTENSIONS", "LOAD", "CALL", "RESET",
                           "VACUUM", "EXPLAIN", "PREPARE", "EXECUTE", "DEALLOCATE", "ABORT", "START", "END",
                           "PIVOT", "UNPIVOT"})
# PIVOT as a statement is several statements in DuckDB (it creates an enum type first): refused by name;
# SELECT … FROM … PIVOT (…) is an ordinary query
QUERY_ROOTS = (exp.Select, exp.SetOperation, exp.Values, exp.Describe, exp.Summarize)
FORBIDDEN_NODES = tuple(getattr(exp, name) for name in (
    "Insert", "Update", "Delete", "Merge", "Create", "Drop", "Alter", "Copy", "Command", "Set", "Pragma", "Attach",
    "Detach", "Install", "Use", "Transaction", "Commit", "Rollback", "Analyze", "Export", "Refresh", "Grant",
    "Revoke", "TruncateTable", "LoadData", "Show") if hasattr(exp, name))

DEFAULT_TIMEOUT = 5.0  # seconds
# rows a page shows (at national scale 10,000 sent 5.7 MB, 1,000 0.6 MB); the download holds up to MAX_ROWS
SHOW_ROWS = 500
MAX_ROWS = 200_000
MAX_SQL_CHARS = 20_000
# sqlglot re-annotates the types of the whole operand at each subscript or JSON arrow, so a chain of them costs the
# square of its length in the app's own process before any worker limit applies (800 arrows: 7 s, 3,000: minutes)
MAX_PATH_TOKENS = 64
PATH_TOKENS = frozenset(getattr(TokenType, name) for name in ("L_BRACKET", "ARROW", "DARROW", "HASH_ARROW",
                                                              "DHASH_ARROW") if hasattr(TokenType, name))


_PARSER = duckdb.connect(":memory:", config={"enable_external_access": False})  # only ever parses, never runs
_PARSER_LOCK = threading.Lock()


class QueryRefused(Exception):
    """The query was refused or failed; str() is the Chinese message for the user. transient: it may work on
    another try (time or memory limit, busy), so the refusal is not worth remembering."""

    def __init__(self, message: str, transient: bool = False):
        super().__init__(message)
        self.transient = transient


@dataclass(frozen=True)
class Checked:
    sql: str
    params: tuple[str, ...]  # named parameters in order of first use ($year -> "year")
    views: tuple[str, ...] = ()  # the public views it reads


@dataclass
class Result:
    table: pa.Table  # up to MAX_ROWS rows
    elapsed: float  # seconds, query and fetch
    truncated: bool  # more than MAX_ROWS rows: only the first MAX_ROWS were kept
    frame: pd.DataFrame = field(init=False, repr=False)

    def __post_init__(self):
        self.frame = _frame(self.table)

    @property
    def n_rows(self) -> int:
        return self.table.num_rows

    @property
    def nbytes(self) -> int:
        """Memory held: the Arrow table and the pandas frame."""
        return self.table.nbytes + int(self.frame.memory_usage(index=True, deep=True).sum())


def _frame(table: pa.Table) -> pd.DataFrame:
    """The table in pandas; a column pandas or Python cannot hold (a date in the year 294247) becomes its text."""
    columns = []
    for name, column in zip(table.column_names, table.columns):  # (lists, structs, maps come as JSON text: worker)
        try:
            series = column.to_pandas()
            if pd.api.types.is_datetime64_any_dtype(series) and not series.dropna().dt.year.between(1, 9999).all():
                raise ValueError("beyond Python's dates")
        except (pa.ArrowException, ValueError, OverflowError, NotImplementedError):
            try:
                series = _as_text(column).to_pandas()
            except pa.ArrowException:
                raise QueryRefused(f"结果的列“{_short(name, 40)}”无法显示,请用 CAST(… AS VARCHAR) 转成文本。") from None
        columns.append(series)
    if not columns:
        return table.to_pandas()
    return pd.concat(columns, axis=1, ignore_index=True).set_axis(table.column_names, axis=1)


OUT_OF_RANGE = "(超出可显示范围的日期或时间)"


def _as_text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """A column as text; DuckDB's infinite dates and timestamps (the extreme integers) read 'infinity', others
    beyond what Arrow prints (Arrow's English "<value out of range: …>") OUT_OF_RANGE."""
    pc = pa.compute
    text = pc.cast(column, pa.string())
    if not (pa.types.is_timestamp(column.type) or pa.types.is_date32(column.type)):
        return text
    text = pc.if_else(pc.starts_with(text, "<value out of range"), OUT_OF_RANGE, text)
    width = pa.int64() if pa.types.is_timestamp(column.type) else pa.int32()
    ints, top = pc.cast(column, width), (2**63 - 1 if width == pa.int64() else 2**31 - 1)
    return pc.if_else(pc.greater_equal(ints, top), "infinity", pc.if_else(pc.less_equal(ints, -top), "-infinity", text))


class ResultCache:
    """Recent answers (a Result or a refusal message) up to max_bytes in all; the least recently used go first."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._items: OrderedDict = OrderedDict()  # key -> (value, size)
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            if key not in self._items:
                return None
            self._items.move_to_end(key)
            return self._items[key][0]

    def put(self, key, value, size: int) -> None:
        if size > self.max_bytes // 2:  # one large result would push out everything else
            return
        with self._lock:
            if key in self._items:
                self._bytes -= self._items.pop(key)[1]
            self._items[key] = (value, size)
            self._bytes += size
            while self._bytes > self.max_bytes:
                self._bytes -= self._items.popitem(last=False)[1][1]

    @property
    def nbytes(self) -> int:
        return self._bytes


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
        raise QueryRefused("语法错误:无法识别的文本(引号或注释未闭合?)。") from None
    if sum(token.token_type in PATH_TOKENS for token in tokens) > MAX_PATH_TOKENS:
        raise QueryRefused(f"查询过于复杂:下标 [ ] 和 JSON 取值 -> 合计超过 {MAX_PATH_TOKENS} 处,请简化后再试。")
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
        params, tables = _check_tree(sql, statements[0])
    except RecursionError:
        raise QueryRefused("查询嵌套过深(括号或子查询层数太多),请简化后再试。") from None
    _duckdb_statement(sql)
    return Checked(sql, tuple(params), tuple(tables))


def _check_tree(sql: str, tokens) -> tuple[list[str], list[str]]:
    """Layers 3-4 on sqlglot's tree: (named parameters, public views read)."""
    try:
        # the one statement (check() counted them): a trailing ";;" or a comment after the ";" parses as an empty
        # second one, which parse_one took for the query ("不允许 SELECT")
        tree = next(e for e in sqlglot.parse(sql, dialect="duckdb") if e is not None and not isinstance(e, exp.Semicolon))
    except ParseError as exc:
        raise QueryRefused(_syntax_message(exc)) from None
    root = tree
    while isinstance(root, exp.Subquery) and not root.alias:  # (SELECT 1)
        root = root.this
    if not isinstance(root, QUERY_ROOTS):
        raise QueryRefused(f"只允许查询语句(SELECT 或 WITH … SELECT):不允许 {_statement_word(tokens)}。")
    params: list[str] = []
    tables: list[str] = []
    for node in tree.walk():
        if isinstance(node, FORBIDDEN_NODES):
            raise QueryRefused(f"只允许查询语句:不允许 {node.key.upper()}。")
        if isinstance(node, exp.Table):
            view = _check_table(node)
            if view and view not in tables:
                tables.append(view)
        elif isinstance(node, exp.Func):
            name = _func_name(node)
            if name in FORBIDDEN_FUNCTIONS or name.startswith(FORBIDDEN_PREFIXES):
                raise QueryRefused(f"不允许读取文件或外部数据:函数“{name}”不可用,只能查询公开视图。")
            if name in SETTING_FUNCTIONS or name.startswith(SETTING_PREFIXES):
                raise QueryRefused(f"不允许查看设置或系统信息:函数“{name}”不可用。")
        elif isinstance(node, (exp.Placeholder, exp.Parameter)):
            name = node.name
            if not name or name == "?" or name.isdigit():
                raise QueryRefused("只支持命名参数(例如 $year),不支持 ? 或 $1。")
            if name not in params:
                params.append(name)
    if isinstance(root, (exp.Describe, exp.Summarize)) and not tables:
        raise QueryRefused("DESCRIBE / SUMMARIZE 只能用于公开视图,例如 DESCRIBE v_indicator。")
    return params, tables


def _syntax_message(exc: ParseError) -> str:
    first = exc.errors[0] if exc.errors else {}
    where = f"(第{first['line']}行第{first['col']}列附近)" if first.get("line") else ""
    near = (first.get("highlight") or "").strip()
    hint = sql_errors.syntax_hint(first.get("description") or str(exc))
    return f"语法错误{where}:" + (f"“{_short(near, 40)}”处" if near else "") + hint + "。"


def _duckdb_statement(sql: str) -> None:
    """DuckDB's own parser must agree: exactly one statement, and it is a SELECT."""
    with _PARSER_LOCK:
        try:
            statements = _PARSER.extract_statements(sql)
        except duckdb.Error as exc:
            raise QueryRefused(sql_errors.chinese(type(exc).__name__, str(exc))) from None
    if len(statements) != 1:
        raise QueryRefused(f"只允许一条语句:这里有 {len(statements)} 条。")
    kind = statements[0].type
    if kind != duckdb.StatementType.SELECT:
        raise QueryRefused(f"只允许查询语句(SELECT 或 WITH … SELECT):不允许 {kind.name}。")


def _func_name(node: exp.Func) -> str:
    """The name DuckDB calls the function by, rendered from a copy whose arguments are NULLs: rendering the node
    itself renders its whole subtree, and 300 nested ::INT casts made the check quadratic (10 s of the app's CPU).
    A call among the arguments is a node of its own, checked by name in turn."""
    if isinstance(node, exp.Anonymous):
        return str(node.this).lower()
    args = {key: (value if isinstance(value, exp.DataType) else exp.Null()) if isinstance(value, exp.Expression)
            else [exp.Null()] * min(len(value), 1) if isinstance(value, list) else value
            for key, value in node.args.items()}
    return type(node)(**args).sql(dialect="duckdb").split("(", 1)[0].strip().lower()


def _visible_ctes(node: exp.Expression) -> set[str]:
    """The CTE names a table reference can mean: those of every enclosing WITH, where a CTE's own body sees only
    the CTEs before it (and itself when RECURSIVE). A CTE inside a subquery does not shadow anything outside it."""
    names: set[str] = set()
    child, parent, passed = node, node.parent, None  # passed: the WITH climbed through from inside a CTE
    while parent is not None:
        if isinstance(parent, exp.With) and isinstance(child, exp.CTE):
            ctes = parent.expressions
            index = next(i for i, cte in enumerate(ctes) if cte is child)
            names.update(c.alias_or_name.lower() for c in ctes[:index + (1 if parent.args.get("recursive") else 0)])
            passed = parent
        else:
            with_ = parent.args.get("with_")
            if isinstance(with_, exp.With) and with_ is not passed and child is not with_:
                names.update(c.alias_or_name.lower() for c in with_.expressions)
        child, parent = parent, parent.parent
    return names


def _check_table(node: exp.Table) -> str | None:
    """Refuse anything but a public view, a CTE in scope or an allowed table function; returns the view's name."""
    if isinstance(node.this, exp.Func):  # a table function: FROM range(10), FROM read_csv('x')
        name = _func_name(node.this)
        if name not in TABLE_FUNCTIONS:
            raise QueryRefused(f"不允许读取文件或调用表函数“{name}”:只能查询公开视图"
                               f"(可用的表函数只有 {'、'.join(sorted(TABLE_FUNCTIONS))})。")
        return None
    name = node.name
    qualifier = ".".join(p for p in (node.catalog, node.db) if p)
    if not qualifier and name.lower() in _visible_ctes(node):
        return None
    if qualifier.lower() not in ("", "main", "memory.main", "memory") or name.lower() not in PUBLIC_VIEWS:
        full = f"{qualifier}.{name}" if qualifier else name
        if any(ch in name for ch in "/\\*.~") or name.lower().endswith((".csv", ".parquet", ".json")):
            raise QueryRefused(f"不允许读取文件:“{full}”。只能查询公开视图:{'、'.join(PUBLIC_VIEWS)}。")
        raise QueryRefused(f"“{full}”不是公开视图。只能查询:{'、'.join(PUBLIC_VIEWS)}。")
    return name.lower()


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


# --- layers 5-7: the sealed copy in a worker process --------------------------------------------------------------

class Sandbox:
    """Analysts' queries on a sealed copy of the public views of db_path, each in a worker process
    (planwatch.worker: memory bound by the operating system, killed at the deadline, results capped)."""

    def __init__(self, db_path: Path | str, size: int = worker.POOL_SIZE):
        self.pool = worker.Pool(db_path, size)
        self.version: tuple | None = None  # data version of the copy that answered last

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
        request = {"sql": sql, "params": params or {}, "max_rows": max_rows, "max_bytes": worker.MAX_RESULT_BYTES}
        start = time.perf_counter()
        try:
            header, body, self.version = self.pool.run(request, timeout)
        except worker.WorkerFailed as exc:
            raise QueryRefused(_failure_message(exc.kind, "", timeout), transient=True) from None
        if not header["ok"]:
            raise QueryRefused(_failure_message(header["kind"], header["error"], timeout),
                               transient=header["kind"] in ("OutOfMemoryException", "size"))
        table = pa.ipc.open_stream(body).read_all() if body else pa.table({})
        return Result(table, time.perf_counter() - start, header["truncated"])

    def follow(self, version: tuple) -> None:
        """Run later queries on a new copy when the data changed since the last answer (an import or undo)."""
        if self.version is not None and tuple(self.version) != tuple(version):
            self.pool.refresh()

    def close(self) -> None:
        self.pool.close()


def _failure_message(kind: str, text: str, timeout: float) -> str:
    if kind == "timeout":
        return f"查询超时({timeout:g}秒),已停止。请缩小范围(加 WHERE 条件或 LIMIT)后再试。"
    if kind in ("memory", "OutOfMemoryException"):
        return (f"查询所需内存超过上限({worker.WORKER_MEMORY // 2**20} MB),已停止。"
                "请缩小范围(加 WHERE 条件、GROUP BY 或 LIMIT)后再试。")
    if kind == "size":
        return (f"结果过大:超过 {worker.MAX_RESULT_BYTES // 2**20} MB,已停止。"
                "请减少列或行(加 WHERE 条件、GROUP BY 或 LIMIT)后再试。")
    if kind == "busy":
        return f"查询繁忙:已有 {worker.POOL_SIZE} 条查询在运行,请稍等几秒再试。"
    if kind == "start":
        return "无法读取数据库(文件缺失、损坏或正被其他程序以写方式占用),请稍后再试。"
    if kind == "crash":
        return "查询进程意外结束,请重试。"
    return sql_errors.chinese(kind, text)
