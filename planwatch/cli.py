"""The command-line interface. Every failure is a Chinese message on stderr and a non-zero exit, never a traceback."""
from __future__ import annotations

import argparse
import errno
import getpass
import sys
import time
from pathlib import Path

import duckdb

from planwatch import build as build_mod
from planwatch import db, importer
from planwatch.catalogue import CatalogueError
from planwatch.paths import default_db


def _build(args) -> int:
    start = time.perf_counter()
    counts = build_mod.build(Path(args.db), with_demo=not args.no_demo)
    took = time.perf_counter() - start
    print(f"已构建 {args.db}({took:.2f} 秒):" + ",".join(f"{k} {v}" for k, v in counts.items()))
    return 0


def _require_db(args) -> None:
    if not Path(args.db).exists():
        raise build_mod.BuildError(f"数据库 {args.db} 不存在,请先运行 python -m planwatch build --db {args.db}")


def _open(args) -> db.Reader:
    _require_db(args)
    return db.open_reader(args.db)


def _import(args) -> int:
    with _open(args) as reader:
        checked = importer.check(reader.cursor(), importer.load_file(Path(args.file)), Path(args.file).name)
        changes = importer.preview(reader.cursor(), checked)["change"].value_counts()
    batch_id = importer.commit(args.db, checked, uploader=args.uploader)
    summary = ",".join(f"{k} {v} 条" for k, v in changes.items())
    for notice in checked.notices:
        print(notice)
    print(f"已导入批次 {batch_id}:{len(checked.rows)} 行({summary})")
    print(batch_id)
    return 0


def _batches(args) -> int:
    with _open(args) as reader:
        frame = importer.batches(reader.cursor())
    for r in frame.itertuples():
        fields = [r.batch_id, f"{r.created_at:%Y-%m-%d %H:%M:%S}", r.source_kind, r.file_name, f"{r.row_count}行",
                  r.uploader, r.state]
        print("\t".join(_printable(v) for v in fields))
    return 0


def _printable(value) -> str:
    """A field of line-oriented output: control characters (newline, tab, ESC …) shown escaped, never acted on."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(value))


def _undo(args) -> int:
    _require_db(args)
    importer.undo(args.db, args.batch, by=args.by)
    print(f"已撤销批次 {args.batch}(记录保留,被替换的数值已恢复)")
    return 0


def _add_editor(args) -> int:
    from planwatch import auth

    password = sys.stdin.readline().rstrip("\n") if not sys.stdin.isatty() else getpass.getpass("密码:")
    if len(password) < 8:
        print("密码至少需要8个字符", file=sys.stderr)
        return 2
    auth.add_editor(args.name, password)
    print(f"已添加填报账号“{args.name}”(密码以 bcrypt 散列保存在 {auth.SECRETS})")
    return 0


def _report(args) -> int:
    from planwatch import report

    fmt = args.format or Path(args.out).suffix.lstrip(".").lower()
    if fmt not in report.FORMATS:
        print(f"请用 --format 指定报告格式({'、'.join(report.FORMATS)}),或使用相应扩展名的输出文件", file=sys.stderr)
        return 2
    _require_db(args)
    out = Path(args.out)
    if not out.parent.is_dir() or out.is_dir():
        print(f"无法写入 {args.out}:目录 {out.parent} 不存在" if not out.parent.is_dir()
              else f"无法写入 {args.out}:这是一个目录,请给出文件名", file=sys.stderr)
        return 2
    start = time.perf_counter()
    try:
        with db.open_reader(args.db) as reader:
            data = report.generate(reader, fmt, year=args.as_of, region=args.region, mode=args.mode)
    except report.ReportError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    try:
        out.write_bytes(data)
    except OSError as exc:
        reason = {errno.EACCES: "没有写入权限", errno.EPERM: "没有写入权限", errno.EROFS: "只读文件系统",
                  errno.ENOSPC: "磁盘空间不足", errno.ENOENT: "路径不存在"}.get(exc.errno, f"系统错误 {exc.errno}")
        print(f"无法写入 {args.out}:{reason}", file=sys.stderr)
        return 2
    print(f"已生成年度报告 {args.out}({fmt},{len(data) / 1024:.0f} KB,{time.perf_counter() - start:.1f} 秒)")
    return 0


def _sql(args) -> int:
    from planwatch import guard, saved

    _require_db(args)
    try:
        result, label = saved.run_command(args.db, args.query, args.saved, args.param, args.timeout)
    except guard.QueryRefused as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(saved.as_text(result.frame, guard.SHOW_ROWS))
    shown = f",只显示前 {guard.SHOW_ROWS:,} 行" if result.n_rows > guard.SHOW_ROWS else ""
    more = f"(超过 {guard.MAX_ROWS:,} 行,只取前 {guard.MAX_ROWS:,} 行)" if result.truncated else ""
    print(f"{label}:共 {result.n_rows:,} 行{more}{shown},用时 {result.elapsed:.2f} 秒", file=sys.stderr)
    return 0


def _extract(args) -> int:
    from planwatch import extract

    try:
        rows = extract.extract_file(Path(args.file))
    except extract.ReadError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    try:
        extract.write_csv(rows, Path(args.out))
    except OSError:
        print(f"无法写入 {args.out}(目录不存在或没有写权限)", file=sys.stderr)
        return 2
    keys = sum(1 for r in rows if r["is_key"])
    print(f"已写入 {args.out}:候选指标 {len(rows)} 条(重点指标表 {keys} 条,正文目标 {len(rows) - keys} 条),请逐条核对",
          file=sys.stderr)
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m planwatch", description="妇女儿童发展规划监测")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="从 data/ 构建数据库(保留已导入的批次)")
    b.add_argument("--no-demo", action="store_true", help="不生成示例数据")
    b.set_defaults(func=_build)

    i = sub.add_parser("import", help="导入年度监测数据(xlsx 或 CSV,整份校验,全部通过才写入)")
    i.add_argument("file")
    i.add_argument("--uploader", default="命令行", help="填报人(记入批次)")
    i.set_defaults(func=_import)

    sub.add_parser("batches", help="列出导入批次,最早的在前").set_defaults(func=_batches)

    u = sub.add_parser("undo", help="撤销一个导入批次(保留记录,恢复被替换的数值)")
    u.add_argument("batch", type=int)
    u.add_argument("--by", default="命令行", help="撤销人")
    u.set_defaults(func=_undo)

    e = sub.add_parser("add-editor", help="添加或重设数据填报账号(密码从标准输入读取)")
    e.add_argument("name")
    e.set_defaults(func=_add_editor)

    r = sub.add_parser("report", help="生成年度报告:Word 报告(docx)、演示文稿(pptx)、PDF 报告或 Excel 工作簿")
    r.add_argument("--format", choices=["docx", "pptx", "pdf", "xlsx"], help="报告格式(默认按 --out 的扩展名)")
    r.add_argument("--out", required=True, help="输出文件")
    r.add_argument("--as-of", type=int, help="截至年份(默认为有监测数据的最近年份)")
    r.add_argument("--region", help="只含一个监测地区(默认全部地区)")
    r.add_argument("--mode", choices=["annual", "midterm", "final"], default="annual",
                   help="报告类型:annual 年度监测(默认)、midterm 中期评估、final 终期评估")
    r.set_defaults(func=_report)

    q = sub.add_parser("sql", help="只读查询公开视图(一条 SELECT,与“数据探索”页相同的限制)")
    q.add_argument("query", nargs="?", help='SQL 查询,如 "SELECT * FROM v_indicator LIMIT 5"')
    q.add_argument("--saved", help="运行常用查询(queries/saved/ 中的文件名,不含 .sql)")
    q.add_argument("--param", action="append", default=[], metavar="名称=值", help="命名参数,如 --param year=2024")
    q.add_argument("--timeout", default="5", help="时间上限(秒,默认 5,最多 60)")
    q.set_defaults(func=_sql)

    x = sub.add_parser("extract", help="从规划文件(txt/docx/pdf)提取候选指标,写入 CSV 供核对")
    x.add_argument("file")
    x.add_argument("--out", required=True, help="输出 CSV 文件")
    x.set_defaults(func=_extract)

    for s in sub.choices.values():
        s.add_argument("--db", default=str(default_db()), help="数据库文件(默认 var/planwatch.duckdb)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except (CatalogueError, build_mod.BuildError, importer.ImportRefused, importer.UndoRefused,
            db.DatabaseBusy, db.DatabaseMissing) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except duckdb.Error as exc:  # e.g. a damaged database file: say so without a traceback
        print(f"数据库错误:{exc}", file=sys.stderr)
        return 3
