"""Spark reads a snapshot's Hive tree as it is (the README's example): its sums per county and year equal DuckDB's."""

import pytest
from conftest import write_snapshot
from county_samples import two_counties
from pyspark.sql import SparkSession, functions

from fupin.query.db import SnapshotDB
from fupin.store.store import SnapshotStore

pytestmark = pytest.mark.slow   # a Spark session starts in ~8 s


@pytest.fixture(scope="module")
def spark():
    session = (SparkSession.builder.master("local[2]").appName("fupin-test")
               .config("spark.ui.enabled", "false")
               # Partition values as written: county codes stay strings (140827, not 140827.0 or an int).
               .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
               .config("spark.sql.session.timeZone", "UTC")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory):
    return write_snapshot(SnapshotStore(tmp_path_factory.mktemp("spark")), two_counties())


def test_spark_reads_the_purchases_tree_and_its_sums_equal_duckdbs(spark, snapshot):
    purchases = spark.read.parquet(str(snapshot.table_path("purchases")))   # <snapshot>/purchases
    assert dict(purchases.dtypes)["county_code"] == "string"
    by_spark = {(r["county_code"], int(r["year"])): (r["records"], r["amount_yuan"])
                for r in purchases.groupBy("county_code", "year")
                .agg(functions.count("*").alias("records"), functions.sum("amount_yuan").alias("amount_yuan"))
                .collect()}
    db = SnapshotDB(snapshot, cache_entries=0)
    try:
        with db._con.cursor() as cur:
            by_duckdb = {(county, year): (records, amount) for county, year, records, amount in cur.execute(
                "select county_code, year, count(*), sum(amount_yuan) from purchases group by all").fetchall()}
    finally:
        db.close()
    assert set(by_spark) == set(by_duckdb) == snapshot.partitions("purchases")
    for key, (records, amount) in by_duckdb.items():
        assert by_spark[key][0] == records and by_spark[key][1] == pytest.approx(amount, rel=1e-12)


def test_spark_reads_one_countys_partitions_only(spark, snapshot):
    purchases = spark.read.parquet(str(snapshot.table_path("purchases")))
    lixian = purchases.where(functions.col("county_code") == "621226")
    plan = lixian._jdf.queryExecution().executedPlan().toString()
    assert "PartitionFilters: [isnotnull(county_code" in plan and "621226" in plan
    assert lixian.count() == snapshot.manifest["tables"]["purchases"]["rows"] - sum(
        p["rows"] for p in snapshot.manifest["tables"]["purchases"]["partitions"] if p["county_code"] == "140827")
