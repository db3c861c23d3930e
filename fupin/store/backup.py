"""Backups of a data folder while the app runs, and restoring one into an empty data folder.

A backup is a folder `DEST/<UTC time>/` shaped like a data folder: every snapshot (each file hashed against its
manifest as it is copied, or hard-linked from an earlier backup in DEST holding the same bytes), then the accounts,
the audit log and the township boundaries, then `BACKUP.json` (what it holds, with the sha256 of each file beside the
snapshots), and `CURRENT` last. It is built under a hidden name and renamed into place once complete, so a backup
without CURRENT was cut short and is never restored. Snapshots never change, so no lock is needed: an import that
runs meanwhile writes a new folder the backup does not list.
"""

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import re
import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from .copies import CopyStats, LinkPool, Progress, copy_snapshot, offer_snapshot_files, snapshot_bytes, write_durably
from .snapshot import DamagedFile, SnapshotError, StoreBusy, StoreIOError, fsync_dir, os_error_text
from .store import SnapshotStore

BACKUP_ID = re.compile(r"^\d{8}T\d{12}Z$")
INDEX_NAME = "BACKUP.json"
FORMAT = 1
# The data folder's own state kept beside the snapshots (their owners: fupin.auth.accounts, fupin.auth.audit and
# fupin.report.geo; tests/test_backup.py checks the names). Sessions, sign-in lock-outs and lock files are left out:
# they belong to the moment, and restoring them would only sign people in or lock them out again.
STATE_FILES = ("accounts.json", "audit.jsonl")
STATE_GLOBS = ("townships_custom*.geojson",)
STATE_FOLDERS = ("boundaries",)
AUDIT_FILE = "audit.jsonl"
SECRET_MODE = 0o600


class PartialBackup(Exception):
    """A backup that was cut short or lacks what its index lists: never restored."""


class DamagedBackupFile(DamagedFile):
    """A file of a backup beside its snapshots (accounts, audit log) that differs from the backup's index."""

    def __init__(self, backup_id: str, file: str, reason: str):
        self.snapshot_id, self.file, self.reason = backup_id, file, reason
        Exception.__init__(self, f"备份 {backup_id} 的文件 {file} {reason}")


@dataclass
class BackupResult:
    """A finished backup: where, which snapshots, what was copied and linked, how long it took."""

    path: Path
    current: str
    snapshots: list[str]
    state_files: list[str]
    stats: CopyStats = field(default_factory=CopyStats)
    seconds: float = 0.0


def backup_sets(dest: Path) -> list[Path]:
    """The complete backups in DEST (those with CURRENT), oldest first."""
    try:
        found = [p for p in Path(dest).iterdir() if BACKUP_ID.match(p.name) and (p / "CURRENT").is_file()]
    except (FileNotFoundError, NotADirectoryError):
        return []
    return sorted(found)


@contextlib.contextmanager
def dest_lock(dest: Path):
    """Hold DEST's lock (one backup or pruning of DEST at a time); StoreBusy when another holds it."""
    try:
        dest.mkdir(parents=True, exist_ok=True)
        handle = open(dest / ".lock", "a+")
    except OSError as e:
        raise StoreIOError(f"无法使用备份目录 {dest}：{os_error_text(e)}") from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreBusy(f"另一个备份或清理正在使用 {dest}，请稍后再试") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def state_paths(root: Path) -> list[str]:
    """The state files of a data folder that a backup keeps, relative to it, in a fixed order."""
    found = [name for name in STATE_FILES if (root / name).is_file()]
    for pattern in STATE_GLOBS:
        found += sorted(p.name for p in root.glob(pattern) if p.is_file())
    for folder in STATE_FOLDERS:
        for path in sorted((root / folder).rglob("*")) if (root / folder).is_dir() else []:
            relative = path.relative_to(root)
            if path.is_file() and not any(part.startswith(".") for part in relative.parts):
                found.append(relative.as_posix())
    return found


def read_state(root: Path, name: str) -> bytes:
    """A state file's bytes as one consistent whole: the audit log under its own lock (entries are appended under
    it), every other file being replaced in one rename."""
    path = root / name
    if name != AUDIT_FILE:
        return path.read_bytes()
    with open(path, "rb") as f:
        fcntl.flock(f, fcntl.LOCK_SH)
        try:
            return f.read()
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _copy_state(root: Path, target: Path, pool: LinkPool, stats: CopyStats) -> list[dict]:
    """Copy the state files into a backup (an unchanged one hard-linked from the last backup); their index
    entries."""
    entries = []
    for name in state_paths(root):
        try:
            data = read_state(root, name)
        except FileNotFoundError:   # removed meanwhile (a boundary version dropped)
            continue
        sha256 = hashlib.sha256(data).hexdigest()
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if pool.link(sha256, len(data), path):
            stats.linked_files += 1
            stats.linked_bytes += len(data)
        else:
            write_durably(path, data, SECRET_MODE)
            stats.copied_files += 1
            stats.copied_bytes += len(data)
        entries.append({"path": name, "bytes": len(data), "sha256": sha256})
    return entries


def _earlier_files(dest: Path) -> LinkPool:
    """Every file of the backups already in DEST, newest first, as candidates for a hard link."""
    pool = LinkPool()
    for earlier in reversed(backup_sets(dest)):
        with contextlib.suppress(SnapshotError, OSError, ValueError):
            index = json.loads((earlier / INDEX_NAME).read_text(encoding="utf-8"))
            for entry in index.get("files", []):
                pool.offer(entry["sha256"], earlier / entry["path"])
            store = SnapshotStore(earlier)
            for snapshot_id in index.get("snapshots", []):
                offer_snapshot_files(pool, store.get(snapshot_id))
    return pool


def backup(store: SnapshotStore, dest: Path, progress: Progress | None = None) -> BackupResult:
    """Copy the data folder into a new backup in DEST (see the module's docstring); DamagedFile when a file does
    not match its manifest (the backup is then removed), SnapshotError when the store has no valid CURRENT."""
    started = time.monotonic()
    dest = Path(dest).absolute()
    if dest == store.root.absolute() or store.root.absolute() in dest.parents:
        raise SnapshotError(f"备份目录不能在数据目录之内: {dest}")
    current = store.current_id()
    if current is None:
        store.current()   # raises: no snapshot yet, or CURRENT missing or garbage
    with dest_lock(dest):
        pool = _earlier_files(dest)
        set_id = f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S%f}Z"
        tmp = dest / f".tmp-{set_id}"
        result = BackupResult(dest / set_id, current, [], [])
        try:
            snapshots = []
            for snapshot_id in store.ids():
                try:
                    snapshots.append(store.get(snapshot_id))
                except SnapshotError:
                    if snapshot_id == current or (store.snapshots_dir / snapshot_id).is_dir():
                        raise
            total, done = sum(snapshot_bytes(s) for s in snapshots), 0

            def step(size: int, path: str) -> None:
                nonlocal done
                done += size
                if progress is not None:
                    progress(done / max(total, 1), path)

            for snapshot in snapshots:
                copy_snapshot(snapshot, tmp / "snapshots" / snapshot.id, pool, result.stats, step)
                result.snapshots.append(snapshot.id)
            files = _copy_state(store.root, tmp, pool, result.stats)
            result.state_files = [entry["path"] for entry in files]
            index = {"format": FORMAT, "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                     "source": str(store.root.absolute()), "current": current, "snapshots": result.snapshots,
                     "files": files}
            write_durably(tmp / INDEX_NAME, json.dumps(index, ensure_ascii=False, indent=1).encode("utf-8"))
            write_durably(tmp / "CURRENT", f"{current}\n".encode())
            fsync_dir(tmp)
            os.rename(tmp, result.path)
            fsync_dir(dest)
        except OSError as e:
            raise StoreIOError(f"备份失败：{os_error_text(e)}；{dest} 中没有留下不完整的备份") from None
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    if progress is not None:
        progress(1.0, "")
    result.seconds = time.monotonic() - started
    return result


def find_backup(source: Path) -> Path:
    """The backup to restore: `source` itself when it is one (it holds BACKUP.json or CURRENT), else the newest
    complete backup in it; PartialBackup when there is none."""
    source = Path(source)
    if (source / INDEX_NAME).exists() or (source / "CURRENT").exists() or (source / "snapshots").is_dir():
        return source
    sets = backup_sets(source)
    if not sets:
        raise PartialBackup(f"{source} 中没有完整的备份（缺少 CURRENT 的备份是中断的，不能恢复）")
    return sets[-1]


def read_backup(folder: Path) -> dict:
    """A backup's index, once it is known to be complete (CURRENT written, naming a snapshot it holds);
    PartialBackup otherwise."""
    if not (folder / "CURRENT").is_file():
        raise PartialBackup(f"备份 {folder} 不完整（没有 CURRENT：备份在写入时中断），不能恢复")
    try:
        index = json.loads((folder / INDEX_NAME).read_text(encoding="utf-8"))
        current = (folder / "CURRENT").read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise PartialBackup(f"备份 {folder} 不完整（缺少 {INDEX_NAME}），不能恢复") from None
    except (OSError, ValueError) as e:
        raise PartialBackup(f"备份 {folder} 的 {INDEX_NAME} 无法读取（{type(e).__name__}），不能恢复") from None
    if not isinstance(index, dict) or index.get("format") != FORMAT or current != index.get("current") \
            or current not in index.get("snapshots", []):
        raise PartialBackup(f"备份 {folder} 的 CURRENT 与 {INDEX_NAME} 不一致，不能恢复")
    return index


@dataclass
class RestoreResult:
    """A finished restore: from which backup, the snapshots and CURRENT, what was written."""

    source: Path
    current: str
    snapshots: list[str]
    stats: CopyStats = field(default_factory=CopyStats)


def restore(source: Path, target: Path, progress: Progress | None = None) -> RestoreResult:
    """Copy a complete backup into an empty (or new) data folder, every file hashed against its manifest or the
    backup's index, CURRENT last. PartialBackup for a backup cut short or missing a snapshot, DamagedFile for a file
    that does not match, SnapshotError when the target is not empty; nothing is left in the target on failure."""
    folder = find_backup(source)
    index = read_backup(folder)
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise SnapshotError(f"恢复的目标数据目录必须是空的或不存在: {target}")
    backup_store = SnapshotStore(folder)
    snapshots = []
    for snapshot_id in index["snapshots"]:
        if not (backup_store.snapshots_dir / snapshot_id).is_dir():
            raise PartialBackup(f"备份 {folder} 不完整（缺少快照 {snapshot_id}），不能恢复")
        snapshots.append(backup_store.get(snapshot_id))
    created = not target.exists()
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise StoreIOError(f"无法创建数据目录 {target}：{os_error_text(e)}") from None
    tmp = target / f".restore-{uuid.uuid4().hex}"
    result = RestoreResult(folder, index["current"], [s.id for s in snapshots])
    total, done = sum(snapshot_bytes(s) for s in snapshots), 0

    def step(size: int, path: str) -> None:
        nonlocal done
        done += size
        if progress is not None:
            progress(done / max(total, 1), path)

    try:
        pool = LinkPool()
        for snapshot in snapshots:
            copy_snapshot(snapshot, tmp / "snapshots" / snapshot.id, pool, result.stats, step)
        for entry in index.get("files", []):
            _restore_state(folder, tmp, entry, result.stats)
        write_durably(tmp / "CURRENT", f"{index['current']}\n".encode())
        fsync_dir(tmp)
        # Into place: everything else, then CURRENT, so a data folder with CURRENT is a complete one.
        for entry in sorted(tmp.iterdir(), key=lambda p: p.name == "CURRENT"):
            os.rename(entry, target / entry.name)
        fsync_dir(target)
        tmp.rmdir()
    except BaseException as e:
        shutil.rmtree(tmp, ignore_errors=True)
        for leftover in target.iterdir() if target.is_dir() else []:   # the target was empty: nothing of ours stays
            shutil.rmtree(leftover, ignore_errors=True) if leftover.is_dir() else leftover.unlink(missing_ok=True)
        if created:
            with contextlib.suppress(OSError):
                target.rmdir()
        if isinstance(e, OSError):
            raise StoreIOError(f"恢复失败：{os_error_text(e)}；目标数据目录 {target} 中没有留下文件") from None
        raise
    if progress is not None:
        progress(1.0, "")
    return result


def _restore_state(folder: Path, tmp: Path, entry: dict, stats: CopyStats) -> None:
    """Copy one state file out of a backup after checking it against the backup's index."""
    name = entry.get("path", "")
    if not isinstance(name, str) or name.startswith("/") or ".." in Path(name).parts:
        raise PartialBackup(f"备份 {folder} 的 {INDEX_NAME} 列出了无效的路径 {name!r}，不能恢复")
    try:
        data = (folder / name).read_bytes()
    except FileNotFoundError:
        raise DamagedBackupFile(folder.name, name, "缺失") from None
    if len(data) != entry.get("bytes") or hashlib.sha256(data).hexdigest() != entry.get("sha256"):
        raise DamagedBackupFile(folder.name, name, "校验和不符（已损坏或被改动）")
    (tmp / name).parent.mkdir(parents=True, exist_ok=True)
    write_durably(tmp / name, data, SECRET_MODE)
    stats.copied_files += 1
    stats.copied_bytes += len(data)
