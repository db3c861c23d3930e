"""Writing an import as a new snapshot: the parent's rows streamed across plus the new ones, or the table replaced."""

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..schema import TABLES
from ..snapshots import ROW_GROUP_ROWS, Snapshot, SnapshotStore, check_file
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


def _kept(batch: pa.RecordBatch, change: Change) -> pa.RecordBatch:
    """A parent batch without the register rows the ledger replaces."""
    if not change.replaced_keys:
        return batch
    keys = REGISTER_KEYS[change.table]
    columns = [batch.column(k).to_pylist() for k in keys]
    mask = [key not in change.replaced_keys for key in zip(*columns)]
    return batch.filter(pa.array(mask, type=pa.bool_()))


def _parent_rows(parent: Snapshot, change: Change, progress: Progress) -> Iterator[pa.RecordBatch]:
    """The parent's rows of the table, batch by batch, so a table of millions of rows never sits in memory."""
    source = pq.ParquetFile(parent.table_path(change.table))
    total, done = source.metadata.num_rows, 0
    label = TABLE_LABELS[change.table]
    for batch in source.iter_batches(batch_size=ROW_GROUP_ROWS):
        done += batch.num_rows
        progress(WRITE_FROM + (WRITE_TO - WRITE_FROM) * done / max(total, 1), f"写入{label}：已复制原有 {done:,} 行")
        yield _kept(batch, change)


def _table_parts(parent: Snapshot, change: Change, progress: Progress) -> Iterator:
    if change.mode == "append":
        yield from _parent_rows(parent, change, progress)
    id_column = ID_COLUMNS.get(change.table)
    next_id = change.first_id
    for batch in change.rows(ROW_GROUP_ROWS):
        if id_column:
            batch = batch.append_column(id_column, pa.array(range(next_id, next_id + batch.num_rows), pa.int64()))
            next_id += batch.num_rows
        yield batch
    progress(WRITE_TO, f"写入{TABLE_LABELS[change.table]}：新增 {change.row_count:,} 行")


def write_change(store: SnapshotStore, parent: Snapshot, change: Change, progress: Progress) -> Snapshot:
    """Write the new snapshot next to the parent and point CURRENT at it once it is complete and verified.

    Every parent file read or shared is verified first (hashed again), so damage is never carried forward.
    """
    check_file(parent, change.table, fresh=True)
    if change.new_buyers:
        check_file(parent, "buyers", fresh=True)
    with store.writer(change.as_of, change.source, parent) as writer:
        for name in TABLES:
            if name == change.table:
                writer.write(name, _table_parts(parent, change, progress))
            elif name == "buyers" and change.new_buyers:
                buyers = pq.read_table(parent.table_path("buyers")).to_pandas()
                writer.write(name, pd.concat([buyers, pd.DataFrame(change.new_buyers)], ignore_index=True))
            else:
                writer.carry(name, parent)
        progress(0.97, "校验并启用新快照")
        return writer.commit(imports=change.imports)
