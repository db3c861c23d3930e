"""The partitioned layout: a county's query reads only its files; an import rewrites only the partitions its rows
fall in and shares every other file; a ledger's county comes from its 县 column or the importer's counties."""

import datetime as dt
import os
import re

import pytest
from conftest import copy_store, write_snapshot
from county_samples import LIXIAN, two_counties
from ledger_samples import PURCHASE_HEADER, csv_file, purchase

from fupin.ledger.importer import import_ledgers
from fupin.query.db import SnapshotDB
from fupin.query.filters import Filter
from fupin.store import reference
from fupin.store.schema import DERIVED_TABLES
from fupin.store.snapshot import read_table, verify
from fupin.store.store import SnapshotStore

FILTER_ARGS = "$date_from, $date_to, $counties, $township, $village, $buyer_type, $product_category, $channel"


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> SnapshotStore:
    store = SnapshotStore(tmp_path_factory.mktemp("partitions") / "data")
    write_snapshot(store, two_counties())
    return store


@pytest.fixture
def store(tmp_path, template) -> SnapshotStore:
    return copy_store(template, tmp_path / "data")


def files_read(db: SnapshotDB, sql: str, params: dict) -> list[str]:
    """DuckDB's own count of the Parquet files a query read ("Total Files Read")."""
    with db._con.cursor() as cur:
        plan = cur.execute(f"explain analyze {sql}", params).fetchall()[0][1]
    return sorted(re.findall(r"Total Files Read: (\d+)", plan))


def test_a_county_and_year_query_reads_only_that_partitions_files(store):
    snapshot = store.current()
    assert len(snapshot.files("purchases")) == 5   # 垣曲 2017, 2018; 礼县 2018, 2019, 2020
    db = SnapshotDB(snapshot, cache_entries=0)
    try:
        flt = Filter(dt.date(2019, 3, 5), dt.date(2019, 6, 20), counties=(LIXIAN,))
        rows = f"select count(*) from filtered_purchases({FILTER_ARGS})"
        assert files_read(db, rows, flt.params()) == ["1"]
        cube = f"select sum(records) from purchase_cube({FILTER_ARGS})"
        assert files_read(db, cube, flt.params()) == ["1", "1"]   # the monthly file, the daily one for both part-months
        both = Filter(dt.date(2018, 1, 1), dt.date(2018, 12, 31), counties=("140827", LIXIAN))
        assert files_read(db, rows, both.params()) == ["2"]
        with db._con.cursor() as cur:
            counted = cur.execute(rows, flt.params()).fetchone()[0]
            views = cur.execute("select * from purchases limit 0").description
        want = two_counties()["purchases"]
        assert counted == ((want["township_code"].str[:6] == LIXIAN)
                           & want["purchase_date"].between(flt.date_from, flt.date_to)).sum()
        assert [c[0] for c in views][-3:] == ["weight_kg", "amount_yuan", "year"]
    finally:
        db.close()


def lixian_row(date="2019-07-01", county="礼县", township="城关镇", village=None, buyer="礼县万家福超市", buyer_type=""):
    """One purchase ledger row of 礼县 with a 县 column first."""
    villages = lixian_villages()
    village = village or villages.get(township)
    return [county, *purchase(date=date, buyer=buyer, buyer_type=buyer_type, township=township, village=village)]


def lixian_villages() -> dict:
    """A village of each 礼县 township (2018 edition), by township name."""
    townships = reference.townships((LIXIAN,)).set_index("township_code")["township_name"]
    villages = reference.villages((LIXIAN,))
    villages = villages[villages["editions"].str.contains("2018")]
    return {townships[t]: name for t, name in zip(villages["township_code"], villages["village_name"])}


def test_an_import_into_one_partition_shares_every_other_file_with_its_parent(store):
    first = store.current()
    result = import_ledgers(store, "purchases", [csv_file([lixian_row()], header=["县", *PURCHASE_HEADER])])
    assert result.accepted, result.report.entries
    second = result.snapshot
    touched = ("purchases/county_code=621226/year=2019/part-0.parquet",
               *(f"{name}/county_code=621226/year=2019/part-0.parquet" for name in DERIVED_TABLES))
    first_files = {f["path"]: f for name in first.manifest["tables"] for f in first.files(name)}
    second_files = {f["path"]: f for name in second.manifest["tables"] for f in second.files(name)}
    assert set(first_files) == set(second_files)
    for path in first_files:
        shared = os.path.samefile(first.path / path, second.path / path)
        assert shared == (path not in touched), path
        assert (first_files[path]["sha256"] == second_files[path]["sha256"]) == (path not in touched), path
    partition = next(p for p in second.manifest["tables"]["purchases"]["partitions"]
                     if (p["county_code"], p["year"]) == (LIXIAN, 2019))
    before = next(p for p in first.manifest["tables"]["purchases"]["partitions"]
                  if (p["county_code"], p["year"]) == (LIXIAN, 2019))
    assert partition["rows"] == before["rows"] + 1
    verify(first)
    verify(second)
    entry = second.manifest["imports"][-1]
    assert entry["by"] and entry["counties"] is None


def test_a_ledger_without_a_county_column_takes_the_importers_counties(store):
    rows = [purchase(date="2019-07-01", buyer="礼县万家福超市", township="城关镇", village=lixian_villages()["城关镇"]),
            purchase(date="2018-12-20")]                      # 垣曲县's 新城镇: outside the user's county
    result = import_ledgers(store, "purchases", [csv_file(rows)], counties=(LIXIAN,), only_valid=True)
    assert result.accepted
    reasons = {(e["row"], e["column"], e["reason"]) for e in result.report.entries if e["kind"] == "错误"}
    assert reasons == {(3, "乡镇", "该乡镇不在所填的县或本次导入的范围内")}
    assert result.snapshot.manifest["imports"][-1]["counties"] == [LIXIAN]
    added = read_table(result.snapshot, "purchases").to_pandas()
    assert (added["county_code"] == LIXIAN).sum() == 301


def test_rows_of_a_county_not_in_the_reference_or_outside_the_scope_are_refused_with_the_reason(store):
    header = ["县", *PURCHASE_HEADER]
    rows = [lixian_row(county="运城市"), lixian_row(county="垣曲县", township="新城镇", village="下王村",
                                                    buyer="万盛新时代广场")]
    result = import_ledgers(store, "purchases", [csv_file(rows, header=header)], counties=(LIXIAN,))
    assert result.status == "rejected"
    reasons = {(e["row"], e["column"], e["reason"]) for e in result.report.entries if e["kind"] == "错误"}
    assert reasons == {(2, "县", "县不在参考区划中（请填写快照中的县名称或6位代码）"), (3, "县", "该县不在本次导入的范围内")}


def test_buyers_are_matched_by_name_within_their_county(store):
    header = ["县", *PURCHASE_HEADER]
    # 万盛新时代广场 is registered in 垣曲县: in 礼县 the same name is a new buyer, which needs its type.
    untyped = import_ledgers(store, "purchases", [csv_file([lixian_row(buyer="万盛新时代广场")], header=header)])
    assert untyped.status == "rejected" and "采购单位未登记" in untyped.report.entries[0]["reason"]
    typed = import_ledgers(store, "purchases", [csv_file([lixian_row(buyer="万盛新时代广场", buyer_type="商超")],
                                                         header=header)])
    buyers = read_table(typed.snapshot, "buyers").to_pandas()
    assert sorted(buyers.loc[buyers["buyer_name"] == "万盛新时代广场", "county_code"]) == ["140827", LIXIAN]


def test_a_replace_for_one_county_keeps_the_others_files(store):
    first = store.current()
    header = ["县", *PURCHASE_HEADER]
    removed = first.manifest["tables"]["purchases"]["partitions"]
    lixian_rows = sum(p["rows"] for p in removed if p["county_code"] == LIXIAN)
    result = import_ledgers(store, "purchases", [csv_file([lixian_row()], header=header)], mode="replace",
                            counties=(LIXIAN,), replace_confirmed=lixian_rows)
    second = result.snapshot
    assert second.partitions("purchases") == {("140827", 2017), ("140827", 2018), (LIXIAN, 2019)}
    for path in (p for p in first.file_paths("purchases") if "county_code=140827" in str(p)):
        assert os.path.samefile(path, second.path / path.relative_to(first.path))
    assert second.rows("purchases") == first.rows("purchases") - lixian_rows + 1
