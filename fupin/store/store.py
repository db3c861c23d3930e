"""The data folder: its snapshots, the CURRENT pointer moved atomically under the store's lock, and what is served
(a snapshot whose files verify, else the newest one that does, with a notice)."""

import contextlib
import datetime as dt
import fcntl
import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from . import layout
from .schema import ADDED_TABLES, DERIVED_TABLES, SCHEMA_VERSION, TABLES
from .snapshot import (
    OLDER_VERSIONS,
    PENDING,
    SNAPSHOT_ID,
    DamagedFile,
    Snapshot,
    SnapshotError,
    StoreBusy,
    StoreIOError,
    check_servable,
    fsync_dir,
    os_error_text,
    verify,
)
from .upgrade import upgrade_current
from .writer import SnapshotWriter


@dataclass(frozen=True)
class Served:
    """The snapshot to show, and why it is not the one asked for (Chinese notices; empty when it is)."""

    snapshot: Snapshot
    notices: tuple[str, ...] = ()


class SnapshotStore:
    """A data folder holding `snapshots/<id>/` and the `CURRENT` pointer."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.snapshots_dir = self.root / "snapshots"
        self.current_file = self.root / "CURRENT"

    def _folders(self) -> "list[Path]":
        try:
            return sorted(p for p in self.snapshots_dir.iterdir() if SNAPSHOT_ID.match(p.name))
        except (FileNotFoundError, NotADirectoryError):
            return []

    def has_snapshots(self) -> bool:
        """Whether any snapshot folder exists, complete or not (demo data is generated only when none does)."""
        return bool(self._folders())

    def ids(self) -> list[str]:
        """The ids of the snapshot folders in place (temporary and orphaned ones left out), whether or not their
        manifest reads, in id order."""
        current = self.current_id()
        return [path.name for path in self._folders() if path.name == current or not (path / PENDING).exists()]

    def list(self) -> list[Snapshot]:
        """Complete snapshots, oldest first (temporary, malformed and orphaned folders are skipped)."""
        found = []
        for snapshot_id in self.ids():
            with contextlib.suppress(SnapshotError):
                found.append(self.get(snapshot_id))
        return sorted(found, key=lambda s: s.manifest["created_at"] + s.id)

    def get(self, snapshot_id: str) -> Snapshot:
        """The snapshot with this id, or SnapshotError."""
        if not SNAPSHOT_ID.match(snapshot_id or ""):
            raise SnapshotError(f"快照编号无效: {snapshot_id}")
        path = self.snapshots_dir / snapshot_id
        if not path.is_dir():
            raise SnapshotError(f"快照不存在或不完整: {snapshot_id}")
        try:
            manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise DamagedFile(snapshot_id, "manifest.json", "缺失（快照不完整）") from None
        except (OSError, ValueError) as e:
            raise DamagedFile(snapshot_id, "manifest.json", f"无法读取（{type(e).__name__}）") from None
        version = manifest.get("schema_version") if isinstance(manifest, dict) else None
        if version != SCHEMA_VERSION and version not in OLDER_VERSIONS:
            raise SnapshotError(f"快照 {snapshot_id} 的数据版本不受支持")
        required = set(TABLES) - set(DERIVED_TABLES) - set(ADDED_TABLES) - set(OLDER_VERSIONS.get(version, ()))
        if not isinstance(manifest.get("tables"), dict) or required - set(manifest["tables"]):
            raise DamagedFile(snapshot_id, "manifest.json", "不完整（缺少数据表）")
        snapshot = Snapshot(snapshot_id, path, manifest)
        if not snapshot.needs_upgrade and not all(layout.FILE_PATH.match(f.get("path", "")) for name in TABLES
                                                  for f in snapshot.files(name)):
            raise DamagedFile(snapshot_id, "manifest.json", "格式不对（文件路径无效）")
        return snapshot

    def current_id(self) -> str | None:
        """The snapshot id CURRENT names, or None when CURRENT is missing, unreadable or not a snapshot id."""
        try:
            text = self.current_file.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            return None
        return text if SNAPSHOT_ID.match(text) else None

    def current(self) -> Snapshot:
        """The snapshot CURRENT points at, or SnapshotError when there is none."""
        snapshot_id = self.current_id()
        if snapshot_id is None:
            if self.has_snapshots():
                raise SnapshotError(f"数据目录 {self.root} 的 CURRENT 指针缺失或无效")
            raise SnapshotError(f"数据目录 {self.root} 中还没有快照")
        return self.get(snapshot_id)

    def serve(self, snapshot_id: str | None = None, fall_back: bool = True) -> Served:
        """The snapshot to show: `snapshot_id`, else the one CURRENT names, once its files verify.

        With no valid CURRENT the newest snapshot that verifies is served, and a notice says so. A damaged or
        incomplete snapshot is never served: with `fall_back` the newest one that verifies is served instead,
        with a notice naming the damaged file and the snapshot shown; without it DamagedFile is raised.
        Verification hashes a file once per process (and when it changes), so calling this every page run is
        cheap. SnapshotError when the store holds no snapshot, or none that verifies.
        """
        notices: list[str] = []
        wanted = snapshot_id or self.current_id()
        skip = None
        if wanted is None:
            if not self.has_snapshots():
                raise SnapshotError(f"数据目录 {self.root} 中还没有快照")
            state = "缺失" if not self.current_file.exists() else "无效（不是快照编号）"
            notices.append(f"CURRENT 指针{state}")
        else:
            try:
                snapshot = self.get(wanted)
                check_servable(snapshot)
                verify(snapshot, fresh=False)
                return Served(snapshot)
            except DamagedFile as e:
                if not fall_back:
                    raise
                notices.append(str(e))
            except SnapshotError as e:
                if not fall_back and snapshot_id is not None:
                    raise
                notices.append(str(e) if snapshot_id else f"CURRENT 指向的{e}")
            skip = wanted
        for candidate in reversed(self.list()):
            if candidate.id == skip or candidate.needs_upgrade:
                continue
            try:
                verify(candidate, fresh=False)
            except DamagedFile as e:
                notices.append(str(e))
                continue
            notices[0] += f"；改为显示最新的通过校验的快照 {candidate.id}（截至 {candidate.as_of.isoformat()}）"
            return Served(candidate, tuple(notices))
        raise SnapshotError(f"数据目录 {self.root} 中没有可用的快照：{'；'.join(notices)}")

    def set_current(self, snapshot_id: str) -> None:
        """Verify a snapshot (every file hashed again), then point CURRENT at it (not at one needing the upgrade)."""
        snapshot = self.get(snapshot_id)
        check_servable(snapshot)
        verify(snapshot)
        self.point_current(snapshot_id)

    def point_current(self, snapshot_id: str) -> None:
        """Point CURRENT at an already verified snapshot by an atomic rename."""
        tmp = self.root / f".CURRENT.{uuid.uuid4().hex}"
        try:
            tmp.write_text(snapshot_id + "\n", encoding="utf-8")
            with open(tmp, "rb+") as f:
                os.fsync(f.fileno())
            os.replace(tmp, self.current_file)
        except OSError as e:
            raise StoreIOError(f"无法更新 CURRENT 指针：{os_error_text(e)}；没有做任何更改") from None
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
        fsync_dir(self.root)

    def writer(self, as_of: dt.date, source: dict, parent: Snapshot | None = None) -> SnapshotWriter:
        """A writer for a new snapshot (use as a context manager)."""
        return SnapshotWriter(self, as_of, source, parent)

    def _remove_abandoned(self) -> "list[str]":
        """Delete what writers that died left: temporary folders, and snapshots renamed into place whose CURRENT
        never moved to them (orphans). Only safe while holding the lock; returns what was removed."""
        removed = []
        if self.snapshots_dir.is_dir():
            current = self.current_id()
            for path in self._folders():
                if (path / PENDING).exists():
                    if path.name == current:   # died after CURRENT moved: it is complete and in use
                        (path / PENDING).unlink(missing_ok=True)
                    else:                      # out of sight at once, then deleted
                        hidden = self.snapshots_dir / f".tmp-orphan-{path.name}"
                        os.rename(path, hidden)
                        removed.append(path.name)
            for path in self.snapshots_dir.glob(".tmp-*"):
                shutil.rmtree(path, ignore_errors=True)
                if not path.name.startswith(".tmp-orphan-"):
                    removed.append(path.name)
        for path in self.root.glob(".CURRENT.*"):
            path.unlink(missing_ok=True)
        return removed

    def clean_leftovers(self) -> "list[str]":
        """At start: remove what dead writers left and upgrade a current snapshot of an older version, if no writer
        holds the lock now (else leave it for later).

        Returns the names removed; never raises for a missing or read-only data folder.
        """
        if not self.root.is_dir():
            return []
        try:
            with self.lock(wait_seconds=0, clean=False):
                removed = self._remove_abandoned()
                self._upgrade_current()
                return removed
        except (StoreBusy, StoreIOError, OSError):
            return []

    def _upgrade_current(self) -> None:
        """Rewrite a current snapshot of an older version in the current layout (fupin.store.upgrade); one that cannot be
        (damaged, unreadable) is left for `serve` to report."""
        with contextlib.suppress(SnapshotError):
            upgrade_current(self)

    @contextlib.contextmanager
    def lock(self, wait_seconds: float = 0.0, clean: bool = True):
        """Hold the store's exclusive write lock, waiting at most `wait_seconds`, else StoreBusy.

        Every writer holds it, so on entry any leftover temporary folder belongs to a dead writer. StoreIOError
        when the lock file cannot be created (read-only or full data folder).
        """
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            handle = open(self.root / ".lock", "a+")
        except OSError as e:
            raise StoreIOError(f"无法打开数据目录 {self.root} 的写锁：{os_error_text(e)}；没有做任何更改") from None
        with handle:
            deadline = time.monotonic() + wait_seconds
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise StoreBusy("另一个导入正在进行，请稍后再试") from None
                    time.sleep(0.1)
            try:
                if clean:
                    self._remove_abandoned()
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
