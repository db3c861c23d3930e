"""Rewriting a snapshot of an older schema or layout (one file per table; schema 1 also without county codes and
without the counties and groups tables) as a new current snapshot in the current layout, nothing lost; and adding
the derived tables a snapshot of the current layout was written without."""

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from . import reference, rollup
from .schema import ADDED_TABLES, COUNTY_FROM, DERIVED_TABLES, TABLES
from .snapshot import Snapshot, verify

if TYPE_CHECKING:   # the store calls this module: its type only for the annotations
    from .store import SnapshotStore

BATCH_ROWS = 256 * 1024
Progress = Callable[[float, str], None]


def _quiet(fraction: float, message: str) -> None:
    """A progress callback that reports nothing."""


def _counties(snapshot: Snapshot) -> tuple[str, ...]:
    """The counties an old snapshot covers: those of its townships' codes."""
    codes = pq.read_table(snapshot.file_paths("townships")[0], columns=["township_code"]).column(0).to_pylist()
    return tuple(sorted({code[:6] for code in codes if code}))


def _batches(snapshot: Snapshot, name: str, sole_county: str | None) -> Iterator[pa.RecordBatch]:
    """An old table's rows, batch by batch; without county_code (schema 1) it comes from the place code, and a row
    without a place (a buyer added by an import) gets the snapshot's county when it has only one."""
    source = pq.ParquetFile(snapshot.file_paths(name)[0])
    for batch in source.iter_batches(batch_size=BATCH_ROWS):
        if "county_code" in TABLES[name].names and "county_code" not in batch.schema.names:
            county = pc.utf8_slice_codeunits(batch.column(COUNTY_FROM[name]), 0, 6)
            if sole_county:
                county = pc.fill_null(county, sole_county)
            batch = pa.RecordBatch.from_arrays([*batch.columns, county], names=[*batch.schema.names, "county_code"])
        yield batch


def upgrade(store: "SnapshotStore", snapshot: Snapshot, progress: Progress = _quiet) -> Snapshot:
    """Write an older snapshot again in the current layout as the new current snapshot (the caller holds the
    store's lock); the old one stays listed, marked as needing the upgrade. Its files are verified first."""
    verify(snapshot)
    counties = _counties(snapshot)
    sole = counties[0] if len(counties) == 1 else None
    source = {**(snapshot.manifest.get("source") or {}), "upgraded_from": snapshot.id,
              "from_schema_version": snapshot.manifest.get("schema_version")}
    names = [n for n in TABLES if n not in DERIVED_TABLES and n not in ADDED_TABLES]   # those get their defaults
    with store.writer(snapshot.as_of, source, snapshot) as writer:
        for n, name in enumerate(names):
            progress(0.9 * n / len(names), f"升级存储格式：{name}")
            if name in snapshot.manifest["tables"]:
                writer.write(name, _batches(snapshot, name, sole))
            elif name == "counties":
                writer.write(name, reference.counties(counties))
            else:
                writer.write(name, reference.groups(counties))
        progress(0.9, "升级存储格式：汇总并校验")
        return writer.commit()


def lacks_derived(snapshot: Snapshot) -> list[str]:
    """The derived tables a snapshot of the current layout was written without (it was written before they were
    kept) or with other columns than this version writes; none for one of an older layout, which `upgrade`
    rewrites whole."""
    return [] if snapshot.needs_upgrade else rollup.missing(snapshot)


def add_derived(store: "SnapshotStore", snapshot: Snapshot, progress: Progress = _quiet) -> Snapshot:
    """A new current snapshot sharing every file of `snapshot` (each verified first) with the derived tables it
    lacks written beside them (the caller holds the store's lock)."""
    progress(0.1, f"补充汇总表：{'、'.join(lacks_derived(snapshot))}")
    source = {**(snapshot.manifest.get("source") or {}), "upgraded_from": snapshot.id}
    with store.writer(snapshot.as_of, source, snapshot) as writer:
        for name in TABLES:
            if name not in DERIVED_TABLES:
                writer.carry(name, snapshot)
        return writer.commit()


def upgrade_current(store: "SnapshotStore", progress: Progress = _quiet) -> Snapshot | None:
    """The upgraded snapshot when CURRENT names one of an older version or one lacking derived tables (the caller
    holds the lock), else None."""
    snapshot_id = store.current_id()
    if snapshot_id is None:
        return None
    current = store.get(snapshot_id)
    if current.needs_upgrade:
        return upgrade(store, current, progress)
    return add_derived(store, current, progress) if lacks_derived(current) else None

