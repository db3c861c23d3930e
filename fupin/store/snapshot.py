"""Immutable snapshots of all tables in Parquet, a manifest each listing every file, and an atomically moved CURRENT
pointer; files are verified by sha256 before their figures are used (fupin.store.writer writes snapshots)."""

import datetime as dt
import errno
import hashlib
import os
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from . import layout
from .schema import SCHEMA_VERSION, TABLES

SNAPSHOT_ID = re.compile(r"^\d{4}-\d{2}-\d{2}_\d{8}T\d{12}Z$")
# Schema versions a store may still hold: 1 (no county_code) and 2 (county_code, one file per table) are listed and
# upgraded (fupin.store.upgrade), never served; their snapshots lack the tables added since.
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
        """Whether the snapshot was written by an older schema or layout (fupin.store.upgrade rewrites it)."""
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


def check_servable(snapshot: Snapshot) -> None:
    """Raise SnapshotError for a snapshot written by an older schema or layout: its files are upgraded, not shown."""
    if snapshot.needs_upgrade:
        raise SnapshotError(f"快照 {snapshot.id} 是旧的存储格式（数据版本 {snapshot.manifest.get('schema_version')}），"
                            "需要升级后才能显示（python -m fupin upgrade）")
