"""The briefing of a place as the page, its HTML and PDF downloads and `python -m fupin brief --format html|pdf`
show it: title, meta line, what needs attention, tiles, text and figures, built once for a filter."""

from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go

from . import brief, charts, county_map, fmt, reference, settings, views
from .briefing_html import briefing_html, meta_line
from .db import SnapshotDB
from .filters import Filter
from .geo import Boundaries, draw_or_schematic, load_boundaries
from .i18n import t
from .metrics import metric
from .tiles import Tile, headline_tiles

MAP_METRIC, MAP_COLUMN = "purchase_amount_yuan", "amount_yuan"


@dataclass(frozen=True)
class Briefing:
    """Everything a briefing shows: `attention` are the numbered lines of 一、需要关注的问题 (with `notes` on what
    was left out), `progress` the 二、 section, `text` both as the text brief; `figures` the map, then the
    schedule path (or, without a target, the monthly trend); `map_notices` what the map says it cannot draw."""

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
    overview: views.Overview

    def html(self, lang: str = "zh") -> str:
        """The briefing as one self-contained, printable HTML page (what the PDF is printed from)."""
        return briefing_html(self.title, self.meta, self.tiles, self.progress, self.figures, lang,
                             attention=self.attention, notes=self.notes)


def area_map(data: views.Overview, flt: Filter, lang: str, data_dir: Path,
             boundaries: Boundaries | None = None) -> tuple[go.Figure, list[str]]:
    """The map of the purchase amount of a filter's areas (counties of a scope of several, else townships on
    the county's boundaries in use: `boundaries`, else read from `data_dir`), and what it cannot draw."""
    m = metric(MAP_METRIC)
    level = data.area_level
    code, name = f"{level}_code", f"{level}_name"
    frame = data.areas
    texts = frame[MAP_COLUMN].map(lambda v: m.text(v, lang))
    title = fmt.titled(m.label(lang), fmt.unit_of(MAP_METRIC, lang), lang)
    if level == "county":
        fig = charts.area_map(frame, county_map.panels(reference.counties(flt.counties)), code, name, MAP_COLUMN,
                              texts, title, t("map_county_outlines", lang), value_scale=charts.WAN)
        shapes, notices = set(reference.county_outlines()), []
    else:
        areas = boundaries or load_boundaries(data_dir, flt.counties[0])

        def draw(drawn: Boundaries) -> go.Figure:
            note = t("map_schematic" if drawn.schematic else "map_custom", lang)
            return charts.area_map(frame, [("", drawn)], code, name, MAP_COLUMN, texts, title, note,
                                   selected=flt.township, value_scale=charts.WAN)

        fig, notices = draw_or_schematic(draw, areas)
        shapes = set(areas.shapes)
        notices += [n for n in [areas.missing_note(dict(zip(frame[code], frame[name])))] if n]
    undrawn = frame[~frame[code].isin(shapes)]
    if len(undrawn):
        listed = t("list_separator", lang).join(f"{n} {v}" for n, v in zip(undrawn[name], texts[undrawn.index]))
        notices.append(t("map_not_drawn", lang, areas=listed))
    return fig, notices


def build(db: SnapshotDB, flt: Filter, place_code: str, place_name: str, lang: str = "zh",
          data_dir: Path | None = None, county_names: dict[str, str] | None = None,
          township_name: str | None = None, boundaries: Boundaries | None = None) -> Briefing:
    """The briefing of a view's place (`place_code`, `place_name`: a scope, county or township) for the year to
    the filter's end date; other choices of the filter do not apply. `county_names` name a scope's counties;
    `boundaries` are the county's township areas when the caller holds them (else read from `data_dir`)."""
    year_to_date = Filter.year_to_date(flt.as_of, counties=flt.counties, township=flt.township)
    data = views.overview(db, year_to_date)
    result = brief.build(db, year_to_date, place_code, place_name, head=data.headline, county_names=county_names)
    map_figure, notices = area_map(data, year_to_date, lang, data_dir or settings.data_dir(), boundaries)
    unit = t("unit_wan_yuan", lang)
    if data.schedule is not None:
        second = charts.schedule_path(data.schedule, data.amount_target, flt.as_of, unit, lang)
    else:
        second = charts.monthly_trend(data.monthly, "amount_yuan", unit, lang)
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
