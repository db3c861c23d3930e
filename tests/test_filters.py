"""The shared filter: parameters, same period last year, and the URL round trip."""

import datetime as dt

import pytest

from fupin.filters import Filter, from_query_params, to_query_params

DEFAULT = Filter.year_to_date(dt.date(2020, 12, 31))


def test_year_to_date_starts_on_first_of_january():
    flt = Filter.year_to_date(dt.date(2018, 12, 29), township="140827203")
    assert flt.date_from == dt.date(2018, 1, 1) and flt.as_of == dt.date(2018, 12, 29)
    assert flt.params()["township"] == "140827203" and flt.params()["village"] is None


@pytest.mark.parametrize("day, earlier", [
    (dt.date(2018, 12, 29), dt.date(2017, 12, 29)),
    (dt.date(2020, 2, 29), dt.date(2019, 2, 28)),
    (dt.date(2019, 3, 1), dt.date(2018, 3, 1)),
])
def test_same_period_last_year(day, earlier):
    flt = Filter(dt.date(day.year, 1, 1), day).same_period_last_year()
    assert flt.date_to == earlier and flt.date_from == dt.date(day.year - 1, 1, 1)


def test_reversed_dates_are_refused():
    with pytest.raises(ValueError, match="晚于"):
        Filter(dt.date(2018, 12, 31), dt.date(2018, 1, 1))


def test_url_round_trip_keeps_every_value():
    flt = Filter(dt.date(2018, 3, 1), dt.date(2018, 9, 30), township="140827203", village="140827203216",
                 buyer_type="supermarket", product_category="蔬菜")
    assert from_query_params(to_query_params(flt), DEFAULT) == flt


def test_url_leaves_out_unset_values():
    assert to_query_params(DEFAULT) == {"from": "2020-01-01", "to": "2020-12-31"}


@pytest.mark.parametrize("params", [
    {"from": "not-a-date"},
    {"from": "2018-13-01", "to": "2018-02-30"},
    {"from": "2019-01-01", "to": "2018-01-01"},
    {},
])
def test_malformed_url_values_fall_back_to_defaults(params):
    assert from_query_params(params, DEFAULT) == DEFAULT
