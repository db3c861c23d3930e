"""Numbers as users read them: 万元 / 亿元, 万公斤, percentages with one decimal; English mirrors the 万 units
(×10k yuan, ×100M yuan, ×10k kg), so both languages show the same numbers."""

import datetime as dt
import math
import re

from .i18n import t

WAN = 10_000
YI = 100_000_000
CHINESE = re.compile(r"[\u4e00-\u9fff]")
# Asia/Shanghai: UTC+8 all year (no daylight saving since 1991).
BEIJING = dt.timezone(dt.timedelta(hours=8))


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


def unit_of(metric: str, lang: str = "zh") -> str:
    """The unit a metric or column is shown in: 万元 for money, 万公斤 for weight, none for counts."""
    if metric.endswith("_yuan"):
        return t("unit_wan_yuan", lang)
    if metric.endswith("_kg"):
        return t("unit_wan_kg", lang)
    return ""


def titled(title: str, unit: str, lang: str = "zh") -> str:
    """A chart, map or axis title with its unit: 采购金额（万元）, Purchase amount (×10k yuan)."""
    return t("with_unit", lang, label=title, unit=unit) if unit else title


def money_parts(yuan: float | None, digits: int = 1, lang: str = "zh") -> tuple[str, str]:
    """Yuan as a number and its unit: 万元, or 亿元 from one 亿 up (×10k yuan, ×100M yuan in English)."""
    if _missing(yuan):
        return "—", t("unit_wan_yuan", lang)
    if abs(yuan) >= YI:
        return number(yuan / YI, digits + 1, lang), t("unit_yi_yuan", lang)
    return number(yuan / WAN, digits, lang), t("unit_wan_yuan", lang)


def money(yuan: float | None, digits: int = 1, lang: str = "zh") -> str:
    """Yuan as 万元, or 亿元 from one 亿 up: 4154.6万元."""
    return "—" if _missing(yuan) else with_unit(*money_parts(yuan, digits, lang))


def weight_parts(kg: float | None, digits: int = 1, lang: str = "zh") -> tuple[str, str]:
    """Kilograms as a number of 万公斤 (×10k kg in English) and that unit."""
    return ("—" if _missing(kg) else number(kg / WAN, digits, lang)), t("unit_wan_kg", lang)


def weight(kg: float | None, digits: int = 1, lang: str = "zh") -> str:
    """Kilograms as 万公斤: 1146.4万公斤."""
    return "—" if _missing(kg) else with_unit(*weight_parts(kg, digits, lang))


def weight_spoken(kg: float | None, lang: str = "zh") -> str:
    """Kilograms as a line of text says them: 506公斤, 4.8吨, 3.2万公斤 (506 kg, 4.8 t, 3.2 ×10k kg)."""
    if _missing(kg):
        return "—"
    if kg < 1000:
        return with_unit(number(kg, 0, lang), t("unit_kg", lang))
    if kg < WAN:
        return with_unit(number(kg / 1000, 1, lang), t("unit_tonnes", lang))
    return weight(kg, lang=lang)


def pct(value: float | None, digits: int = 1) -> str:
    """A percentage with one decimal, or a dash when there is none."""
    if _missing(value):
        return "—"
    return f"{value:.{digits}f}%"


def count(value: float | None, unit: str = "", lang: str = "zh") -> str:
    """A whole number with its unit as the language writes it: 746批次, 746 batches."""
    if _missing(value):
        return "—"
    return t("count", lang, value=round(value), unit=unit).strip()


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


def snapshot_option(snapshot, current: bool, lang: str = "zh") -> str:
    """A short name for a snapshot in a selector: its as-of date, and whether it is current or when it was made."""
    if current:
        return t("snapshot_current", lang, as_of=snapshot.as_of.isoformat())
    return t("snapshot_older", lang, as_of=snapshot.as_of.isoformat(),
             updated=beijing_time(snapshot.manifest["created_at"])[5:])
