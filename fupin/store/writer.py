"""Writing a snapshot: tables streamed into partition files, unchanged files shared with another snapshot, rollups
derived per partition, then the manifest, verification and the rename into place."""

import datetime as dt
import json
import os
import shutil
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Self

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from . import layout, partitions, reference, rollup
from .schema import ADDED_TABLES, COUNTY_FROM, DERIVED_TABLES, SCHEMA_VERSION, TABLES
from .snapshot import (
    PENDING,
    DamagedFile,
    Snapshot,
    SnapshotError,
    check_file,
    fsync_dir,
    remember_verified,
    sha256_of,
    verify,
)

if TYPE_CHECKING:
    from .store import SnapshotStore

ROW_GROUP_ROWS = 256 * 1024


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
    """Builds a snapshot in a hidden temporary folder; nothing is visible until `commit`.

    A table is written (`write`), shared with another snapshot (`carry`), or both: carried but for some partitions,
    which are then written. Derived tables follow the purchases partition by partition at commit.
    """

    def __init__(self, store: "SnapshotStore", as_of: dt.date, source: dict, parent: Snapshot | None):
        self.store = store
        self.as_of = as_of
        self.source = source
        self.parent = parent
        self.tmp = store.snapshots_dir / f".tmp-{uuid.uuid4().hex}"
        self.tmp.mkdir(parents=True)
        self.stage = self.tmp / ".stage"
        self.stage.mkdir()
        self.files: dict[str, list[dict]] = {}
        self.origin: dict[str, Snapshot] = {}   # purchases file -> the snapshot it is shared with (its rollups too)
        self.history: list[dict] = list(parent.manifest.get("imports", [])) if parent else []

    def write(self, name: str, data) -> int:
        """Stream rows into a table (its partitions, or its one file); returns the row count. Partitions already
        carried into this snapshot cannot be written again."""
        if name in DERIVED_TABLES:
            raise SnapshotError(f"{name} 由采购记录汇总而来，不能直接写入")
        schema = TABLES[name]
        staging = self.stage / f"{name}.parquet"
        rows = 0
        with pq.ParquetWriter(staging, schema, compression="zstd") as out:
            for part in _row_groups(_as_batches(data, name)):
                out.write_table(part, row_group_size=ROW_GROUP_ROWS)
                rows += part.num_rows
        self.files.setdefault(name, [])
        if not layout.partitioned(name):
            os.replace(staging, self.tmp / layout.file_path(name))
            self._record(name, layout.file_path(name), rows)
            return rows
        try:
            written = partitions.split(name, staging, self.tmp, self.stage) if rows else []
        except partitions.PartitionError as e:
            raise SnapshotError(str(e)) from None
        staging.unlink()
        for part in written:
            self._record(name, part.path, part.rows)
        return rows

    def carry(self, name: str, snapshot: Snapshot, skip: Iterable[tuple[str, int]] = ()) -> None:
        """Share a table's files with another snapshot (hard link, else copy), except those of the partitions in
        `skip`. Each file is verified first (hashed unless verified in this process since it last changed), so
        damage is never carried. A derived table follows its source's partitions at commit instead."""
        if snapshot.needs_upgrade:
            raise SnapshotError(f"快照 {snapshot.id} 是旧的存储格式，需要先升级")
        if name in DERIVED_TABLES or (name in ADDED_TABLES and name not in snapshot.manifest["tables"]):
            return   # a table added since that snapshot was written gets its default at commit
        skip = set(skip)
        self.files.setdefault(name, [])
        for entry in snapshot.files(name):
            if layout.partition_of(entry["path"]) not in skip:
                self._share(name, snapshot, entry)

    def _share(self, name: str, snapshot: Snapshot, entry: dict) -> None:
        check_file(snapshot, entry["path"])
        source, target = snapshot.path / entry["path"], self.tmp / entry["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
            remember_verified(target, entry["sha256"])   # the very file just verified
        except OSError:
            shutil.copyfile(source, target)
            if sha256_of(target) != entry["sha256"]:
                raise DamagedFile(snapshot.id, entry["path"], "校验和不符（已损坏或被改动）") from None
            remember_verified(target, entry["sha256"])
        self._add(name, dict(entry))
        if name == rollup.SOURCE:
            self.origin[entry["path"]] = snapshot

    def _record(self, name: str, path: str, rows: int) -> None:
        """Make a file written here durable and describe it: hashed as it is on disk, its rows as Parquet reads them."""
        full = self.tmp / path
        with open(full, "rb+") as f:
            os.fsync(f.fileno())
        found = pq.ParquetFile(full).metadata.num_rows
        if found != rows:
            raise SnapshotError(f"{path} 写入了 {found} 行，应为 {rows} 行")
        entry = {"path": path, "rows": rows, "bytes": full.stat().st_size, "sha256": sha256_of(full)}
        remember_verified(full, entry["sha256"])
        self._add(name, entry)

    def _add(self, name: str, entry: dict) -> None:
        files = self.files.setdefault(name, [])
        if any(f["path"] == entry["path"] for f in files):
            raise SnapshotError(f"{entry['path']} 写入了两次")
        files.append(entry)

    def _derive(self) -> None:
        """Each purchases partition's derived tables: shared with the snapshot its purchases file is shared with,
        else (or when that snapshot lacks them, or has them in an earlier version's columns) derived from it."""
        for name in DERIVED_TABLES:
            self.files[name] = []
        for entry in self.files.get(rollup.SOURCE, []):
            county, year = layout.partition_of(entry["path"])
            origin = self.origin.get(entry["path"])
            missing = {}
            for name in DERIVED_TABLES:
                path = layout.file_path(name, county, year)
                theirs = next((f for f in origin.files(name) if f["path"] == path), None) if origin else None
                if theirs is not None and rollup.is_current(name, origin.path / path):
                    self._share(name, origin, theirs)
                else:
                    missing[name] = path
            found = rollup.derive(self.tmp / entry["path"], county, {n: self.tmp / p for n, p in missing.items()},
                                  self.stage) if missing else {}
            for name, path in missing.items():
                self._record(name, path, found[name])

    def _table_entry(self, name: str) -> dict:
        files = sorted(self.files[name], key=lambda f: f["path"])
        entry = {"rows": sum(f["rows"] for f in files), "bytes": sum(f["bytes"] for f in files), "files": files}
        if layout.partitioned(name):
            by_partition: dict[tuple[str, int], list[dict]] = {}
            for f in files:
                by_partition.setdefault(layout.partition_of(f["path"]), []).append(f)
            entry["partitioned_by"] = list(layout.PARTITION_COLUMNS)
            entry["partitions"] = [{"county_code": c, "year": y, "rows": sum(f["rows"] for f in found),
                                    "files": [f["path"] for f in found]}
                                   for (c, y), found in sorted(by_partition.items())]
        return entry

    def _sync_folders(self) -> None:
        for folder, _, _ in os.walk(self.tmp, topdown=False):
            fsync_dir(folder)

    def commit(self, make_current: bool = True, imports: list[dict] | None = None) -> Snapshot:
        """Derive the rollups, write the manifest, verify every file, rename into place and optionally point
        CURRENT at it."""
        for name in ADDED_TABLES:   # neither written nor carried: the table's default
            if name not in self.files:
                self.write(name, reference.warning_rules() if name == "warning_rules" else [])
        self._derive()
        shutil.rmtree(self.stage, ignore_errors=True)
        missing = set(TABLES) - set(self.files)
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
            "tables": {name: self._table_entry(name) for name in TABLES},
        }
        manifest_path = self.tmp / "manifest.json"
        manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        with open(manifest_path, "rb+") as f:
            os.fsync(f.fileno())
        self._sync_folders()
        snapshot = Snapshot(snapshot_id, self.tmp, manifest)
        verify(snapshot, fresh=False)   # every file was hashed as written or shared: here one stat each
        if make_current:
            (self.tmp / PENDING).touch()
        final = self.store.snapshots_dir / snapshot_id
        os.rename(self.tmp, final)
        fsync_dir(self.store.snapshots_dir)
        snapshot = Snapshot(snapshot_id, final, manifest)
        for name in TABLES:   # a rename keeps size, mtime and inode: still verified under the new path
            for entry in snapshot.files(name):
                remember_verified(final / entry["path"], entry["sha256"])
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

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.tmp.exists():
            self.abort()
