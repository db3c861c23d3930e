"""What needs attention, on a hand-made snapshot whose figures sit exactly on, below and above each line."""

import datetime as dt
import random
from dataclasses import replace

import pandas as pd
import pytest
from conftest import page_warnings, tiny_tables, write_snapshot

from fupin.query.db import SnapshotDB
from fupin.query.filters import Filter
from fupin.report import attention
from fupin.store import reference
from fupin.store.store import SnapshotStore

# Day 73 of 365: the schedule expects exactly 20% of a yearly target.
AS_OF = dt.date(2018, 3, 14)
XINCHENG, LISHAN, HUAFENG = "140827100", "140827101", "140827203"
LIXIAN_TOWN = "621226100"
TOWN_NAMES = {XINCHENG: "新城镇", LISHAN: "历山镇", HUAFENG: "华峰乡", LIXIAN_TOWN: "城关镇"}
VILLAGE = {XINCHENG: "140827100200", LISHAN: "140827101216", HUAFENG: "140827203216", LIXIAN_TOWN: "621226100200"}
YEARLY = 365_000.0
# Purchase amounts this year (by 14 March) and in the same period last year, per township.
AMOUNTS = {
    XINCHENG: (73_000.0, 91_250.0),     # on the schedule line (20%); exactly 20% down: not a large drop
    LISHAN: (50_000.0, 100_000.0),      # 13.7% of target: behind; 50% down
    HUAFENG: (100_000.0, 50_000.0),     # ahead; up
    LIXIAN_TOWN: (10_000.0, 10_000.0),  # 礼县: behind its county target
}
# Passed lab batches; with one failed batch each (FAILED): 73 against a yearly target of 365 is on the line,
# 72 one batch short.
LAB = {XINCHENG: 72, LISHAN: 71}
FAILED = [(HUAFENG, "毒死蜱"), (HUAFENG, "毒死蜱"), (LISHAN, "毒死蜱"), (XINCHENG, None)]


def purchase(i: int, day: dt.date, town: str, amount: float) -> dict:
    return {"purchase_id": i, "purchase_date": day, "buyer_id": "B1", "buyer_type": "supermarket",
            "channel": "retail", "supplier_type": "farmer", "supplier_name": "供货方", "supplier_credit_code": None,
            "township_code": town, "village_code": VILLAGE[town], "from_poor_village": False,
            "product_category": "蔬菜", "product_name": "辣椒", "weight_kg": amount / 2, "amount_yuan": amount}


def inspection(i: int, town: str, failed_item: str | None, result: str) -> dict:
    return {"inspection_id": i, "sample_date": dt.date(2018, 2, 1), "inspection_type": "lab",
            "food_category": "蔬菜", "product_name": "样品", "venue_type": "超市", "venue_name": "某超市",
            "township_code": town, "result": result, "failed_item": failed_item}


def hand_made_tables() -> dict[str, pd.DataFrame]:
    tables = tiny_tables(random.Random(1))
    purchases = []
    for town, (now, last) in AMOUNTS.items():
        purchases.append(purchase(len(purchases) + 1, dt.date(2018, 1, 10), town, now))
        purchases.append(purchase(len(purchases) + 1, dt.date(2017, 1, 10), town, last))
    inspections = [inspection(len(FAILED) + n + 1, town, None, "pass")
                   for town, batches in LAB.items() for n in range(batches)]
    inspections = [inspection(i + 1, town, item, "fail") for i, (town, item) in enumerate(FAILED)] + [
        {**row, "inspection_id": i + len(FAILED) + 1} for i, row in enumerate(inspections)]
    coops = tables["cooperatives"].head(3).copy()
    coops["township_code"], coops["village_code"] = HUAFENG, VILLAGE[HUAFENG]
    coops["registered_date"] = dt.date(2015, 5, 1)
    coops["deregistered_date"] = [dt.date(2018, 2, 1), dt.date(2017, 6, 1), dt.date(2018, 4, 1)]
    coops["poor_household_members"] = [3, 0, 0]
    targets = [{"year": 2018, "scope_code": town, "metric": "purchase_amount_yuan", "target_value": YEARLY}
               for town in (XINCHENG, LISHAN, HUAFENG)]
    targets += [{"year": 2018, "scope_code": town, "metric": "lab_batches", "target_value": 365.0} for town in LAB]
    targets += [{"year": 2018, "scope_code": "140827", "metric": "purchase_amount_yuan", "target_value": 3 * YEARLY},
                {"year": 2018, "scope_code": "621226", "metric": "purchase_amount_yuan", "target_value": YEARLY}]
    both = ("140827", "621226")
    towns = pd.DataFrame([{"township_code": c, "township_name": n, "first_year": 2016, "last_year": 2023,
                           "successor_code": None, "lng": 111.7, "lat": 35.2} for c, n in TOWN_NAMES.items()])
    villages = pd.DataFrame([{"village_code": v, "village_name": f"{TOWN_NAMES[t]}村", "township_code": t,
                              "editions": "2018", "is_poor_village": False} for t, v in VILLAGE.items()])
    return {**tables, "purchases": pd.DataFrame(purchases), "inspections": pd.DataFrame(inspections),
            "cooperatives": coops, "targets": pd.DataFrame(targets), "townships": towns, "villages": villages,
            "counties": reference.counties(both), "groups": reference.groups(both)}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    store = SnapshotStore(tmp_path_factory.mktemp("attention"))
    write_snapshot(store, hand_made_tables(), as_of=AS_OF)
    database = SnapshotDB(store.current())
    yield database
    database.close()


def county_list(db, **choices) -> attention.Attention:
    flt = Filter.year_to_date(AS_OF, counties=("140827",), **choices)
    return attention.build(db, flt, "140827", "垣曲县")


def of_kind(found: attention.Attention, kind: str) -> list[attention.Item]:
    return [item for item in found.items if item.kind == kind]


def test_behind_schedule_lists_areas_below_the_line_most_behind_first(db):
    behind = of_kind(county_list(db), "behind_schedule")
    assert [(i.scope_name, i.metric) for i in behind] == [("历山镇", "purchase_amount_yuan"), ("历山镇", "lab_batches")]
    amount, lab = behind
    assert amount.value == 50_000 and amount.target == YEARLY and amount.unit == "pp"
    assert amount.gap == pytest.approx(50_000 / YEARLY * 100 - 20, abs=1e-9)
    assert lab.gap == pytest.approx(72 / 365 * 100 - 20, abs=1e-9)
    assert amount.reason == {"zh": "历山镇采购金额完成全年目标的13.7%，落后序时进度6.3个百分点",
                             "en": "历山镇: Purchase amount at 13.7% of the yearly target, 6.3 points behind schedule"}
    assert amount.link == f"/?scope=140827&township={LISHAN}&to=2018-03-14&metric=pct_of_target"
    assert lab.link == f"/inspections?scope=140827&township={LISHAN}&to=2018-03-14"


@pytest.mark.parametrize("actual, target, is_behind", [
    (73.0, 365.0, False),            # exactly on the line: 20.000…04% in floating point must not read as behind
    (72.0, 365.0, True),
    (73_000.0, 365_000.0, False),
    (72_999.99, 365_000.0, True),    # one fen short
    (73_000.004, 365_000.0, False),  # float noise of a sum of fen
])
def test_the_schedule_line_itself_is_not_behind(actual, target, is_behind):
    from fupin.report.kpi import progress
    assert attention.behind(progress("lab_batches", actual, target, AS_OF), AS_OF) is is_behind


def test_one_area_behind_on_several_metrics_is_one_line(db):
    lines = county_list(db).texts()
    assert lines[0] == "历山镇落后序时进度：采购金额6.3、抽样检验批次0.3个百分点"
    assert county_list(db).texts("en")[0] == ("历山镇 behind schedule: Purchase amount 6.3, "
                                              "Lab sampling batches 0.3 points")


def test_no_targets_compared_outside_a_year_to_date_view(db):
    flt = Filter(dt.date(2018, 2, 1), AS_OF, counties=("140827",))
    assert of_kind(attention.build(db, flt, "140827", "垣曲县"), "behind_schedule") == []


def test_failed_inspections_grouped_by_item_with_where(db):
    failed = of_kind(county_list(db), "failed_inspections")
    assert [(i.value, i.details[0]["failed_item"]) for i in failed] == [(3, "毒死蜱"), (1, None)]
    assert failed[0].reason["zh"] == "抽检不合格：毒死蜱3批次（华峰乡2批次、历山镇1批次）"
    assert failed[1].reason["zh"] == "抽检不合格：未注明项目1批次（新城镇1批次）"
    assert [(d["name"], d["batches"]) for d in failed[0].details] == [("华峰乡", 2), ("历山镇", 1)]
    assert failed[0].link == "/inspections?scope=140827&to=2018-03-14&failed=failed"
    assert (failed[0].scope_code, failed[0].threshold, failed[0].gap) == ("140827", 0, 3)


def test_deregistered_cooperatives_of_the_period_only(db):
    gone = of_kind(county_list(db), "deregistered_cooperatives")
    assert len(gone) == 1 and gone[0].scope_name == "华峰乡" and gone[0].value == 1
    detail = gone[0].details[0]
    assert detail["deregistered_date"] == "2018-02-01" and detail["poor_household_members"] == 3
    assert gone[0].link == f"/cooperatives?scope=140827&township={HUAFENG}&to=2018-03-14&q={detail['credit_code']}"
    assert gone[0].reason["zh"].startswith("华峰乡注销合作社1户：")


def test_a_drop_of_exactly_the_threshold_is_not_large(db):
    drops = of_kind(county_list(db), "yoy_drop")
    assert [(i.scope_name, i.gap) for i in drops] == [("历山镇", pytest.approx(-50.0))]
    assert drops[0].threshold == -attention.YOY_DROP_PCT and drops[0].details == [{"previous": 100_000.0}]
    assert drops[0].reason["zh"] == "历山镇采购金额5.0万元，同比下降50.0%（降幅超过20%）"
    assert drops[0].link == f"/?scope=140827&township={LISHAN}&to=2018-03-14&metric=purchase_amount_yuan"


def test_kinds_come_in_priority_order(db):
    kinds = [item.kind for item in county_list(db).items]
    assert kinds == sorted(kinds, key=[k.name for k in attention.KINDS].index)
    assert kinds[0] == "behind_schedule" and kinds[-1] == "yoy_drop"


def test_a_township_view_speaks_of_that_township_only(db):
    found = county_list(db, township=LISHAN)
    assert {item.scope_code for item in found.items} == {LISHAN}
    assert {i.kind for i in found.items} == {"behind_schedule", "failed_inspections", "yoy_drop"}
    assert of_kind(found, "failed_inspections")[0].link == (
        f"/inspections?scope=140827&township={LISHAN}&to=2018-03-14&failed=failed")


def test_a_scope_of_several_counties_lists_counties_with_links_into_them(db):
    flt = Filter.year_to_date(AS_OF, counties=("140827", "621226"))
    found = attention.build(db, flt, "samr", "两县", {"140827": "垣曲县", "621226": "礼县"})
    behind = of_kind(found, "behind_schedule")
    # 礼县 at 2.7% of its target; the two counties together at 233k of 1.46M (16.0%)
    assert [(i.scope_name, i.metric) for i in behind] == [("礼县", "purchase_amount_yuan"),
                                                          ("两县", "purchase_amount_yuan")]
    assert behind[0].link == "/?scope=samr&county=621226&to=2018-03-14&metric=pct_of_target"
    assert behind[1].link == "/?scope=samr&to=2018-03-14&metric=pct_of_target"
    failed = of_kind(found, "failed_inspections")[0]
    assert [(d["name"], d["batches"]) for d in failed.details] == [("垣曲县", 3)]


def test_the_list_is_bounded_per_kind_and_says_what_it_left_out(db, monkeypatch):
    monkeypatch.setattr(attention, "TOP_PER_KIND", 1)
    found = county_list(db)
    assert [i.value for i in of_kind(found, "failed_inspections")] == [3]
    assert found.omitted["failed_inspections"] == 1
    assert found.notes() == ["另有1个不合格项目，未列出"]


def test_a_new_kind_is_one_more_builder(db):
    def unsold_warning(ctx: attention.Context) -> list[attention.Item]:
        return [attention.Item("unsold_warning", ctx.place.code, ctx.place.name, "unsold_kg", 5000.0, None, 0.5,
                               0.8, "share", {"zh": "滞销", "en": "unsold"}, ctx.link("/warnings"))]

    kinds = attention.KINDS[:2] + (attention.Kind("unsold_warning", unsold_warning),) + attention.KINDS[2:]
    flt = Filter.year_to_date(AS_OF, counties=("140827",))
    found = attention.build(db, flt, "140827", "垣曲县", kinds=kinds)
    plain = county_list(db)
    assert [i for i in found.items if i.kind != "unsold_warning"] == plain.items
    at = [i.kind for i in found.items].index("unsold_warning")
    assert at == len(of_kind(plain, "behind_schedule")) + len(of_kind(plain, "failed_inspections"))
    assert found.items[at].link == "/warnings?scope=140827&to=2018-03-14"


def test_the_link_keeps_a_custom_start_and_the_choices(db):
    flt = replace(Filter.year_to_date(AS_OF, counties=("140827",)), date_from=dt.date(2018, 2, 1),
                  buyer_type="supermarket")
    found = attention.build(db, flt, "140827", "垣曲县")
    assert of_kind(found, "failed_inspections")[0].link == (
        "/inspections?scope=140827&from=2018-02-01&to=2018-03-14&buyer_type=supermarket&failed=failed")


def test_items_read_as_json(db):
    item = county_list(db).to_list()[0]
    assert list(item) == ["kind", "scope_code", "scope_name", "metric", "value", "target", "threshold", "gap",
                          "unit", "reason", "reason_en", "link", "details"]


def demo_links(demo_db) -> dict[str, tuple[str, str]]:
    """The most pressing link of each kind on the demo (垣曲县, 2018-12-29) and the place it names."""
    found = attention.build(demo_db, Filter.year_to_date(dt.date(2018, 12, 29), counties=("140827",)), "140827",
                            "垣曲县")
    return {item.kind: (item.link, item.scope_name) for item in reversed(found.items)}


def test_every_kind_of_link_opens_its_view_with_nothing_ignored(demo_store, demo_db, monkeypatch):
    """Each link is read by the app as it reads a link a colleague sends: no value ignored, the place shown."""
    from urllib.parse import parse_qsl, urlparse

    from streamlit.testing.v1 import AppTest

    from fupin.settings import PROJECT_ROOT

    monkeypatch.setenv("FUPIN_DATA", str(demo_store.root))
    links = demo_links(demo_db)
    assert set(links) == {"behind_schedule", "failed_inspections", "deregistered_cooperatives", "unsold_warning"}
    for kind, (link, place) in links.items():
        parts = urlparse(link)
        app = AppTest.from_file(str(PROJECT_ROOT / "tests" / "app_entry.py"), default_timeout=120)
        for key, value in parse_qsl(parts.query):
            app.query_params[key] = value
        if parts.path != "/":
            app.switch_page(f"../pages/{parts.path.strip('/')}.py")
        app.run()
        assert not app.exception, (kind, app.exception)
        assert not page_warnings(app), (kind, link, page_warnings(app))
        assert place in app.title[0].value, (kind, link, app.title[0].value)
