"""Immutable snapshots of all tables in Parquet, a manifest each listing every file, and an atomically moved CURRENT
pointer; files are verified by sha256 before their figures are used (fupin.snapshot_writer writes snapshots)."""

import contextlib
import datetime as dt
import errno
import fcntl
import hashlib
import json
import os
import re
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.parquet as pq

from . import layout
from .schema import ADDED_TABLES, DERIVED_TABLES, SCHEMA_VERSION, TABLES

if TYPE_CHECKING:
    from .snapshot_writer import SnapshotWriter

SNAPSHOT_ID = re.compile(r"^\d{4}-\d{2}-\d{2}_\d{8}T\d{12}Z$")
# Schema versions a store may still hold: 1 (no county_code) and 2 (county_code, one file per table) are listed and
# upgraded (fupin.upgrade), never served; their snapshots lack the tables added since.
OLDER_VERSIONS = {1: ("counties", "groups"), 2: ()}
# In a snapshot folder between its rename into place and CURRENT moving to it; a folder still holding it
# after its writer died never became current (an orphan).
PENDING = ".pending"
# What an OSError's errno means for a clerk.
OS_ERRORS = {errno.ENOSPC: "磁盘空间已满", errno.EROFS: "数据目录是只读的", errno.EACCES: "没有写入数据目录的权限",
             errno.EPERM: "没有写入数据目录的权限", errno.EDQUOT: "超出磁盘配额", errno.EIO: "磁盘读写错误"}


class SnapshotError(Exception):
    """A snapshot is missing, malformed or cannot be written."""


class StoreBusy(SnapshotError):
    """Another process holds the store's write lock."""


class DamagedFile(SnapshotError):
    """A snapshot's file is missing, unreadable or differs from its manifest: its figures must not be shown."""

    def __init__(self, snapshot_id: str, file: str, reason: str):
        self.snapshot_id, self.file, self.reason = snapshot_id, file, reason
        super().__init__(f"快照 {snapshot_id} 的文件 {file} {reason}")


class StoreIOError(SnapshotError):
    """Reading or writing the data folder failed (disk full, read-only, ...); nothing was changed."""


def os_error_text(error: BaseException) -> str:
    """A short Chinese reason for an I/O failure (also DuckDB's and pyarrow's, which carry it in the text)."""
    code = getattr(error, "errno", None)
    if code in OS_ERRORS:
        return OS_ERRORS[code]
    text = str(error)
    for needle, reason in (("No space left", errno.ENOSPC), ("Read-only file system", errno.EROFS),
                           ("Permission denied", errno.EACCES), ("Disk quota", errno.EDQUOT)):
        if needle in text:
            return OS_ERRORS[reason]
    detail = getattr(error, "strerror", None) or (text.splitlines()[0] if text else type(error).__name__)
    return f"读写文件失败（{detail}）"


@dataclass(frozen=True)
class Snapshot:
    """One complete, immutable snapshot folder and its manifest."""

    id: str
    path: Path
    manifest: dict

    @property
    def as_of(self) -> dt.date:
        return dt.date.fromisoformat(self.manifest["as_of"])

    @property
    def needs_upgrade(self) -> bool:
        """Whether the snapshot was written by an older schema or layout (fupin.upgrade rewrites it)."""
        return self.manifest.get("schema_version") != SCHEMA_VERSION

    def files(self, name: str) -> list[dict]:
        """The manifest entries (path, rows, bytes, sha256) of a table's files; none for a table it lacks."""
        entry = self.manifest["tables"].get(name)
        if entry is None:
            return []
        if "files" in entry:
            return entry["files"]
        # Layouts before schema 3: one file per table, described by the table's own entry.
        return [{"path": entry["file"], "rows": entry["rows"], "bytes": entry.get("bytes"), "sha256": entry["sha256"]}]

    def file_paths(self, name: str) -> list[Path]:
        """The absolute paths of a table's files."""
        return [self.path / f["path"] for f in self.files(name)]

    def table_path(self, name: str) -> Path:
        """A table's file, or for a partitioned table the root folder of its Hive tree (what Spark reads)."""
        if layout.partitioned(name) and not self.needs_upgrade:
            return self.path / name
        return self.path / self.files(name)[0]["path"]

    def rows(self, name: str) -> int:
        """A table's rows (0 for a table added since the snapshot was written)."""
        return self.manifest["tables"].get(name, {}).get("rows", 0)

    def partitions(self, name: str) -> set[tuple[str, int]]:
        """The (county_code, year) partitions a table has files in."""
        return {layout.partition_of(f["path"]) for f in self.files(name)} - {None}


class _VerifiedFiles:
    """Files whose sha256 matched their manifest in this process, by (path, size, mtime_ns, inode, sha256):
    a file is hashed again only when one of these changes. Shared by threads."""

    def __init__(self):
        self._seen: set[tuple] = set()
        self._lock = threading.Lock()

    def __contains__(self, key: tuple) -> bool:
        with self._lock:
            return key in self._seen

    def add(self, key: tuple) -> None:
        with self._lock:
            self._seen.add(key)

    def discard(self, key: tuple) -> None:
        """Forget a file found damaged, and every hard link to it (other snapshots' paths of the same inode)."""
        with self._lock:
            self._seen = {seen for seen in self._seen if seen[3] != key[3]}


VERIFIED = _VerifiedFiles()


def sha256_of(path: Path, block_bytes: int = 1 << 20, after_block: "Callable[[int], None] | None" = None) -> str:
    """The hex SHA-256 of a file's bytes, read `block_bytes` at a time; `after_block(length)` is called after each
    block (the background pass sleeps there)."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(block_bytes), b""):
            digest.update(block)
            if after_block is not None:
                after_block(len(block))
    return digest.hexdigest()


def fsync_dir(path: Path) -> None:
    """Make a folder's entries durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remember_verified(path: Path, sha256: str) -> None:
    """Record a file whose bytes are known to match `sha256` (just hashed, or a hard link to a verified file)."""
    stat = os.stat(path)
    VERIFIED.add((str(path), stat.st_size, stat.st_mtime_ns, stat.st_ino, sha256))


def _check(snapshot: Snapshot, entry: dict, fresh: bool, after_block: "Callable[[int], None] | None" = None,
           block_bytes: int = 1 << 20) -> bool:
    """Raise DamagedFile unless a file matches its manifest entry; returns whether it was hashed (not cached).

    A file found damaged is dropped from the verified files, as if its size or mtime had changed: a hash that no
    longer matches (the background pass, a read error) is never outweighed by an earlier one that did.
    """
    path = f"{snapshot.path}/{entry['path']}"   # a string: a Path join per file per query costs more than the stat
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        raise DamagedFile(snapshot.id, entry["path"], "缺失") from None
    except OSError as e:
        raise DamagedFile(snapshot.id, entry["path"], f"无法读取（{os_error_text(e)}）") from None
    key = (path, stat.st_size, stat.st_mtime_ns, stat.st_ino, entry["sha256"])
    if not fresh and key in VERIFIED:
        return False
    try:
        _compare(snapshot.id, path, entry, stat.st_size, after_block, block_bytes)
    except DamagedFile:
        VERIFIED.discard(key)
        raise
    VERIFIED.add(key)
    return True


def _compare(snapshot_id: str, path: str, entry: dict, size: int, after_block: "Callable[[int], None] | None",
             block_bytes: int) -> None:
    """Raise DamagedFile unless a file's size, sha256 and row count match its manifest entry."""
    if entry.get("bytes") is not None and size != entry["bytes"]:
        raise DamagedFile(snapshot_id, entry["path"], "大小与清单不符（已被截断或改动）")
    try:
        digest = sha256_of(path, block_bytes, after_block)
    except OSError as e:
        raise DamagedFile(snapshot_id, entry["path"], f"无法读取（{os_error_text(e)}）") from None
    if digest != entry["sha256"]:
        raise DamagedFile(snapshot_id, entry["path"], "校验和不符（已损坏或被改动）")
    try:
        rows = pq.ParquetFile(path).metadata.num_rows
    except (OSError, pa.ArrowException) as e:
        raise DamagedFile(snapshot_id, entry["path"], f"无法读取（{type(e).__name__}）") from None
    if rows != entry["rows"]:
        raise DamagedFile(snapshot_id, entry["path"], "行数与清单不符")


def check_file(snapshot: Snapshot, path: str, fresh: bool = False) -> None:
    """Raise DamagedFile unless one file (its path relative to the snapshot) matches the manifest's size, sha256 and
    row count.

    The hash is computed the first time in this process and again whenever the file's size, mtime or inode
    changes (or always, with `fresh`); otherwise this costs one stat.
    """
    for name in snapshot.manifest["tables"]:
        for entry in snapshot.files(name):
            if entry["path"] == path:
                _check(snapshot, entry, fresh)
                return
    raise DamagedFile(snapshot.id, path, "不在清单中")


def verify(snapshot: Snapshot, fresh: bool = True) -> None:
    """Raise DamagedFile unless every file matches the manifest's sha256 and row count.

    `fresh` hashes every file again; without it a file verified before in this process costs one stat.
    """
    for name in snapshot.manifest["tables"]:
        for entry in snapshot.files(name):
            _check(snapshot, entry, fresh)


def recheck(snapshot: Snapshot, after_block: "Callable[[int], None] | None" = None,
            block_bytes: int = 1 << 20) -> "Iterator[tuple[dict, DamagedFile | None]]":
    """Hash every file of a snapshot again, whatever its stat says, yielding each manifest entry with its damage (None
    when it matches); `after_block` is called after each block read (`python -m fupin verify`, the background pass)."""
    for name in snapshot.manifest["tables"]:
        for entry in snapshot.files(name):
            try:
                _check(snapshot, entry, True, after_block, block_bytes)
            except DamagedFile as e:
                yield entry, e
            else:
                yield entry, None


def read_table(snapshot: Snapshot, name: str) -> pa.Table:
    """A whole table in its schema, the partition columns put back (for small tables: registers, reference)."""
    schema = TABLES[name]
    parts = []
    for entry in snapshot.files(name):
        part = pq.read_table(snapshot.path / entry["path"])
        where = layout.partition_of(entry["path"])
        if where is not None:
            for column, value in zip(layout.PARTITION_COLUMNS, where):
                if column in schema.names:
                    part = part.append_column(column, pa.array([value] * part.num_rows, schema.field(column).type))
        parts.append(part.select(schema.names).cast(schema))
    return pa.concat_tables(parts) if parts else schema.empty_table()


def _servable(snapshot: Snapshot) -> None:
    """Raise SnapshotError for a snapshot written by an older schema or layout: its files are upgraded, not shown."""
    if snapshot.needs_upgrade:
        raise SnapshotError(f"快照 {snapshot.id} 是旧的存储格式（数据版本 {snapshot.manifest.get('schema_version')}），"
                            "需要升级后才能显示（python -m fupin upgrade）")


@dataclass(frozen=True)
class Served:
    """The snapshot to show, and why it is not the one asked for (Chinese notices; empty when it is)."""

    snapshot: Snapshot
    notices: tuple[str, ...] = ()

    @property
    def fell_back(self) -> bool:
        return bool(self.notices)


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
                _servable(snapshot)
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
        _servable(snapshot)
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

    def writer(self, as_of: dt.date, source: dict, parent: Snapshot | None = None) -> "SnapshotWriter":
        """A writer for a new snapshot (use as a context manager)."""
        from .snapshot_writer import SnapshotWriter

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
        """Rewrite a current snapshot of an older version in the current layout (fupin.upgrade); one that cannot be
        (damaged, unreadable) is left for `serve` to report."""
        from .upgrade import upgrade_current

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
