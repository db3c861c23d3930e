"""URL values checked before use: a record page number that int() or DuckDB would choke on is ignored."""

import pytest

from fupin.ui.url_values import MAX_PAGE, page_number


@pytest.mark.parametrize("text, expected", [
    ("1", 1), ("12", 12), (str(MAX_PAGE), MAX_PAGE),
    ("²", None), ("١٢", None), ("99999999999999999999999", None), ("0", None), ("-1", None), ("1.5", None),
    ("", None), (None, None), (" 3", None), ("3 ", None), ("1e3", None), (str(MAX_PAGE + 1), None),
])
def test_page_numbers_from_a_link(text, expected):
    assert page_number(text) == expected


def test_a_page_past_the_last_one_is_ignored():
    assert page_number("7", pages=6) is None and page_number("6", pages=6) == 6


def test_what_the_purchases_page_accepted_before_breaks_int():
    assert "²".isdigit()                       # the old check let it through ...
    with pytest.raises(ValueError):
        int("²")                               # ... and int() raised: a traceback on /purchases?page=²
    assert page_number("²") is None
