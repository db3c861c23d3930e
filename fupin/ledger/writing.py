"""Writing an import as a new snapshot: only the partitions its rows fall in (append: their old rows plus the new
ones; replace: the table's partitions, or its counties', as the ledger gives them); every other file shared."""

import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..store import layout, reference
from ..store.schema import COUNTY_FROM, PARTITIONED_BY_YEAR_OF, TABLES
from ..store.snapshot import Snapshot, read_table
from ..store.store import SnapshotStore
from ..store.writer import ROW_GROUP_ROWS, SnapshotWriter
from .columns import TABLE_LABELS
from .dedup import REGISTER_KEYS
from .rows import ID_COLUMNS

Progress = Callable[[float, str], None]
WRITE_FROM, WRITE_TO = 0.5, 0.95


@dataclass
class Change:
    """What an import changes: new rows of one table (`rows(n)` streams them in batches of at most n, in ledger
    order, without ids), register keys they replace, and buyers they add."""

    table: str
    mode: str
    rows: Callable[[int], Iterator[pa.RecordBatch]]
    row_count: int
    as_of: dt.date
    source: dict
    imports: list[dict]
    replaced_keys: set = field(default_factory=set)
    new_buyers: list[dict] = field(default_factory=list)
    first_id: int = 1
    counties: tuple[str, ...] | None = None   # a replace replaces only these counties' rows (None: the whole table)
    touched: set = field(default_factory=set)  # (county_code, year) partitions an append rewrites


def _kept(batch: pa.RecordBatch, change: Change) -> pa.RecordBatch:
    """A parent batch without the register rows the ledger replaces."""
    if not change.replaced_keys:
        return batch
    keys = REGISTER_KEYS[change.table]
    columns = [batch.column(k).to_pylist() for k in keys]
    mask = [key not in change.replaced_keys for key in zip(*columns)]
    return batch.filter(pa.array(mask, type=pa.bool_()))


def _partition_keys(table: pa.Table | pa.RecordBatch, name: str) -> set[tuple[str, int]]:
    """The (county_code, year) partitions rows fall in (the county from the place code when not given)."""
    county = table.column("county_code") if "county_code" in table.schema.names else \
        pc.utf8_slice_codeunits(table.column(COUNTY_FROM[name]), 0, 6)
    dated = table.column(PARTITIONED_BY_YEAR_OF[name])
    years = dated if pa.types.is_integer(dated.type) else pc.year(dated)
    return set(zip(county.to_pylist(), years.to_pylist()))


def touched_partitions(parent: Snapshot, change: Change) -> set[tuple[str, int]]:
    """The partitions an append rewrites: those its new rows fall in, and those holding register rows it updates."""
    found = set()
    for batch in change.rows(ROW_GROUP_ROWS):
        found |= _partition_keys(batch, change.table)
    if change.replaced_keys:
        register = read_table(parent, change.table)
        keys = zip(*(register.column(k).to_pylist() for k in REGISTER_KEYS[change.table]))
        replaced = register.filter(pa.array([key in change.replaced_keys for key in keys], type=pa.bool_()))
        found |= _partition_keys(replaced, change.table)
    return found


def _parent_rows(parent: Snapshot, change: Change, touched: set, progress: Progress) -> Iterator[pa.RecordBatch]:
    """The parent's rows of the touched partitions, batch by batch, with their partition columns put back."""
    entries = [e for e in parent.files(change.table) if layout.partition_of(e["path"]) in touched]
    total, done = max(sum(e["rows"] for e in entries), 1), 0
    label = TABLE_LABELS[change.table]
    for entry in entries:
        values = dict(zip(layout.PARTITION_COLUMNS, layout.partition_of(entry["path"])))
        for batch in pq.ParquetFile(parent.path / entry["path"]).iter_batches(batch_size=ROW_GROUP_ROWS):
            for column in (c for c in layout.PARTITION_COLUMNS if c in TABLES[change.table].names):
                field = TABLES[change.table].field(column)
                batch = batch.append_column(field, pa.array([values[column]] * batch.num_rows, field.type))
            done += batch.num_rows
            progress(WRITE_FROM + (WRITE_TO - WRITE_FROM) * done / total, f"写入{label}：已复制原有 {done:,} 行")
            yield _kept(batch, change)


def _new_rows(change: Change) -> Iterator[pa.RecordBatch]:
    id_column = ID_COLUMNS.get(change.table)
    next_id = change.first_id
    for batch in change.rows(ROW_GROUP_ROWS):
        if id_column:
            batch = batch.append_column(id_column, pa.array(range(next_id, next_id + batch.num_rows), pa.int64()))
            next_id += batch.num_rows
        yield batch


def _kept_partitions(parent: Snapshot, change: Change) -> set[tuple[str, int]]:
    """The partitions of the table not written again: an append's untouched ones; a replace's outside its counties
    (none when it replaces the whole table)."""
    if change.mode == "append":
        return parent.partitions(change.table) - change.touched
    if change.counties is None:
        return set()
    return {p for p in parent.partitions(change.table) if p[0] not in change.counties}


def _warning_rules(writer: SnapshotWriter, parent: Snapshot) -> None:
    """The warning levels of data/reference/warning_rules.csv: the parent's file shared while they are the same,
    so a changed settings file is taken by the next import."""
    rules = pa.Table.from_pandas(reference.warning_rules(), schema=TABLES["warning_rules"], preserve_index=False)
    if "warning_rules" in parent.manifest["tables"] and read_table(parent, "warning_rules").equals(rules):
        writer.carry("warning_rules", parent)
    else:
        writer.write("warning_rules", rules)


def write_change(store: SnapshotStore, parent: Snapshot, change: Change, progress: Progress) -> Snapshot:
    """Write the new snapshot next to the parent and point CURRENT at it once it is complete and verified.

    Only the partitions the change touches are written; every other file is shared with the parent (hard link,
    else copy), each verified first, so damage is never carried forward.
    """
    if change.mode == "append":
        change.touched = touched_partitions(parent, change)
    with store.writer(change.as_of, change.source, parent) as writer:
        for name in TABLES:
            if name == change.table:
                kept = _kept_partitions(parent, change)
                writer.carry(name, parent, skip=parent.partitions(name) - kept)
                rows = _parent_rows(parent, change, change.touched, progress) if change.mode == "append" else ()
                writer.write(name, itertools.chain(rows, _new_rows(change)))
                progress(WRITE_TO, f"写入{TABLE_LABELS[change.table]}：新增 {change.row_count:,} 行")
            elif name == "warning_rules":
                _warning_rules(writer, parent)
            elif name == "buyers" and change.new_buyers:
                buyers = read_table(parent, "buyers").to_pandas()
                writer.write(name, pd.concat([buyers, pd.DataFrame(change.new_buyers)], ignore_index=True))
            else:
                writer.carry(name, parent)
        progress(0.97, "校验并启用新快照")
        return writer.commit(imports=change.imports)
