"""Where a snapshot keeps each table: Hive partitions by county and year, or one file; and how DuckDB reads them.

A partitioned table is `<table>/county_code=<code>/year=<yyyy>/part-<n>.parquet` (the Spark/Hive convention: the
partition columns are in the path, not in the files); a reference table is `<table>.parquet`.
"""

import re

import pyarrow as pa

from .schema import PARTITIONED_BY_YEAR_OF, TABLES

PARTITION_COLUMNS = ("county_code", "year")
# DuckDB infers partition values as numbers unless told: county codes stay strings.
HIVE_TYPES = "{'county_code': 'VARCHAR', 'year': 'INTEGER'}"
COUNTY = re.compile(r"^\d{6}$")
# Every file path a manifest may name (anything else, such as `..`, makes the manifest unusable).
FILE_PATH = re.compile(r"^[a-z_]+(/county_code=\d{6}/year=\d{4}/part-\d+)?\.parquet$")
DUCKDB_TYPES = {pa.int64(): "BIGINT", pa.int32(): "INTEGER", pa.string(): "VARCHAR", pa.date32(): "DATE",
                pa.bool_(): "BOOLEAN", pa.float64(): "DOUBLE"}


def partitioned(name: str) -> bool:
    """Whether a table is stored in county and year partitions."""
    return name in PARTITIONED_BY_YEAR_OF


def year_sql(name: str) -> str:
    """The SQL expression of a partitioned table's year: its year column, or the year of its dated column."""
    column = PARTITIONED_BY_YEAR_OF[name]
    return column if column == "year" else f"year({column})"


def partition_dir(name: str, county_code: str, year: int) -> str:
    """The folder of one partition, relative to the snapshot folder."""
    if not COUNTY.match(county_code or "") or not 1000 <= int(year) <= 9999:
        raise ValueError(f"bad partition of {name}: county {county_code!r}, year {year!r}")
    return f"{name}/county_code={county_code}/year={int(year)}"


def file_path(name: str, county_code: str | None = None, year: int | None = None, n: int = 0) -> str:
    """A table's file path relative to the snapshot folder: a partition's part-n, or the single file."""
    if not partitioned(name):
        return f"{name}.parquet"
    return f"{partition_dir(name, county_code, year)}/part-{n}.parquet"


def partition_of(path: str) -> tuple[str, int] | None:
    """(county_code, year) of a partition file's path, or None for a single-file table."""
    parts = dict(p.split("=", 1) for p in path.split("/") if "=" in p)
    return (parts["county_code"], int(parts["year"])) if parts else None


def file_schema(name: str) -> pa.Schema:
    """The columns inside a table's files: a partitioned table's without the partition columns."""
    schema = TABLES[name]
    if not partitioned(name):
        return schema
    return pa.schema([f for f in schema if f.name not in PARTITION_COLUMNS])


def view_columns(name: str) -> list[str]:
    """The columns of a table's view: the schema's, plus `year` for a partitioned table."""
    names = TABLES[name].names
    return names + ["year"] if partitioned(name) and "year" not in names else names


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def duckdb_source(name: str, files: list[str]) -> str:
    """A DuckDB SELECT of a table's view over exactly these absolute file paths.

    Partitioned files are read with hive_partitioning (county codes as VARCHAR, years as INTEGER), so a filter on
    county_code or year skips the other files. A table without files is an empty relation of the right columns.
    """
    # Qualified: a table macro's parameters (buyer_type, ...) would otherwise clash with the view's columns.
    columns = ", ".join(f"t.{c}" for c in view_columns(name))
    if not files:
        types = {**{f.name: DUCKDB_TYPES[f.type] for f in TABLES[name]}, "year": "INTEGER"}
        nulls = ", ".join(f"null::{types[c]} as {c}" for c in view_columns(name))
        return f"select {nulls} where false"
    paths = "[" + ", ".join(_literal(f) for f in files) + "]"
    if not partitioned(name):
        return f"select {columns} from read_parquet({paths}) as t"
    return (f"select {columns} from read_parquet({paths}, hive_partitioning = true, "
            f"hive_types = {HIVE_TYPES}) as t")
