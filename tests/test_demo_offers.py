"""The demo's supply offers agree with its purchases: most are bought within their harvest window, some are not (more
often in townships behind their purchase target), and the 预警 list has warnings to show; the purchases themselves are
the seed's (tests/test_brief_seed.py checks every figure)."""

import datetime as dt

import pandas as pd
import pytest

from fupin.demo import DEFAULT_COUNTIES
from fupin.query.filters import Filter
from fupin.report import page_data
from fupin.store.schema import OFFER_SUPPLIER_TYPES
from fupin.store.snapshot import read_table

YUANQU = "140827"


@pytest.fixture(scope="module")
def outcome(demo_store) -> pd.DataFrame:
    """Every demo offer with what its village sold of its product from its first harvest day to its last harvest day
    and to the last day it keeps (or the demo's as-of date), and whether its township fell short of its yearly
    purchase target."""
    snapshot = demo_store.current()
    offers = read_table(snapshot, "offers").to_pandas()
    purchases = read_table(snapshot, "purchases").select(
        ["purchase_date", "village_code", "product_name", "weight_kg", "township_code", "amount_yuan"]).to_pandas()
    for frame, columns in ((offers, ["harvest_from", "harvest_to"]), (purchases, ["purchase_date"])):
        frame[columns] = frame[columns].apply(pd.to_datetime)
    offers["sell_by"] = offers["harvest_to"] + pd.to_timedelta(offers["keeps_days"], unit="D")
    matched = offers.merge(purchases, on=["village_code", "product_name"], suffixes=("", "_p"))
    opened = matched["purchase_date"] >= matched["harvest_from"]
    for name, end in (("window_kg", "harvest_to"), ("kept_kg", "sell_by")):
        sums = matched[opened & (matched["purchase_date"] <= matched[end])].groupby("offer_id")["weight_kg"].sum()
        offers[name] = offers["offer_id"].map(sums).fillna(0.0)
    amounts = purchases.assign(year=purchases["purchase_date"].dt.year).groupby(["year", "township_code"])[
        "amount_yuan"].sum()
    targets = read_table(snapshot, "targets").to_pandas()
    wanted = targets[targets["metric"] == "purchase_amount_yuan"].set_index(["year", "scope_code"])["target_value"]
    behind = {key for key, target in wanted.items() if amounts.get(key, 0.0) < target}
    offers["behind"] = [(d.year, t) in behind for d, t in zip(offers["harvest_from"], offers["township_code"])]
    offers["bought"] = offers["kept_kg"] >= offers["quantity_kg"]
    return offers


def test_every_county_offers_its_villages_products(outcome, demo_store):
    assert set(outcome["county_code"]) == set(DEFAULT_COUNTIES)
    assert set(outcome["supplier_type"]) <= set(OFFER_SUPPLIER_TYPES)
    cooperatives = outcome[outcome["supplier_type"] == "cooperative"]
    assert cooperatives["supplier_credit_code"].str.startswith("93").all()
    assert (outcome["quantity_kg"] > 0).all() and (outcome["keeps_days"] >= 1).all()
    assert (outcome["harvest_to"] >= outcome["harvest_from"]).all()
    assert outcome["offer_id"].is_unique and outcome["contact_phone"].str.fullmatch(r"1[0-9]{10}").all()
    villages = set(read_table(demo_store.current(), "villages").column("village_code").to_pylist())
    assert set(outcome["village_code"]) <= villages
    assert (outcome["village_code"].str[:9] == outcome["township_code"]).all()


def test_most_offers_are_bought_within_their_harvest_window_and_some_are_not(outcome):
    for county, offers in outcome.groupby("county_code"):
        bought = offers["bought"].mean()
        assert 0.6 <= bought <= 0.92, (county, bought)
        assert (offers.loc[offers["bought"], "window_kg"] >= offers.loc[offers["bought"], "quantity_kg"]).all()
        unsold = offers[~offers["bought"]]
        assert ((unsold["quantity_kg"] - unsold["kept_kg"]) / unsold["quantity_kg"] >= 0.3).all()


def test_unsold_offers_gather_in_townships_behind_their_target(outcome):
    behind, on_track = outcome[outcome["behind"]], outcome[~outcome["behind"]]
    assert len(behind) >= 100 and len(on_track) >= 100
    assert (~behind["bought"]).mean() > 2 * (~on_track["bought"]).mean()


def test_the_report_day_and_the_years_have_warnings_of_every_level(demo_db):
    report_day = page_data.unsold_warnings(demo_db, Filter.year_to_date(dt.date(2018, 12, 29), counties=(YUANQU,)))
    assert len(report_day) >= 3
    levels = set()
    for year in range(2017, 2021):
        for month in range(1, 13):
            day = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
            levels |= set(page_data.unsold_warnings(demo_db, Filter.year_to_date(day, counties=(YUANQU,)))["warning_level"])
    assert levels == {"watch", "warning", "unsold"}
