"""Splitting a table's rows into its county and year partition files, each in the order its table is kept in."""

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from . import layout
from .rollup import CLUSTER_ORDER, ROW_GROUP_ROWS, SOURCE, bounded, literal

# Within a partition: purchases clustered (fupin.store.rollup), other tables in the order they were written.
WRITTEN_ORDER = "file_row_number"


@dataclass(frozen=True)
class PartFile:
    """One partition file written: its partition, its path relative to the snapshot folder, and its rows."""

    county_code: str
    year: int
    path: str
    rows: int


class PartitionError(ValueError):
    """Rows that cannot be placed in a partition (no county, no date, or a county code that is not 6 digits)."""


def _order(name: str) -> str:
    return CLUSTER_ORDER if name == SOURCE else WRITTEN_ORDER


def _copy(con: duckdb.DuckDBPyConnection, select: str, out: Path) -> None:
    """Write a SELECT to Parquet through a new file (a hard-linked file of another snapshot is never written into)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    con.execute(f"copy ({select}) to {literal(partial)} (format parquet, compression zstd, "
                f"row_group_size {ROW_GROUP_ROWS})")
    os.replace(partial, out)


def split(name: str, staging: Path, folder: Path, work_dir: Path) -> list[PartFile]:
    """Write the rows of a staging file (the table's schema) as partition files under `folder`; returns them.

    One partition is written straight from the staging file; several are first sorted by partition, so that
    writing each reads only its own row groups.
    """
    return bounded(lambda con: _split(con, name, staging, folder, work_dir), work_dir)


def _split(con: duckdb.DuckDBPyConnection, name: str, staging: Path, folder: Path, work_dir: Path) -> list[PartFile]:
    columns = ", ".join(layout.file_schema(name).names)
    year = layout.year_sql(name)
    source = f"read_parquet({literal(staging)}, file_row_number = true)"
    found = con.execute(f"select county_code, {year} as year, count(*) from {source} group by all "
                        "order by all").fetchall()
    bad = [(c, y) for c, y, _ in found if c is None or y is None or not layout.COUNTY.match(c)]
    if bad:
        raise PartitionError(f"{name} 有 {sum(n for c, y, n in found if (c, y) in bad):,} 行缺少县代码或日期，"
                             f"无法分区（如 县代码 {bad[0][0]!r}，年份 {bad[0][1]!r}）")
    if len(found) > 1:
        ordered = work_dir / f".{name}.by-partition.parquet"
        con.execute(f"copy (select *, {year} as _year from {source} order by county_code, _year, {_order(name)}) "
                    f"to {literal(ordered)} (format parquet, compression zstd, row_group_size {ROW_GROUP_ROWS})")
        source, order = f"read_parquet({literal(ordered)})", ""
        year = "_year"
    else:
        ordered, order = None, f" order by {_order(name)}"
    written = []
    for county, in_year, rows in found:
        path = layout.file_path(name, county, in_year)
        _copy(con, f"select {columns} from {source} where county_code = {literal(county)} "
                   f"and {year} = {int(in_year)}{order}", folder / path)
        written.append(PartFile(county, int(in_year), path, rows))
    if ordered is not None:
        ordered.unlink()
    return written
