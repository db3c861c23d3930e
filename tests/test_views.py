"""Page data: the map's township summary, the monthly trend beside last year, the schedule path."""

import datetime as dt

import pandas as pd
import pytest

from fupin.query.filters import Filter
from fupin.report import kpi, page_data
from fupin.store.reference import townships

YUANQU = ("140827",)

REPORT_DAY = dt.date(2018, 12, 29)


def test_township_summary_adds_up_to_the_county(tiny_db):
    flt = Filter.year_to_date(REPORT_DAY, counties=YUANQU)
    summary = page_data.township_summary(tiny_db, flt)
    totals = tiny_db.run_filtered("purchase_totals", flt).iloc[0]
    assert summary["amount_yuan"].sum() == pytest.approx(totals["amount_yuan"])
    assert summary["target_purchase_amount_yuan"].notna().all()


def test_map_stays_county_wide_under_a_township_filter(tiny_db):
    whole = page_data.township_summary(tiny_db, Filter.year_to_date(REPORT_DAY, counties=YUANQU))
    narrowed = page_data.township_summary(tiny_db, Filter.year_to_date(REPORT_DAY, counties=YUANQU, township="140827203"))
    pd.testing.assert_frame_equal(whole, narrowed)


def test_monthly_sits_beside_the_same_month_last_year(tiny_db):
    monthly = page_data.monthly_with_last_year(page_data.purchase_figures(tiny_db, Filter.year_to_date(REPORT_DAY,
                                                                                             counties=YUANQU)))
    last = tiny_db.run_filtered("purchase_totals", Filter.year_to_date(dt.date(2017, 12, 29), counties=YUANQU))
    assert monthly["amount_yuan_last_year"].sum() == pytest.approx(last["amount_yuan"].iloc[0])
    assert all(m.year == 2018 for m in monthly["month"])


def test_schedule_series_on_hand_made_months():
    rows = kpi.schedule_series([(dt.date(2018, 2, 1), 20.0), (dt.date(2018, 1, 1), 10.0)], 365.0, dt.date(2018, 2, 10))
    assert rows == [
        {"date": dt.date(2018, 1, 31), "cumulative": 10.0, "expected": pytest.approx(31.0)},
        {"date": dt.date(2018, 2, 10), "cumulative": 30.0, "expected": pytest.approx(41.0)},
    ]


def test_target_table_rounds_for_reading():
    progress = [kpi.progress("lab_batches", 746, 800, REPORT_DAY)]
    table = page_data.target_table(progress)
    assert table.iloc[0].to_dict() == {"metric": "lab_batches", "target_value": 800, "actual": 746,
                                       "pct_done": 93.2, "ahead_pp": -6.2}


# Map metric column of the township summary -> (query, column) of the county figure.
COUNTY_FIGURES = {
    "amount_yuan": ("purchase_totals", "amount_yuan"),
    "poor_village_amount_yuan": ("purchase_totals", "poor_village_amount_yuan"),
    "weight_kg": ("purchase_totals", "weight_kg"),
    "lab_batches": ("inspection_totals", "lab_batches"),
    "cooperatives_total": ("cooperative_totals", "cooperatives_total"),
}


@pytest.mark.parametrize("year", range(2016, 2021))
def test_every_map_metric_sums_to_the_county_on_that_years_townships(demo_db, year):
    flt = Filter.year_to_date(dt.date(year, 12, 31), counties=YUANQU)
    summary = page_data.township_summary(demo_db, flt)
    for column, (query, county_column) in COUNTY_FIGURES.items():
        county = demo_db.run_filtered(query, flt)[county_column].iloc[0]
        assert summary[column].sum() == pytest.approx(county), column
    # % of target: every township with purchases has its target, so no amount falls outside the map.
    assert summary.loc[summary["amount_yuan"] > 0, "target_purchase_amount_yuan"].notna().all()
    reference = townships()
    in_force = set(reference.loc[(reference.first_year <= year) & (reference.last_year >= year), "township_code"])
    shown = summary.loc[summary[list(COUNTY_FIGURES)].gt(0).any(axis=1), "township_code"]
    assert set(shown) <= in_force, f"codes not in force in {year}: {set(shown) - in_force}"


def test_a_townships_map_value_is_its_figure_when_drilled_into(demo_db):
    flt = Filter.year_to_date(dt.date(2020, 12, 31), counties=YUANQU)
    summary = page_data.township_summary(demo_db, flt).set_index("township_code")
    renamed = Filter.year_to_date(dt.date(2020, 12, 31), counties=YUANQU, township="140827105")   # 英言镇, 英言乡 until 2019
    for column, (query, county_column) in COUNTY_FIGURES.items():
        assert demo_db.run_filtered(query, renamed)[county_column].iloc[0] == pytest.approx(
            summary.loc["140827105", column]), column
    stock = demo_db.run_filtered("cooperative_by_year", renamed).set_index("year")["stock"]
    assert stock[2020] == summary.loc["140827105", "cooperatives_total"] > stock[2019] > 0
