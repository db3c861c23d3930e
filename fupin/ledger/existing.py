"""What the parent snapshot already holds: identical rows and the last ids, asked in DuckDB over its Parquet files."""

import functools

import duckdb
import pandas as pd
import pyarrow.parquet as pq

from ..queries import Query, load_dir
from ..settings import QUERIES_DIR
from ..snapshots import Snapshot

# Fact tables can hold millions of rows: they are only ever queried, never loaded whole.
QUERIED_TABLES = ("purchases", "inspections")
DUPLICATE_QUERIES = {"purchases": "purchase_duplicates", "inspections": "inspection_duplicates"}


@functools.cache
def ledger_queries() -> dict[str, Query]:
    """The queries of queries/ledger/ that compare ledger rows with a snapshot, by name."""
    return load_dir(QUERIES_DIR / "ledger")


class Existing:
    """A private DuckDB connection with views of the parent snapshot's fact tables; used by one import only."""

    def __init__(self, snapshot: Snapshot):
        self.snapshot = snapshot
        self._con = duckdb.connect()
        for name in QUERIED_TABLES:
            self._con.read_parquet(str(snapshot.table_path(name))).to_view(name)

    def run_check(self, name: str, **params) -> pd.DataFrame:
        """Run a query of queries/ledger/ with exactly its declared parameters bound."""
        query = ledger_queries()[name]
        if set(params) != query.params:
            raise TypeError(f"query {name} takes {sorted(query.params)}, got {sorted(params)}")
        return self._con.execute(query.sql, params).df()

    def duplicate_positions(self, table: str, rows: pd.DataFrame) -> set:
        """Index labels of rows identical to rows already in a fact table."""
        if rows.empty:
            return set()
        found = self.run_check(DUPLICATE_QUERIES[table], **{c: rows[c].tolist() for c in rows.columns})
        return {rows.index[p] for p in found["position"]}

    def last_ids(self) -> dict[str, int]:
        """The largest purchase_id and inspection_id in the snapshot."""
        return {k: int(v) for k, v in self.run_check("last_ids").iloc[0].items()}

    def register(self, table: str) -> list[dict]:
        """Every row of a small register table (cooperatives, targets, buyers) as Python values."""
        return pq.read_table(self.snapshot.table_path(table)).to_pylist()

    def close(self) -> None:
        self._con.close()
