"""Township staff import only their own township's rows: every row naming another township is found, by name,
stem or code; blank and unknown townships are left to the importer; targets are never theirs."""

import pandas as pd
import pytest
from conftest import write_snapshot
from ledger_samples import csv_file, purchase, xlsx_file

from fupin.ledger.township_rows import check_township_rows
from fupin.store.store import SnapshotStore

HUAFENG = "140827203"


@pytest.mark.parametrize("townships", [["华峰乡"], ["华峰"], [HUAFENG, "华峰乡"], [" 140827203 "], ["", "某某乡"]])
def test_rows_of_the_own_township_pass(tiny_store, townships):
    ledger = csv_file([purchase(township=name, village="西型马村") for name in townships])
    check = check_township_rows(tiny_store.current(), "purchases", [ledger], HUAFENG)
    assert (check.outside, check.message) == (0, None)


def test_rows_of_other_townships_are_counted_and_named(tiny_store):
    rows = [purchase(township="华峰乡", village="西型马村"), purchase(township="新城镇"),
            purchase(township="140827101", village="望仙村"), purchase(township="华峰乡", village="东型马村")]
    files = [csv_file(rows, name="采购.csv"), xlsx_file([purchase(township="历山")], name="补录.xlsx")]
    check = check_township_rows(tiny_store.current(), "purchases", files, HUAFENG)
    assert check.outside == 3
    assert check.examples == ["采购.csv 第3行：新城镇", "采购.csv 第4行：140827101", "补录.xlsx 第2行：历山"]
    assert check.message.startswith("乡镇账号只能导入华峰乡的数据：有 3 行属于其他乡镇")


def test_targets_are_not_township_staffs_to_import(tiny_store):
    check = check_township_rows(tiny_store.current(), "targets", [csv_file([], name="目标.csv")], HUAFENG)
    assert check.outside == 1 and "年度目标由县里设定" in check.message


def test_a_renamed_township_is_still_the_own_one(tmp_path, tiny_tables_data):
    """华峰乡 became 华峰镇 (a made-up change): staff of either code may name either."""
    towns = tiny_tables_data["townships"].copy()
    towns.loc[towns["township_code"] == HUAFENG, ["last_year", "successor_code"]] = [2018, "140827104"]
    renamed = {"township_code": "140827104", "township_name": "华峰镇", "first_year": 2019, "last_year": 2023,
               "successor_code": None, "lng": 111.7, "lat": 35.2}
    store = SnapshotStore(tmp_path)
    write_snapshot(store, {**tiny_tables_data, "townships": pd.concat([towns, pd.DataFrame([renamed])])})
    ledger = csv_file([purchase(township="华峰镇"), purchase(township="华峰乡"), purchase(township="新城镇")])
    for code in (HUAFENG, "140827104"):
        check = check_township_rows(store.current(), "purchases", [ledger], code)
        assert (check.outside, check.examples) == (1, ["采购台账.csv 第4行：新城镇"])
