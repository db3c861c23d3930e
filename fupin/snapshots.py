"""Immutable snapshots of all tables in Parquet, a manifest each, and an atomically moved CURRENT pointer."""

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


class SnapshotError(Exception):
    """A snapshot is missing, malformed or cannot be written."""


class StoreBusy(SnapshotError):
    """Another process holds the store's write lock."""


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
        final = self.store.snapshots_dir / snapshot_id
        os.rename(self.tmp, final)
        _fsync_dir(self.store.snapshots_dir)
        snapshot = Snapshot(snapshot_id, final, manifest)
        if make_current:
            self.store.point_current(snapshot_id)
        return snapshot

    def abort(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self) -> "SnapshotWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.tmp.exists():
            self.abort()


def verify(snapshot: Snapshot) -> None:
    """Raise SnapshotError unless every table file matches the manifest's rows and sha256."""
    for name, entry in snapshot.manifest["tables"].items():
        path = snapshot.path / entry["file"]
        if not path.is_file():
            raise SnapshotError(f"快照 {snapshot.id} 缺少文件 {entry['file']}")
        if _sha256(path) != entry["sha256"]:
            raise SnapshotError(f"快照 {snapshot.id} 的文件 {entry['file']} 校验和不符")
        if pq.ParquetFile(path).metadata.num_rows != entry["rows"]:
            raise SnapshotError(f"快照 {snapshot.id} 的文件 {entry['file']} 行数不符")


class SnapshotStore:
    """A data folder holding `snapshots/<id>/` and the `CURRENT` pointer."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.snapshots_dir = self.root / "snapshots"
        self.current_file = self.root / "CURRENT"

    def list(self) -> list[Snapshot]:
        """Complete snapshots, oldest first (temporary and malformed folders are skipped)."""
        if not self.snapshots_dir.is_dir():
            return []
        found = []
        for path in sorted(self.snapshots_dir.iterdir()):
            if SNAPSHOT_ID.match(path.name):
                with contextlib.suppress(SnapshotError):
                    found.append(self.get(path.name))
        return sorted(found, key=lambda s: s.manifest["created_at"] + s.id)

    def get(self, snapshot_id: str) -> Snapshot:
        """The snapshot with this id, or SnapshotError."""
        if not SNAPSHOT_ID.match(snapshot_id or ""):
            raise SnapshotError(f"快照编号无效: {snapshot_id}")
        path = self.snapshots_dir / snapshot_id
        try:
            manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise SnapshotError(f"快照不存在或不完整: {snapshot_id}") from e
        if manifest.get("schema_version") != SCHEMA_VERSION:
            raise SnapshotError(f"快照 {snapshot_id} 的数据版本不受支持")
        return Snapshot(snapshot_id, path, manifest)

    def current_id(self) -> str | None:
        try:
            return self.current_file.read_text(encoding="utf-8").strip() or None
        except FileNotFoundError:
            return None

    def current(self) -> Snapshot:
        """The snapshot CURRENT points at, or SnapshotError when there is none."""
        snapshot_id = self.current_id()
        if snapshot_id is None:
            raise SnapshotError(f"数据目录 {self.root} 中还没有快照")
        return self.get(snapshot_id)

    def set_current(self, snapshot_id: str) -> None:
        """Verify a snapshot, then point CURRENT at it."""
        verify(self.get(snapshot_id))
        self.point_current(snapshot_id)

    def point_current(self, snapshot_id: str) -> None:
        """Point CURRENT at an already verified snapshot by an atomic rename."""
        tmp = self.root / f".CURRENT.{uuid.uuid4().hex}"
        tmp.write_text(snapshot_id + "\n", encoding="utf-8")
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, self.current_file)
        _fsync_dir(self.root)

    def writer(self, as_of: dt.date, source: dict, parent: Snapshot | None = None) -> SnapshotWriter:
        """A writer for a new snapshot (use as a context manager)."""
        return SnapshotWriter(self, as_of, source, parent)

    def _remove_abandoned(self) -> None:
        """Delete temporary folders of writers that died; only safe while holding the lock."""
        if self.snapshots_dir.is_dir():
            for path in self.snapshots_dir.glob(".tmp-*"):
                shutil.rmtree(path, ignore_errors=True)
        for path in self.root.glob(".CURRENT.*"):
            path.unlink(missing_ok=True)

    @contextlib.contextmanager
    def lock(self, wait_seconds: float = 0.0):
        """Hold the store's exclusive write lock, waiting at most `wait_seconds`, else StoreBusy.

        Every writer holds it, so on entry any leftover temporary folder belongs to a dead writer.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "a+") as handle:
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
                self._remove_abandoned()
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
