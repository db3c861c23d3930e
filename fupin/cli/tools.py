"""`python -m fupin bench`, `bench-import`, `bench-xlsx`, `loadtest` and `firstvisit`: the measurements README's
性能 reports."""

import argparse
import json
import sys
from pathlib import Path

from ..store.store import SnapshotStore
from .common import progress_bar
from .errors import OK, UsageError


def add_parser(sub) -> None:
    """The measuring commands' arguments."""
    bench = sub.add_parser("bench", help="基准测试：页面查询与 pandas、polars 应用对比（结果写入 DATA/bench/）")
    bench.add_argument("--data", type=Path, default=argparse.SUPPRESS)
    bench.add_argument("--rows", default="1e6,1e7,5e7", help="采购记录行数，逗号分隔（默认 1e6,1e7,5e7）")
    bench.add_argument("--reps", type=int, default=20, help="每个规模的重复次数（至少 20，每次换一个筛选条件）")
    bench.add_argument("--pandas-max-rows", type=float, default=2e7, help="超过此行数不再运行 pandas 对照（内存）")
    bench.add_argument("--polars-max-rows", type=float, default=5e7, help="超过此行数不再运行 polars 对照（内存）")
    bench.add_argument("--json", type=Path, help="结果 JSON 的路径（默认 DATA/bench/results.json）")
    bench.set_defaults(func=run_bench)

    bench_import = sub.add_parser("bench-import", help="测量导入一个大台账的峰值内存和用时（结果写入 DATA/bench/import.json）")
    bench_import.add_argument("--data", type=Path, default=argparse.SUPPRESS)
    bench_import.add_argument("--rows", default="2e6", help="台账行数（默认 2e6；county-month 每个台账的行数）")
    bench_import.add_argument("--case", choices=("memory", "county-month"), default="memory",
                              help="memory：一个大台账的内存；county-month：向大快照连续导入一个县一个月（复制 --store）")
    bench_import.add_argument("--store", type=Path, help="county-month：要复制的数据目录（默认 --data）")
    bench_import.add_argument("--snapshots", type=int, default=20, help="county-month：连续导入的次数（默认 20）")
    bench_import.set_defaults(func=run_bench_import)

    bench_xlsx = sub.add_parser("bench-xlsx", help="测量导出大量采购明细为 Excel 的峰值内存和用时（新进程中）")
    bench_xlsx.add_argument("--rows", default="1e6", help="明细行数（默认 1e6）")
    bench_xlsx.set_defaults(func=run_bench_xlsx)

    load = sub.add_parser("loadtest", help="压力测试：本机启动应用（或 --url 已在运行的部署），多个会话同时访问")
    load.add_argument("--data", type=Path, default=argparse.SUPPRESS)
    load.add_argument("--sessions", type=int, default=30)
    load.add_argument("--seconds", type=float, default=60)
    load.add_argument("--ramp", type=float, default=10, help="会话在前多少秒内陆续开始（默认 10）")
    load.add_argument("--think", type=float, default=0, help="每次换筛选后平均看多少秒（随机，默认 0：立即换下一个）")
    load.add_argument("--clients", choices=("browser", "websocket"), default="browser",
                      help="browser：无头 Chromium（页面所见）；websocket：Streamlit 协议，不渲染（只测服务端）")
    load.add_argument("--url", help="压测已在运行的部署（经 nginx、https、子路径），例如 https://127.0.0.1:8644/fupin/，"
                                    "不自己启动应用")
    load.add_argument("--insecure", action="store_true", help="--url 时不校验证书（自签名证书）")
    load.set_defaults(func=run_loadtest)

    visit = sub.add_parser("firstvisit", help="首次访问：启动应用，测量无头 Chromium 中第一、第二位访问者看到第一个指标卡的时间")
    visit.add_argument("--data", type=Path, default=argparse.SUPPRESS)
    visit.add_argument("--rounds", type=int, default=3, help="冷启动次数（默认 3）")
    visit.add_argument("--json", type=Path, help="结果 JSON 的路径（默认 DATA/bench/firstvisit.json）")
    visit.set_defaults(func=run_firstvisit)


def run_bench(args) -> int:
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


def run_bench_import(args) -> int:
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


def run_bench_xlsx(args) -> int:
    from ..tools.bench import xlsx_memory

    try:
        rows = int(float(args.rows))
    except (ValueError, OverflowError):
        raise UsageError(f"--rows 应为行数，例如 1e6: {args.rows!r}") from None
    if rows < 1:
        raise UsageError("--rows 须为正数")
    print(json.dumps(xlsx_memory.run(rows), ensure_ascii=False, indent=2))
    return 0


def run_loadtest(args) -> int:
    from ..demo import build_demo
    from ..tools import loadtest

    out = args.data / "bench"
    if args.url:
        try:
            result = loadtest.run_url(args.url, args.data, sessions=args.sessions, seconds=args.seconds,
                                      ramp_s=args.ramp, clients=args.clients, think_s=args.think, insecure=args.insecure)
        except ValueError as e:
            raise UsageError(str(e)) from None
        name = f"loadtest-url-{args.clients}.json"
    else:
        store = SnapshotStore(args.data)
        if store.current_id() is None:
            build_demo(store, only_if_empty=True, progress=progress_bar)
        out.mkdir(parents=True, exist_ok=True)
        result = loadtest.run(args.data, sessions=args.sessions, seconds=args.seconds, ramp_s=args.ramp,
                              clients=args.clients, think_s=args.think,
                              log_path=out / f"loadtest-{args.clients}-server.log")
        name = f"loadtest-{args.clients}.json"
    if out.parent.is_dir():
        out.mkdir(exist_ok=True)
        (out / name).write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(loadtest.render(result))
    return 0 if result["errors"] == 0 and result["sessions_with_a_tile"] == result["sessions"] else 1


def run_firstvisit(args) -> int:
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
