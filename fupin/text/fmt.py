"""Numbers as users read them: one unit per kind of figure shown together (万元 or 亿元, 万公斤 or 吨: `unit_for`),
percentages with one decimal, months and dates in one form; English mirrors the 万 units (×10k yuan, ×100M yuan,
×10k kg), so both languages show the same numbers."""

import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .i18n import plural, t

WAN = 10_000
YI = 100_000_000
CHINESE = re.compile(r"[\u4e00-\u9fff]")
# Asia/Shanghai: UTC+8 all year (no daylight saving since 1991).
BEIJING = dt.timezone(dt.timedelta(hours=8))
# What a figure that is absent reads as, in text and in a table's empty cell.
ABSENT = "—"


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value: float, digits: int = 1, lang: str = "zh") -> str:
    """A decimal number: 4154.6 in Chinese, with thousands separators in English (4,154.6)."""
    return t("number", lang, value=value, digits=digits)


def with_unit(number_text: str, unit: str) -> str:
    """A number followed by its unit as each language writes it: 4154.6万元, 4,154.6 ×10k yuan."""
    if not unit or CHINESE.match(unit):
        return f"{number_text}{unit}"
    return f"{number_text} {unit}"


@dataclass(frozen=True)
class Unit:
    """A unit figures of one kind are shown in: its word (an i18n key), what a stored value (元, 公斤) is divided by,
    the decimals a tile or a sentence gives it and those of a table."""

    key: str
    divisor: float
    digits: int
    table_digits: int

    def label(self, lang: str = "zh") -> str:
        """The unit's word: 万元, 亿元, 万公斤, 吨 (×10k yuan, ×100M yuan, ×10k kg, t)."""
        return t(self.key, lang)

    def number(self, value: float | None, lang: str = "zh", digits: int | None = None) -> str:
        """A stored value in this unit without the unit: 4154.6 (4,154.6), or a dash when there is none."""
        return ABSENT if _missing(value) else number(value / self.divisor, self.digits if digits is None else digits, lang)

    def text(self, value: float | None, lang: str = "zh", digits: int | None = None) -> str:
        """A stored value in this unit with the unit: 4154.6万元, 4,154.6 ×10k yuan."""
        shown = self.number(value, lang, digits)
        return shown if shown == ABSENT else with_unit(shown, self.label(lang))


WAN_YUAN = Unit("unit_wan_yuan", WAN, 1, 2)
YI_YUAN = Unit("unit_yi_yuan", YI, 2, 4)
WAN_KG = Unit("unit_wan_kg", WAN, 1, 2)
TONNES = Unit("unit_tonnes", 1000, 1, 2)
# The stored unit of each kind of figure, as a metric's unit names it.
KINDS = ("yuan", "kg")


def unit_for(kind: str, values: Iterable[float | None]) -> Unit:
    """The one unit for figures of one kind shown together (a row of tiles, a table, a chart, a list of lines),
    chosen from the largest of them: money in 万元 below one 亿元, else 亿元; weight in 万公斤 from one 万公斤 up,
    else 吨. Every figure of that kind on the screen then reads in the same unit."""
    largest = max((abs(v) for v in values if not _missing(v)), default=0.0)
    if kind == "yuan":
        return YI_YUAN if largest >= YI else WAN_YUAN
    if kind == "kg":
        return WAN_KG if largest >= WAN else TONNES
    raise ValueError(f"no unit rule for {kind!r}")


def kind_of(column: str) -> str | None:
    """Whether a metric or column holds money (yuan) or a weight (kg), by its name; None for anything else (a
    price per kg is neither)."""
    name = column.removesuffix("_last_year")
    if name.endswith("_per_kg"):
        return None
    if name.endswith("_yuan") or name in ("cumulative", "expected"):
        return "yuan"
    if name.endswith("_kg"):
        return "kg"
    return None


def titled(title: str, unit: str, lang: str = "zh") -> str:
    """A chart, map or axis title with its unit: 采购金额（万元）, Purchase amount (×10k yuan); a title that already
    ends with its unit's word keeps it once (New cooperatives, not New cooperatives (cooperatives))."""
    if not unit or title.lower().endswith(unit.lower()):
        return title
    return t("with_unit", lang, label=title, unit=unit)


def money(yuan: float | None, digits: int | None = None, lang: str = "zh") -> str:
    """Money standing alone, in its own unit (unit_for): 4154.6万元, 1.23亿元."""
    return unit_for("yuan", [yuan]).text(yuan, lang, digits)


def weight(kg: float | None, digits: int | None = None, lang: str = "zh") -> str:
    """A weight standing alone, in its own unit (unit_for): 1146.4万公斤, 4.8吨."""
    return unit_for("kg", [kg]).text(kg, lang, digits)


def month_label(month: dt.date, lang: str = "zh", one_year: bool = True) -> str:
    """A month as every axis and table of the app writes it: 2018-01 in English; 1月 in Chinese within one year,
    2018年1月 across years."""
    if lang != "zh":
        return f"{month.year}-{month.month:02d}"
    return f"{month.month}月" if one_year else f"{month.year}年{month.month}月"


def pct(value: float | None, digits: int = 1) -> str:
    """A percentage with one decimal, or a dash when there is none."""
    if _missing(value):
        return ABSENT
    return f"{value:.{digits}f}%"


def count(value: float | None, unit: str = "", lang: str = "zh") -> str:
    """A whole number with its unit as the language writes it: 746批次, 746 batches, 1 batch."""
    if _missing(value):
        return ABSENT
    whole = round(value)
    return t("count", lang, value=whole, unit=plural(unit, whole, lang)).strip()


def count_parts(value: float | None, unit: str = "", lang: str = "zh") -> tuple[str, str]:
    """A whole number (746, 1,746) and its unit apart."""
    return count(value, "", lang), unit


def beijing_time(iso: str) -> str:
    """A UTC timestamp (a manifest's created_at, an import's time) as Beijing time, to the minute."""
    return dt.datetime.fromisoformat(iso).astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


def data_label(snapshot, lang: str = "zh") -> str:
    """The one label of a snapshot users see: 数据截至 2020-12-31，更新于 2026-12-02 02:02 北京时间."""
    return t("data_label", lang, as_of=snapshot.as_of.isoformat(),
             updated=beijing_time(snapshot.manifest["created_at"]))


def day(day: dt.date, lang: str = "zh", short: bool = False) -> str:
    """A date as a sentence writes it: 2018年12月29日, 29 December 2018 (29 Dec 2018 `short`)."""
    if lang == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {day:%b} {day.year}" if short else f"{day.day} {day:%B} {day.year}"


def _updated(snapshot, lang: str, seconds: bool) -> str:
    """When a snapshot was made, in Beijing time, to the minute (or second) and without the year: 12月7日 08:15,
    7 Dec 08:15."""
    made = dt.datetime.fromisoformat(snapshot.manifest["created_at"]).astimezone(BEIJING)
    clock = f"{made:%H:%M:%S}" if seconds else f"{made:%H:%M}"
    return f"{made.month}月{made.day}日 {clock}" if lang == "zh" else f"{made.day} {made:%b} {clock}"


def snapshot_name(snapshot, lang: str = "zh", seconds: bool = False) -> str:
    """What people call a snapshot (never its id): 2020年12月31日数据（12月7日 08:15 更新）; to the second when two
    were made in the same minute."""
    return t("snapshot_name", lang, as_of=day(snapshot.as_of, lang, short=True),
             updated=_updated(snapshot, lang, seconds))


def snapshot_option(snapshot, current: bool, lang: str = "zh") -> str:
    """A short name for a snapshot in the sidebar's selector: the current one by its data's date alone, an older one
    with when it was made (snapshot_name)."""
    if current:
        return t("snapshot_current", lang, as_of=day(snapshot.as_of, lang, short=True))
    return snapshot_name(snapshot, lang)
