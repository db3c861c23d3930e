"""What a snapshot keeps beside the purchases for speed: the rows clustered newest month first, and monthly rollups.

Every writer of a snapshot (the demo, the importer, tests) gets both through SnapshotWriter, which calls
`cluster` when purchases are written and `derive` for each rollup at commit; nothing else computes them.
"""

import os
from pathlib import Path

import duckdb

from .schema import TABLES

# Rows per Parquet row group of the clustered purchases: small enough that a month, a township or the
# newest page of records skips most of the file, large enough to scan fast.
ROW_GROUP_ROWS = 65_536
# Newest month first, then place, then newest day: date ranges, townships and "newest first" pages prune.
CLUSTER_ORDER = ("date_trunc('month', purchase_date) desc, township_code, village_code, "
                 "purchase_date desc, purchase_id desc")
# A rollup's columns (fupin.schema) are `month`, the coded columns it keeps, and these sums.
MEASURES = ("records", "weight_kg", "amount_yuan")
SOURCE = "purchases"
# Rollup keys that are not purchase columns (a cooperative is known by its credit code), and the rows a rollup keeps.
KEY_EXPRESSIONS = {"supplier": "case when supplier_type = 'cooperative' then supplier_credit_code else supplier_name end"}
ROWS_KEPT = {"purchase_supplier_rollup": "supplier_type in ('poor_household', 'cooperative')"}


def rollup_keys(name: str) -> list[str]:
    """The coded columns a rollup keeps, per its schema."""
    return [n for n in TABLES[name].names if n != "month" and n not in MEASURES]


def _connect(work_dir: Path) -> duckdb.DuckDBPyConnection:
    """A DuckDB of bounded memory that spills its sort to `work_dir` (512MB: clustering 2M imported rows took
    415 MB more at 1GB and was no faster, which put an import over its 1.5 GB budget)."""
    con = duckdb.connect(config={"memory_limit": "512MB", "temp_directory": str(work_dir / ".duckdb_tmp"),
                                 "threads": max(1, min(4, os.cpu_count() or 1))})
    con.execute("set enable_progress_bar = false")   # a writer's caller draws its own progress
    return con


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _copy(select: str, out: Path, work_dir: Path) -> None:
    """Write a SELECT to Parquet at `out` through a new file, so a hard-linked file of another snapshot is
    never written into."""
    partial = out.with_name(f".{out.name}.partial")
    con = _connect(work_dir)
    try:
        con.execute(f"copy ({select}) to {_literal(partial)} (format parquet, compression zstd, "
                    f"row_group_size {ROW_GROUP_ROWS})")
    finally:
        con.close()
    os.replace(partial, out)


def cluster(source: Path, out: Path, work_dir: Path) -> None:
    """Rewrite a purchases file in CLUSTER_ORDER (DuckDB sorts larger than memory by spilling)."""
    columns = ", ".join(TABLES[SOURCE].names)
    _copy(f"select {columns} from read_parquet({_literal(source)}) order by {CLUSTER_ORDER}", out, work_dir)


def rollup_select(name: str, purchases: str) -> str:
    """The SELECT of rollup `name` over a purchases relation: one row per month and combination of its keys."""
    keys = [KEY_EXPRESSIONS.get(k, k) for k in rollup_keys(name)]
    named = ", ".join(f"{expr} as {key}" if expr != key else key for key, expr in zip(rollup_keys(name), keys))
    where = f" where {ROWS_KEPT[name]}" if name in ROWS_KEPT else ""
    return (f"select date_trunc('month', purchase_date)::date as month, {named}, count(*) as records, "
            f"sum(weight_kg) as weight_kg, sum(amount_yuan) as amount_yuan "
            f"from {purchases}{where} group by date_trunc('month', purchase_date), {', '.join(keys)}")


def derive(name: str, purchases: Path, out: Path, work_dir: Path) -> None:
    """Write rollup `name` of a purchases file, newest month first."""
    keys = ", ".join(rollup_keys(name))
    select = rollup_select(name, f"read_parquet({_literal(purchases)})")
    _copy(f"{select} order by month desc, {keys}", out, work_dir)
