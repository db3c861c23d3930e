"""`python -m fupin upgrade` and `verify`: rewrite an older store in the current layout; hash every file again."""

import argparse
import sys
from pathlib import Path

from ..store.snapshot import SnapshotError
from ..store.store import SnapshotStore
from .common import progress_bar
from .errors import BROKEN, OK


def add_parser(sub) -> None:
    """The `upgrade` and `verify` commands' arguments."""
    up = sub.add_parser("upgrade", help="把旧存储格式的当前快照改写为按县、年分区的新格式（应用启动和导入时也会自动进行）")
    up.add_argument("--data", type=Path, default=argparse.SUPPRESS)
    up.add_argument("--wait", type=float, default=30.0, help="另一个导入正在进行时最多等待的秒数")
    up.set_defaults(func=run_upgrade)

    ver = sub.add_parser("verify", help="重新计算当前快照（--all：全部快照）每个文件的 SHA-256 并与清单核对；"
                                         "退出码 0 全部一致，3 有损坏（每个损坏的文件一行）")
    ver.add_argument("--data", type=Path, default=argparse.SUPPRESS)
    ver.add_argument("--all", action="store_true", help="校验全部快照，而不只是当前快照")
    ver.set_defaults(func=run_verify)


def run_upgrade(args) -> int:
    from ..store.upgrade import upgrade_current

    store = SnapshotStore(args.data)
    with store.lock(args.wait):
        snapshot = upgrade_current(store, progress_bar)
    if snapshot is None:
        print("当前快照已是最新的存储格式，无需升级")
    else:
        print(f"已升级：新快照 {snapshot.id}（由 {snapshot.manifest['source']['upgraded_from']} 改写）已设为当前快照")
    return OK


def run_verify(args) -> int:
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
