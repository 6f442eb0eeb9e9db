"""The command-line interface. Every failure is a Chinese message on stderr and a non-zero exit, never a traceback.

Each command imports the modules it needs when it runs: `import`, `undo`, `review` and `round open` load neither
pandas nor the catalogue builder (about 0.5 CPU-s of a 1,000-row import's 2.8)."""
from __future__ import annotations

import argparse
import errno
import getpass
import os
import re
import sys
import time
from pathlib import Path

import duckdb

from planwatch import db, fingerprint
from planwatch.paths import default_db


def _build(args) -> int:
    from planwatch import build as build_mod

    start = time.perf_counter()
    counts = build_mod.build(Path(args.db), with_demo=not args.no_demo)
    took = time.perf_counter() - start
    print(f"已构建 {args.db}({took:.2f} 秒):" + ",".join(f"{k} {v}" for k, v in counts.items()))
    return 0


def _synth(args) -> int:
    from planwatch import synth  # imported here: it loads the plan extractor (cn2an), ~0.3 s of every command

    start = time.perf_counter()
    try:
        counts = synth.synth(Path(args.db), args.regions, args.seed)
    except synth.SynthError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"无法在 {args.db} 生成数据库:{_os_reason(exc)}", file=sys.stderr)
        return 2
    print(f"已生成示例数据库 {args.db}({time.perf_counter() - start:.1f} 秒,{args.regions} 个县级地区,"
          f"随机种子 {args.seed}):" + ",".join(f"{k} {v}" for k, v in counts.items()))
    return 0


def _refresh(args) -> int:
    from planwatch import views

    _open(args).close()  # refused before the writer copies the file
    start = time.perf_counter()
    try:
        with db.writing(args.db) as con:
            views.refresh(con, own_copy=True)
    except OSError as exc:
        print(f"无法写入 {args.db}:{_os_reason(exc)}", file=sys.stderr)
        return 2
    print(f"已重新计算 {args.db} 的全部进度与预警({time.perf_counter() - start:.1f} 秒)")
    return 0


def _require_db(args) -> None:
    if not str(args.db) or Path(args.db).is_dir():
        raise db.NotADatabase(f"{args.db or '.'} 是一个目录,请用 --db 给出数据库文件名")
    if not Path(args.db).exists():
        raise db.DatabaseMissing(f"数据库 {args.db} 不存在,请先运行 python -m planwatch build --db {args.db}")


def _os_reason(exc: OSError) -> str:
    """Why a file could not be written, in Chinese."""
    return {errno.EACCES: "没有写入权限", errno.EPERM: "没有写入权限", errno.EROFS: "只读文件系统",
            errno.ENOSPC: "磁盘空间不足", errno.ENOENT: "路径不存在", errno.ENOTDIR: "路径中有一段不是目录",
            errno.EEXIST: "路径中有一段不是目录",  # mkdir of a folder where a file of that name is
            errno.EISDIR: "这是一个目录"}.get(exc.errno, f"系统错误 {exc.errno}")


def _open(args) -> db.Reader:
    """A reader of --db, refused (exit 2, in Chinese) when it is missing, a folder, a device, not a DuckDB file,
    a DuckDB file without planwatch's tables, or one built by another version of the code or from another data/
    (its views may not be those this code queries: the message names the command that rebuilds it)."""
    _require_db(args)
    if not Path(args.db).is_file():
        raise db.NotADatabase(f"{args.db} 不是普通文件,请用 --db 给出数据库文件名")
    try:
        reader = db.open_reader(args.db)
    except duckdb.Error:  # a DuckDB file, damaged
        raise db.not_duckdb(args.db) from None
    try:
        db.require_planwatch_tables(reader.cursor(), args.db)
        fingerprint.require_current(reader.cursor(), args.db)
    except (db.NotADatabase, fingerprint.StaleDatabase):
        reader.close()
        raise
    return reader


def _import(args) -> int:
    from planwatch import importer
    from planwatch import round as round_mod

    with _open(args) as reader:
        account = _account(args) if args.as_user else None
        try:
            checked = importer.check(reader.cursor(), importer.load_file(Path(args.file)), Path(args.file).name)
        except importer.ImportRefused as refused:
            if account is None or account.role in round_mod.OFFICE:
                raise
            # a unit's refused file also names what 提交 would refuse (store checks a file that passes: once)
            raise round_mod.with_submission_problems(reader.cursor(), refused, account) from None
        changes = importer.change_counts(reader.cursor(), checked)
        batch_id = round_mod.store(reader.cursor(), args.db, checked, account, uploader=args.uploader,
                                   resubmit=args.resubmit)
    summary = ",".join(f"{k} {v} 条" for k, v in changes.items())
    for notice in checked.notices:
        print(notice)
    if account is None:
        state = f"已导入批次 {batch_id}"
    elif account.role in round_mod.OFFICE:
        state = f"已导入批次 {batch_id}(办公室直接导入,已通过)"
    else:
        state = f"已提交批次 {batch_id},待审核"
    print(f"{state}:{len(checked.records)} 行({summary})")
    print(batch_id)
    return 0


def _account(args):
    from planwatch import accounts

    account = accounts.get(args.db, args.as_user)
    if account is None:
        raise accounts.AccountError(f"没有名为“{accounts.shown(args.as_user)}”的账号")
    return account


def _batches(args) -> int:
    from planwatch import importer

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


def _round(args) -> int:
    from datetime import date

    from planwatch import round as round_mod

    _open(args).close()
    if args.action == "close":
        if not args.as_user:
            raise round_mod.RoundRefused("结束年度监测须用 --as 指定管理员账号")
        owed = round_mod.close_round(args.db, args.year, _account(args))
        print(f"已结束 {args.year} 年度监测(结束时:{round_mod.owed_text(owed)});待审核的提交仍可审核,"
              "办公室仍可直接导入")
        return 0
    if not args.deadline:
        raise round_mod.RoundRefused("开启年度监测须用 --deadline 给出报送截止日期 YYYY-MM-DD")
    try:
        deadline = date.fromisoformat(args.deadline)
    except ValueError:
        raise round_mod.RoundRefused(f"截止日期“{args.deadline}”不是有效的日期(格式 YYYY-MM-DD,如 2026-03-31)") from None
    round_mod.open_round(args.db, args.year, deadline, by=args.by)
    print(f"已开启 {args.year} 年度监测,截止日期 {deadline}。" + round_mod.past_deadline_note(deadline, date.today()))
    return 0


def _review(args) -> int:
    from planwatch import review

    _open(args).close()
    superseded = review.review(args.db, args.batch, _account(args), approve=args.approve, note=args.return_)
    print(review.approved_text(args.batch, superseded) if args.approve else f"批次 {args.batch} 已退回:{args.return_}")
    return 0


def _undo(args) -> int:
    from planwatch import importer

    _open(args).close()  # refused before the writer copies the file
    importer.undo(args.db, args.batch, by=args.by)
    print(f"已撤销批次 {args.batch}(记录保留,被替换的数值已恢复)")
    return 0


def _password(prompt: str = "密码:") -> str:
    """One line from standard input, or typed twice at a terminal (not echoed)."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass(prompt)
    if getpass.getpass("再次输入密码:") != password:
        from planwatch import accounts

        raise accounts.AccountError("两次输入的密码不一致")
    return password


def _add_editor(args) -> int:
    from planwatch import accounts

    existing = accounts.get(args.db, args.name)
    if existing is not None and not existing.legacy and existing.role != "importer":
        raise accounts.AccountError(f"账号“{accounts.shown(args.name)}”已是{existing.role_label},不能改为导入员")
    if existing is not None:
        accounts.set_password(args.db, args.name, _password())
    else:
        accounts.add(args.db, args.name, _password(), "importer")
    print(f"已{'重设' if existing else '添加'}导入员账号“{accounts.shown(args.name)}”"
          f"(密码以 bcrypt 散列保存在 {accounts.store_path(args.db)})")
    return 0


def _users_add(args) -> int:
    from planwatch import accounts

    account = accounts.add(args.db, args.name, _password(), args.role, args.region, args.unit)
    print(f"已添加{account.role_label}账号“{accounts.shown(account.name)}”")
    return 0


def _users_list(args) -> int:
    from planwatch import accounts

    labels = {}
    if Path(args.db).exists():
        with db.open_reader(args.db) as reader:
            frame = accounts.scopes(reader)
        labels = dict(zip(frame["region_code"], frame["region_name"])) | dict(zip(frame["unit_id"], frame["unit_name"]))
    for a in accounts.list(args.db):
        where = "\t".join(labels.get(v, v) or "" for v in (a.region, a.unit))
        print(f"{accounts.shown(a.name)}\t{a.role_label}\t{where}" + ("\t(旧配置)" if a.legacy else ""))
    return 0


def _users_remove(args) -> int:
    from planwatch import accounts

    accounts.remove(args.db, args.name)
    print(f"已删除账号“{accounts.shown(args.name)}”")
    return 0


def _users_passwd(args) -> int:
    from planwatch import accounts

    if accounts.get(args.db, args.name) is None:
        raise accounts.AccountError(f"没有账号“{accounts.shown(args.name)}”")
    accounts.set_password(args.db, args.name, _password("新密码:"))
    print(f"已重设账号“{accounts.shown(args.name)}”的密码")
    return 0


def _report(args) -> int:
    from planwatch import report

    fmt = args.format or Path(args.out).suffix.lstrip(".").lower()
    if fmt not in report.FORMATS:
        print(f"请用 --format 指定报告格式({'、'.join(report.FORMATS)}),或使用相应扩展名的输出文件", file=sys.stderr)
        return 2
    out = Path(args.out)
    if not out.parent.is_dir() or out.is_dir():
        print(f"无法写入 {args.out}:目录 {out.parent} 不存在" if not out.parent.is_dir()
              else f"无法写入 {args.out}:这是一个目录,请给出文件名", file=sys.stderr)
        return 2
    start = time.perf_counter()
    try:
        with _open(args) as reader:
            data = report.generate(reader, fmt, year=args.as_of, region=args.region, mode=args.mode)
    except report.ReportError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    try:
        out.write_bytes(data)
    except OSError as exc:
        print(f"无法写入 {args.out}:{_os_reason(exc)}", file=sys.stderr)
        return 2
    print(f"已生成年度报告 {args.out}({fmt},{len(data) / 1024:.0f} KB,{time.perf_counter() - start:.1f} 秒)")
    return 0


def _sql(args) -> int:
    from planwatch import guard, saved

    _open(args).close()  # the worker's own message would not say what is wrong with the file
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


_ARGPARSE_MESSAGES = (  # argparse's own refusals, in Chinese
    (r"the following arguments are required: (.*)", r"缺少参数:\1"),
    (r"unrecognized arguments: (.*)", r"无法识别的参数:\1"),
    (r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)", r"参数 \1 的取值 \2 无效,可选:\3"),
    (r"argument (\S+): invalid \w+ value: (.*)", r"参数 \1 的取值 \2 不是有效的数字"),
    (r"argument (\S+): expected one argument", r"参数 \1 需要一个值"),
)


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        for pattern, chinese in _ARGPARSE_MESSAGES:
            message = re.sub(pattern, chinese, message)
        self.exit(2, f"命令参数有误:{message}\n{self.format_usage()}")


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m planwatch", description="妇女儿童发展规划监测")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="从 data/ 构建数据库(保留已导入的批次)")
    b.add_argument("--no-demo", action="store_true", help="不生成示例数据")
    b.set_defaults(func=_build)

    sy = sub.add_parser("synth", help="生成全国规模的示例数据库(N 个县级地区,各两部示例规划,供测试与演示)")
    sy.add_argument("--regions", type=int, required=True, help="县级地区数(全国约 2,850 个)")
    sy.add_argument("--seed", type=int, default=1, help="随机种子(相同种子生成相同数据,默认 1)")
    sy.set_defaults(func=_synth)

    sub.add_parser("refresh", help="重新计算全部进度、状态与预警").set_defaults(func=_refresh)

    i = sub.add_parser("import", help="导入年度监测数据(xlsx 或 CSV,整份校验,全部通过才写入)")
    i.add_argument("file")
    i.add_argument("--uploader", default="命令行", help="填报人(记入批次)")
    i.add_argument("--as", dest="as_user", metavar="USER",
                   help="以该账号提交:填报员、审核员只能含其范围内的指标,提交后待审核(该年度监测结束后不再接受);"
                   "管理员、导入员及不加时为办公室直接导入,即时生效")
    i.add_argument("--resubmit", action="store_true", help="确认再次提交已导入过的同一文件")
    i.set_defaults(func=_import)

    sub.add_parser("batches", help="列出导入批次(含审核状态),最早的在前").set_defaults(func=_batches)

    ro = sub.add_parser("round", help="年度监测:开启(open)或结束(close)一年的数据报送;"
                        "再次 open 已有年份即更新截止日期,已结束的重新开放")
    ro.add_argument("action", choices=["open", "close"],
                    help="open 开启(已有年份:更新截止日期;已结束的重新开放,清除结束时间与结束人);close 结束报送")
    ro.add_argument("--year", type=int, required=True, help="监测年份")
    ro.add_argument("--deadline", help="报送截止日期 YYYY-MM-DD(open 必填)")
    ro.add_argument("--by", default="命令行", help="开启人(open)")
    ro.add_argument("--as", dest="as_user", metavar="USER",
                    help="结束报送的管理员账号(close 必填);结束后填报员不能再提交该年数值")
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

    e = sub.add_parser("add-editor", help="添加或重设导入员账号(办公室直接导入数据;密码从标准输入读取)")
    e.add_argument("name")
    e.set_defaults(func=_add_editor)

    r = sub.add_parser("report", help="生成年度报告:Word 报告(docx)、演示文稿(pptx)、PDF 报告或 Excel 工作簿")
    r.add_argument("--format", choices=["docx", "pptx", "pdf", "xlsx"], help="报告格式(默认按 --out 的扩展名)")
    r.add_argument("--out", required=True, help="输出文件")
    r.add_argument("--as-of", type=int, help="截至年份(默认为有监测数据的最近年份,正在报送的年度除外)")
    r.add_argument("--region", help="只含一个地区及其下级地区(名称或地区代码;默认全部地区)")
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

    _users_parser(sub.add_parser("users", help="账号管理:填报员、审核员、管理员(密码从标准输入读取)"))

    for s in sub.choices.values():
        s.add_argument("--db", default=str(default_db()), help="数据库文件(默认 var/planwatch.duckdb)")
    return p


def _users_parser(users: argparse.ArgumentParser) -> None:
    sub = users.add_subparsers(dest="action", required=True)
    a = sub.add_parser("add", help="添加账号")
    a.add_argument("name")
    a.add_argument("--role", required=True, help="filler(填报员)、reviewer(审核员)或 admin(管理员)")
    a.add_argument("--region", help="地区(名称或代码;填报员、审核员必填)")
    a.add_argument("--unit", help="责任单位(名称;填报员必填)")
    a.set_defaults(func=_users_add)
    sub.add_parser("list", help="列出账号").set_defaults(func=_users_list)
    for action, func, text in (("remove", _users_remove, "删除账号"), ("passwd", _users_passwd, "重设密码")):
        r = sub.add_parser(action, help=text)
        r.add_argument("name")
        r.set_defaults(func=func)
    for s in sub.choices.values():
        s.add_argument("--db", default=argparse.SUPPRESS, help="数据库文件(默认 var/planwatch.duckdb)")


# the refusals commands raise (a Chinese message, exit 2), by module: a module a command did not import cannot have
# raised its own, so main need not import every command's modules to catch them
REFUSALS = (("planwatch.catalogue", "CatalogueError"), ("planwatch.build", "BuildError"),
            ("planwatch.upload_read", "ImportRefused"), ("planwatch.importer", "UndoRefused"),
            ("planwatch.db", "DatabaseBusy"), ("planwatch.db", "DatabaseMissing"),
            ("planwatch.fingerprint", "StaleDatabase"),
            ("planwatch.accounts", "AccountError"), ("planwatch.round", "RoundRefused"),
            ("planwatch.review", "ReviewRefused"))


def _refusals() -> tuple[type[Exception], ...]:
    return tuple(getattr(sys.modules[module], name) for module, name in REFUSALS if module in sys.modules)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # the reader of the output went away (… | head): stop quietly, as the docs of signal advise
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except duckdb.Error as exc:  # e.g. a damaged database file: say so without a traceback
        print(f"数据库错误:{exc}", file=sys.stderr)
        return 3
    except Exception as exc:
        if not isinstance(exc, _refusals()):
            raise
        print(str(exc), file=sys.stderr)
        return 2
