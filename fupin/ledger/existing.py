"""One import's workspace: the parent snapshot's tables and the import's checked rows side by side in DuckDB.

Checked rows wait in a temporary Parquet file and what becomes of each (rejected, duplicate, update) in a small
table, so a ledger of millions of rows is compared and written without ever sitting in memory.
"""

import functools
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..query.db import table_source
from ..store.schema import TABLES
from ..store.snapshot import Snapshot, read_table
from ..store.sql_files import Query, in_folder
from .rows import table_columns

# Tables the ledger queries read (fact tables can hold millions of rows: only ever queried, never loaded whole).
QUERIED_TABLES = ("purchases", "inspections", "cooperatives", "targets", "offers", "tasks", "help_funds", "pairings",
                  "visits", "industries", "certified_products", "outlets", "channel_sales", "events")
DUPLICATE_QUERIES = {"purchases": "purchase_duplicates", "inspections": "inspection_duplicates",
                     "offers": "offer_duplicates", "channel_sales": "channel_sale_duplicates"}
# DuckDB's share of an import's memory; it spills to the workspace folder beyond it (measured on 2M rows:
# 512MB peaks 480 MB above the process, 256MB 250 MB and is 20% slower at finding repeats).
MEMORY_LIMIT = "256MB"


# A workspace folder in the system's temporary folder, named for the process that owns it.
WORKSPACE = re.compile(r"^fupin-import-(\d+)-")


def remove_abandoned_workspaces() -> None:
    """Delete the workspaces of imports whose process is gone (killed before it could clean up)."""
    for path in Path(tempfile.gettempdir()).glob("fupin-import-*"):
        match = WORKSPACE.match(path.name)
        if match and not Path(f"/proc/{match.group(1)}").exists():
            shutil.rmtree(path, ignore_errors=True)


@functools.cache
def ledger_queries() -> dict[str, Query]:
    """The queries of queries/ledger/ that compare ledger rows with a snapshot, by name."""
    return in_folder("ledger")


def rows_schema(table: str) -> pa.Schema:
    """Checked rows as they wait: their position in the import, then the columns a ledger fills (rows.table_columns)."""
    fields = [TABLES[table].field(name) for name in table_columns(table)]
    return pa.schema([pa.field("position", pa.int64()), *fields])


class Existing:
    """A private DuckDB connection with views of the parent snapshot's fact tables and of one import's checked
    rows (`ledger_rows`), what became of them (`outcomes`) and the files' position ranges (`ledger_files`).

    Used by one import only; `close()` (or leaving the `with` block) removes its temporary folder.
    """

    def __init__(self, snapshot: Snapshot, table: str = "purchases"):
        self.snapshot, self.table = snapshot, table
        self.folder = Path(tempfile.mkdtemp(prefix=f"fupin-import-{os.getpid()}-"))
        self._con = duckdb.connect(config={"memory_limit": MEMORY_LIMIT, "threads": 2,
                                           "temp_directory": str(self.folder / "spill")})
        for name in QUERIED_TABLES:
            self._con.execute(f"create view {name} as {table_source(snapshot, name)}")
        self._rows_path = self.folder / "ledger_rows.parquet"
        self._writer: pq.ParquetWriter | None = None
        self._schema = rows_schema(table)
        self._con.register("_empty_rows", self._schema.empty_table())
        self._con.execute("create view ledger_rows as select * from _empty_rows")
        self._con.execute("create table outcomes (position bigint, outcome varchar)")
        self._con.execute("create table ledger_files (file_index integer, first_position bigint, end_position bigint)")

    def run_check(self, name: str, **params) -> pd.DataFrame:
        """Run a query of queries/ledger/ with exactly its declared parameters bound."""
        query = ledger_queries()[name]
        if set(params) != query.params:
            raise TypeError(f"query {name} takes {sorted(query.params)}, got {sorted(params)}")
        return self._con.execute(query.sql, params).df()

    def _arrow(self, name: str) -> pa.Table:
        return self._con.sql(ledger_queries()[name].sql).to_arrow_table()

    def add_rows(self, rows: pd.DataFrame) -> None:
        """Keep checked rows (index: their positions) in the workspace's Parquet file."""
        if rows.empty:
            return
        frame = rows.assign(position=rows.index.astype("int64"))
        part = pa.Table.from_pandas(frame[self._schema.names], schema=self._schema, preserve_index=False)
        if self._writer is None:
            self._writer = pq.ParquetWriter(self._rows_path, self._schema, compression="zstd")
        self._writer.write_table(part)

    def mark(self, positions, outcome: str) -> None:
        """Record what becomes of rows (distinct positions, an Arrow array or a list): 'rejected', 'conflict',
        'duplicate' or 'update'."""
        positions = positions if isinstance(positions, pa.Array) else pa.array(list(positions), type=pa.int64())
        if len(positions):
            self._con.register("_marked", pa.table({"position": positions,
                                                    "outcome": pa.array([outcome] * len(positions), pa.string())}))
            self._con.execute("insert into outcomes select * from _marked")
            self._con.unregister("_marked")

    def set_files(self, ranges: list[tuple[int, int]]) -> None:
        """The position range [first, end) of each file's rows, in file order."""
        self._con.register("_files", pa.table({"file_index": pa.array(range(len(ranges)), pa.int32()),
                                               "first_position": [a for a, _ in ranges],
                                               "end_position": [b for _, b in ranges]}))
        self._con.execute("insert into ledger_files select * from _files")
        self._con.unregister("_files")

    def finish_rows(self) -> None:
        """Close the rows file and make `ledger_rows` read it."""
        if self._writer is not None:
            self._writer.close()
            self._writer = None
            self._con.read_parquet(str(self._rows_path)).to_view("ledger_rows", replace=True)

    def repeats(self) -> pa.Table:
        """(position, first_position) of rows identical to an earlier row of the import."""
        return self._arrow("ledger_repeats")

    def already_there(self) -> pa.Table:
        """Positions of rows (not repeats) identical to a row of the parent's fact table."""
        return self._arrow(DUPLICATE_QUERIES[self.table])

    def rows(self) -> pd.DataFrame:
        """Every checked row as Python values, indexed by position (register tables only: they are small)."""
        table = self._con.table("ledger_rows").order("position").to_arrow_table()
        records = table.to_pylist()
        return pd.DataFrame([{k: v for k, v in r.items() if k != "position"} for r in records],
                            index=pd.Index([r["position"] for r in records], dtype="int64"),
                            columns=self._schema.names[1:], dtype=object)

    def outcome_counts(self) -> pd.DataFrame:
        """Per file (in order): rows rejected, duplicate, updated and added."""
        return self.run_check("ledger_outcome_counts")

    def latest_date(self):
        """The latest date among the rows to write (None when the table has no dates of what happened, such as an
        offer's harvest dates, which may lie ahead, or nothing is written)."""
        if not any(pa.types.is_date(f.type) and f.name.endswith("_date") for f in self._schema):
            return None
        found = [d for d in self._con.sql(ledger_queries()["ledger_latest_dates"].sql).fetchall()[0] if d]
        return max(found, default=None)

    def taken_buyers(self) -> set[str]:
        """The buyer ids the rows to write use."""
        return set(self._arrow("ledger_taken_buyers").column("buyer_id").to_pylist())

    def taken(self, batch_rows: int) -> Iterator[pa.RecordBatch]:
        """The rows to write, in ledger order, in batches of at most `batch_rows`.

        They are first saved in the workspace and the DuckDB connection is closed, so its memory is back before
        the snapshot writer sorts the new table; nothing else can be asked of the workspace after this.
        """
        taken = self.folder / "taken.parquet"
        if self._con is not None:
            self._con.sql(ledger_queries()["ledger_taken"].sql).to_parquet(str(taken), compression="zstd")
            self._con.close()
            self._con = None
        yield from pq.ParquetFile(taken).iter_batches(batch_size=batch_rows)

    def last_ids(self) -> dict[str, int]:
        """The largest purchase_id, inspection_id, offer_id and sale_id in the snapshot."""
        return {k: int(v) for k, v in self.run_check("last_ids").iloc[0].items()}

    def register(self, table: str) -> list[dict]:
        """Every row of a small table (cooperatives, targets, buyers, reference) as Python values."""
        return read_table(self.snapshot, table).to_pylist()

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        if self._con is not None:
            self._con.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> "Existing":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
