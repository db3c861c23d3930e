"""What a snapshot keeps beside the purchases for speed: the rows clustered newest month first, and monthly rollups.

Every writer of a snapshot (the demo, the importer, tests) gets both through SnapshotWriter, which clusters each
purchases partition file as it writes it (fupin.partitions) and calls `derive` at commit for each rollup of each
purchases partition it wrote; nothing else computes them.
"""

import os
from pathlib import Path

import duckdb

from . import layout
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


def connect(work_dir: Path) -> duckdb.DuckDBPyConnection:
    """A DuckDB of bounded memory that spills its sort to `work_dir` (512MB: clustering 2M imported rows took
    415 MB more at 1GB and was no faster, which put an import over its 1.5 GB budget)."""
    con = duckdb.connect(config={"memory_limit": "512MB", "temp_directory": str(work_dir / ".duckdb_tmp"),
                                 "threads": max(1, min(4, os.cpu_count() or 1))})
    con.execute("set enable_progress_bar = false")   # a writer's caller draws its own progress
    return con


def literal(path: Path | str) -> str:
    """A path or text as a quoted SQL literal."""
    return "'" + str(path).replace("'", "''") + "'"


def rollup_select(name: str, purchases: str) -> str:
    """The SELECT of rollup `name` over a purchases relation: one row per month and combination of its keys."""
    keys = [KEY_EXPRESSIONS.get(k, k) for k in rollup_keys(name)]
    named = ", ".join(f"{expr} as {key}" if expr != key else key for key, expr in zip(rollup_keys(name), keys))
    where = f" where {ROWS_KEPT[name]}" if name in ROWS_KEPT else ""
    return (f"select date_trunc('month', purchase_date)::date as month, {named}, count(*) as records, "
            f"sum(weight_kg) as weight_kg, sum(amount_yuan) as amount_yuan "
            f"from {purchases}{where} group by date_trunc('month', purchase_date), {', '.join(keys)}")


def derive(name: str, purchases: Path, county_code: str, out: Path, work_dir: Path) -> int:
    """Write rollup `name` of one purchases partition file (of county `county_code`) as that partition's rollup
    file, newest month first, without the partition columns; returns its rows."""
    keys = ", ".join(rollup_keys(name))
    rows = f"(select *, {literal(county_code)} as county_code from read_parquet({literal(purchases)}))"
    columns = ", ".join(layout.file_schema(name).names)
    partial = out.with_name(f".{out.name}.partial")
    out.parent.mkdir(parents=True, exist_ok=True)
    con = connect(work_dir)
    try:
        con.execute(f"copy (select {columns} from ({rollup_select(name, rows)}) order by month desc, {keys}) "
                    f"to {literal(partial)} (format parquet, compression zstd, row_group_size {ROW_GROUP_ROWS})")
        found = con.execute(f"select count(*) from read_parquet({literal(partial)})").fetchone()[0]
    finally:
        con.close()
    os.replace(partial, out)
    return found
