"""`python -m fupin import`: check ledgers and import them as a new snapshot, with the row report."""

import argparse
from pathlib import Path

from .. import settings
from ..auth import audit
from ..ledger.columns import IMPORTABLE_TABLES
from ..store.store import SnapshotStore
from .common import add_as, progress_bar, tell
from .errors import OK, REJECTED, Rejected, UsageError


def add_parser(sub) -> None:
    """The `import` command's arguments."""
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
    add_as(imp)
    imp.set_defaults(func=run_import)


def _confirm_replace(args) -> int | None:
    """For `--mode replace`: print what it removes (rows per year and township); the row count to confirm with
    `--yes`, else UsageError."""
    from ..ledger.columns import TABLE_LABELS
    from ..ledger.replacing import rows_in_table, rows_to_remove

    if args.mode != "replace" or args.dry_run:
        return None
    parent = SnapshotStore(args.data).serve(fall_back=False).snapshot   # the import says if CURRENT was missing
    removed = rows_in_table(parent, args.table, county_codes(args))
    print(f"替换将删除{TABLE_LABELS[args.table]}现有的全部 {removed:,} 行：")
    print(rows_to_remove(parent, args.table, county_codes(args)).to_string(index=False))
    if not args.yes:
        raise UsageError(f"--mode replace 会删除{TABLE_LABELS[args.table]}现有的全部 {removed:,} 行（见上表）；确认请加 --yes")
    return removed


def county_codes(args) -> tuple[str, ...] | None:
    """The counties of `--county` (6-digit codes), or None when not given."""
    if not args.county:
        return None
    bad = [c for c in args.county if not (len(c) == 6 and c.isdigit())]
    if bad:
        raise UsageError(f"--county 应为6位县代码，例如 140827: {bad[0]!r}")
    return tuple(dict.fromkeys(args.county))


def run_import(args) -> int:
    from ..ledger.files import LedgerFile, LedgerFileError, check_file, max_bytes

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
                            replace_confirmed=confirmed, counties=county_codes(args), by=args.as_, via="cli",
                            audit_details={"os_user": audit.os_user()})
    tell(result.notices)
    if result.report.entries:
        print(result.report.to_text())
    if args.report:
        args.report.write_bytes(result.report.to_csv())
    print(result.message)
    return OK if result.accepted else REJECTED
