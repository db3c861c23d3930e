"""The one filter object every page, query and export shares, and its URL form."""

import datetime as dt
from dataclasses import asdict, dataclass, replace

OPTIONAL_CODES = ("township", "village", "buyer_type", "product_category")


@dataclass(frozen=True)
class Filter:
    """What the user is looking at: a date range and optional scope and category choices."""

    date_from: dt.date
    date_to: dt.date
    township: str | None = None
    village: str | None = None
    buyer_type: str | None = None
    product_category: str | None = None

    def __post_init__(self):
        if self.date_from > self.date_to:
            raise ValueError(f"开始日期 {self.date_from} 晚于结束日期 {self.date_to}")

    @classmethod
    def year_to_date(cls, as_of: dt.date, **choices) -> "Filter":
        """From 1 January of the as-of date's year to the as-of date."""
        return cls(dt.date(as_of.year, 1, 1), as_of, **choices)

    @property
    def as_of(self) -> dt.date:
        return self.date_to

    def params(self) -> dict:
        """All values as query parameters (names match the `$names` in queries/)."""
        return asdict(self)

    def same_period_last_year(self) -> "Filter":
        """The same dates one year earlier (29 February becomes 28 February)."""
        return replace(self, date_from=_year_earlier(self.date_from), date_to=_year_earlier(self.date_to))

    def scope_code(self, county_code: str) -> str:
        """The village, township or county code this filter is scoped to."""
        return self.village or self.township or county_code


def _year_earlier(day: dt.date) -> dt.date:
    if day.month == 2 and day.day == 29:
        return dt.date(day.year - 1, 2, 28)
    return day.replace(year=day.year - 1)


def to_query_params(flt: Filter) -> dict[str, str]:
    """The filter as URL query parameters (only the values that are set)."""
    params = {"from": flt.date_from.isoformat(), "to": flt.date_to.isoformat()}
    params.update({name: getattr(flt, name) for name in OPTIONAL_CODES if getattr(flt, name)})
    return params


def from_query_params(params: dict, default: Filter) -> Filter:
    """Rebuild a filter from URL query parameters; a missing start is 1 January of the end date's year,
    other missing or malformed values fall back to `default`."""
    def date_or(key: str, fallback: dt.date) -> dt.date:
        try:
            return dt.date.fromisoformat(params.get(key, ""))
        except (TypeError, ValueError):
            return fallback

    choices = {name: params.get(name) or getattr(default, name) for name in OPTIONAL_CODES}
    date_to = date_or("to", default.date_to)
    date_from = date_or("from", dt.date(date_to.year, 1, 1))
    if date_from > date_to:
        date_from, date_to = default.date_from, default.date_to
    return Filter(date_from, date_to, **choices)
