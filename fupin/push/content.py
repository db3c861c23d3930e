"""What a subscription sends, built once per place, language and date from the briefing (`fupin.report.briefing`),
reading only what the place allows: the title, the date line, the attention list, the six tiles as lines, the link,
and the A4 PDF (printed when first asked for)."""

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from ..query import scope
from ..query.db import SnapshotDB
from ..query.filters import Filter
from ..query.scoped import ScopedDB
from ..report import briefing
from ..report.briefing_pdf import pdf_bytes
from ..text.i18n import t
from . import alerts
from .place import Place


@dataclass(frozen=True)
class TileLine:
    """One headline tile as a line: label, value with unit, share of the yearly target, and 序时进度 (or YoY)."""

    label: str
    value: str
    pct_done: str | None
    delta: str | None
    trend: str | None      # up | down | None, as the tile colours it


def day_text(day: dt.date, lang: str) -> str:
    """2018年12月29日 / 29 December 2018."""
    return f"{day.year}年{day.month}月{day.day}日" if lang == "zh" else f"{day.day} {day:%B %Y}"


@dataclass
class Message:
    """One brief to send: everything the channels format, in the subscription's language."""

    place: Place
    as_of: dt.date
    lang: str
    meta: str
    tiles: list[TileLine]
    attention: list[str]
    notes: list[str]
    items: list[dict]
    link: str | None
    page_html: str

    @property
    def title(self) -> str:
        """垣曲县消费帮扶简报（截至2018年12月29日）: the mail's subject and every message's heading."""
        return t("push_title", self.lang, scope=self.place.name, day=day_text(self.as_of, self.lang))

    @property
    def pdf_name(self) -> str:
        return f"{t('briefing_file', self.lang, scope=self.place.name)}_{self.as_of.isoformat()}.pdf"

    @functools.cached_property
    def pdf(self) -> bytes:
        """The briefing's A4 PDF (the briefing page's own), printed by Chromium once."""
        return pdf_bytes(self.page_html)

    @property
    def attention_keys(self) -> list[str]:
        return alerts.keys(self.items)


def _pct(value: float | None) -> str | None:
    return None if value is None else f"{value:.1f}%"


def build(db: SnapshotDB, place: Place, as_of: dt.date, lang: str, data_dir: Path,
          public_url: str | None) -> Message:
    """The message of a place's year-to-date brief on `as_of`; every query is bound to the place (its counties,
    and its township for a township), so a brief never holds another place's figures."""
    flt = Filter.year_to_date(as_of, counties=place.counties, township=place.township, township_lock=place.township)
    scoped = ScopedDB(db, place.allowed)
    shown = briefing.build(scoped, flt, place.code, place.name, lang, data_dir, scope.county_names(db),
                           township_name=place.name if place.township else None)
    done = {target["metric"]: target["pct_done"] for target in shown.brief["targets"]}
    tiles = [TileLine(tile.label, tile.value, _pct(done.get(tile.key)), tile.delta, tile.trend) for tile in shown.tiles]
    link = f"{public_url}/?{urlencode(place.link_params(as_of))}" if public_url else None
    return Message(place, as_of, lang, shown.meta, tiles, shown.attention, shown.notes, shown.brief["attention"],
                   link, shown.html(lang))
