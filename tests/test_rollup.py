"""Rollups kept in the snapshot: the cube macros equal the rows for any dates, and writers keep them right."""

import datetime as dt
import os
import random

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest
from conftest import TINY_AS_OF, tiny_tables, write_snapshot

from fupin.query.db import SnapshotDB
from fupin.query.filters import Filter
from fupin.store import rollup
from fupin.store.schema import DERIVED_TABLES
from fupin.store.snapshot import Snapshot, read_table, verify
from fupin.store.store import SnapshotStore

YUANQU = ("140827",)

FILTER_ARGS = "$date_from, $date_to, $counties, $township, $village, $buyer_type, $product_category, $channel"
# Whole months, part-months at either end, a single day, 29 February, across a year end, no data at all.
DATE_CASES = [
    (dt.date(2018, 1, 1), dt.date(2018, 12, 29)), (dt.date(2018, 1, 1), dt.date(2018, 12, 31)),
    (dt.date(2018, 3, 5), dt.date(2018, 3, 20)), (dt.date(2018, 3, 5), dt.date(2018, 4, 20)),
    (dt.date(2018, 3, 1), dt.date(2018, 3, 31)), (dt.date(2018, 6, 30), dt.date(2018, 7, 1)),
    (dt.date(2017, 1, 31), dt.date(2017, 3, 1)), (dt.date(2017, 12, 15), dt.date(2018, 1, 10)),
    (dt.date(2016, 2, 29), dt.date(2016, 2, 29)), (dt.date(2017, 5, 17), dt.date(2017, 5, 17)),
    (dt.date(2021, 1, 1), dt.date(2021, 6, 30)),
]
SCOPES = [{}, {"township": "140827203"}, {"village": "140827101216"}, {"buyer_type": "supermarket"},
          {"product_category": "粮食", "township": "140827100"}, {"channel": "canteen"},
          {"channel": "fair", "township": "140827203"}]
CASES = [Filter(a, b, counties=YUANQU, **scope) for a, b in DATE_CASES for scope in SCOPES]


def one(db: SnapshotDB, sql: str, flt: Filter) -> pd.DataFrame:
    with db._con.cursor() as cur:
        return cur.execute(sql, flt.params()).df()


# Each cube macro of the summed tables, the keys it keeps and whether it has the poor-village sums.
CUBES = {
    "purchase_cube": ("township_code, buyer_type, channel, product_category", True),
    "summed_village": ("township_code, village_code, buyer_type, channel, product_category", True),
    "product_cube": ("township_code, buyer_type, product_category, product_name", False),
    "buyer_cube": ("township_code, buyer_id, buyer_type, product_category", True),
}
POOR = "from_poor_village"
POOR_OR_COOP = "from_poor_village or supplier_type = 'cooperative'"


@pytest.mark.parametrize("cube", CUBES)
@pytest.mark.parametrize("flt", CASES, ids=str)
def test_each_cube_equals_the_rows(tiny_db, flt, cube):
    keys, flagged = CUBES[cube]
    sums = "sum(records)::bigint as records, sum(weight_kg) as weight_kg, sum(amount_yuan) as amount_yuan"
    raw = "count(*) as records, sum(weight_kg) as weight_kg, sum(amount_yuan) as amount_yuan"
    if flagged:
        sums += ", " + ", ".join(f"sum({part}_{m}) as {part}_{m}" for part in ("poor_village", "poor_or_coop")
                                 for m in ("weight_kg", "amount_yuan"))
        raw += ", " + ", ".join(f"coalesce(sum({m}) filter (where {rule}), 0) as {part}_{m}"
                                for part, rule in (("poor_village", POOR), ("poor_or_coop", POOR_OR_COOP))
                                for m in ("weight_kg", "amount_yuan"))
    month = "date_trunc('month', purchase_date)::date as month"
    got = one(tiny_db, f"select month, {keys}, {sums} from {cube}({FILTER_ARGS}) group by all order by all", flt)
    want = one(tiny_db, f"select {month}, {keys}, {raw} from filtered_purchases({FILTER_ARGS}) "
                        "group by all order by all", flt)
    pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-12)


@pytest.mark.parametrize("flt", CASES, ids=str)
def test_supplier_counts_equal_the_rows(tiny_db, flt):
    counts = ("count(distinct supplier_name) filter (where supplier_type = 'poor_household') as poor_households, "
              "count(distinct supplier_credit_code) filter (where supplier_type = 'cooperative') as cooperatives")
    want = one(tiny_db, f"select buyer_id, {counts} from filtered_purchases({FILTER_ARGS}) group by all "
                        "having count(*) filter (where supplier_type in ('poor_household', 'cooperative')) > 0 order by all", flt)
    got = one(tiny_db, f"select * from buyer_suppliers({FILTER_ARGS}, ['B1', 'B2', 'B3', 'B4']) order by all", flt)
    pd.testing.assert_frame_equal(got, want)


def test_purchases_are_clustered_newest_month_first_within_each_partition(tiny_store):
    snapshot = tiny_store.current()
    assert len(snapshot.files("purchases")) == 2   # 2017 and 2018
    for path in snapshot.file_paths("purchases"):
        rows = pq.read_table(path, columns=["purchase_date", "township_code", "village_code"]).to_pylist()
        keys = [(-r["purchase_date"].year * 12 - r["purchase_date"].month, r["township_code"], r["village_code"])
                for r in rows]
        assert keys == sorted(keys) and {r["purchase_date"].year for r in rows} == {int(path.parent.name[5:])}


def kept(name: str, purchases: pd.DataFrame) -> pd.DataFrame:
    """The purchase rows a rollup covers (the supplier rollup only poor households and cooperatives)."""
    if name in ("purchase_supplier_rollup", "purchase_supplier_day"):
        return purchases[purchases["supplier_type"].isin(["poor_household", "cooperative"])]
    return purchases


def assert_sums(rollup: pd.DataFrame, rows: pd.DataFrame) -> None:
    """A rollup's rows, weight and amount (those of them it keeps) are the purchase rows' own."""
    assert rollup["weight_kg"].sum() == pytest.approx(rows["weight_kg"].sum())
    if "records" in rollup:
        assert rollup["records"].sum() == len(rows)
    if "amount_yuan" in rollup:
        assert rollup["amount_yuan"].sum() == pytest.approx(rows["amount_yuan"].sum())


def test_rollups_add_up_to_the_purchases(tiny_store, tiny_tables_data):
    snapshot = tiny_store.current()
    for name in DERIVED_TABLES:
        assert snapshot.partitions(name) == snapshot.partitions("purchases")
        rollup = read_table(snapshot, name).to_pandas()
        assert_sums(rollup, kept(name, tiny_tables_data["purchases"]))


def test_rewritten_purchases_get_new_rollups_and_the_parent_keeps_its_own(tmp_path):
    store = SnapshotStore(tmp_path)
    tables = tiny_tables(random.Random(1))
    parent = write_snapshot(store, tables)
    changed = tables["purchases"].assign(amount_yuan=tables["purchases"]["amount_yuan"] * 2,
                                         weight_kg=tables["purchases"]["weight_kg"] * 3)
    with store.writer(TINY_AS_OF, {"kind": "test"}, parent) as writer:
        for name in parent.manifest["tables"]:
            if name == "purchases":
                writer.write(name, changed)
            else:
                writer.carry(name, parent)
        child = writer.commit()
    verify(parent)   # re-deriving never wrote into the parent's hard-linked files
    for name in DERIVED_TABLES:
        assert_sums(read_table(child, name).to_pandas(), kept(name, changed))


def test_carried_purchases_keep_their_rollups(tmp_path):
    store = SnapshotStore(tmp_path)
    parent = write_snapshot(store, tiny_tables(random.Random(2)))
    with store.writer(TINY_AS_OF, {"kind": "test"}, parent) as writer:
        for name in parent.manifest["tables"]:
            writer.carry(name, parent)
        child = writer.commit()
    for name in DERIVED_TABLES:
        assert child.files(name) == parent.files(name)
        assert all(os.path.samefile(a, b) for a, b in zip(child.file_paths(name), parent.file_paths(name)))


def test_a_snapshot_without_rollups_is_still_answered(tiny_store, tiny_db):
    snapshot = tiny_store.current()
    manifest = {**snapshot.manifest, "tables": {k: v for k, v in snapshot.manifest["tables"].items()
                                                 if k not in DERIVED_TABLES}}
    old = SnapshotDB(Snapshot(snapshot.id, snapshot.path, manifest), cache_entries=0)
    try:
        flt = Filter.year_to_date(TINY_AS_OF, counties=YUANQU, township="140827203")
        for name in ("purchase_totals", "purchase_by_product", "purchase_by_village"):
            pd.testing.assert_frame_equal(old.run_filtered(name, flt), tiny_db.run_filtered(name, flt))
        county = Filter.year_to_date(TINY_AS_OF, counties=YUANQU)   # the warnings weigh the offers by the daily sums
        warned = tiny_db.run_filtered("unsold_warnings", county)
        assert (warned["bought_kg"] > 0).any()
        pd.testing.assert_frame_equal(old.run_filtered("unsold_warnings", county), warned)
    finally:
        old.close()


def test_derived_files_of_an_earlier_version_are_derived_again(tiny_store, tiny_db, monkeypatch):
    """A derived table whose files have other columns than this version writes (an earlier version's) is aggregated
    when the snapshot is opened, and named for the upgrade to write anew."""
    from fupin.store import rollup
    from fupin.store.upgrade import lacks_derived

    snapshot = tiny_store.current()
    assert lacks_derived(snapshot) == []
    monkeypatch.setattr(rollup.layout, "file_schema", lambda name, real=rollup.layout.file_schema: (
        real(name).remove(real(name).get_field_index("records")) if name == "purchase_main_month" else real(name)))
    assert lacks_derived(snapshot) == ["purchase_main_month"]
    old = SnapshotDB(snapshot, cache_entries=0)
    try:
        flt = Filter(dt.date(2018, 2, 3), dt.date(2018, 11, 20), counties=YUANQU)
        pd.testing.assert_frame_equal(old.run_filtered("purchase_totals", flt), tiny_db.run_filtered("purchase_totals", flt))
    finally:
        old.close()


def test_a_writer_out_of_memory_on_several_threads_runs_again_on_one(tmp_path, monkeypatch):
    monkeypatch.setattr(rollup, "THREADS", 2)
    tried = []

    def work(con):
        threads = con.execute("select current_setting('threads')").fetchone()[0]
        tried.append(threads)
        if threads > 1:
            raise duckdb.OutOfMemoryException("Out of Memory Error: failed to pin block of size 256.0 KiB")
        return "written"

    assert rollup.bounded(work, tmp_path) == "written" and tried == [2, 1]


def test_a_writer_out_of_memory_on_one_thread_too_fails(tmp_path, monkeypatch):
    monkeypatch.setattr(rollup, "THREADS", 2)

    def work(con):
        raise duckdb.OutOfMemoryException("Out of Memory Error")

    with pytest.raises(duckdb.OutOfMemoryException):
        rollup.bounded(work, tmp_path)
