"""The briefing of a place as the page, its HTML and PDF downloads and `python -m fupin brief --format html|pdf`
show it: title, meta line, what needs attention, tiles, text and figures, built once for a filter."""

from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go

from .. import settings
from ..query.db import SnapshotDB
from ..query.filters import Filter
from ..text.i18n import t
from . import brief, charts, page_data
from .briefing_html import MAP_HEIGHT, briefing_html, meta_line
from .geo import Boundaries, load_boundaries
from .mapping import area_figure
from .tiles import Tile, headline_tiles

MAP_METRIC = "purchase_amount_yuan"


@dataclass(frozen=True)
class Briefing:
    """Everything a briefing shows: `attention` are the numbered lines of 一、需要关注的问题 (with `notes` on what
    was left out), `progress` the 二、 section, `text` both as the text brief; `figures` the map, then the
    schedule path (or, without a target, the monthly trend); `map_notices` what the map's outlines are and what it cannot draw."""

    title: str
    meta: str
    tiles: list[Tile]
    attention: list[str]
    notes: list[str]
    progress: str
    text: str
    figures: list[go.Figure]
    map_notices: list[str]
    brief: dict
    overview: page_data.Overview

    def html(self, lang: str = "zh") -> str:
        """The briefing as one self-contained, printable HTML page (what the PDF is printed from)."""
        return briefing_html(self.title, self.meta, self.tiles, self.progress, self.figures, lang,
                             attention=self.attention, notes=self.notes, map_notes=self.map_notices)


def area_map(data: page_data.Overview, flt: Filter, lang: str, data_dir: Path,
             boundaries: Boundaries | None = None) -> tuple[go.Figure, list[str]]:
    """The map of the purchase amount of a filter's areas (counties of a scope of several, else townships on
    the county's boundaries in use: `boundaries`, else read from `data_dir`), and what it cannot draw."""
    if data.area_level == "township":
        boundaries = boundaries or load_boundaries(data_dir, flt.counties[0])
    fig, _, notices = area_figure(data, flt, MAP_METRIC, lang, boundaries, height=MAP_HEIGHT)
    return fig, notices


def build(db: SnapshotDB, flt: Filter, place_code: str, place_name: str, lang: str = "zh",
          data_dir: Path | None = None, county_names: dict[str, str] | None = None,
          township_name: str | None = None, boundaries: Boundaries | None = None) -> Briefing:
    """The briefing of a view's place (`place_code`, `place_name`: a scope, county or township) for the year to
    the filter's end date; other choices of the filter do not apply. `county_names` name a scope's counties;
    `boundaries` are the county's township areas when the caller holds them (else read from `data_dir`)."""
    year_to_date = flt.place_year_to_date()
    data = page_data.overview(db, year_to_date)
    result = brief.build(db, year_to_date, place_code, place_name, head=data.headline, county_names=county_names)
    map_figure, notices = area_map(data, year_to_date, lang, data_dir or settings.data_dir(), boundaries)
    if data.schedule is not None:
        second = charts.schedule_path(data.schedule, data.amount_target, flt.as_of, lang)
    else:
        second = charts.monthly_trend(data.monthly, "amount_yuan", lang)
    progress = (brief.progress_text if lang == "zh" else brief.progress_text_en)(result)
    return Briefing(
        title=t("briefing_title", lang, scope=place_name),
        meta=meta_line(result, db.snapshot, lang),
        tiles=headline_tiles(data.headline, lang, township_name),
        attention=result["attention_lines"][lang],
        notes=result["attention_notes"][lang],
        progress=progress,
        text=brief.render(result, lang),
        figures=[map_figure, second],
        map_notices=notices,
        brief=result,
        overview=data,
    )
