"""The 产品与渠道 page through AppTest: a county, the samr group and 安康市 (seed 003's figures on its tiles, in
English), the registers and the outlet kept in the link, a click on the map opening an outlet, the CSV of a register,
and township staff's own township only."""

import datetime as dt
import io

import pandas as pd
import pytest
from conftest import app_tiles, own_data_folder, page_warnings, settled, sign_in
from streamlit.testing.v1 import AppTest

from fupin.query.db import SnapshotDB
from fupin.query.filters import Filter
from fupin.report import channels
from fupin.settings import PROJECT_ROOT
from fupin.text import fmt
from fupin.text.export import csv_bytes, readable

APP = str(PROJECT_ROOT / "tests" / "app_entry.py")
END = dt.date(2020, 12, 31)
YUANQU = ("140827",)
SAMR = ("230881", "230883", "621226")


def open_page(monkeypatch, data, role: str | None = None, account: str | None = None, **params) -> AppTest:
    """The 产品与渠道 page with link parameters, signed in as `role` of scope `account` if given; no exception,
    error or warning."""
    monkeypatch.setenv("FUPIN_DATA", str(data))
    at = AppTest.from_file(APP, default_timeout=180)
    if role:
        sign_in(at, data, role, account, name=f"{role}-{account}")
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page("../pages/products.py")
    settled(at.run())
    assert not at.exception, at.exception
    assert not at.error and not page_warnings(at), ([e.value for e in at.error], page_warnings(at))
    return at


def table(at: AppTest, column: str) -> pd.DataFrame:
    """The first table on the page with a column of this header."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_a_county_shows_its_tiles_registers_and_events(monkeypatch, demo_store, demo_db):
    at = open_page(monkeypatch, demo_store.root)
    f = channels.totals(demo_db, Filter.year_to_date(END, counties=YUANQU))
    assert f["certified_products"] > 10 and f["counters"] >= 3
    tiles = app_tiles(at)
    assert tiles["认定产品"] == f"{f['certified_products']}种"
    # Every sum of money on the tiles and under them in one unit (issue 23), chosen from the largest.
    yuan = fmt.unit_for("yuan", [f[k] for k in ("product_value_yuan", "sales_yuan", "signed_sales_yuan",
                                                "purchase_sales_yuan", "outlet_sales_yuan", "event_signed_yuan")])
    assert tiles["销售金额"] == yuan.text(f["sales_yuan"]) and tiles["专柜"] == f"{f['counters']}个"
    assert tiles["三专渠道销售"] == yuan.text(f["outlet_sales_yuan"])
    assert tiles["专馆"] == f"{f['halls_online'] + f['halls_offline']}个"
    captions = " ".join(c.value for c in at.caption)
    assert f"签约 {yuan.text(f['signed_sales_yuan'])}" in captions and f"供应商 {f['suppliers']}家" in captions
    assert at.title[0].value == "垣曲县 产品与渠道"
    register = table(at, "有效期至")   # the register of certified products, every one up to a page of 50
    assert len(register) == min(50, len(channels.register(demo_db, Filter.year_to_date(END, counties=YUANQU),
                                                         "products", rows=None)))
    events = table(at, "实际销售占签约")   # a percentage carries its %, its header no (%)
    assert set(events["活动名称"]) == {"垣曲县农民丰收节展销会", "垣曲县消费扶贫年货节"}
    assert {"万盛新时代广场", "客都购物广场", "全家福超市"} <= set(
        channels.register(demo_db, Filter.year_to_date(END, counties=YUANQU), "outlets", rows=None)["host"])


def test_the_register_choice_search_and_outlet_are_kept_in_the_link(monkeypatch, demo_store, demo_db):
    flt = Filter.year_to_date(END, counties=YUANQU)
    outlets = channels.register(demo_db, flt, "outlets", rows=None)
    hall = outlets.loc[outlets["kind"] == "hall", "outlet_id"].iloc[0]
    at = open_page(monkeypatch, demo_store.root, register="sales", rq="消费扶贫馆", outlet=hall)
    rows = table(at, "网点名称")   # the sales register (its ids only with 显示代码)
    want = channels.register(demo_db, flt, "sales", "消费扶贫馆")
    assert len(rows) == len(want) > 0 and set(rows["网点名称"]) == {"垣曲县消费扶贫馆"}
    assert at.session_state["outlet"] == hall
    assert (at.query_params["register"], at.query_params["rq"], at.query_params["outlet"]) == \
        ("sales", "消费扶贫馆", hall)
    assert "csv_outlet_months" in {b.key for b in at.get("download_button")}


def test_the_register_csv_is_the_register(demo_db):
    rows = channels.register(demo_db, Filter.year_to_date(END, counties=YUANQU), "products", rows=None)
    parsed = pd.read_csv(io.BytesIO(csv_bytes(rows)), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(parsed.columns) == list(readable(rows).columns)
    assert list(parsed["认定编号"]) == [f'="{p}"' for p in rows["product_id"]]    # Excel keeps it as text
    assert set(parsed["认定状态"]) <= {"有效", "撤销", "过期"} and set(parsed["截至日期有效"]) <= {"是", "否"}
    assert [float(v) for v in parsed["产品价值(元)"]] == pytest.approx(list(rows["product_value_yuan"]))


def test_the_samr_group_adds_up_its_counties(monkeypatch, demo_store, demo_db):
    at = open_page(monkeypatch, demo_store.root, scope="samr")
    every = [channels.totals(demo_db, Filter.year_to_date(END, counties=(c,))) for c in SAMR]
    tiles = app_tiles(at)
    assert tiles["认定产品"] == f"{sum(f['certified_products'] for f in every)}种"
    assert tiles["专区"] == f"{sum(f['zones_online'] + f['zones_offline'] for f in every)}个" == "6个"   # seed 001
    assert "国家市场监督管理总局机关服务局" in set(channels.register(
        demo_db, Filter.year_to_date(END, counties=SAMR), "outlets", rows=None)["operator"])


@pytest.mark.slow
def test_ankang_shows_seed_003_in_english(monkeypatch, demo_all_store):
    at = open_page(monkeypatch, demo_all_store.root, scope="610900", to="2020-11-13", lang="en")
    # English count tiles: the short label says what is counted; money in one unit across the row (issue 23).
    assert app_tiles(at) == {"Certified products": "810", "Product value": "65.02 ×100M yuan",
                             "Sales made": "3.60 ×100M yuan", "Outlet sales": "0.92 ×100M yuan",
                             "Counters": "111", "Zones": "14", "Halls": "19", "Sales events": "14"}
    captions = " ".join(c.value for c in at.caption)
    assert "signed 3.80 ×100M yuan" in captions and "online 3 · offline 11" in captions
    assert "smart: 96 units signed · 16 landed" in captions
    assert at.title[0].value == "安康市 Products & channels"
    events = table(at, "Made of signed")
    assert len(events) == 14 and events["Signed (×100M yuan)"].max() == pytest.approx(1.04)   # the launch of 2020-09-07


def test_township_staff_see_their_township_only(monkeypatch, demo_store, demo_db, tmp_path):
    rows = channels.register(demo_db, Filter.year_to_date(END, counties=YUANQU), "products", rows=None)
    township = rows["township_code"].value_counts().index[0]
    data = own_data_folder(demo_store, tmp_path)
    at = open_page(monkeypatch, data, role="township", account=township)
    assert at.session_state["township"] == township
    db = SnapshotDB(demo_store.current())
    try:
        want = channels.totals(db, Filter.year_to_date(END, counties=YUANQU, township=township))
    finally:
        db.close()
    assert app_tiles(at)["认定产品"] == f"{want['certified_products']}种" and want["certified_products"] < len(rows)
    shown = table(at, "有效期至")
    assert set(shown["乡镇"]) == {rows.loc[rows["township_code"] == township, "township_name"].iloc[0]}
