"""What a snapshot keeps beside the purchases for speed: the rows clustered newest month first, and derived sums.

Every writer of a snapshot (the demo, the importer, tests) gets both through SnapshotWriter, which clusters each
purchases partition file as it writes it (fupin.store.partitions) and calls `derive` at commit for each purchases
partition it wrote; nothing else computes them. The derived tables (fupin.store.schema DERIVED_TABLES) are the supplier
rollup per month and the summed tables: per month and per day, of the main, village, product and buyer keys.
"""

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import duckdb
import pyarrow.parquet as pq

from . import layout
from .schema import DERIVED_TABLES, TABLES
from .sql_files import in_folder

log = logging.getLogger(__name__)
T = TypeVar("T")
# Threads of a writer's DuckDB: the machine's cores, at most 4.
THREADS = max(1, min(4, os.cpu_count() or 1))
# Rows per Parquet row group of the clustered purchases and of the derived tables: small enough that a month, a
# township or the newest page of records skips most of the file, large enough to scan fast.
ROW_GROUP_ROWS = 65_536
# Newest month first, then place, then newest day: date ranges, townships and "newest first" pages prune.
CLUSTER_ORDER = ("date_trunc('month', purchase_date) desc, township_code, village_code, "
                 "purchase_date desc, purchase_id desc")
# A derived table's columns (fupin.store.schema) are its date column, the coded columns it keeps, and some of these
# measures: each one's SQL over the purchases (over another derived table it is the sum of the column).
MEASURES = {
    "records": "count(*)",
    "weight_kg": "sum(weight_kg)",
    "amount_yuan": "sum(amount_yuan)",
    "poor_village_weight_kg": "coalesce(sum(weight_kg) filter (where from_poor_village), 0)",
    "poor_village_amount_yuan": "coalesce(sum(amount_yuan) filter (where from_poor_village), 0)",
    "poor_or_coop_weight_kg": "coalesce(sum(weight_kg) filter (where poor_or_cooperative(from_poor_village, "
                              "supplier_type)), 0)",
    "poor_or_coop_amount_yuan": "coalesce(sum(amount_yuan) filter (where poor_or_cooperative(from_poor_village, "
                                "supplier_type)), 0)",
}
# The scalar macros of queries/base/ the measures use, defined on every connection that derives.
MEASURE_MACROS = ("poor_or_cooperative",)
DATE_COLUMNS = ("month", "purchase_date")
SOURCE = "purchases"
# Rollup keys that are not purchase columns (a cooperative is known by its credit code), and the rows a rollup keeps.
KEY_EXPRESSIONS = {"supplier": "case when supplier_type = 'cooperative' then supplier_credit_code else supplier_name end"}
SUPPLIERS_KEPT = "supplier_type in ('poor_household', 'cooperative')"
ROWS_KEPT = {"purchase_supplier_rollup": SUPPLIERS_KEPT, "purchase_supplier_day": SUPPLIERS_KEPT}
# Derived tables summed again from another derived table of the same partition (fewer, smaller scans than the rows;
# sums of sums).
SUMMED_FROM = {"purchase_village_month": "purchase_village_day", "purchase_main_day": "purchase_village_day",
               "purchase_main_month": "purchase_main_day", "purchase_product_month": "purchase_product_day",
               "purchase_buyer_month": "purchase_buyer_day"}


def date_column(name: str) -> str:
    """A derived table's date column: `month` (first day of the month) or `purchase_date`."""
    return next(c for c in DATE_COLUMNS if c in TABLES[name].names)


def rollup_keys(name: str) -> list[str]:
    """The coded columns a derived table keeps, per its schema."""
    return [n for n in TABLES[name].names if n not in DATE_COLUMNS and n not in MEASURES]


def connect(work_dir: Path, threads: int = THREADS) -> duckdb.DuckDBPyConnection:
    """A DuckDB of bounded memory that spills its sort to `work_dir` (512MB: clustering 2M imported rows took
    415 MB more at 1GB and was no faster, which put an import over its 1.5 GB budget)."""
    con = duckdb.connect(config={"memory_limit": "512MB", "temp_directory": str(work_dir / ".duckdb_tmp"),
                                 "threads": threads})
    con.execute("set enable_progress_bar = false")   # a writer's caller draws its own progress
    return con


def bounded(work: Callable[[duckdb.DuckDBPyConnection], T], work_dir: Path) -> T:
    """Run `work` on a connection of bounded memory (`connect`). When DuckDB runs out of that memory anyway, as its
    sorts and Parquet writes now and then do with several threads (one of three generations of the 50M bench store
    did), run it again from the start on one thread, which keeps to the limit; `work` rewrites its files."""
    try:
        return _on_connection(work, work_dir, THREADS)
    except duckdb.OutOfMemoryException:
        if THREADS == 1:
            raise
        log.warning("DuckDB ran out of its memory limit on %d threads; again on one thread", THREADS)
        return _on_connection(work, work_dir, 1)


def _on_connection(work: Callable[[duckdb.DuckDBPyConnection], T], work_dir: Path, threads: int) -> T:
    con = connect(work_dir, threads)
    try:
        return work(con)
    finally:
        con.close()


def is_current(name: str, path: Path) -> bool:
    """Whether a derived table's file has the columns this version writes (one written by an earlier version of a
    derived table is derived again, not shared)."""
    return pq.read_schema(path).names == layout.file_schema(name).names


def missing(snapshot) -> list[str]:
    """The derived tables a snapshot lacks: written before they were kept, or in an earlier version's columns."""
    tables = snapshot.manifest["tables"]
    return [n for n in DERIVED_TABLES if n not in tables
            or any(not is_current(n, path) for path in snapshot.file_paths(n)[:1])]


def define_measure_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Define the scalar macros the measures use (queries/base/), so the rule of each lives in one file."""
    for name in MEASURE_MACROS:
        con.execute(in_folder("base")[name].sql)


def literal(path: Path | str) -> str:
    """A path or text as a quoted SQL literal."""
    return "'" + str(path).replace("'", "''") + "'"


def rollup_select(name: str, relation: str, source: str = SOURCE) -> str:
    """The SELECT of derived table `name` over a relation of table `source` (the purchases, or the derived table it
    is summed from): one row per date (month or day) and combination of its keys."""
    keys = [KEY_EXPRESSIONS.get(k, k) for k in rollup_keys(name)]
    named = ", ".join(f"{expr} as {key}" if expr != key else key for key, expr in zip(rollup_keys(name), keys))
    day = "purchase_date" if source == SOURCE else date_column(source)
    when = f"date_trunc('month', {day})::date" if date_column(name) == "month" else day
    measures = ", ".join(f"{MEASURES[m] if source == SOURCE else f'sum({m})'} as {m}"
                         for m in TABLES[name].names if m in MEASURES)
    where = f" where {ROWS_KEPT[name]}" if name in ROWS_KEPT else ""
    return (f"select {when} as {date_column(name)}, {named}, {measures} "
            f"from {relation}{where} group by {when}, {', '.join(keys)}")


def derive(purchases: Path, county_code: str, outs: dict[str, Path], work_dir: Path) -> dict[str, int]:
    """Write the derived tables in `outs` (name -> file) of one purchases partition file (of county `county_code`),
    each newest first, without the partition columns; returns their rows by name."""
    return bounded(lambda con: _derive(con, purchases, county_code, outs), work_dir)


def _derive(con: duckdb.DuckDBPyConnection, purchases: Path, county_code: str, outs: dict[str, Path]) -> dict[str, int]:
    pending = [n for n in DERIVED_TABLES if n in outs]
    found = {}
    define_measure_macros(con)
    while pending:
        name = next(n for n in pending if SUMMED_FROM.get(n) not in pending)   # its source first
        pending.remove(name)
        source = SUMMED_FROM.get(name) if SUMMED_FROM.get(name) in outs else SOURCE
        path = outs[source] if source != SOURCE else purchases
        rows = f"(select *, {literal(county_code)} as county_code from read_parquet({literal(path)}))"
        order = ", ".join([f"{date_column(name)} desc", *rollup_keys(name)])
        columns = ", ".join(layout.file_schema(name).names)
        partial = outs[name].with_name(f".{outs[name].name}.partial")
        outs[name].parent.mkdir(parents=True, exist_ok=True)
        con.execute(f"copy (select {columns} from ({rollup_select(name, rows, source)}) order by {order}) "
                    f"to {literal(partial)} (format parquet, compression zstd, row_group_size {ROW_GROUP_ROWS})")
        found[name] = con.execute(f"select count(*) from read_parquet({literal(partial)})").fetchone()[0]
        os.replace(partial, outs[name])
    return found
