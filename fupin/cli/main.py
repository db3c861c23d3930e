"""The `python -m fupin` command line: demo, brief, import, upgrade, verify, users, bench, loadtest, firstvisit."""

import argparse
import datetime as dt
import json
import os
import sys
import warnings
from pathlib import Path

from .. import settings
from ..ledger.budget import CheckTimeout
from ..ledger.columns import IMPORTABLE_TABLES
from ..report.briefing_pdf import PdfError
from ..store.snapshot import DamagedFile, SnapshotError, StoreIOError, os_error_text
from ..store.store import SnapshotStore

# Exit statuses (README): 0 done, 1 input rejected, 2 usage error, 3 I/O failure or damaged store.
OK, REJECTED, USAGE, BROKEN = 0, 1, 2, 3


class UsageError(Exception):
    """Bad input on the command line: reported in one line with exit status 2."""


class Rejected(Exception):
    """A request refused given the present state (an account name taken, a weak password): exit status 1."""


class WriteError(Exception):
    """An output file could not be written: reported in one line with exit status 3."""


def parse_date(text: str) -> dt.date:
    """A YYYY-MM-DD date, or UsageError."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"日期无效: {text!r}（应为 YYYY-MM-DD，例如 2018-12-29）") from None


def progress_bar(fraction: float, message: str) -> None:
    """Draw a one-line progress bar on stderr when it is a terminal (in a log it would only be noise)."""
    if not sys.stderr.isatty():
        return
    width = 30
    filled = int(width * min(max(fraction, 0.0), 1.0))
    end = "\n" if fraction >= 1 else ""
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {fraction:5.1%} {message[:50]:<50}{end}")
    sys.stderr.flush()


def cmd_demo(args) -> int:
    from ..demo import build_demo

    store = SnapshotStore(args.data)
    snapshot = build_demo(store, scale=args.scale, seed=args.seed, progress=progress_bar, counties=args.counties)
    rows = {name: entry["rows"] for name, entry in snapshot.manifest["tables"].items()}
    print(f"演示快照 {snapshot.id} 已生成: {json.dumps(rows, ensure_ascii=False)}")
    return 0


def _tell(notices) -> None:
    """Notices about the snapshot used (CURRENT missing, say): one line each on stderr."""
    for notice in notices:
        print(f"注意: {notice}", file=sys.stderr)


def _open_snapshot(store: SnapshotStore, snapshot_id: str | None):
    """The snapshot asked for, else CURRENT's (else, CURRENT being missing or invalid, the newest that verifies);
    DamagedFile when it fails verification."""
    served = store.serve(snapshot_id, fall_back=False)
    _tell(served.notices)
    return served.snapshot


def _write_atomically(path: Path, data: bytes) -> None:
    """Write a file whole or not at all: a temporary file beside it, renamed over it when complete."""
    if not path.parent.is_dir():
        raise UsageError(f"输出文件的目录不存在: {path.parent}")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except OSError as e:
        raise WriteError(f"无法写入 {path}：{os_error_text(e)}") from None
    finally:
        tmp.unlink(missing_ok=True)


def cmd_brief(args) -> int:
    from ..ledger.values import ValueProblem
    from ..query import scope
    from ..query.db import SnapshotDB
    from ..query.filters import Filter
    from ..report import brief, briefing
    from ..report.briefing_pdf import NoBrowser, pdf_bytes

    if args.format in ("html", "pdf") and not args.output:
        raise UsageError(f"--format {args.format} 需要 --output 文件")
    store = SnapshotStore(args.data)
    snapshot = _open_snapshot(store, args.snapshot)
    as_of = parse_date(args.as_of) if args.as_of else snapshot.as_of
    db = SnapshotDB(snapshot)
    try:
        chosen = scope.find(db, args.scope) if args.scope else scope.default(db)
        if chosen is None:
            known = "、".join(s.code for s in scope.scopes(db))
            raise UsageError(f"未知的范围: {args.scope}（可用：{known}）")
        counties, code, name = chosen.counties, chosen.code, chosen.name
        township = None
        if args.township:
            try:
                township, name = brief.township_scope(snapshot, args.township, as_of.year,
                                                      chosen.counties if args.scope else None)
            except ValueProblem as e:
                raise UsageError(f"{e}: {args.township}") from None
            counties, code = (township[:6],), township
        flt = Filter.year_to_date(as_of, counties=counties, township=township)
        names = scope.county_names(db)
        if args.format in ("html", "pdf"):
            page = briefing.build(db, flt, code, name, args.lang, args.data, names,
                                  township_name=name if township else None).html(args.lang)
        else:
            result = brief.build(db, flt, code, name, county_names=names)
    finally:
        db.close()
    if args.format == "pdf":
        try:
            output = pdf_bytes(page)
        except NoBrowser as e:
            raise UsageError(str(e)) from None
    elif args.format == "html":
        output = page.encode("utf-8")
    else:
        output = (brief.to_json(result) if args.format == "json" else brief.render(result, args.lang)).encode("utf-8")
    if args.output:
        _write_atomically(args.output, output if args.format in ("html", "pdf") else output + b"\n")
        print(f"已写入 {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(output.decode("utf-8") + "\n")
    return 0


def _confirm_replace(args) -> int | None:
    """For `--mode replace`: print what it removes (rows per year and township); the row count to confirm with
    `--yes`, else UsageError."""
    from ..ledger.columns import TABLE_LABELS
    from ..ledger.replacing import rows_in_table, rows_to_remove

    if args.mode != "replace" or args.dry_run:
        return None
    parent = SnapshotStore(args.data).serve(fall_back=False).snapshot   # the import says if CURRENT was missing
    removed = rows_in_table(parent, args.table, _counties(args))
    print(f"替换将删除{TABLE_LABELS[args.table]}现有的全部 {removed:,} 行：")
    print(rows_to_remove(parent, args.table, _counties(args)).to_string(index=False))
    if not args.yes:
        raise UsageError(f"--mode replace 会删除{TABLE_LABELS[args.table]}现有的全部 {removed:,} 行（见上表）；确认请加 --yes")
    return removed


def _counties(args) -> tuple[str, ...] | None:
    """The counties of `--county` (6-digit codes), or None when not given."""
    if not args.county:
        return None
    bad = [c for c in args.county if not (len(c) == 6 and c.isdigit())]
    if bad:
        raise UsageError(f"--county 应为6位县代码，例如 140827: {bad[0]!r}")
    return tuple(dict.fromkeys(args.county))


def cmd_import(args) -> int:
    from ..auth import audit
    from ..ledger.files import LedgerFile, LedgerFileError, check_file, max_bytes
    from . import users as commands

    if args.report and not args.report.parent.is_dir():
        raise UsageError(f"报告文件的目录不存在: {args.report.parent}")
    for path in args.files:
        if not path.is_file():
            raise UsageError(f"文件不存在: {path}")
        if path.stat().st_size > max_bytes():
            raise UsageError(f"文件超过 {settings.max_upload_mb()} MB 上限（FUPIN_MAX_UPLOAD_MB）: {path}")
    confirmed = _confirm_replace(args)
    files = [LedgerFile(path.name, path.read_bytes()) for path in args.files]
    for file in files:   # a file that is no ledger at all (a decompression bomb, say): one line, before any row
        try:
            check_file(file)
        except LedgerFileError as e:
            raise Rejected(f"{file.name}：{e}") from None
    from ..ledger.importer import import_ledgers

    result = import_ledgers(SnapshotStore(args.data), args.table, files, mode=args.mode, only_valid=args.only_valid,
                            dry_run=args.dry_run, sheet=args.sheet, progress=progress_bar, wait_seconds=args.wait,
                            replace_confirmed=confirmed, counties=_counties(args), by=args.as_)
    commands.recorded(lambda: audit.record_import(args.data, args.as_, result, via="cli",
                                                  os_user=commands.operator()))
    _tell(result.notices)
    if result.report.entries:
        print(result.report.to_text())
    if args.report:
        args.report.write_bytes(result.report.to_csv())
    print(result.message)
    return OK if result.accepted else REJECTED


def cmd_upgrade(args) -> int:
    from ..store.upgrade import upgrade_current

    store = SnapshotStore(args.data)
    with store.lock(args.wait):
        snapshot = upgrade_current(store, progress_bar)
    if snapshot is None:
        print("当前快照已是最新的存储格式，无需升级")
    else:
        print(f"已升级：新快照 {snapshot.id}（由 {snapshot.manifest['source']['upgraded_from']} 改写）已设为当前快照")
    return OK


def cmd_verify(args) -> int:
    from ..store.snapshot import recheck

    store = SnapshotStore(args.data)
    if not store.has_snapshots():
        raise SnapshotError(f"数据目录 {store.root} 中还没有快照")
    damaged, snapshots = [], []
    current = store.current_id()
    if current is None:
        damaged.append(f"数据目录 {store.root} 的 CURRENT 指针缺失或无效")
    for snapshot_id in store.ids() if args.all else [current] if current else []:
        try:
            snapshots.append(store.get(snapshot_id))
        except SnapshotError as e:   # a manifest missing or unreadable
            damaged.append(str(e))
    entries = [(snapshot, entry) for snapshot in snapshots for name in snapshot.manifest["tables"]
               for entry in snapshot.files(name)]
    total = sum(entry.get("bytes") or 0 for _, entry in entries)
    done = 0
    for snapshot in snapshots:
        for entry, problem in recheck(snapshot):
            if problem is not None:
                damaged.append(str(problem))
            done += entry.get("bytes") or 0
            progress_bar(done / max(total, 1), entry["path"])
    progress_bar(1.0, "")
    what = f"{len(snapshots)} 个快照的 {len(entries):,} 个文件（{total / 1e6:,.1f} MB）"
    for line in damaged:
        print(f"错误: {line}", file=sys.stderr)
    if damaged:
        print(f"已校验 {what}：{len(damaged)} 处损坏")
        return BROKEN
    print(f"已校验 {what}，全部与清单一致")
    return OK


def cmd_bench(args) -> int:
    from ..tools import bench

    try:
        sizes = [float(x) for x in args.rows.split(",") if x.strip()]
    except ValueError:
        raise UsageError(f"--rows 应为逗号分隔的行数，例如 1e6,1e7: {args.rows!r}") from None
    if not sizes or min(sizes) <= 0 or args.reps < 20:
        raise UsageError("--rows 须为正数，--reps 至少 20")
    out = args.data / "bench"
    results = bench.run(sizes, out / "stores", out, reps=args.reps, pandas_max_rows=args.pandas_max_rows,
                        polars_max_rows=args.polars_max_rows, json_path=args.json,
                        progress=lambda message: print(message, file=sys.stderr))
    print((out / "results.md").read_text(encoding="utf-8"))
    print(f"结果: {args.json or out / 'results.json'}", file=sys.stderr)
    return 0 if results["sizes"] else 1


def cmd_bench_import(args) -> int:
    from ..tools.bench import import_memory

    try:
        rows = int(float(args.rows))
    except (ValueError, OverflowError):
        raise UsageError(f"--rows 应为行数，例如 2e6: {args.rows!r}") from None
    if rows < 1:
        raise UsageError("--rows 须为正数")
    def tell(message: str) -> None:
        print(message, file=sys.stderr)

    if args.case == "county-month":
        from ..tools.bench import import_partition

        if args.snapshots < 1:
            raise UsageError("--snapshots 须为正数")
        results = import_partition.run(args.store or args.data, args.data / "bench", args.snapshots, rows, tell)
    else:
        results = import_memory.run(rows, args.data / "bench", progress=tell)
    print(json.dumps(results, ensure_ascii=False, indent=2))
    return 0


def cmd_bench_xlsx(args) -> int:
    from ..tools.bench import xlsx_memory

    try:
        rows = int(float(args.rows))
    except (ValueError, OverflowError):
        raise UsageError(f"--rows 应为行数，例如 1e6: {args.rows!r}") from None
    if rows < 1:
        raise UsageError("--rows 须为正数")
    print(json.dumps(xlsx_memory.run(rows), ensure_ascii=False, indent=2))
    return 0


def cmd_loadtest(args) -> int:
    from ..demo import build_demo
    from ..tools import loadtest

    store = SnapshotStore(args.data)
    if store.current_id() is None:
        build_demo(store, only_if_empty=True, progress=progress_bar)
    out = args.data / "bench"
    out.mkdir(parents=True, exist_ok=True)
    result = loadtest.run(args.data, sessions=args.sessions, seconds=args.seconds, ramp_s=args.ramp,
                          clients=args.clients, think_s=args.think,
                          log_path=out / f"loadtest-{args.clients}-server.log")
    (out / f"loadtest-{args.clients}.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(loadtest.render(result))
    return 0 if result["errors"] == 0 and result["sessions_with_a_tile"] == result["sessions"] else 1


def cmd_firstvisit(args) -> int:
    from ..demo import build_demo
    from ..tools import firstvisit
    from ..tools.bench import write_atomically

    store = SnapshotStore(args.data)
    if store.current_id() is None:
        build_demo(store, only_if_empty=True, progress=progress_bar)
    out = args.data / "bench"
    result = firstvisit.run(args.data, rounds=args.rounds, log_dir=out)
    write_atomically(args.json or out / "firstvisit.json", json.dumps(result, ensure_ascii=False, indent=2))
    print(firstvisit.render(result))
    return OK


def build_parser() -> argparse.ArgumentParser:
    from . import users as commands

    parser = argparse.ArgumentParser(prog="python -m fupin", description="消费帮扶监测：演示数据、简报、导入、校验、账号、基准测试")
    parser.add_argument("--data", type=Path, default=settings.data_dir(), help="数据目录（默认 data/ 或 $FUPIN_DATA）")
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="生成演示快照")
    demo.add_argument("--data", type=Path, default=argparse.SUPPRESS)
    demo.add_argument("--scale", type=int, default=1, help="采购记录倍数（100 约一千万行）")
    demo.add_argument("--seed", type=int, default=42)
    demo.add_argument("--counties", choices=("default", "all"), default="default",
                      help="default：垣曲县、礼县、抚远市、同江市、商州区；all：再加安康市十个县区")
    demo.set_defaults(func=cmd_demo)

    br = sub.add_parser("brief", help="输出简报数字")
    br.add_argument("--data", type=Path, default=argparse.SUPPRESS)
    br.add_argument("--snapshot", help="快照编号（默认当前快照）")
    br.add_argument("--as-of", help="截至日期 YYYY-MM-DD（默认快照日期）")
    br.add_argument("--scope", help="范围：县（区）代码（如 140827）、市代码（如 610900）或组代码（如 samr），默认首个县")
    br.add_argument("--township", help="乡镇名称或9位代码（如 华峰乡、140827203，按截至日期当年的区划），默认全县")
    br.add_argument("--format", choices=("text", "json", "html", "pdf"), default="text",
                    help="text、json，或与简报页相同的 html / A4 pdf（须给 --output）")
    br.add_argument("--lang", choices=("zh", "en"), default="zh", help="text、html、pdf 的语言（默认中文）")
    br.add_argument("--output", type=Path, help="写入此文件（整体写入，不留半个文件）；默认输出到屏幕")
    br.set_defaults(func=cmd_brief)

    imp = sub.add_parser("import", help="导入台账（.xlsx 或 .csv）；退出码 0 已导入，1 已拒绝，2 用法错误，3 读写失败或快照损坏")
    imp.add_argument("--data", type=Path, default=argparse.SUPPRESS)
    imp.add_argument("table", choices=IMPORTABLE_TABLES)
    imp.add_argument("files", nargs="+", type=Path, metavar="FILE")
    imp.add_argument("--mode", choices=("append", "replace"), default="append",
                     help="追加（默认）或替换整张表（替换须同时给 --yes）")
    imp.add_argument("--yes", action="store_true", help="确认 --mode replace 删除整张表的现有数据")
    imp.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入")
    imp.add_argument("--only-valid", action="store_true", help="只导入有效行（默认有任何错误行就整体拒绝）")
    imp.add_argument("--sheet", help="xlsx 的工作表名（默认第一个）")
    imp.add_argument("--report", type=Path, help="把报告另存为 CSV（UTF-8 带 BOM）")
    imp.add_argument("--wait", type=float, default=30.0, help="另一个导入正在进行时最多等待的秒数")
    imp.add_argument("--county", action="append", metavar="CODE",
                     help="只导入这个县的行（6位代码，可重复）：台账没有“县”列时按这些县查找乡镇；替换只替换这些县")
    commands.add_as(imp)
    imp.set_defaults(func=cmd_import)

    up = sub.add_parser("upgrade", help="把旧存储格式的当前快照改写为按县、年分区的新格式（应用启动和导入时也会自动进行）")
    up.add_argument("--data", type=Path, default=argparse.SUPPRESS)
    up.add_argument("--wait", type=float, default=30.0, help="另一个导入正在进行时最多等待的秒数")
    up.set_defaults(func=cmd_upgrade)

    ver = sub.add_parser("verify", help="重新计算当前快照（--all：全部快照）每个文件的 SHA-256 并与清单核对；"
                                         "退出码 0 全部一致，3 有损坏（每个损坏的文件一行）")
    ver.add_argument("--data", type=Path, default=argparse.SUPPRESS)
    ver.add_argument("--all", action="store_true", help="校验全部快照，而不只是当前快照")
    ver.set_defaults(func=cmd_verify)

    commands.add_parser(sub)

    bench = sub.add_parser("bench", help="基准测试：页面查询与 pandas、polars 应用对比（结果写入 DATA/bench/）")
    bench.add_argument("--data", type=Path, default=argparse.SUPPRESS)
    bench.add_argument("--rows", default="1e6,1e7,5e7", help="采购记录行数，逗号分隔（默认 1e6,1e7,5e7）")
    bench.add_argument("--reps", type=int, default=20, help="每个规模的重复次数（至少 20，每次换一个筛选条件）")
    bench.add_argument("--pandas-max-rows", type=float, default=2e7, help="超过此行数不再运行 pandas 对照（内存）")
    bench.add_argument("--polars-max-rows", type=float, default=5e7, help="超过此行数不再运行 polars 对照（内存）")
    bench.add_argument("--json", type=Path, help="结果 JSON 的路径（默认 DATA/bench/results.json）")
    bench.set_defaults(func=cmd_bench)

    bench_import = sub.add_parser("bench-import", help="测量导入一个大台账的峰值内存和用时（结果写入 DATA/bench/import.json）")
    bench_import.add_argument("--data", type=Path, default=argparse.SUPPRESS)
    bench_import.add_argument("--rows", default="2e6", help="台账行数（默认 2e6；county-month 每个台账的行数）")
    bench_import.add_argument("--case", choices=("memory", "county-month"), default="memory",
                              help="memory：一个大台账的内存；county-month：向大快照连续导入一个县一个月（复制 --store）")
    bench_import.add_argument("--store", type=Path, help="county-month：要复制的数据目录（默认 --data）")
    bench_import.add_argument("--snapshots", type=int, default=20, help="county-month：连续导入的次数（默认 20）")
    bench_import.set_defaults(func=cmd_bench_import)

    bench_xlsx = sub.add_parser("bench-xlsx", help="测量导出大量采购明细为 Excel 的峰值内存和用时（新进程中）")
    bench_xlsx.add_argument("--rows", default="1e6", help="明细行数（默认 1e6）")
    bench_xlsx.set_defaults(func=cmd_bench_xlsx)

    load = sub.add_parser("loadtest", help="压力测试：本机启动应用，多个无头浏览器会话同时访问")
    load.add_argument("--data", type=Path, default=argparse.SUPPRESS)
    load.add_argument("--sessions", type=int, default=30)
    load.add_argument("--seconds", type=float, default=60)
    load.add_argument("--ramp", type=float, default=10, help="会话在前多少秒内陆续开始（默认 10）")
    load.add_argument("--think", type=float, default=0, help="每次换筛选后平均看多少秒（随机，默认 0：立即换下一个）")
    load.add_argument("--clients", choices=("browser", "websocket"), default="browser",
                      help="browser：无头 Chromium（页面所见）；websocket：Streamlit 协议，不渲染（只测服务端）")
    load.set_defaults(func=cmd_loadtest)

    visit = sub.add_parser("firstvisit", help="首次访问：启动应用，测量无头 Chromium 中第一、第二位访问者看到第一个指标卡的时间")
    visit.add_argument("--data", type=Path, default=argparse.SUPPRESS)
    visit.add_argument("--rounds", type=int, default=3, help="冷启动次数（默认 3）")
    visit.add_argument("--json", type=Path, help="结果 JSON 的路径（默认 DATA/bench/firstvisit.json）")
    visit.set_defaults(func=cmd_firstvisit)

    return parser


def _fail(message: str, status: int) -> int:
    """One line on stderr (below a progress bar left unfinished) and the exit status."""
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    print(f"错误: {message}", file=sys.stderr)
    return status


def main(argv: list[str] | None = None) -> int:
    """Run one command; every failure is one line on stderr and an exit status (never a traceback)."""
    # A library's notice about its own future (pandera loading pyspark's pandas support when pyspark is installed)
    # is not for the person at the terminal: stderr carries only this program's one line.
    warnings.filterwarnings("ignore", category=FutureWarning)
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
    except SystemExit as e:
        return int(e.code or 0)
    except settings.SettingsError as e:   # a default read from the environment while building the parser
        return _fail(str(e), USAGE)
    try:
        settings.check()
        if args.command == "demo" and args.scale < 1:
            raise UsageError("--scale 必须是正整数")
        return args.func(args)
    except (DamagedFile, StoreIOError, PdfError, WriteError) as e:
        return _fail(str(e), BROKEN)
    except CheckTimeout as e:
        return _fail(str(e), REJECTED)
    except (UsageError, SnapshotError, settings.SettingsError) as e:
        return _fail(str(e), USAGE)
    except Rejected as e:
        return _fail(str(e), REJECTED)
    except KeyboardInterrupt:
        return _fail("已中断", 130)
    except Exception as e:   # I/O errors of any library, or a bug: one line, never a traceback
        return _fail(_unexpected(e), BROKEN)


def _unexpected(error: Exception) -> str:
    import duckdb

    if isinstance(error, (OSError, duckdb.IOException)):
        return f"{os_error_text(error)}；没有做任何更改"
    first = str(error).splitlines()[0][:300] if str(error) else ""
    return f"意外错误（{type(error).__name__}: {first}）"
