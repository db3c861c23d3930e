"""Pruning: old snapshots of a data folder, or old backups of a backup folder, kept by age and by count.

What is kept: CURRENT (or the newest backup), the `keep_last` newest, and every one younger than `keep_days`. A
folder removed is renamed out of sight first, then deleted. Files are shared by hard links (an import links every
file it does not change to its parent's; a backup links files an earlier backup holds), so deleting a folder never
takes a file that a kept one links: only the links go, and the bytes freed are those of files no kept folder shares.
"""

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .backup import backup_sets, dest_lock
from .copies import bytes_freed, remove_tree
from .snapshot import SnapshotError
from .store import SnapshotStore


@dataclass
class PruneResult:
    """What pruning removed (or, on a dry run, would remove), what it kept and the bytes freed."""

    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    freed_bytes: int = 0
    dry_run: bool = False


def _chosen(ordered: list[tuple[str, dt.datetime]], always: set[str], keep_days: float, keep_last: int,
            now: dt.datetime) -> tuple[list[str], list[str]]:
    """Split (name, created) oldest first into (kept, removed): `always`, the `keep_last` newest and those younger
    than `keep_days`."""
    newest = {name for name, _ in ordered[len(ordered) - keep_last:]} if keep_last > 0 else set()
    since = now - dt.timedelta(days=keep_days)
    kept = [name for name, created in ordered if name in always or name in newest or created >= since]
    return kept, [name for name, _ in ordered if name not in kept]


def prune_snapshots(store: SnapshotStore, keep_days: float, keep_last: int, dry_run: bool = False,
                    wait_seconds: float = 30.0, now: dt.datetime | None = None) -> PruneResult:
    """Remove the snapshots of a data folder that neither CURRENT, the `keep_last` newest nor the last `keep_days`
    days keep, under the store's lock (no import runs meanwhile). SnapshotError when CURRENT is not valid: what it
    names cannot be told apart from what may go."""
    now = now or dt.datetime.now(dt.UTC)
    with store.lock(wait_seconds):
        current = store.current_id()
        if current is None:
            store.current()   # raises: no snapshot yet, or CURRENT missing or garbage
        if current not in store.ids():
            raise SnapshotError(f"CURRENT 指向的快照 {current} 不存在；没有删除任何快照")
        ordered = [(s.id, dt.datetime.fromisoformat(s.manifest["created_at"])) for s in store.list()]
        kept, removed = _chosen(ordered, {current}, keep_days, keep_last, now)
        folders = [store.snapshots_dir / name for name in removed]
        result = PruneResult(removed, kept, bytes_freed(folders), dry_run)
        if not dry_run:
            for folder in folders:
                remove_tree(folder)
    return result


def _backup_time(name: str) -> dt.datetime:
    return dt.datetime.strptime(name, "%Y%m%dT%H%M%S%fZ").replace(tzinfo=dt.UTC)


def prune_backups(dest: Path, keep_days: float, keep_last: int, dry_run: bool = False,
                  now: dt.datetime | None = None) -> PruneResult:
    """Remove the backups in DEST that neither being the newest, the `keep_last` newest nor the last `keep_days`
    days keep, and what a backup cut short left, under DEST's lock (no backup runs meanwhile)."""
    now = now or dt.datetime.now(dt.UTC)
    dest = Path(dest)
    if not dest.is_dir():
        raise SnapshotError(f"备份目录不存在: {dest}")
    with dest_lock(dest):
        sets = backup_sets(dest)
        ordered = [(p.name, _backup_time(p.name)) for p in sets]
        kept, removed = _chosen(ordered, {sets[-1].name} if sets else set(), keep_days, keep_last, now)
        leftovers = sorted(p for p in dest.glob(".tmp-*") if p.is_dir())   # backups that died: none runs now
        folders = [dest / name for name in removed] + leftovers
        result = PruneResult(removed + [p.name for p in leftovers], kept, bytes_freed(folders), dry_run)
        if not dry_run:
            for folder in folders:
                remove_tree(folder)
    return result
