"""When a subscription is sent, in Beijing time: daily at HH:MM, weekly on a weekday, monthly on day N (the month's
last day when it is shorter); the slot a run belongs to, so that a slot is sent once."""

import calendar
import datetime as dt
import re
from dataclasses import asdict, dataclass

from ..text.fmt import BEIJING
from ..text.i18n import t

KINDS = ("daily", "weekly", "monthly")
WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
# A slot missed (the runner stopped, the machine off) is still sent this long after its time, once; later, only the
# next slot is.
LATE_LIMIT = dt.timedelta(hours=6)
HH_MM = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")


@dataclass(frozen=True)
class Schedule:
    """A schedule: `kind`, the time `at` (HH:MM, Beijing), the weekday (0 Monday) or the day of the month."""

    kind: str
    at: str
    weekday: int | None = None
    day: int | None = None

    def _at(self, day: dt.date) -> dt.datetime:
        hour, minute = map(int, self.at.split(":"))
        return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=BEIJING)

    def _in_month(self, year: int, month: int) -> dt.datetime:
        return self._at(dt.date(year, month, min(self.day, calendar.monthrange(year, month)[1])))

    def latest_slot(self, now: dt.datetime) -> dt.datetime:
        """The last time at or before `now` this schedule fires (Beijing time)."""
        now = now.astimezone(BEIJING)
        if self.kind == "daily":
            slot = self._at(now.date())
            return slot if slot <= now else slot - dt.timedelta(days=1)
        if self.kind == "weekly":
            slot = self._at(now.date() - dt.timedelta(days=(now.weekday() - self.weekday) % 7))
            return slot if slot <= now else slot - dt.timedelta(days=7)
        slot = self._in_month(now.year, now.month)
        if slot <= now:
            return slot
        year, month = (now.year, now.month - 1) if now.month > 1 else (now.year - 1, 12)
        return self._in_month(year, month)

    def due_slot(self, now: dt.datetime, since: dt.datetime) -> dt.datetime | None:
        """The slot to send at `now`: the latest, when it is not before `since` (the subscription's creation) and
        not more than LATE_LIMIT ago; else None."""
        slot = self.latest_slot(now)
        return slot if slot >= since and now - slot <= LATE_LIMIT else None

    def describe(self, lang: str = "zh") -> str:
        """每天 08:00, 每周一 08:00, 每月1日 08:00 (and in English)."""
        if self.kind == "daily":
            return t("schedule_daily", lang, at=self.at)
        if self.kind == "weekly":
            return t("schedule_weekly", lang, weekday=t(f"weekday_{self.weekday}", lang), at=self.at)
        return t("schedule_monthly", lang, day=self.day, at=self.at)

    def to_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None}


def slot_id(slot: dt.datetime) -> str:
    """A slot as the delivery log names it: 2026-11-23T08:00+08:00."""
    return slot.astimezone(BEIJING).isoformat(timespec="minutes")


def _time(text: str | None) -> str:
    found = HH_MM.fullmatch((text or "").strip())
    if not found:
        raise ValueError(f"时间无效: {text!r}（应为北京时间 HH:MM，例如 08:00）")
    return f"{int(found[1]):02d}:{found[2]}"


def parse(daily: str | None = None, weekly: str | None = None, monthly: str | None = None,
          at: str | None = None) -> Schedule:
    """The schedule of `--daily HH:MM`, `--weekly MON --at HH:MM` or `--monthly N --at HH:MM` (exactly one);
    ValueError in one Chinese sentence."""
    given = [name for name, value in (("daily", daily), ("weekly", weekly), ("monthly", monthly)) if value]
    if len(given) != 1:
        raise ValueError("须且只能指定一种时间：--daily HH:MM、--weekly MON --at HH:MM 或 --monthly N --at HH:MM")
    if daily:
        if at:
            raise ValueError("--daily 已含时间，不用 --at")
        return Schedule("daily", _time(daily))
    if weekly:
        name = weekly.strip().upper()[:3]
        if name not in WEEKDAYS:
            raise ValueError(f"星期无效: {weekly!r}（应为 {'、'.join(WEEKDAYS)}）")
        return Schedule("weekly", _time(at), weekday=WEEKDAYS.index(name))
    if not re.fullmatch(r"[0-9]{1,2}", monthly.strip()) or not 1 <= int(monthly) <= 31:
        raise ValueError(f"日期无效: {monthly!r}（--monthly 应为 1 到 31 的整数；该月没有这一天时在月末发送）")
    return Schedule("monthly", _time(at), day=int(monthly))


def from_dict(value: dict) -> Schedule:
    """A stored schedule."""
    return Schedule(value["kind"], value["at"], value.get("weekday"), value.get("day"))
