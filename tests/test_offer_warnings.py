"""滞销预警 by SQL on hand-made offers and purchases: each level at its thresholds, an offer bought in full, one not
yet open, one past the days it keeps, a renamed township, the filters, the rules a snapshot carries, a past snapshot,
and the attention list's unsold_warning items."""

import datetime as dt
import random

import pandas as pd
import pytest
from conftest import tiny_tables, write_snapshot

from fupin.query.db import SnapshotDB
from fupin.query.filters import Filter
from fupin.report import attention, page_data
from fupin.store.reference import warning_rules
from fupin.store.store import SnapshotStore

YUANQU = ("140827",)
XINCHENG, HUAFENG = "140827100", "140827203"
YINGYAN_XIANG, YINGYAN_ZHEN = "140827201", "140827105"   # 英言乡 became 英言镇 in 2020
SHANGWANG, XIXINGMA, DONGXINGMA, YINGYAN_VILLAGE = "140827100200", "140827203216", "140827203218", "140827201200"
# Offers A and B: harvest 1-11 March 2018, keeping 90 days, so they sell until 9 June, 100 days after the harvest
# began: on a day n days before 9 June, n % of the selling time is left.
SELL_BY = dt.date(2018, 6, 9)


def left(days: int) -> dt.date:
    """The day on which `days` of offers A's and B's 100 selling days are left."""
    return SELL_BY - dt.timedelta(days=days)


def offer(offer_id, village, township, product, category, kg, start, end, keeps) -> dict:
    return {"offer_id": offer_id, "township_code": township, "village_code": village, "supplier_type": "cooperative",
            "supplier_name": f"合作社{offer_id}", "supplier_credit_code": None, "product_category": category,
            "product_name": product, "quantity_kg": kg, "expected_price_yuan_per_kg": 2.0, "harvest_from": start,
            "harvest_to": end, "keeps_days": keeps, "contact_name": f"联系人{offer_id}",
            "contact_phone": f"1390000000{offer_id}"}


OFFERS = [
    offer(1, SHANGWANG, XINCHENG, "辣椒", "蔬菜", 1000.0, dt.date(2018, 3, 1), dt.date(2018, 3, 11), 90),    # A: 70% unsold
    offer(2, SHANGWANG, XINCHENG, "土豆", "蔬菜", 1000.0, dt.date(2018, 3, 1), dt.date(2018, 3, 11), 90),    # B: 49.9%
    offer(3, XIXINGMA, HUAFENG, "核桃", "干鲜果品", 800.0, dt.date(2018, 3, 1), dt.date(2018, 3, 11), 90),    # C: bought
    offer(4, XIXINGMA, HUAFENG, "辣椒", "蔬菜", 500.0, dt.date(2018, 5, 20), dt.date(2018, 5, 25), 15),      # D: 20 May-9 June
    offer(5, YINGYAN_VILLAGE, YINGYAN_XIANG, "小米", "杂粮", 300.0, dt.date(2019, 11, 1), dt.date(2019, 11, 5), 10),
    offer(6, YINGYAN_VILLAGE, YINGYAN_XIANG, "小麦", "粮食", 900.0, dt.date(2019, 10, 1), dt.date(2019, 10, 10), 180),
]


def bought(i: int, day: dt.date, village: str, product: str, kg: float) -> dict:
    township = village[:9]
    return {"purchase_id": i, "purchase_date": day, "buyer_id": "B1", "buyer_type": "supermarket", "channel": "retail",
            "supplier_type": "cooperative", "supplier_name": "某合作社", "supplier_credit_code": None,
            "township_code": township, "village_code": village, "from_poor_village": False,
            "product_category": "蔬菜", "product_name": product, "weight_kg": kg, "amount_yuan": kg * 2}


PURCHASES = [
    bought(1, dt.date(2018, 3, 5), SHANGWANG, "辣椒", 300.0),      # A: 700 of 1000 kg left, 70%
    bought(2, dt.date(2018, 3, 6), SHANGWANG, "土豆", 501.0),      # B: 499 left, 49.9%
    bought(3, dt.date(2018, 2, 20), XIXINGMA, "核桃", 1000.0),     # before C's harvest: not C's
    bought(4, dt.date(2018, 3, 2), DONGXINGMA, "核桃", 1000.0),    # another village: not C's
    bought(5, dt.date(2018, 3, 2), XIXINGMA, "核桃", 500.0),       # C
    bought(6, dt.date(2018, 3, 20), XIXINGMA, "核桃", 300.0),      # C: bought in full from 20 March
    bought(7, dt.date(2018, 3, 5), SHANGWANG, "核桃", 5000.0),     # another product of A's village: not A's
]


def tables(rules: pd.DataFrame | None = None, purchases: list[dict] = PURCHASES) -> dict[str, pd.DataFrame]:
    base = tiny_tables(random.Random(5))
    towns = pd.DataFrame([
        {"township_code": XINCHENG, "township_name": "新城镇", "first_year": 2016, "last_year": 2023},
        {"township_code": "140827101", "township_name": "历山镇", "first_year": 2016, "last_year": 2023},
        {"township_code": HUAFENG, "township_name": "华峰乡", "first_year": 2016, "last_year": 2023},
        {"township_code": YINGYAN_XIANG, "township_name": "英言乡", "first_year": 2016, "last_year": 2019,
         "successor_code": YINGYAN_ZHEN},
        {"township_code": YINGYAN_ZHEN, "township_name": "英言镇", "first_year": 2020, "last_year": 2023},
    ]).assign(lng=111.7, lat=35.2)
    villages = pd.DataFrame([{"village_code": code, "village_name": name, "township_code": code[:9],
                              "editions": "2018", "is_poor_village": False}
                             for code, name in ((SHANGWANG, "上王村委会"), (XIXINGMA, "西型马村委会"),
                                                (DONGXINGMA, "东型马村委会"), (YINGYAN_VILLAGE, "英言村委会"))])
    return {**base, "purchases": pd.DataFrame(purchases), "offers": pd.DataFrame(OFFERS), "townships": towns,
            "villages": villages, "warning_rules": warning_rules() if rules is None else rules}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    store = SnapshotStore(tmp_path_factory.mktemp("warnings"))
    write_snapshot(store, tables())
    database = SnapshotDB(store.current())
    yield database
    database.close()


def warned(db, day: dt.date, **choices) -> dict[int, str]:
    """Offer id -> level of the warnings on a day."""
    frame = page_data.unsold_warnings(db, Filter.year_to_date(day, counties=YUANQU, **choices))
    return dict(zip(frame["offer_id"], frame["warning_level"]))


@pytest.mark.parametrize("day, expected", [
    (left(51), {}),                                      # 51 % of the time left: no level yet
    (left(50), {1: "watch", 2: "watch"}),                # 50 %: 关注 (70 % and 49.9 % unsold, at least 30 %)
    (left(31), {1: "watch", 2: "watch"}),
    (left(30), {1: "warning", 2: "watch"}),              # 30 %: 预警 for 70 % unsold; 49.9 % is under its 50 %
    (left(11), {1: "warning", 2: "watch"}),
    (left(10), {1: "unsold", 2: "watch", 4: "watch"}),   # 10 %: 滞销 for exactly 70 % unsold; D: 10 of 20 days left
    (SELL_BY, {1: "unsold", 2: "watch", 4: "unsold"}),   # the last day the produce keeps
    (SELL_BY + dt.timedelta(days=1), {}),                # past it: no longer warned
])
def test_levels_follow_the_thresholds_to_the_day(db, day, expected):
    assert warned(db, day) == expected


def test_an_offer_bought_in_full_is_never_warned_and_only_its_village_and_product_since_the_harvest_count(db):
    frame = page_data.unsold_warnings(db, Filter.year_to_date(left(10), counties=YUANQU)).set_index("offer_id")
    assert 3 not in frame.index                                         # C: 500 + 300 of 800 kg since 1 March
    assert frame.loc[1, ["quantity_kg", "bought_kg", "unsold_kg", "unsold_pct"]].tolist() == [1000.0, 300.0, 700.0,
                                                                                                70.0]
    assert frame.loc[1, ["days_left", "time_left_pct", "unsold_value_yuan"]].tolist() == [10, 10.0, 1400.0]
    assert str(frame.loc[1, "sell_by"])[:10] == SELL_BY.isoformat()
    assert frame.loc[1, "contact_phone"] == "13900000001" and frame.loc[1, "village_name"] == "上王村委会"


def test_before_it_was_bought_in_full_the_same_offer_was_counted_as_partly_sold(db):
    """C on 10 March: 500 of 800 kg bought (37.5 % unsold, 91 % of the time left): no level, yet measured."""
    assert warned(db, dt.date(2018, 3, 10)) == {}


def test_an_offer_not_yet_open_is_not_warned(db):
    assert 4 not in warned(db, dt.date(2018, 5, 19))
    assert warned(db, dt.date(2018, 5, 20)).get(4) is None        # opened, all of its time left


def test_the_most_severe_first_then_the_fewest_days_left(db):
    frame = page_data.unsold_warnings(db, Filter.year_to_date(SELL_BY, counties=YUANQU))
    assert list(frame["offer_id"]) == [1, 4, 2]


def test_a_renamed_township_is_its_successor_from_its_year_on(db):
    nov = dt.date(2019, 11, 14)                                    # offer 5: 1 of its 14 days left
    assert warned(db, nov, township=YINGYAN_XIANG) == {5: "unsold"}
    march = dt.date(2020, 3, 20)                                   # offer 6: 18 of 189 days left, nothing bought
    frame = page_data.unsold_warnings(db, Filter.year_to_date(march, counties=YUANQU))
    assert frame[["offer_id", "township_code", "township_name"]].values.tolist() == [[6, YINGYAN_ZHEN, "英言镇"]]
    assert warned(db, march, township=YINGYAN_ZHEN) == {6: "unsold"}
    summary = page_data.township_summary(db, Filter.year_to_date(march, counties=YUANQU))
    counts = summary[summary["unsold_warnings"] > 0]
    assert counts[["township_code", "unsold_warnings"]].values.tolist() == [[YINGYAN_ZHEN, 1]]


@pytest.mark.parametrize("choices, expected", [
    ({"township": XINCHENG}, {1: "unsold", 2: "watch"}),
    ({"township": HUAFENG}, {4: "unsold"}),
    ({"township": HUAFENG, "village": XIXINGMA}, {4: "unsold"}),
    ({"township": XINCHENG, "village": SHANGWANG, "product_category": "蔬菜"}, {1: "unsold", 2: "watch"}),
    ({"product_category": "干鲜果品"}, {}),
    ({"buyer_type": "catering"}, {1: "unsold", 2: "watch", 4: "unsold"}),   # offers have no buyer
])
def test_the_filters_narrow_the_warnings(db, choices, expected):
    assert warned(db, SELL_BY, **choices) == expected


def test_another_county_sees_none(db):
    flt = Filter.year_to_date(SELL_BY, counties=("621226",))
    assert page_data.unsold_warnings(db, flt).empty


def test_the_rules_of_the_snapshot_set_the_levels(tmp_path):
    strict = warning_rules().assign(max_time_left_pct=[90.0, 60.0, 40.0], min_unsold_pct=[10.0, 20.0, 40.0])
    store = SnapshotStore(tmp_path)
    write_snapshot(store, tables(rules=strict))
    with_rules = SnapshotDB(store.current())
    try:
        assert warned(with_rules, left(40)) == {1: "unsold", 2: "unsold"}
        assert with_rules.run("warning_rules")["max_time_left_pct"].tolist() == [90.0, 60.0, 40.0]
    finally:
        with_rules.close()


def test_a_past_snapshot_shows_the_warnings_of_its_day(tmp_path):
    """A purchase recorded later (in a later snapshot) covers offer A; the earlier snapshot still warns of it."""
    store = SnapshotStore(tmp_path)
    first = write_snapshot(store, tables())
    write_snapshot(store, tables(purchases=[*PURCHASES, bought(8, left(20), SHANGWANG, "辣椒", 700.0)]))
    earlier, later = SnapshotDB(first), SnapshotDB(store.current())
    try:
        assert warned(earlier, left(10))[1] == "unsold" and 1 not in warned(later, left(10))
        assert warned(later, left(25))[1] == "warning"                # before that purchase's day
    finally:
        earlier.close()
        later.close()


def test_attention_lists_the_warning_and_unsold_levels_with_a_link_to_the_village(db):
    found = attention.build(db, Filter.year_to_date(SELL_BY, counties=YUANQU), "140827", "垣曲县")
    items = [i for i in found.items if i.kind == "unsold_warning"]
    assert [i.details[0]["offer_id"] for i in items] == [1, 4]     # 关注 (offer 2) stays on the 预警 page
    first = items[0]
    assert first.reason["zh"] == "滞销：新城镇上王村委会辣椒未售0.7吨，剩0天"
    assert first.reason["en"] == "Unsold: 新城镇上王村委会 辣椒, 0.7 t unsold, 0 days left"
    assert first.link == f"/warnings?scope=140827&to={SELL_BY}&township={XINCHENG}&village={SHANGWANG}"
    assert (first.value, first.target, first.gap, first.unit, first.scope_code) == (700.0, 1000.0, 0, "days", XINCHENG)
    assert first.to_dict() in found.to_list()                        # the brief's JSON lists it
    names = [kind.name for kind in attention.KINDS]
    assert names.index("unsold_warning") == names.index("failed_inspections") + 1


def test_attention_of_a_township_keeps_to_its_own_warnings(db):
    flt = Filter.year_to_date(SELL_BY, counties=YUANQU, township=HUAFENG)
    found = attention.build(db, flt, HUAFENG, "华峰乡")
    assert [i.details[0]["offer_id"] for i in found.items if i.kind == "unsold_warning"] == [4]
