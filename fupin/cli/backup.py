"""`python -m fupin backup`, `restore`, `prune` and `sync`: copies of the data folder, and what is kept of it."""

import argparse
from pathlib import Path

from ..store.store import SnapshotStore
from .common import progress_bar
from .errors import OK, Rejected, UsageError


def add_parser(sub) -> None:
    """The backup commands' arguments."""
    back = sub.add_parser("backup", help="备份数据目录（应用运行时也可以）：全部快照（校验 SHA-256，与上次备份相同的文件用硬链接）、"
                                        "账号、审计日志、乡镇边界，最后写 CURRENT")
    back.add_argument("--data", type=Path, default=argparse.SUPPRESS)
    back.add_argument("dest", type=Path, help="备份目录：每次备份在其中新建一个以 UTC 时间命名的文件夹")
    back.set_defaults(func=run_backup)

    rest = sub.add_parser("restore", help="把一个完整的备份恢复到空的数据目录（--data），每个文件都校验；不完整的备份被拒绝")
    rest.add_argument("--data", type=Path, default=argparse.SUPPRESS)
    rest.add_argument("source", type=Path, help="一个备份文件夹，或备份目录（取其中最新的完整备份）")
    rest.set_defaults(func=run_restore)

    prune = sub.add_parser("prune", help="删除旧快照（或 --backups 目录中的旧备份）：当前快照、最新的 --keep-last 个和 "
                                         "--keep-days 天内的都保留")
    prune.add_argument("--data", type=Path, default=argparse.SUPPRESS)
    prune.add_argument("--keep-days", type=float, default=30, help="保留多少天内的（默认 30）")
    prune.add_argument("--keep-last", type=int, default=10, help="至少保留最新的几个（默认 10）")
    prune.add_argument("--backups", type=Path, help="清理这个备份目录中的旧备份，而不是数据目录中的旧快照")
    prune.add_argument("--dry-run", action="store_true", help="只列出会删除什么")
    prune.add_argument("--wait", type=float, default=30.0, help="导入正在进行时最多等待的秒数")
    prune.set_defaults(func=run_prune)

    sync = sub.add_parser("sync", help="只读副本：把 SRC 中新的快照复制到 DEST（校验 SHA-256），同步账号和乡镇边界，最后移动 "
                                       "DEST 的 CURRENT")
    sync.add_argument("source", type=Path, help="主服务器的数据目录（例如 NFS 只读挂载），或一个备份")
    sync.add_argument("dest", type=Path, help="本机副本的数据目录")
    sync.add_argument("--wait", type=float, default=30.0, help="DEST 正被写入时最多等待的秒数")
    sync.set_defaults(func=run_sync)


def _mb(size: int) -> str:
    return f"{size / 1e6:,.1f} MB"


def run_backup(args) -> int:
    from ..store.backup import backup

    result = backup(SnapshotStore(args.data), args.dest, progress_bar)
    files = result.state_files
    state = "、".join(files[:3]) + (f" 等 {len(files)} 个" if len(files) > 3 else "") if files else "无"
    print(f"已备份到 {result.path}：{len(result.snapshots)} 个快照（当前 {result.current}），{result.stats.line()}；"
          f"其他文件：{state}；用时 {result.seconds:.1f} 秒")
    return OK


def run_restore(args) -> int:
    from ..store.backup import PartialBackup, restore

    try:
        result = restore(args.source, args.data, progress_bar)
    except PartialBackup as e:
        raise Rejected(str(e)) from None
    print(f"已从 {result.source} 恢复到 {args.data}：{len(result.snapshots)} 个快照，全部校验一致，"
          f"当前快照 {result.current}；{result.stats.line()}")
    return OK


def run_prune(args) -> int:
    from ..store.retention import prune_backups, prune_snapshots

    if args.keep_days < 0 or args.keep_last < 0:
        raise UsageError("--keep-days 和 --keep-last 不能是负数")
    if args.backups is not None:
        result = prune_backups(args.backups, args.keep_days, args.keep_last, args.dry_run)
        what = "备份"
    else:
        result = prune_snapshots(SnapshotStore(args.data), args.keep_days, args.keep_last, args.dry_run, args.wait)
        what = "快照"
    names = "、".join(result.removed[:5]) + ("等" if len(result.removed) > 5 else "")
    verb = "将删除" if args.dry_run else "已删除"
    print(f"{verb} {len(result.removed)} 个{what}{f'（{names}）' if names else ''}，"
          f"{'可' if args.dry_run else '已'}释放 {_mb(result.freed_bytes)}；保留 {len(result.kept)} 个")
    return OK


def run_sync(args) -> int:
    from ..store.sync import sync

    result = sync(args.source, SnapshotStore(args.dest), args.wait, progress_bar)
    moved = (f"CURRENT 从 {result.current_before or '（无）'} 改为 {result.current}" if result.current_before != result.current
             else f"CURRENT 未变（{result.current}）")
    state = f"，更新了 {'、'.join(result.state_files)}" if result.state_files else ""
    print(f"已同步 {len(result.copied)} 个新快照（{result.stats.line()}）{state}；{moved}")
    return OK
