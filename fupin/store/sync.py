"""Keeping a read replica's data folder in step with the primary's: new snapshot folders copied (rsync-like, every
file hashed against its manifest, files the replica already holds hard-linked), the accounts and township boundaries
replaced when they changed, and the replica's CURRENT moved last, to what the primary's names."""

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .backup import SECRET_MODE, read_state, state_paths
from .copies import CopyStats, LinkPool, Progress, copy_snapshot, offer_snapshot_files, replace_durably, snapshot_bytes
from .snapshot import SnapshotError, StoreIOError, fsync_dir, os_error_text
from .store import SnapshotStore

# What a replica takes over besides the snapshots: who may sign in, and the maps. Its audit log is its own.
SYNCED_STATE = ("accounts.json", "townships_custom", "boundaries/")


@dataclass
class SyncResult:
    """What a sync copied, which state files it replaced, and where CURRENT was and is."""

    copied: list[str] = field(default_factory=list)
    state_files: list[str] = field(default_factory=list)
    current_before: str | None = None
    current: str | None = None
    stats: CopyStats = field(default_factory=CopyStats)


def sync(source: Path, dest: SnapshotStore, wait_seconds: float = 30.0, progress: Progress | None = None) -> SyncResult:
    """Bring `dest` up to date with the data folder (or backup) at `source`, under DEST's store lock."""
    primary = SnapshotStore(source)
    current = primary.current_id()
    if current is None:
        primary.current()   # raises: no snapshot yet, or CURRENT missing or garbage
    if Path(source).absolute() == dest.root.absolute():
        raise SnapshotError("同步的来源和目标是同一个数据目录")
    with dest.lock(wait_seconds):
        result = SyncResult(current_before=dest.current_id(), current=current)
        have = set(dest.ids())
        new = [primary.get(snapshot_id) for snapshot_id in primary.ids() if snapshot_id not in have]
        if current not in have and current not in {s.id for s in new}:
            primary.get(current)   # raises: CURRENT names a snapshot the primary does not hold
        pool = LinkPool()
        for snapshot in dest.list():
            offer_snapshot_files(pool, snapshot)
        total, done = sum(snapshot_bytes(s) for s in new), 0

        def step(size: int, path: str) -> None:
            nonlocal done
            done += size
            if progress is not None:
                progress(done / max(total, 1), path)

        try:
            dest.snapshots_dir.mkdir(parents=True, exist_ok=True)
            for snapshot in new:
                tmp = dest.snapshots_dir / f".tmp-sync-{snapshot.id}"
                try:
                    copy_snapshot(snapshot, tmp, pool, result.stats, step)
                    os.rename(tmp, dest.snapshots_dir / snapshot.id)
                finally:
                    shutil.rmtree(tmp, ignore_errors=True)
                pool.moved(tmp, dest.snapshots_dir / snapshot.id)
                fsync_dir(dest.snapshots_dir)
                result.copied.append(snapshot.id)
            result.state_files = _sync_state(Path(source), dest.root)
        except OSError as e:
            raise StoreIOError(f"同步失败：{os_error_text(e)}；当前快照未改变") from None
        if result.current_before != current:
            if current in result.copied:
                dest.point_current(current)   # every file was just hashed as it was copied
            else:
                dest.set_current(current)     # one the replica held already: hashed again first
    if progress is not None:
        progress(1.0, "")
    return result


def _sync_state(source: Path, root: Path) -> list[str]:
    """Replace the replica's accounts and boundary files that differ from the primary's (each in one rename)."""
    replaced = []
    for name in state_paths(source):
        if not name.startswith(SYNCED_STATE):
            continue
        data = read_state(source, name)
        target = root / name
        try:
            same = target.read_bytes() == data
        except FileNotFoundError:
            same = False
        if not same:
            target.parent.mkdir(parents=True, exist_ok=True)
            replace_durably(target, data, SECRET_MODE)
            replaced.append(name)
    return replaced
