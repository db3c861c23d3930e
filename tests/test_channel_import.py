"""Importing seed 003's registers: certified products (扶贫产品认定台账), 三专 outlets, events and channel sales. Good
ledgers become rows of a new snapshot, partitioned by county and year; bad ones are refused with their row report and
leave the store as it was; registers update by their key, sales are checked against the registers they name, and a
snapshot written before these tables reads them as empty."""

import datetime as dt
import json
import shutil

import pandas as pd
import pytest
from conftest import copy_store, run_cli
from ledger_samples import csv_file, table, xlsx_file

from fupin.ledger.columns import LEDGERS
from fupin.ledger.importer import import_ledgers
from fupin.ledger.report import DUPLICATE, ERROR, HINT, UPDATE
from fupin.ledger.templates import template_csv
from fupin.store.credit_code import check_character, make_cooperative_code
from fupin.store.snapshot import verify
from fupin.store.store import SnapshotStore

HEADERS = {name: [c.header for c in LEDGERS[name]] for name in ("certified_products", "outlets", "channel_sales",
                                                                 "events")}
COOP = make_cooperative_code("140827", "MA0000001")
FIRM = "91140827MA0000002" + check_character("91140827MA0000002")
BAD_CODE = FIRM[:-1] + ("0" if FIRM[-1] != "0" else "1")


def row(table: str, **cells) -> list:
    """One ledger row of `table` in its template's columns, valid unless told otherwise."""
    valid = {
        "certified_products": {"认定编号": "YQ-001", "产品名称": "核桃", "产品类别": "干鲜果品",
                               "供应商": "垣曲县西型马核桃专业合作社", "统一社会信用代码": COOP, "乡镇": "华峰乡",
                               "认定日期": "2018-06-01", "有效期至": "2020-05-31", "认定状态": "有效",
                               "产品价值(元)": "1,200,000", "通过关口": "全部"},
        "outlets": {"网点编号": "ZG-001", "网点名称": "万盛新时代广场扶贫专柜", "类型": "专柜", "线上线下": "线下",
                    "阶段": "建成", "阶段日期": "2018-05-01", "运营单位": "万盛新时代广场", "所在场所": "万盛新时代广场",
                    "乡镇": "新城镇", "开业日期": "2018-05-01", "台数": "1", "经度": "111.67", "纬度": "35.29"},
        "events": {"活动编号": "HD-001", "活动名称": "垣曲县农民丰收节展销会", "活动类别": "展销会",
                   "开始日期": "2018-09-23", "结束日期": "2018-09-24", "地点": "县城广场", "乡镇": "新城镇",
                   "主办单位": "垣曲县人民政府", "参加人数": "800", "签约金额(元)": "500000"},
        "channel_sales": {"销售日期": "2018-10-02", "认定编号": "YQ-001", "网点编号": "ZG-001", "销售类型": "实际销售",
                          "金额(元)": "1,680"},
    }[table] | cells
    return [valid.get(h, "") for h in HEADERS[table]]


def ledger(table: str, rows: list[list], name: str | None = None):
    return csv_file(rows, HEADERS[table], name or f"{table}.csv")


@pytest.fixture
def store(tmp_path, tiny_store) -> SnapshotStore:
    return copy_store(tiny_store, tmp_path / "data")


@pytest.fixture
def registered(store) -> SnapshotStore:
    """The tiny store with one certified product of each supplier kind, one counter and one event imported."""
    products = [row("certified_products"),
                row("certified_products", 认定编号="YQ-002", 产品名称="垣曲小米", 产品类别="杂粮", 供应商="垣曲县丰禾农业开发有限公司",
                    统一社会信用代码=FIRM, 乡镇="历山镇", 有效期至="", **{"产品价值(元)": "800000"})]
    for name, rows in (("certified_products", products), ("outlets", [row("outlets")]), ("events", [row("events")])):
        result = import_ledgers(store, name, [ledger(name, rows)])
        assert result.status == "imported", result.report.to_text()
    return store


def errors(result) -> set[tuple]:
    return {(e["row"], e["column"], e["reason"]) for e in result.report.entries if e["kind"] == ERROR}


def files_of(folder) -> dict[str, bytes]:
    """Every file of a data folder and its bytes (the writers' lock file aside)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".lock"}


def test_good_registers_and_sales_become_rows_of_new_snapshots(registered):
    snapshot = registered.current()
    products = table(snapshot, "certified_products").sort_values("product_id").reset_index(drop=True)
    assert list(products["product_id"]) == ["YQ-001", "YQ-002"]
    assert list(products["township_code"]) == ["140827203", "140827101"]
    assert list(products["county_code"]) == ["140827", "140827"]
    assert products.loc[0, "checks_passed"] == "资质、经营、质量、安全、纳税、环保、带贫"
    assert products.loc[0, "status"] == "valid" and products.loc[0, "product_value_yuan"] == 1_200_000.0
    assert products.loc[0, "valid_until"] == dt.date(2020, 5, 31) and pd.isna(products.loc[1, "valid_until"])
    outlet = table(snapshot, "outlets").iloc[0]
    assert (outlet["kind"], outlet["online"], outlet["smart"], outlet["stage"], outlet["units"]) == \
        ("counter", False, False, "built", 1)
    assert (outlet["lng"], outlet["lat"]) == (111.67, 35.29)
    event = table(snapshot, "events").iloc[0]
    assert (event["end_date"], event["participants"], event["signed_amount_yuan"]) == (dt.date(2018, 9, 24), 800, 5e5)
    assert snapshot.partitions("certified_products") == {("140827", 2018)}

    sales = [row("channel_sales"),                                                     # by its 认定编号, at a counter
             row("channel_sales", 认定编号="", 产品名称="垣曲小米", 统一社会信用代码=FIRM.lower(), 网点编号="",
                 活动编号="HD-001", 销售类型="签约", 购买方="太原某超市", **{"金额(元)": "50000"}),
             row("channel_sales", 销售日期="2018年11月", 网点编号="", 渠道="电商", 销售类型="销售")]
    result = import_ledgers(registered, "channel_sales", [xlsx_file(sales, HEADERS["channel_sales"], "销售台账.xlsx")])
    assert result.status == "imported", result.report.to_text()
    after = registered.current()
    rows = table(after, "channel_sales").sort_values("sale_id").reset_index(drop=True)
    assert list(rows["sale_id"]) == [1, 2, 3]
    assert list(rows["product_id"]) == ["YQ-001", "YQ-002", "YQ-001"]         # the second found by name and code
    assert list(rows["township_code"]) == ["140827203", "140827101", "140827203"]   # where the product is
    assert list(rows["sale_type"]) == ["actual", "signed", "actual"]
    assert rows.loc[2, "sale_date"] == dt.date(2018, 11, 30)                    # a month's sales on its last day
    assert rows.loc[2, "channel"] == "ecommerce" and rows.loc[1, "event_id"] == "HD-001"
    assert after.as_of == dt.date(2018, 12, 29)                                 # never moved back
    assert {e["value"] for e in result.report.entries if e["kind"] == HINT} == {"电商", "销售"}
    verify(after)


def test_a_bad_product_register_is_refused_with_its_row_report_and_the_store_untouched(store):
    before = files_of(store.root)
    rows = [row("certified_products"),                                               # row 2: fine
            row("certified_products", 认定编号="YQ-002", 统一社会信用代码=BAD_CODE),     # row 3
            row("certified_products", 认定编号="YQ-003", 有效期至="2018-01-01"),        # row 4
            row("certified_products", 认定编号="YQ-004", 通过关口="资质、质量"),          # row 5
            row("certified_products", 认定编号="YQ-005", 认定状态="暂停", 通过关口="资质、诚信"),   # row 6
            row("certified_products", 认定编号="YQ-006", **{"产品价值(元)": "0"}),       # row 7
            row("certified_products", 认定编号="YQ-001", 产品名称="核桃仁")]             # row 8: YQ-001 again
    result = import_ledgers(store, "certified_products", [ledger("certified_products", rows)])
    assert result.status == "rejected" and result.snapshot is None
    twice = "同一认定编号在台账中出现多次且内容不同"
    assert errors(result) == {
        (3, "统一社会信用代码", "统一社会信用代码无效（应为18位，校验位正确）"),
        (4, "有效期至", "有效期早于认定日期"),
        (5, "通过关口", "认定有效的产品须通过全部七个关口（资质、经营、质量、安全、纳税、环保、带贫）"),
        (6, "认定状态", "不是有效的认定状态（可填：有效、撤销、过期）"),
        (6, "通过关口", "不是“七个关口”之一（可填：资质、经营、质量、安全、纳税、环保、带贫，或“全部”）"),
        (7, "产品价值(元)", "产品价值应大于0"),
        (2, "认定编号", f"{twice}（另见certified_products.csv 第8行）"),
        (8, "认定编号", f"{twice}（另见certified_products.csv 第2行）"),
    }
    assert files_of(store.root) == before


@pytest.mark.parametrize("table_name, missing", [("certified_products", "统一社会信用代码"), ("outlets", "类型"),
                                                 ("channel_sales", "销售类型"), ("events", "活动名称")])
def test_a_ledger_without_a_required_column_is_refused_whole(store, table_name, missing):
    header = [h for h in HEADERS[table_name] if h != missing]
    cells = dict(zip(HEADERS[table_name], row(table_name)))
    result = import_ledgers(store, table_name, [csv_file([[cells[h] for h in header]], header, "x.csv")])
    assert result.status == "rejected"
    assert [(e["column"], e["reason"]) for e in result.report.entries if e["kind"] == ERROR] == [(missing, "缺少必填列")]


def test_a_bad_outlet_register_is_refused_with_its_row_report(store):
    rows = [row("outlets", 类型="专店"),                                                  # row 2: a kind outside the three
            row("outlets", 网点编号="ZQ-1", 类型="专区", 智能专柜="是", 台数="2"),          # row 3
            row("outlets", 网点编号="ZG-2", 阶段="落地"),                                  # row 4
            row("outlets", 网点编号="ZG-3", 开业日期=""),                                  # row 5
            row("outlets", 网点编号="ZG-4", 智能专柜="是", 阶段="签约", 开业日期="", 台数=""),   # row 6
            row("outlets", 网点编号="ZG-5", 经度="35.29", 纬度=""),                        # row 7
            row("outlets", 网点编号="ZG-6", 开业日期="2018-06-01"),                        # row 8: opened after built
            row("outlets", 网点编号="ZG-7", 线上线下="半线上")]                             # row 9
    result = import_ledgers(store, "outlets", [ledger("outlets", rows)])
    assert result.status == "rejected"
    assert errors(result) == {
        (2, "类型", "不是有效的三专类型（可填：专柜、专区、专馆）"),
        (3, "智能专柜", "智能专柜的类型须为专柜"),
        (3, "台数", "只有专柜填写台数"),
        (4, "阶段", "“落地”只用于智能专柜；其他网点建成后填“建成”"),
        (5, "开业日期", "建成、落地的网点须填写开业日期"),
        (6, "台数", "签约、落地的智能专柜须填写台数（至少1台）"),
        (7, "经度", "坐标不在中国境内（经度73至136，纬度3至54）"),
        (7, "纬度", "经度和纬度须同时填写"),
        (8, "开业日期", "开业日期晚于阶段日期"),
        (9, "线上线下", "不是有效的线上线下（可填：线上、线下）"),
    }


def test_a_sales_row_must_name_a_registered_product_outlet_and_event(registered):
    rows = [row("channel_sales", 网点编号="ZG-999"),                                      # row 2: unknown outlet id
            row("channel_sales", 认定编号="YQ-404"),                                     # row 3
            row("channel_sales", 认定编号="", 产品名称="核桃", 统一社会信用代码=FIRM),        # row 4: not that supplier's
            row("channel_sales", 认定编号="", 产品名称="核桃"),                             # row 5
            row("channel_sales", 产品名称="小米"),                                        # row 6
            row("channel_sales", 活动编号="HD-404", 统一社会信用代码=BAD_CODE),              # row 7
            row("channel_sales", 销售日期="2018-13", 销售类型="团购")]                      # row 8
    result = import_ledgers(registered, "channel_sales", [ledger("channel_sales", rows)])
    assert result.status == "rejected"
    assert errors(result) == {
        (2, "网点编号", "网点编号不在三专台账中（请先导入三专台账）"),
        (3, "认定编号", "认定编号不在扶贫产品认定台账中（请先导入认定台账）"),
        (4, "认定编号", "产品名称和统一社会信用代码对不上扶贫产品认定台账中的产品"),
        (5, "认定编号", "须填写认定编号，或产品名称和统一社会信用代码"),
        (6, "认定编号", "认定编号与所填产品名称或统一社会信用代码不符"),
        (7, "活动编号", "活动编号不在展销活动台账中（请先导入活动台账）"),
        (7, "统一社会信用代码", "统一社会信用代码无效（应为18位，校验位正确）"),
        (8, "销售日期", "日期不存在（月份或日子超出范围）"),
        (8, "销售类型", "不是有效的销售类型（可填：实际销售、签约）"),
    }


def test_a_bad_event_register_is_refused(store):
    rows = [row("events", 结束日期="2018-09-01"), row("events", 活动编号="HD-2", 乡镇="北京", 参加人数="很多")]
    result = import_ledgers(store, "events", [ledger("events", rows)])
    assert errors(result) == {(2, "结束日期", "结束日期早于开始日期"), (3, "乡镇", "乡镇不存在（名称或代码不在参考区划中）"),
                              (3, "参加人数", "不是数字（可写 1,234.5 或 ¥100）")}


def test_registers_update_by_their_key_and_sales_repeat_as_duplicates(registered):
    revoked = row("certified_products", 认定状态="撤销", 通过关口="资质")
    result = import_ledgers(registered, "certified_products", [ledger("certified_products", [revoked, row(
        "certified_products", 认定编号="YQ-002", 产品名称="垣曲小米", 产品类别="杂粮", 供应商="垣曲县丰禾农业开发有限公司",
        统一社会信用代码=FIRM, 乡镇="历山镇", 有效期至="", **{"产品价值(元)": "800000"})])])
    assert result.status == "imported", result.report.to_text()
    assert {(e["row"], e["kind"]) for e in result.report.entries} == {(2, UPDATE), (3, DUPLICATE)}
    products = table(registered.current(), "certified_products").set_index("product_id")
    assert len(products) == 2 and products.loc["YQ-001", "status"] == "revoked"

    sales = [row("channel_sales"), row("channel_sales", **{"金额(元)": "99"})]
    first = import_ledgers(registered, "channel_sales", [ledger("channel_sales", sales, "a.csv")])
    again = import_ledgers(registered, "channel_sales", [ledger("channel_sales", sales + [row(
        "channel_sales", 销售日期="2018-10-03")], "b.csv")])
    assert first.status == again.status == "imported"
    assert [e["kind"] for e in again.report.entries] == [DUPLICATE, DUPLICATE]
    assert registered.current().rows("channel_sales") == 3
    replaced = import_ledgers(registered, "channel_sales", [ledger("channel_sales", [row("channel_sales")], "c.csv")],
                              mode="replace", replace_confirmed=3)
    assert replaced.status == "imported"
    assert list(table(registered.current(), "channel_sales")["sale_id"]) == [4]   # ids go on after the largest


@pytest.mark.parametrize("name", ["certified_products", "outlets", "channel_sales", "events"])
def test_each_template_is_its_ledger_header(name):
    assert template_csv(name).decode("utf-8-sig").strip().split(",") == HEADERS[name]


def test_a_snapshot_written_before_these_tables_reads_them_as_empty_and_an_import_adds_them(store):
    old = store.current()
    manifest = json.loads((old.path / "manifest.json").read_text(encoding="utf-8"))
    for name in ("certified_products", "outlets", "channel_sales", "events"):
        for entry in manifest["tables"].pop(name)["files"]:
            (old.path / entry["path"]).unlink()
        shutil.rmtree(old.path / name, ignore_errors=True)
    (old.path / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    served = store.serve().snapshot
    assert served.id == old.id and served.rows("certified_products") == 0
    result = import_ledgers(store, "events", [ledger("events", [row("events")])])
    assert result.status == "imported", result.report.to_text()
    new = store.current()
    assert list(table(new, "events")["event_id"]) == ["HD-001"] and new.rows("outlets") == 0
    verify(new)


def test_the_command_line_imports_sales_and_refuses_an_unknown_outlet(registered, tmp_path):
    good, bad = tmp_path / "销售.csv", tmp_path / "坏.csv"
    good.write_bytes(ledger("channel_sales", [row("channel_sales")], good.name).content)
    bad.write_bytes(ledger("channel_sales", [row("channel_sales", 网点编号="ZG-999")], bad.name).content)
    refused = run_cli("import", "channel_sales", bad, data=registered.root)
    assert refused.returncode == 1 and "第2行 [网点编号] “ZG-999”：网点编号不在三专台账中" in refused.stdout
    done = run_cli("import", "channel_sales", good, data=registered.root)
    assert done.returncode == 0, done.stdout + done.stderr
    assert registered.current().rows("channel_sales") == 1
