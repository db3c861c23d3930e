"""Immutable snapshots of all tables in Parquet, a manifest each, and an atomically moved CURRENT pointer."""

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
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .schema import COUNTY_FROM, DERIVED_TABLES, SCHEMA_VERSION, TABLES

SNAPSHOT_ID = re.compile(r"^\d{4}-\d{2}-\d{2}_\d{8}T\d{12}Z$")
ROW_GROUP_ROWS = 256 * 1024
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

    def table_path(self, name: str) -> Path:
        return self.path / self.manifest["tables"][name]["file"]

    def rows(self, name: str) -> int:
        return self.manifest["tables"][name]["rows"]


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


VERIFIED = _VerifiedFiles()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _as_batches(data, name: str) -> Iterable[pa.Table]:
    """Yield Arrow tables in the table's schema from a DataFrame, a Table or an iterable of either; rows without a
    county_code get the county their place code begins with (COUNTY_FROM)."""
    schema = TABLES[name]
    needs_county = "county_code" in schema.names
    if isinstance(data, (pd.DataFrame, pa.Table, pa.RecordBatch)):
        data = [data]
    for part in data:
        if isinstance(part, pd.DataFrame):
            if needs_county and "county_code" not in part.columns:
                part = part.assign(county_code=part[COUNTY_FROM[name]].str[:6])
            part = pa.Table.from_pandas(part[schema.names], schema=schema, preserve_index=False)
        elif isinstance(part, pa.RecordBatch):
            part = pa.Table.from_batches([part])
        if needs_county and "county_code" not in part.column_names:
            part = part.append_column("county_code", pc.utf8_slice_codeunits(part[COUNTY_FROM[name]], 0, 6))
        yield part.select(schema.names).cast(schema)


def _row_groups(parts: Iterable[pa.Table]) -> Iterable[pa.Table]:
    """Gather small parts into tables of about ROW_GROUP_ROWS rows, so a stream of chunks makes full row groups."""
    pending, rows = [], 0
    for part in parts:
        pending.append(part)
        rows += part.num_rows
        if rows >= ROW_GROUP_ROWS:
            yield pa.concat_tables(pending)
            pending, rows = [], 0
    if pending:
        yield pa.concat_tables(pending)


class SnapshotWriter:
    """Builds a snapshot in a hidden temporary folder; nothing is visible until `commit`."""

    def __init__(self, store: "SnapshotStore", as_of: dt.date, source: dict, parent: Snapshot | None):
        self.store = store
        self.as_of = as_of
        self.source = source
        self.parent = parent
        self.tmp = store.snapshots_dir / f".tmp-{uuid.uuid4().hex}"
        self.tmp.mkdir(parents=True)
        self.tables: dict[str, dict] = {}
        self.written: set[str] = set()
        self.history: list[dict] = list(parent.manifest.get("imports", [])) if parent else []

    def write(self, name: str, data) -> int:
        """Stream a table into the snapshot; returns its row count. Purchases are then clustered (fupin.rollup)."""
        from . import rollup

        schema = TABLES[name]
        path = self.tmp / f"{name}.parquet"
        streamed = self.tmp / f".{name}.streamed.parquet" if name == rollup.SOURCE else path
        rows = 0
        with pq.ParquetWriter(streamed, schema, compression="zstd") as out:
            for part in _row_groups(_as_batches(data, name)):
                out.write_table(part, row_group_size=ROW_GROUP_ROWS)
                rows += part.num_rows
        if streamed != path:
            rollup.cluster(streamed, path, self.tmp)
            streamed.unlink()
        self._record(name, path, rows)
        self.written.add(name)
        return rows

    def carry(self, name: str, snapshot: Snapshot) -> None:
        """Reuse a table unchanged from another snapshot (hard link, else copy); a derived table the other
        snapshot lacks is derived at commit instead."""
        if name in DERIVED_TABLES and name not in snapshot.manifest["tables"]:
            return
        path = self.tmp / f"{name}.parquet"
        try:
            os.link(snapshot.table_path(name), path)
        except OSError:
            shutil.copyfile(snapshot.table_path(name), path)
        self._record(name, path, snapshot.rows(name))
        # Hashing the link is hashing the parent's file: a damaged one is never carried into a new snapshot.
        if self.tables[name]["sha256"] != snapshot.manifest["tables"][name]["sha256"]:
            raise DamagedFile(snapshot.id, snapshot.manifest["tables"][name]["file"], "校验和不符（已损坏或被改动）")

    def _record(self, name: str, path: Path, rows: int) -> None:
        with open(path, "rb+") as f:
            os.fsync(f.fileno())
        self.tables[name] = {"file": path.name, "rows": rows, "bytes": path.stat().st_size,
                             "sha256": _sha256(path)}

    def _derive(self) -> None:
        """(Re)compute each derived table whose source was written here, or that is still missing."""
        from . import rollup

        for name, source in DERIVED_TABLES.items():
            if source in self.tables and (source in self.written or name not in self.tables):
                path = self.tmp / f"{name}.parquet"
                rollup.derive(name, self.tmp / self.tables[source]["file"], path, self.tmp)
                self._record(name, path, pq.ParquetFile(path).metadata.num_rows)

    def commit(self, make_current: bool = True, imports: list[dict] | None = None) -> Snapshot:
        """Derive the rollups, write the manifest, verify every file, rename into place and optionally point
        CURRENT at it."""
        self._derive()
        shutil.rmtree(self.tmp / ".duckdb_tmp", ignore_errors=True)
        missing = set(TABLES) - set(self.tables)
        if missing:
            raise SnapshotError(f"快照缺少数据表: {', '.join(sorted(missing))}")
        created = dt.datetime.now(dt.UTC)
        snapshot_id = f"{self.as_of.isoformat()}_{created:%Y%m%dT%H%M%S%f}Z"
        manifest = {
            "schema_version": SCHEMA_VERSION,
            "id": snapshot_id,
            "as_of": self.as_of.isoformat(),
            "created_at": created.isoformat(timespec="seconds"),
            "parent": self.parent.id if self.parent else None,
            "source": self.source,
            "imports": self.history + (imports or []),
            "tables": self.tables,
        }
        manifest_path = self.tmp / "manifest.json"
        manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        with open(manifest_path, "rb+") as f:
            os.fsync(f.fileno())
        _fsync_dir(self.tmp)
        snapshot = Snapshot(snapshot_id, self.tmp, manifest)
        verify(snapshot)
        if make_current:
            (self.tmp / PENDING).touch()
        final = self.store.snapshots_dir / snapshot_id
        os.rename(self.tmp, final)
        _fsync_dir(self.store.snapshots_dir)
        snapshot = Snapshot(snapshot_id, final, manifest)
        _remember_verified(snapshot)
        if make_current:
            try:
                self.store.point_current(snapshot_id)
            except BaseException:   # CURRENT did not move: take the new snapshot out of sight again
                os.rename(final, self.tmp)
                raise
            (final / PENDING).unlink(missing_ok=True)
        return snapshot

    def abort(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self) -> "SnapshotWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.tmp.exists():
            self.abort()


def check_file(snapshot: Snapshot, name: str, fresh: bool = False) -> None:
    """Raise DamagedFile unless a table's file matches the manifest's size and sha256.

    The hash is computed the first time in this process and again whenever the file's size, mtime or inode
    changes (or always, with `fresh`); otherwise this costs one stat.
    """
    entry = snapshot.manifest["tables"][name]
    path = snapshot.path / entry["file"]
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        raise DamagedFile(snapshot.id, entry["file"], "缺失") from None
    except OSError as e:
        raise DamagedFile(snapshot.id, entry["file"], f"无法读取（{os_error_text(e)}）") from None
    key = (str(path), stat.st_size, stat.st_mtime_ns, stat.st_ino, entry["sha256"])
    if not fresh and key in VERIFIED:
        return
    if "bytes" in entry and stat.st_size != entry["bytes"]:
        raise DamagedFile(snapshot.id, entry["file"], "大小与清单不符（已被截断或改动）")
    try:
        digest = _sha256(path)
    except OSError as e:
        raise DamagedFile(snapshot.id, entry["file"], f"无法读取（{os_error_text(e)}）") from None
    if digest != entry["sha256"]:
        raise DamagedFile(snapshot.id, entry["file"], "校验和不符（已损坏或被改动）")
    VERIFIED.add(key)


def _remember_verified(snapshot: Snapshot) -> None:
    """Record the files of a snapshot verified just now under another path (a rename keeps size, mtime, inode)."""
    for entry in snapshot.manifest["tables"].values():
        stat = os.stat(snapshot.path / entry["file"])
        VERIFIED.add((str(snapshot.path / entry["file"]), stat.st_size, stat.st_mtime_ns, stat.st_ino, entry["sha256"]))


def verify(snapshot: Snapshot, fresh: bool = True) -> None:
    """Raise DamagedFile unless every table file matches the manifest's sha256 (and, when `fresh`, its row count).

    `fresh` hashes every file again; without it a file verified before in this process costs one stat.
    """
    for name, entry in snapshot.manifest["tables"].items():
        check_file(snapshot, name, fresh)
        if fresh:
            try:
                rows = pq.ParquetFile(snapshot.path / entry["file"]).metadata.num_rows
            except (OSError, pa.ArrowException) as e:
                raise DamagedFile(snapshot.id, entry["file"], f"无法读取（{type(e).__name__}）") from None
            if rows != entry["rows"]:
                raise DamagedFile(snapshot.id, entry["file"], "行数与清单不符")


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

    def list(self) -> list[Snapshot]:
        """Complete snapshots, oldest first (temporary, malformed and orphaned folders are skipped)."""
        current = self.current_id()
        found = []
        for path in self._folders():
            if (path / PENDING).exists() and path.name != current:
                continue
            with contextlib.suppress(SnapshotError):
                found.append(self.get(path.name))
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
        if not isinstance(manifest, dict) or manifest.get("schema_version") != SCHEMA_VERSION:
            raise SnapshotError(f"快照 {snapshot_id} 的数据版本不受支持")
        if not isinstance(manifest.get("tables"), dict) or set(TABLES) - set(manifest["tables"]) - set(DERIVED_TABLES):
            raise DamagedFile(snapshot_id, "manifest.json", "不完整（缺少数据表）")
        return Snapshot(snapshot_id, path, manifest)

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
            if candidate.id == skip:
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
        """Verify a snapshot (every file hashed again), then point CURRENT at it."""
        verify(self.get(snapshot_id))
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
        _fsync_dir(self.root)

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
        """At start: remove what dead writers left, if no writer holds the lock now (else leave it for later).

        Returns the names removed; never raises for a missing or read-only data folder.
        """
        if not self.root.is_dir():
            return []
        try:
            with self.lock(wait_seconds=0, clean=False):
                return self._remove_abandoned()
        except (StoreBusy, StoreIOError, OSError):
            return []

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
