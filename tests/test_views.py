"""Page data: the map's township summary, the monthly trend beside last year, the schedule path."""

import datetime as dt

import pandas as pd
import pytest

from fupin import kpi, views
from fupin.filters import Filter

REPORT_DAY = dt.date(2018, 12, 29)


def test_township_summary_adds_up_to_the_county(tiny_db):
    flt = Filter.year_to_date(REPORT_DAY)
    summary = views.township_summary(tiny_db, flt)
    totals = tiny_db.run_filtered("purchase_totals", flt).iloc[0]
    assert summary["amount_yuan"].sum() == pytest.approx(totals["amount_yuan"])
    assert summary["target_purchase_amount_yuan"].notna().all()


def test_map_stays_county_wide_under_a_township_filter(tiny_db):
    whole = views.township_summary(tiny_db, Filter.year_to_date(REPORT_DAY))
    narrowed = views.township_summary(tiny_db, Filter.year_to_date(REPORT_DAY, township="140827203"))
    pd.testing.assert_frame_equal(whole, narrowed)


def test_monthly_sits_beside_the_same_month_last_year(tiny_db):
    monthly = views.monthly_with_last_year(tiny_db, Filter.year_to_date(REPORT_DAY))
    last = tiny_db.run_filtered("purchase_monthly", Filter.year_to_date(dt.date(2017, 12, 29)))
    assert monthly["amount_yuan_last_year"].sum() == pytest.approx(last["amount_yuan"].sum())
    assert all(m.year == 2018 for m in monthly["month"])


def test_schedule_series_on_hand_made_months():
    rows = kpi.schedule_series([(dt.date(2018, 2, 1), 20.0), (dt.date(2018, 1, 1), 10.0)], 365.0, dt.date(2018, 2, 10))
    assert rows == [
        {"date": dt.date(2018, 1, 31), "cumulative": 10.0, "expected": pytest.approx(31.0)},
        {"date": dt.date(2018, 2, 10), "cumulative": 30.0, "expected": pytest.approx(41.0)},
    ]


def test_target_table_rounds_for_reading():
    progress = [kpi.progress("lab_batches", 746, 800, REPORT_DAY)]
    table = views.target_table(progress)
    assert table.iloc[0].to_dict() == {"metric": "lab_batches", "target_value": 800, "actual": 746,
                                       "pct_done": 93.2, "schedule_pct": 99.5, "ahead_pp": -6.2}
