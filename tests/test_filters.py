"""The shared filter: parameters, same period last year, an explicit scope."""

import datetime as dt

import pytest

from fupin.query.filters import Filter

YUANQU = ("140827",)


def test_year_to_date_starts_on_first_of_january():
    flt = Filter.year_to_date(dt.date(2018, 12, 29), counties=YUANQU, township="140827203")
    assert flt.date_from == dt.date(2018, 1, 1) and flt.as_of == dt.date(2018, 12, 29)
    params = flt.params()
    assert params["township"] == "140827203" and params["village"] is None and params["counties"] == ["140827"]


@pytest.mark.parametrize("day, earlier", [
    (dt.date(2018, 12, 29), dt.date(2017, 12, 29)),
    (dt.date(2020, 2, 29), dt.date(2019, 2, 28)),
    (dt.date(2019, 3, 1), dt.date(2018, 3, 1)),
])
def test_same_period_last_year(day, earlier):
    flt = Filter(dt.date(day.year, 1, 1), day, counties=YUANQU).same_period_last_year()
    assert flt.date_to == earlier and flt.date_from == dt.date(day.year - 1, 1, 1) and flt.counties == YUANQU


def test_reversed_dates_are_refused():
    with pytest.raises(ValueError, match="晚于"):
        Filter(dt.date(2018, 12, 31), dt.date(2018, 1, 1), counties=YUANQU)


@pytest.mark.parametrize("counties", [(), "140827"])
def test_a_filter_names_its_counties(counties):
    with pytest.raises(ValueError, match="县"):
        Filter(dt.date(2018, 1, 1), dt.date(2018, 12, 31), counties=counties)


def test_a_township_outside_the_counties_is_refused():
    with pytest.raises(ValueError, match="不在所选范围"):
        Filter(dt.date(2018, 1, 1), dt.date(2018, 12, 31), counties=("621226",), township="140827203")
