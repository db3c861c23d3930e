"""Numbers as users read them: 万元 / 亿元, 万公斤, percentages with one decimal (or the English forms)."""

import datetime as dt
import math

from .i18n import t

WAN = 10_000
YI = 100_000_000


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def money(yuan: float | None, digits: int = 1, lang: str = "zh") -> str:
    """Yuan as 万元, or 亿元 from one 亿 up; in English as million / billion yuan."""
    if _missing(yuan):
        return "—"
    if lang != "zh":
        if abs(yuan) >= 1e9:
            return f"¥{yuan / 1e9:,.{digits + 1}f} bn"
        return f"¥{yuan / 1e6:,.{digits + 1}f} M"
    if abs(yuan) >= YI:
        return f"{yuan / YI:.{digits + 1}f}亿元"
    return f"{yuan / WAN:.{digits}f}万元"


def weight(kg: float | None, digits: int = 1, lang: str = "zh") -> str:
    """Kilograms as 万公斤 (tonnes in English)."""
    if _missing(kg):
        return "—"
    if lang != "zh":
        return f"{kg / 1000:,.{max(digits - 1, 0)}f} t"
    return f"{kg / WAN:.{digits}f}万公斤"


def pct(value: float | None, digits: int = 1) -> str:
    """A percentage with one decimal, or a dash when there is none."""
    if _missing(value):
        return "—"
    return f"{value:.{digits}f}%"


def signed_pp(value: float | None, lang: str = "zh") -> str:
    """Percentage points with a sign: +4.4个百分点 / +4.4 pp."""
    if _missing(value):
        return "—"
    unit = "个百分点" if lang == "zh" else " pp"
    return f"{value:+.1f}{unit}"


def count(value: float | None, unit: str = "", lang: str = "zh") -> str:
    """A whole number with its Chinese unit (批次, 户), or with thousands separators in English."""
    if _missing(value):
        return "—"
    if lang == "zh":
        return f"{int(round(value))}{unit}"
    return f"{int(round(value)):,}"


BEIJING = dt.timezone(dt.timedelta(hours=8))


def snapshot_option(snapshot, current: bool, lang: str = "zh") -> str:
    """A short name for a snapshot in a selector: its as-of date, and whether it is current or when it was made."""
    if current:
        return t("snapshot_current", lang, as_of=snapshot.as_of.isoformat())
    created = dt.datetime.fromisoformat(snapshot.manifest["created_at"]).astimezone(BEIJING)
    return t("snapshot_older", lang, as_of=snapshot.as_of.isoformat(), updated=f"{created:%m-%d %H:%M}")


def data_label(snapshot, lang: str = "zh") -> str:
    """One readable label for a snapshot: 数据截至 2020-12-31，更新于 2026-12-02 02:02 北京时间."""
    created = dt.datetime.fromisoformat(snapshot.manifest["created_at"]).astimezone(BEIJING)
    if lang == "zh":
        return f"数据截至 {snapshot.as_of.isoformat()}，更新于 {created:%Y-%m-%d %H:%M} 北京时间"
    return f"Data as of {snapshot.as_of.isoformat()}, updated {created:%Y-%m-%d %H:%M} Beijing time"
