"""DuckDB views over one snapshot; every query runs on its own cursor, so threads can share it."""

import contextlib
import functools
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor

import duckdb
import pandas as pd

from .. import telemetry
from ..store import layout, rollup
from ..store.rollup import date_column, define_measure_macros, rollup_select
from ..store.schema import ADDED_TABLES, DERIVED_TABLES, TABLES
from ..store.snapshot import DamagedFile, Snapshot, SnapshotError, verify
from ..store.sql_files import Query, QueryFileError, in_folder, project_queries
from .filters import Filter

# DuckDB errors that mean a file could not be read or is not what it was: never shown as figures or tracebacks.
FILE_ERRORS = (duckdb.IOException, duckdb.InvalidInputException, duckdb.SerializationException)
# Threads that run one interaction's independent queries side by side.
RUN_MANY_THREADS = 4
QUOTED_PATH = re.compile(r"""["']([^"']+\.parquet)["']""")
# Tables of at most this many rows are copied into the connection's memory when it opens (reference tables,
# inspections, cooperatives, targets): binding and reading a Parquet file costs every query about a millisecond.
IN_MEMORY_ROWS = 100_000
# The snapshots whose files this thread has checked in the current `files_checked_once` block (a page run).
_this_run = threading.local()
MACRO_AND_LEDGER_FOLDERS = ("base", "ledger")


@functools.cache
def named_queries() -> dict[str, Query]:
    """The SELECT queries of queries/ that pages, briefs and exports run, by name (not the macros of base/ nor the
    importer's queries of ledger/)."""
    return {name: q for name, q in project_queries().items() if q.folder not in MACRO_AND_LEDGER_FOLDERS}


@functools.cache
def base_macros() -> dict[str, Query]:
    """The table macros of queries/base/ that the named queries build on, each after the macros it uses."""
    pending = in_folder("base")
    ordered: dict[str, Query] = {}
    while pending:
        ready = [name for name, q in pending.items()
                 if not any(re.search(rf"\b{other}\b", q.sql) for other in pending if other != name)]
        if not ready:
            raise QueryFileError(f"table macros use each other in a cycle: {sorted(pending)}")
        for name in ready:
            ordered[name] = pending.pop(name)
    return ordered


def bound(name: str, flt: Filter | None, extra: dict) -> dict:
    """A named query's parameters: the values of `flt` it declares, plus `extra`."""
    declared = named_queries()[name].params
    return ({k: v for k, v in flt.params().items() if k in declared} if flt else {}) | extra


def call(name: str, flt: Filter | None, **extra) -> tuple[str, dict]:
    """A named query and its parameters (see `bound`), for SnapshotDB.run_many."""
    return name, bound(name, flt, extra)


def table_source(snapshot: Snapshot, name: str) -> str:
    """The SELECT of a table's view: exactly the manifest's files, a partitioned table with its `year` (Hive
    partitions pruned by county_code and year)."""
    return layout.duckdb_source(name, [str(p) for p in snapshot.file_paths(name)])


@contextlib.contextmanager
def files_checked_once() -> Iterator[None]:
    """Within this block, on this thread (one page run), the first query of a snapshot checks its files and the
    others rely on that check: a page runs some 30 queries, and a check is one stat per file (about 80 at 10M
    rows), each letting other sessions' threads take the interpreter. A file that fails to read is still verified
    at once (`_file_errors`); one swapped for another valid file is found by the next page run."""
    outer = getattr(_this_run, "checked", None)
    if outer is None:
        _this_run.checked = set()
    try:
        yield
    finally:
        if outer is None:
            del _this_run.checked


def files_verified(snapshot_id: str) -> None:
    """Record that a snapshot's files were just verified (the store serving it): inside a `files_checked_once`
    block its queries rely on that."""
    checked = getattr(_this_run, "checked", None)
    if checked is not None:
        checked.add(snapshot_id)


class ResultCache:
    """A small thread-safe LRU of query results, keyed by query name and bound values."""

    def __init__(self, entries: int, max_rows: int):
        self.entries = entries
        self.max_rows = max_rows
        self._items: OrderedDict[tuple, pd.DataFrame] = OrderedDict()
        self._lock = threading.Lock()

    def __contains__(self, key: tuple) -> bool:
        with self._lock:
            return key in self._items

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
    """Read-only access to one snapshot through the named queries, with a bounded cache of small results.

    Its files are verified against the manifest's sha256 before the first query (raising DamagedFile), and
    before every later query at the cost of a stat (hashed again when a file's size, mtime or inode changes).
    A DuckDB I/O or corruption error is raised as DamagedFile too; `reopen()` starts a fresh connection.
    """

    def __init__(self, snapshot: Snapshot, memory_limit: str = "2GB", threads: int | None = None,
                 cache_entries: int = 512, cache_max_rows: int = 2000):
        self.snapshot = snapshot
        self._config = {"memory_limit": memory_limit, **({"threads": threads} if threads else {})}
        if snapshot.needs_upgrade:
            raise SnapshotError(f"快照 {snapshot.id} 是旧的存储格式，需要升级后才能显示（python -m fupin upgrade）")
        verify(snapshot, fresh=False)
        self._con = self._connect()
        self._lock = threading.Lock()
        self.cache = ResultCache(cache_entries, cache_max_rows)
        # Threads for run_many, shared by every session of the app: more would only queue on the cores.
        self._pool = ThreadPoolExecutor(max_workers=RUN_MANY_THREADS, thread_name_prefix="snapshotdb")

    def _connect(self) -> duckdb.DuckDBPyConnection:
        con = duckdb.connect(config=self._config)
        with self._file_errors():
            # A LOCAL setting: only `set global` reaches the cursor each query runs on.
            con.execute("set global parquet_metadata_cache = true")
            lacking = rollup.missing(self.snapshot)
            for name in TABLES:   # a table added since the snapshot was written (ADDED_TABLES) reads as empty
                if (name in self.snapshot.manifest["tables"] or name in ADDED_TABLES) and name not in lacking:
                    kind = "table" if self._in_memory(name) else "view"
                    con.execute(f"create {kind} {name} as {table_source(self.snapshot, name)}")
            define_measure_macros(con)
            # Derived tables a snapshot was written without (or in an earlier version's columns): aggregated once here
            # (a view would clash with the macros' parameters).
            for name in lacking:
                con.execute(f"create table {name} as select *, year({date_column(name)}) as year "
                            f"from ({rollup_select(name, 'purchases')})")
            for macro in base_macros().values():
                con.execute(macro.sql)
        return con

    def _in_memory(self, name: str) -> bool:
        """Whether a table is read into memory once (its files verified before): a small one, not the purchases or
        what is derived from them, which every query reads from the files it needs."""
        return name not in DERIVED_TABLES and name != "purchases" and self.snapshot.rows(name) <= IN_MEMORY_ROWS

    @contextlib.contextmanager
    def _file_errors(self):
        """Turn DuckDB's errors about unreadable or corrupt files into DamagedFile, naming the file when the
        error (or a fresh verification) can tell which."""
        try:
            yield
        except FILE_ERRORS as e:
            verify(self.snapshot, fresh=True)   # raises DamagedFile naming the file when one is damaged
            found = QUOTED_PATH.search(str(e))
            name = found.group(1).removeprefix(f"{self.snapshot.path}/") if found else "（数据文件）"
            raise DamagedFile(self.snapshot.id, name, f"读取失败（{str(e).splitlines()[0][:200]}）") from None

    def check(self) -> None:
        """Raise DamagedFile unless every file still matches the manifest (one stat each when unchanged); once per
        `files_checked_once` block."""
        checked = getattr(_this_run, "checked", None)
        if checked is not None and self.snapshot.id in checked:
            return
        verify(self.snapshot, fresh=False)
        files_verified(self.snapshot.id)

    def reopen(self) -> None:
        """Hash every file again and start a new DuckDB connection (after a file changed or a read failed).

        DamagedFile when a file is damaged: then serve another snapshot (SnapshotStore.serve). Queries running
        on the old connection finish on it; it is closed when no cursor uses it any more.
        """
        verify(self.snapshot, fresh=True)
        con = self._connect()
        with self._lock:
            self._con = con
        self.cache = ResultCache(self.cache.entries, self.cache.max_rows)

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        with self._lock:
            return self._con.cursor()

    @staticmethod
    def _key(name: str, params: dict) -> tuple:
        """A result's key in the cache: the query's name and its bound values."""
        return name, tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))

    def run(self, name: str, **params) -> pd.DataFrame:
        """Run a named query with exactly its declared parameters bound; returns all rows."""
        self.check()
        return self._run(name, params)

    def _run(self, name: str, params: dict) -> pd.DataFrame:
        """`run` once the files were checked."""
        query = named_queries()[name]
        if set(params) != query.params:
            raise TypeError(f"query {name} takes {sorted(query.params)}, got {sorted(params)}")
        key = self._key(name, params)
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        started = time.perf_counter()
        with self._file_errors(), self._cursor() as cursor:
            frame = cursor.execute(query.sql, params).df()
        telemetry.QUERY_SECONDS.labels(name).observe(time.perf_counter() - started)
        self.cache.put(key, frame)
        return frame

    def batches(self, name: str, flt: Filter, rows: int = 50_000, **extra) -> Iterator[pd.DataFrame]:
        """Stream a named query's rows for a filter in DataFrames of at most `rows` (exports; nothing cached).

        The first DataFrame may be empty, so a consumer always sees the columns.
        """
        query = named_queries()[name]
        params = bound(name, flt, extra)
        if set(params) != query.params:
            raise TypeError(f"query {name} takes {sorted(query.params)}, got {sorted(params)}")
        self.check()
        with self._file_errors(), self._cursor() as cursor:
            reader = cursor.sql(query.sql, params=params).to_arrow_reader(rows)
            yield reader.schema.empty_table().to_pandas()
            for batch in reader:
                yield batch.to_pandas()

    def run_filtered(self, name: str, flt: Filter, **extra) -> pd.DataFrame:
        """Run a named query with the filter values it declares, plus `extra` parameters."""
        return self.run(name, **bound(name, flt, extra))

    def run_many(self, calls: Sequence[tuple[str, dict]]) -> list[pd.DataFrame]:
        """Run independent named queries (name, parameters) at once, each on its own cursor in a thread of the
        connection's pool (DuckDB runs them side by side on the cores a single small query leaves idle); results in
        order. The files are checked once for all; results already in the cache are taken here, without a thread."""
        self.check()
        futures = {i: self._pool.submit(self._run, name, params) for i, (name, params) in enumerate(calls)
                   if self._key(name, params) not in self.cache and len(calls) > 1}
        return [futures[i].result() if i in futures else self._run(name, params)
                for i, (name, params) in enumerate(calls)]

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        self._con.close()
