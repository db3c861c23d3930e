"""Importing the supply-offer ledger (产销对接台账): a good file becomes offers of a new snapshot; a bad one is refused
with its row report and leaves the store as it was; the offers' own rules, duplicates, replace, and a snapshot
written before offers existed."""

import datetime as dt
import json
import shutil

import pandas as pd
import pytest
from conftest import copy_store, run_cli
from ledger_samples import csv_file, table, xlsx_file

from fupin.ledger.columns import LEDGERS
from fupin.ledger.importer import import_ledgers
from fupin.ledger.report import DUPLICATE, ERROR, HINT
from fupin.ledger.templates import template_csv
from fupin.store.credit_code import make_cooperative_code
from fupin.store.reference import warning_rules
from fupin.store.snapshot import read_table, verify
from fupin.store.store import SnapshotStore

HEADER = [c.header for c in LEDGERS["offers"]]
COOP = make_cooperative_code("140827", "MA0000001")
NEXT_YEAR = dt.date.today().replace(month=1, day=1) + dt.timedelta(days=366)


def offer(**cells) -> list:
    """One offer row in the template's columns, valid unless told otherwise (下王村 of 新城镇, a village collective)."""
    row = {"县": "", "乡镇": "新城镇", "村": "下王村", "供货方类型": "村集体", "供货方": "下王村股份经济合作社",
           "统一社会信用代码": "", "产品类别": "蔬菜", "产品名称": "辣椒", "待销数量(公斤)": "12,000",
           "预期价格(元/公斤)": "1.6", "采收开始日期": "2018-08-01", "采收结束日期": "2018/8/20", "保鲜期(天)": "12",
           "联系人": "王建国", "联系电话": "139 0000 0001"} | cells
    return [row[h] for h in HEADER]


@pytest.fixture
def store(tmp_path, tiny_store) -> SnapshotStore:
    return copy_store(tiny_store, tmp_path / "data")


def files_of(folder) -> dict[str, bytes]:
    """Every file of a data folder and its bytes (the writers' lock file aside)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".lock"}


def test_a_good_offer_ledger_becomes_offers_of_a_new_snapshot(store):
    before = store.current()
    rows = [offer(),
            offer(乡镇="华峰乡", 村="西型马村", 供货方类型="农民专业合作社", 供货方="垣曲县西型马核桃专业合作社",
                  统一社会信用代码=COOP, 产品类别="干鲜果品", 产品名称="核桃", **{"待销数量(公斤)": "50000",
                  "采收开始日期": "2018年9月20日", "采收结束日期": "2018-10-10", "保鲜期(天)": "180", "联系电话": "0359-6021234"}),
            offer(供货方类型="脱贫户", 供货方="李四", 联系人="", 联系电话="", 采收开始日期=NEXT_YEAR.isoformat(),
                  采收结束日期=NEXT_YEAR.isoformat())]
    result = import_ledgers(store, "offers", [xlsx_file(rows, HEADER, "产销对接台账.xlsx")])
    assert result.status == "imported", result.report.to_text()
    after = store.current()
    assert after.id != before.id and after.as_of == before.as_of   # an offer's harvest dates are not data dates
    offers = table(after, "offers")
    new = offers[offers["offer_id"] > 4].sort_values("offer_id").reset_index(drop=True)
    assert list(new["offer_id"]) == [5, 6, 7]                        # ids continue after the tiny snapshot's 4
    assert list(new["supplier_type"]) == ["village_collective", "cooperative", "poor_household"]
    assert list(new["village_code"]) == ["140827100201", "140827203216", "140827100201"]
    assert list(new["quantity_kg"]) == [12000.0, 50000.0, 12000.0]
    assert new.loc[1, "supplier_credit_code"] == COOP and new.loc[1, "keeps_days"] == 180
    assert list(new["contact_phone"][:2]) == ["13900000001", "0359-6021234"] and pd.isna(new.loc[2, "contact_phone"])
    assert new.loc[2, "harvest_from"] == NEXT_YEAR                   # an offer of a harvest still to come
    assert after.partitions("offers") >= {("140827", 2018), ("140827", NEXT_YEAR.year)}
    hints = [e for e in result.report.entries if e["kind"] == HINT]
    assert {e["value"] for e in hints} == {"农民专业合作社", "脱贫户"}      # read through the synonym table, said once
    verify(after)


def test_a_bad_offer_ledger_is_refused_with_its_row_report_and_the_store_untouched(store):
    before = files_of(store.root)
    rows = [offer(),                                                                  # row 2: fine
            offer(供货方类型="合作社", 统一社会信用代码=""),                               # row 3: no cooperative code
            offer(**{"待销数量(公斤)": "0", "保鲜期(天)": "0"}),                          # row 4
            offer(采收开始日期="2018-08-20", 采收结束日期="2018-08-01"),                   # row 5
            offer(供货方类型="农户", 联系电话="12345"),                                   # row 6
            offer(产品名称="", 采收开始日期="2018年2月30日"),                       # row 7
            offer(村="望仙村")]                                                         # row 8: 历山镇's
    result = import_ledgers(store, "offers", [csv_file(rows, HEADER, "产销对接台账.csv")])
    assert result.status == "rejected" and result.snapshot is None
    errors = {(e["row"], e["column"], e["reason"]) for e in result.report.entries if e["kind"] == ERROR}
    assert errors == {
        (3, "统一社会信用代码", "供货方是合作社时，须填写合作社的统一社会信用代码（以93开头）"),
        (4, "待销数量(公斤)", "待销数量应大于0"),
        (4, "保鲜期(天)", "保鲜期应至少1天"),
        (5, "采收结束日期", "采收结束日期早于采收开始日期"),
        (6, "供货方类型", "不是有效的供货方类型（可填：贫困户、合作社、村集体）"),
        (6, "联系电话", "不是有效的电话号码（手机11位，或座机如 0359-6021234）"),
        (7, "采收开始日期", "日期不存在（月份或日子超出范围）"),
        (7, "产品名称", "必填项为空"),
        (8, "村", "该村不在所填乡镇当年的区划中（2020年起村级区划有调整）"),
    }
    assert files_of(store.root) == before


def test_the_same_offers_again_are_duplicates_and_change_nothing(store):
    rows = [offer(), offer(产品名称="土豆")]
    first = import_ledgers(store, "offers", [csv_file(rows, HEADER, "a.csv")])
    again = import_ledgers(store, "offers", [csv_file(rows + [offer(产品名称="白菜")], HEADER, "b.csv")])
    assert first.status == again.status == "imported"
    assert [e["kind"] for e in again.report.entries] == [DUPLICATE, DUPLICATE]
    assert store.current().rows("offers") == 4 + 3


def test_replace_swaps_the_offers_for_the_ledger(store):
    result = import_ledgers(store, "offers", [csv_file([offer()], HEADER)], mode="replace", replace_confirmed=4)
    assert result.status == "imported"
    offers = table(store.current(), "offers")
    assert list(offers["offer_id"]) == [5] and list(offers["product_name"]) == ["辣椒"]
    assert store.current().rows("purchases") == 400


def test_the_offer_template_is_the_ledger_header():
    assert template_csv("offers").decode("utf-8-sig").strip().split(",") == HEADER


def test_a_snapshot_written_before_offers_reads_them_as_empty_and_an_import_adds_them(store):
    """A schema-3 snapshot of before this table: served, no offers, and the next import brings offers and rules."""
    old = store.current()
    manifest = json.loads((old.path / "manifest.json").read_text(encoding="utf-8"))
    for name in ("offers", "warning_rules"):
        for entry in manifest["tables"].pop(name)["files"]:
            (old.path / entry["path"]).unlink()
    shutil.rmtree(old.path / "offers")
    (old.path / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    served = store.serve().snapshot
    assert served.id == old.id and served.rows("offers") == 0
    result = import_ledgers(store, "offers", [csv_file([offer()], HEADER)])
    assert result.status == "imported", result.report.to_text()
    new = store.current()
    assert list(table(new, "offers")["offer_id"]) == [1]
    assert read_table(new, "warning_rules").to_pandas().equals(warning_rules())


def test_the_command_line_imports_offers_and_refuses_a_bad_ledger(store, tmp_path):
    good, bad = tmp_path / "产销.csv", tmp_path / "坏.csv"
    good.write_bytes(csv_file([offer()], HEADER, good.name, encoding="gbk").content)
    bad.write_bytes(csv_file([offer(**{"保鲜期(天)": "半年"})], HEADER, bad.name).content)
    refused = run_cli("import", "offers", bad, data=store.root)
    assert refused.returncode == 1 and "第2行 [保鲜期(天)] “半年”：不是数字" in refused.stdout
    before = store.current_id()
    done = run_cli("import", "offers", good, data=store.root)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "已导入产销对接台账：新增 1 行" in done.stdout and store.current_id() != before
