"""The one filter object every page, query and export shares: dates, the counties in scope, and choices."""

import datetime as dt
from dataclasses import asdict, dataclass, field, replace


@dataclass(frozen=True)
class Filter:
    """What the user is looking at: a date range, the counties of the scope (always explicit: a query sees no
    row of another county), and optional township, village, buyer type, product category and purchase channel."""

    date_from: dt.date
    date_to: dt.date
    counties: tuple[str, ...] = field(kw_only=True)
    township: str | None = None
    village: str | None = None
    buyer_type: str | None = None
    product_category: str | None = None
    channel: str | None = None
    # Township staff see their own township only: every filter of theirs keeps it (see fupin.query.scoped).
    township_lock: str | None = field(default=None, kw_only=True)

    def __post_init__(self):
        if self.date_from > self.date_to:
            raise ValueError(f"开始日期 {self.date_from} 晚于结束日期 {self.date_to}")
        if isinstance(self.counties, str) or not self.counties:
            raise ValueError("筛选必须指明所含的县（区）")
        if self.township and self.township[:6] not in self.counties:
            raise ValueError(f"乡镇 {self.township} 不在所选范围内")
        if self.township_lock and self.township != self.township_lock:
            raise ValueError(f"只能查看本乡镇 {self.township_lock}")

    @classmethod
    def year_to_date(cls, as_of: dt.date, **choices) -> "Filter":
        """From 1 January of the as-of date's year to the as-of date."""
        return cls(dt.date(as_of.year, 1, 1), as_of, **choices)

    def place_year_to_date(self) -> "Filter":
        """The filter's place (counties, township; no village, buyer type, category or channel) from 1 January of
        the end date's year: what a briefing covers."""
        return replace(self, date_from=dt.date(self.date_to.year, 1, 1), village=None, buyer_type=None,
                       product_category=None, channel=None)

    @property
    def as_of(self) -> dt.date:
        return self.date_to

    def params(self) -> dict:
        """All values as query parameters (names match the `$names` in queries/)."""
        params = asdict(self) | {"counties": list(self.counties)}
        del params["township_lock"]
        return params

    def same_period_last_year(self) -> "Filter":
        """The same dates one year earlier (29 February becomes 28 February)."""
        return replace(self, date_from=_year_earlier(self.date_from), date_to=_year_earlier(self.date_to))


def _year_earlier(day: dt.date) -> dt.date:
    if day.month == 2 and day.day == 29:
        return dt.date(day.year - 1, 2, 28)
    return day.replace(year=day.year - 1)
