"""DuckDB views over one snapshot; every query runs on its own cursor, so threads can share it."""

import functools
import threading

import duckdb
import pandas as pd

from .filters import Filter
from .queries import Query, QueryFileError, load_dir
from .schema import TABLES
from .settings import QUERIES_DIR
from .snapshots import Snapshot


@functools.cache
def named_queries() -> dict[str, Query]:
    """The SELECT queries of queries/, by name."""
    return load_dir(QUERIES_DIR)


@functools.cache
def base_macros() -> dict[str, Query]:
    """The table macros of queries/base/ that the named queries build on, each after the macros it uses."""
    pending = load_dir(QUERIES_DIR / "base")
    ordered: dict[str, Query] = {}
    while pending:
        ready = [name for name, q in pending.items()
                 if not any(other in q.sql for other in pending if other != name)]
        if not ready:
            raise QueryFileError(f"table macros use each other in a cycle: {sorted(pending)}")
        for name in ready:
            ordered[name] = pending.pop(name)
    return ordered


class SnapshotDB:
    """Read-only access to one snapshot through the named queries."""

    def __init__(self, snapshot: Snapshot, memory_limit: str = "2GB"):
        self.snapshot = snapshot
        self._con = duckdb.connect(config={"memory_limit": memory_limit})
        self._con.execute("set parquet_metadata_cache = true")
        for name in TABLES:
            self._con.read_parquet(str(snapshot.table_path(name))).to_view(name)
        for macro in base_macros().values():
            self._con.execute(macro.sql)
        self._lock = threading.Lock()

    def run(self, name: str, **params) -> pd.DataFrame:
        """Run a named query with exactly its declared parameters bound; returns all rows."""
        query = named_queries()[name]
        if set(params) != query.params:
            raise TypeError(f"query {name} takes {sorted(query.params)}, got {sorted(params)}")
        with self._lock:
            cursor = self._con.cursor()
        with cursor:
            return cursor.execute(query.sql, params).df()

    def run_filtered(self, name: str, flt: Filter, **extra) -> pd.DataFrame:
        """Run a named query with the filter values it declares, plus `extra` parameters."""
        query = named_queries()[name]
        params = {k: v for k, v in flt.params().items() if k in query.params}
        return self.run(name, **params, **extra)

    def close(self) -> None:
        self._con.close()
