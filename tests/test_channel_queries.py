"""Certified products, outlets, sales and events on a hand-made snapshot: which products count on a day, which sales
count (a purchase of a certified product does; a sales row repeating it does not count again; the purchase ledger's
figures never include the sales ledger), outlets' stages on a day, the three attention lists at their thresholds,
the brief's object, and township staff's scope."""

import datetime as dt

import pandas as pd
import pytest
from conftest import tiny_tables, write_snapshot

from fupin.query.db import SnapshotDB
from fupin.query.filters import Filter
from fupin.query.scoped import Allowed, OutOfScope, ScopedDB
from fupin.report import attention, brief, channels, page_data
from fupin.store.credit_code import check_character, make_cooperative_code
from fupin.store.store import SnapshotStore

YUANQU = ("140827",)
DAY = dt.date(2018, 12, 29)
YEAR = Filter.year_to_date(DAY, counties=YUANQU)
COOP = make_cooperative_code("140827", "MA0000001")
FIRM = "91140827MA0000002" + check_character("91140827MA0000002")
SEVEN = "资质、经营、质量、安全、纳税、环保、带贫"


def product(product_id, name, code, township, certified, valid_until=None, status="valid", value=1e6) -> dict:
    return {"product_id": product_id, "product_name": name, "product_category": "干鲜果品", "supplier_name": "某供应商",
            "supplier_credit_code": code, "township_code": township, "certified_date": certified,
            "valid_until": valid_until, "status": status, "product_value_yuan": value, "checks_passed": SEVEN}


def outlet(outlet_id, kind, stage, stage_date, opened=None, smart=False, operator="垣曲县供销合作社", units=1,
           online=False, township="140827100") -> dict:
    return {"outlet_id": outlet_id, "outlet_name": f"{outlet_id}网点", "kind": kind, "online": online, "smart": smart,
            "stage": stage, "stage_date": stage_date, "operator": operator, "host": None, "township_code": township,
            "opened_date": opened, "units": units, "lng": None, "lat": None}


def sale(sale_id, day, product_id, township, amount, outlet_id=None, event_id=None, sale_type="actual") -> dict:
    return {"sale_id": sale_id, "sale_date": day, "product_id": product_id, "township_code": township,
            "outlet_id": outlet_id, "event_id": event_id, "channel": None, "sale_type": sale_type, "buyer_name": None,
            "amount_yuan": amount}


def purchase(purchase_id, day, code, name, amount) -> dict:
    return {"purchase_id": purchase_id, "purchase_date": day, "buyer_id": "B1", "buyer_type": "supermarket",
            "channel": "retail", "supplier_type": "cooperative", "supplier_name": "垣曲县西型马核桃专业合作社",
            "supplier_credit_code": code, "township_code": "140827203", "village_code": "140827203216",
            "from_poor_village": True, "product_category": "干鲜果品", "product_name": name, "weight_kg": 100.0,
            "amount_yuan": amount}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    import random

    tables = tiny_tables(random.Random(42))
    tables["purchases"] = pd.concat([tables["purchases"], pd.DataFrame([
        purchase(401, dt.date(2018, 5, 10), COOP, "核桃", 1000.0),       # counts towards P1
        purchase(402, dt.date(2018, 2, 10), COOP, "核桃", 500.0),        # before P1 was certified
        purchase(403, dt.date(2018, 7, 1), COOP, "辣椒", 300.0),         # not a certified product of the supplier
        purchase(404, dt.date(2018, 8, 8), COOP, "核桃", 777.77),        # counts; the sales ledger repeats it
    ])], ignore_index=True)
    tables["certified_products"] = pd.DataFrame([
        product("P1", "核桃", COOP, "140827203", dt.date(2018, 3, 1), dt.date(2018, 12, 31)),
        product("P2", "小米", FIRM, "140827101", dt.date(2018, 6, 1), value=5e5),
        product("P3", "核桃仁", FIRM, "140827101", dt.date(2018, 1, 1), status="revoked"),
        product("P4", "柿饼", FIRM, "140827101", dt.date(2018, 1, 1), dt.date(2019, 2, 27)),   # 60 days left
        product("P5", "花椒", FIRM, "140827101", dt.date(2018, 1, 1), dt.date(2019, 2, 28)),   # 61 days left
    ])
    tables["outlets"] = pd.DataFrame([
        outlet("ZG-1", "counter", "built", dt.date(2018, 4, 1), dt.date(2018, 4, 1)),     # last sale 2018-09-01
        outlet("ZG-2", "counter", "built", dt.date(2018, 5, 1), dt.date(2018, 5, 1)),     # sold 2018-11-29
        outlet("ZG-3", "counter", "closed", dt.date(2018, 10, 1), dt.date(2018, 3, 1)),
        outlet("ZQ-1", "zone", "built", dt.date(2018, 6, 1), dt.date(2018, 6, 1), online=True, units=None),
        outlet("ZN-1", "counter", "signed", dt.date(2018, 7, 1), smart=True, operator="甲公司", units=10),
        outlet("ZN-2", "counter", "landed", dt.date(2018, 11, 29), dt.date(2018, 11, 29), smart=True, operator="乙公司",
               units=2),
        outlet("ZN-3", "counter", "intent", dt.date(2018, 8, 1), smart=True, operator="丙公司", units=None),
    ])
    tables["events"] = pd.DataFrame([
        {"event_id": "HD-1", "event_name": "丰收节展销会", "event_kind": "农民丰收节", "start_date": dt.date(2018, 9, 5),
         "end_date": dt.date(2018, 9, 6), "place": None, "township_code": "140827100", "organiser": None,
         "participants": 300, "signed_amount_yuan": 5000.0},
        {"event_id": "HD-2", "event_name": "年货节", "event_kind": "年货节", "start_date": dt.date(2018, 10, 30),
         "end_date": dt.date(2018, 10, 30), "place": None, "township_code": "140827100", "organiser": None,
         "participants": 100, "signed_amount_yuan": 10000.0},
    ])
    tables["channel_sales"] = pd.DataFrame([
        sale(1, dt.date(2018, 8, 8), "P1", "140827203", 777.77),                           # the purchase 404 again
        sale(2, dt.date(2018, 9, 1), "P2", "140827101", 2000.0, outlet_id="ZG-1"),
        sale(3, dt.date(2018, 9, 5), "P2", "140827101", 5000.0, event_id="HD-1", sale_type="signed"),
        sale(4, dt.date(2018, 10, 20), "P1", "140827203", 2600.0, event_id="HD-1"),      # 52% of HD-1's signing
        sale(5, dt.date(2018, 11, 29), "P2", "140827101", 300.0, outlet_id="ZG-2"),
        sale(6, dt.date(2018, 12, 1), "P2", "140827101", 4000.0, event_id="HD-2"),       # 40% by HD-2's 60th day
    ])
    store = SnapshotStore(tmp_path_factory.mktemp("channels"))
    write_snapshot(store, tables)
    database = SnapshotDB(store.current())
    yield database
    database.close()


def test_products_count_from_certification_to_validity_unless_revoked(db):
    on = {day: channels.totals(db, Filter(dt.date(2018, 1, 1), day, counties=YUANQU))["certified_products"]
          for day in (dt.date(2018, 2, 1), dt.date(2018, 3, 1), dt.date(2018, 6, 1), DAY)}
    assert on == {dt.date(2018, 2, 1): 2, dt.date(2018, 3, 1): 3, dt.date(2018, 6, 1): 4, DAY: 4}
    figures = channels.totals(db, YEAR)
    assert figures["suppliers"] == 2 and figures["product_value_yuan"] == 3.5e6
    after = channels.totals(db, Filter.year_to_date(dt.date(2019, 1, 1), counties=YUANQU))
    assert after["certified_products"] == 3   # P1 ended on 2018-12-31


def test_a_certified_purchase_counts_once_and_the_purchase_ledger_never_includes_the_sales_ledger(db):
    figures = channels.totals(db, YEAR)
    assert figures["purchase_sales_yuan"] == pytest.approx(1777.77)         # purchases 401 and 404, not 402 or 403
    assert figures["channel_sales_yuan"] == pytest.approx(2000 + 2600 + 300 + 4000)   # not sale 1, purchase 404
    assert figures["sales_yuan"] == pytest.approx(1777.77 + 8900)
    assert figures["signed_sales_yuan"] == 5000.0
    assert (figures["outlet_sales_yuan"], figures["event_sales_yuan"]) == (2300.0, 6600.0)
    by_channel = channels.page(db, YEAR).by_channel.set_index("sale_channel")["sales_yuan"]
    assert by_channel.to_dict() == pytest.approx({"counter": 2300.0, "event": 6600.0, "purchases": 1777.77})
    assert by_channel.sum() == pytest.approx(figures["sales_yuan"])
    records = channels.register(db, YEAR, "sales", rows=None)
    assert sorted(records["sale_id"]) == [2, 3, 4, 5, 6]
    purchases = db.run_filtered("purchase_totals", YEAR)["amount_yuan"].iloc[0]
    tiny = tiny_tables(__import__("random").Random(42))["purchases"]
    in_2018 = tiny[tiny["purchase_date"] >= dt.date(2018, 1, 1)]["amount_yuan"].sum() + 1000 + 500 + 300 + 777.77
    assert purchases == pytest.approx(in_2018)


def test_outlets_by_their_stage_on_a_day(db):
    september = channels.totals(db, Filter(dt.date(2018, 1, 1), dt.date(2018, 9, 30), counties=YUANQU))
    figures = channels.totals(db, YEAR)
    assert (september["counters"], figures["counters"]) == (3, 2)           # ZG-3 was closed on 2018-10-01
    assert (figures["zones_online"], figures["zones_offline"], figures["halls_online"]) == (1, 0, 0)
    assert {k: figures[f"smart_{k}"] for k in ("intent_companies", "signed_companies", "landed_companies",
                                               "signed_units", "landed_units")} == \
        {"intent_companies": 1, "signed_companies": 2, "landed_companies": 1, "signed_units": 12, "landed_units": 2}
    assert list(channels.funnel(figures)["companies"]) == [3, 2, 1]
    assert (september["smart_landed_units"], september["smart_intent_companies"]) == (0, 1)


def test_attention_at_its_thresholds(db):
    expiring = channels.expiring_certifications(db, YEAR)
    assert list(expiring["product_id"]) == ["P1", "P4"] and list(expiring["days_left"]) == [2, 60]
    day_before = channels.idle_outlets(db, Filter.year_to_date(dt.date(2018, 12, 28), counties=YUANQU))
    assert list(day_before["outlet_id"]) == ["ZQ-1", "ZG-1"]   # ZN-2 opened and ZG-2 sold 29 days before
    idle = channels.idle_outlets(db, YEAR)                      # 30 days after 2018-11-29: without a sale since
    assert list(idle["outlet_id"]) == ["ZQ-1", "ZG-1", "ZG-2", "ZN-2"] and list(idle["idle_days"]) == [211, 119, 30, 30]
    under = channels.events_under_half(db, YEAR)
    assert list(under["event_id"]) == ["HD-2"] and under["realised_pct"].iloc[0] == 40.0   # due on the end date
    events = page_data.first_row(channels.page(db, YEAR).events.set_index("event_id").loc[["HD-1"]].reset_index())
    assert events["realised_pct"] == pytest.approx(52.0)
    found = attention.build(db, YEAR, "140827", "垣曲县", kinds=tuple(k for k in attention.KINDS if k.name in (
        "expiring_certification", "idle_outlet", "event_under_half")))
    lines = found.texts()
    assert "认定将到期：华峰乡核桃（某供应商）2018-12-31到期，剩2天" in lines
    assert any(line.startswith("三专网点") and "ZG-1网点" in line for line in lines)
    assert "活动实际销售不足签约一半：年货节签约1.0万元，60天内实际销售0.4万元（40.0%）" in lines
    first = next(item for item in found.items if item.kind == "idle_outlet")
    assert first.link == "/products?scope=140827&to=2018-12-29&outlet=ZQ-1" and first.value == 211


def test_the_brief_has_the_object_and_a_scope_without_these_data_has_none(db, tiny_db):
    figures = brief.build(db, YEAR, "140827", "垣曲县")["products_channels"]
    assert figures["certified_products"] == 4 and figures["outlets"]["counters"] == 2
    assert figures["outlets"]["smart_counters"] == {"intent_companies": 1, "signed_companies": 2, "signed_units": 12,
                                                    "landed_units": 2}
    assert brief.build(tiny_db, YEAR, "140827", "垣曲县")["products_channels"] is None
    assert "产品与渠道" not in brief.render_text(brief.build(tiny_db, YEAR, "140827", "垣曲县"))


def test_township_staff_see_their_township_only(db):
    scoped = ScopedDB(db, Allowed(YUANQU, "140827203"))
    own = Filter.year_to_date(DAY, counties=YUANQU, township="140827203", township_lock="140827203")
    data = channels.page(scoped, own)
    assert data.totals["certified_products"] == 1 and data.totals["sales_yuan"] == pytest.approx(1777.77 + 2600)
    figures = data.areas.set_index("township_code")["certified_products"]
    assert figures["140827203"] == 1 and len(figures) == 3 and figures.drop("140827203").isna().all()   # drawn, no figures
    assert set(channels.register(scoped, own, "products", rows=None)["product_id"]) == {"P1"}
    with pytest.raises(OutOfScope):
        channels.totals(scoped, YEAR)
