"""DuckDB views over one snapshot; every query runs on its own cursor, so threads can share it."""

import functools
import threading
from collections import OrderedDict
from collections.abc import Iterator

import duckdb
import pandas as pd

from .filters import Filter
from .queries import Query, QueryFileError, load_dir
from .rollup import rollup_select
from .schema import DERIVED_TABLES, TABLES
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


class ResultCache:
    """A small thread-safe LRU of query results, keyed by query name and bound values."""

    def __init__(self, entries: int, max_rows: int):
        self.entries = entries
        self.max_rows = max_rows
        self._items: OrderedDict[tuple, pd.DataFrame] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> pd.DataFrame | None:
        with self._lock:
            frame = self._items.get(key)
            if frame is not None:
                self._items.move_to_end(key)
        return None if frame is None else frame.copy()

    def put(self, key: tuple, frame: pd.DataFrame) -> None:
        """Keep a result unless it is too big to be worth holding (record pages, exports)."""
        if self.entries <= 0 or len(frame) > self.max_rows:
            return
        with self._lock:
            self._items[key] = frame.copy()
            while len(self._items) > self.entries:
                self._items.popitem(last=False)


class SnapshotDB:
    """Read-only access to one snapshot through the named queries, with a bounded cache of small results."""

    def __init__(self, snapshot: Snapshot, memory_limit: str = "2GB", threads: int | None = None,
                 cache_entries: int = 512, cache_max_rows: int = 2000):
        self.snapshot = snapshot
        config = {"memory_limit": memory_limit}
        if threads:
            config["threads"] = threads
        self._con = duckdb.connect(config=config)
        # A LOCAL setting: only `set global` reaches the cursor each query runs on.
        self._con.execute("set global parquet_metadata_cache = true")
        for name in TABLES:
            if name in snapshot.manifest["tables"]:
                self._con.read_parquet(str(snapshot.table_path(name))).to_view(name)
        for name in DERIVED_TABLES:   # a snapshot written before rollups were kept: aggregate them once here
            if name not in snapshot.manifest["tables"]:   # (a view would clash with the macros' parameters)
                self._con.execute(f"create table {name} as {rollup_select(name, 'purchases')}")
        for macro in base_macros().values():
            self._con.execute(macro.sql)
        self._lock = threading.Lock()
        self.cache = ResultCache(cache_entries, cache_max_rows)

    def run(self, name: str, **params) -> pd.DataFrame:
        """Run a named query with exactly its declared parameters bound; returns all rows."""
        query = named_queries()[name]
        if set(params) != query.params:
            raise TypeError(f"query {name} takes {sorted(query.params)}, got {sorted(params)}")
        key = (name, tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items())))
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        with self._lock:
            cursor = self._con.cursor()
        with cursor:
            frame = cursor.execute(query.sql, params).df()
        self.cache.put(key, frame)
        return frame

    def batches(self, name: str, flt: Filter, rows: int = 50_000, **extra) -> Iterator[pd.DataFrame]:
        """Stream a named query's rows for a filter in DataFrames of at most `rows` (exports; nothing cached).

        The first DataFrame may be empty, so a consumer always sees the columns.
        """
        query = named_queries()[name]
        params = {k: v for k, v in flt.params().items() if k in query.params} | extra
        if set(params) != query.params:
            raise TypeError(f"query {name} takes {sorted(query.params)}, got {sorted(params)}")
        with self._lock:
            cursor = self._con.cursor()
        with cursor:
            reader = cursor.sql(query.sql, params=params).to_arrow_reader(rows)
            yield reader.schema.empty_table().to_pandas()
            for batch in reader:
                yield batch.to_pandas()

    def run_filtered(self, name: str, flt: Filter, **extra) -> pd.DataFrame:
        """Run a named query with the filter values it declares, plus `extra` parameters."""
        query = named_queries()[name]
        params = {k: v for k, v in flt.params().items() if k in query.params}
        return self.run(name, **params, **extra)

    def close(self) -> None:
        self._con.close()
