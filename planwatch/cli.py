"""The command-line interface. Every failure is a Chinese message on stderr and a non-zero exit, never a traceback."""
from __future__ import annotations

import argparse
import getpass
import sys
import time
from pathlib import Path

import duckdb

from planwatch import build as build_mod
from planwatch import db, importer, review
from planwatch import round as round_mod
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


def _open(args):
    _require_db(args)
    return db.connect(args.db)


def _import(args) -> int:
    with _open(args) as con:
        account = _account(args.as_user) if args.as_user else None
        checked = importer.check(con, importer.load_file(Path(args.file)), Path(args.file).name)
        changes = importer.preview(con, checked)["change"].value_counts()
        batch_id = round_mod.store(con, args.db, checked, account, uploader=args.uploader, resubmit=args.resubmit)
    summary = ",".join(f"{k} {v} 条" for k, v in changes.items())
    state = f"已提交批次 {batch_id},待审核" if account else f"已导入批次 {batch_id}"
    print(f"{state}:{len(checked.rows)} 行({summary})" + "".join(f";{n}" for n in checked.notices))
    print(batch_id)
    return 0


def _account(name: str):
    from planwatch import people

    account = people.get(name)
    if account is None:
        raise build_mod.BuildError(f"没有名为“{name}”的账号")
    return account


def _batches(args) -> int:
    with _open(args) as con:
        frame = importer.batches(con)
    for r in frame.itertuples():
        name = "".join(c if c.isprintable() else repr(c)[1:-1] for c in r.file_name or "")  # no control characters
        print(f"{r.batch_id}\t{r.created_at:%Y-%m-%d %H:%M:%S}\t{r.source_kind}\t{name}\t{r.row_count}行"
              f"\t{r.uploader}\t{r.state}")
    return 0


def _round(args) -> int:
    from datetime import date

    try:
        deadline = date.fromisoformat(args.deadline)
    except ValueError:
        raise round_mod.RoundRefused(f"截止日期“{args.deadline}”不是 YYYY-MM-DD 格式的日期") from None
    with _open(args) as con:
        round_mod.open_round(con, args.db, args.year, deadline, by=args.by)
    print(f"已开启 {args.year} 年度监测,截止日期 {deadline}")
    return 0


def _review(args) -> int:
    with _open(args) as con:
        review.review(con, args.db, args.batch, _account(args.as_user), approve=args.approve, note=args.return_)
    print(f"批次 {args.batch} 已通过审核,数值已计入" if args.approve else f"批次 {args.batch} 已退回:{args.return_}")
    return 0


def _undo(args) -> int:
    with _open(args) as con:
        importer.undo(con, args.db, args.batch, by=args.by)
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
    start = time.perf_counter()
    try:
        with db.connect(args.db, read_only=True) as con:
            data = report.generate(con, fmt, year=args.as_of, region=args.region)
    except report.ReportError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    Path(args.out).write_bytes(data)
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


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m planwatch", description="妇女儿童发展规划监测")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="从 data/ 构建数据库(保留已导入的批次)")
    b.add_argument("--no-demo", action="store_true", help="不生成示例数据")
    b.set_defaults(func=_build)

    i = sub.add_parser("import", help="导入年度监测数据(xlsx 或 CSV,整份校验,全部通过才写入)")
    i.add_argument("file")
    i.add_argument("--uploader", default="命令行", help="填报人(记入批次)")
    i.add_argument("--as", dest="as_user", metavar="USER",
                   help="以该账号提交(只能含其填报范围内的指标,提交后待审核);不加时为办公室直接导入,即时生效")
    i.add_argument("--resubmit", action="store_true", help="确认再次提交已导入过的同一文件")
    i.set_defaults(func=_import)

    sub.add_parser("batches", help="列出导入批次(含审核状态),最早的在前").set_defaults(func=_batches)

    ro = sub.add_parser("round", help="年度监测:开启一年的数据报送")
    ro.add_argument("action", choices=["open"])
    ro.add_argument("--year", type=int, required=True, help="监测年份")
    ro.add_argument("--deadline", required=True, help="报送截止日期 YYYY-MM-DD")
    ro.add_argument("--by", default="命令行", help="开启人")
    ro.set_defaults(func=_round)

    rv = sub.add_parser("review", help="审核一个待审核批次:通过,或退回并写明原因")
    rv.add_argument("batch", type=int)
    decision = rv.add_mutually_exclusive_group(required=True)
    decision.add_argument("--approve", action="store_true", help="通过(数值计入各视图和报告)")
    decision.add_argument("--return", dest="return_", metavar="原因", help="退回,并写明原因")
    rv.add_argument("--as", dest="as_user", metavar="USER", required=True, help="审核员账号")
    rv.set_defaults(func=_review)

    u = sub.add_parser("undo", help="撤销一个导入批次(保留记录,恢复被替换的数值)")
    u.add_argument("batch", type=int)
    u.add_argument("--by", default="命令行", help="撤销人")
    u.set_defaults(func=_undo)

    e = sub.add_parser("add-editor", help="添加或重设数据填报账号(密码从标准输入读取)")
    e.add_argument("name")
    e.set_defaults(func=_add_editor)

    r = sub.add_parser("report", help="生成年度报告:演示文稿(pptx)、PDF 报告或 Excel 工作簿")
    r.add_argument("--format", choices=["pptx", "pdf", "xlsx"], help="报告格式(默认按 --out 的扩展名)")
    r.add_argument("--out", required=True, help="输出文件")
    r.add_argument("--as-of", type=int, help="截至年份(默认为有监测数据的最近年份)")
    r.add_argument("--region", help="只含一个监测地区(默认全部地区)")
    r.set_defaults(func=_report)

    q = sub.add_parser("sql", help="只读查询公开视图(一条 SELECT,与“数据探索”页相同的限制)")
    q.add_argument("query", nargs="?", help='SQL 查询,如 "SELECT * FROM v_indicator LIMIT 5"')
    q.add_argument("--saved", help="运行常用查询(queries/saved/ 中的文件名,不含 .sql)")
    q.add_argument("--param", action="append", default=[], metavar="名称=值", help="命名参数,如 --param year=2024")
    q.add_argument("--timeout", type=float, default=5.0, help="时间上限(秒,默认 5)")
    q.set_defaults(func=_sql)

    for s in sub.choices.values():
        s.add_argument("--db", default=str(default_db()), help="数据库文件(默认 var/planwatch.duckdb)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except (CatalogueError, build_mod.BuildError, importer.ImportRefused, importer.UndoRefused,
            db.DatabaseBusy, round_mod.RoundRefused, review.ReviewRefused) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except duckdb.Error as exc:  # e.g. a damaged database file: say so without a traceback
        print(f"数据库错误:{exc}", file=sys.stderr)
        return 3
