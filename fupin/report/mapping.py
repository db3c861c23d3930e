"""What a map of a view shows: the metrics it can colour by, and the figure of the view's areas (the counties of a
scope of several, else the townships of the county on its boundaries in use), with what it cannot draw."""

from typing import Protocol

import pandas as pd
import plotly.graph_objects as go

from ..query.filters import Filter
from ..store import reference
from ..text import fmt
from ..text.i18n import t
from . import charts, county_map
from .geo import Boundaries, draw_or_schematic
from .kpi import schedule_share
from .metrics import metric as registered

# Map metric -> (label key, column of the area summary, registered metric that formats its values);
# the first that applies is the default: leaders ask "who is behind".
MAP_METRICS = {
    "pct_of_target": ("pct_of_target", "pct_of_target", None),
    "purchase_amount_yuan": ("purchase_amount", "amount_yuan", "purchase_amount_yuan"),
    "poor_village_amount_yuan": ("poor_village_amount", "poor_village_amount_yuan", "poor_village_amount_yuan"),
    "purchase_weight_kg": ("purchase_weight", "weight_kg", "purchase_weight_kg"),
    "lab_batches": ("lab_batches", "lab_batches", "lab_batches"),
    "cooperatives_total": ("cooperatives_total", "cooperatives_total", "cooperatives_total"),
    "unsold_warnings": ("unsold_warnings", "unsold_warnings", "unsold_warnings"),
}
# The 产品与渠道 page's map metrics (its own areas: fupin.report.channels), in the same form.
CHANNEL_MAP_METRICS = {
    "certified_products": ("certified_products", "certified_products", "certified_products"),
    "product_value_yuan": ("product_value", "product_value_yuan", "product_value_yuan"),
    "sales_yuan": ("certified_sales", "sales_yuan", "certified_sales_yuan"),
    "outlets": ("outlets_in_service", "outlets", "outlets"),
}
# The 任务与投入 page's map metrics (its own choice; the overview offers MAP_METRICS), and every metric a map can show.
PLAN_MAP_METRICS = {
    "paired_units": ("paired_units", "paired_units", "paired_units"),
    "industry_poor_households": ("industry_poor_households", "poor_households", "industry_poor_households"),
}
AREA_METRICS = {**MAP_METRICS, **PLAN_MAP_METRICS, **CHANNEL_MAP_METRICS}
# Metrics where more is worse: coloured from white to red.
WORSE_WHEN_HIGHER = frozenset({"unsold_warnings"})


class AreaFigures(Protocol):
    """What a map shows: one row of figures per area (page_data.Overview, page_data.Warnings) and the areas' level."""

    areas: pd.DataFrame
    area_level: str          # county | township


def area_figure(data: AreaFigures, flt: Filter, metric: str, lang: str, boundaries: Boundaries | None,
                height: int = charts.MAP_HEIGHT) -> tuple[go.Figure, pd.DataFrame, list[str]]:
    """The map of `metric` over a view's areas (`height` px tall), the rows it shows (for its CSV), and what it has
    to say, first what its outlines are (schematic, the user's, the counties'), then areas drawn with schematic
    cells in a user's boundaries, a failure to draw them, areas it cannot draw at all.

    `boundaries` are the county's township areas in use (None for a map of counties).
    """
    label_key, column, unit_metric = AREA_METRICS[metric]
    code, name = f"{data.area_level}_code", f"{data.area_level}_name"
    frame = data.areas
    midpoint, value_scale, title = None, 1.0, t(label_key, lang)
    colours = charts.WARNING_SCALE if metric in WORSE_WHEN_HIGHER else None
    if unit_metric is None:
        texts = frame[column].map(fmt.pct)
        midpoint = schedule_share(flt.as_of) * 100
    elif registered(unit_metric).kind:   # money or weight: every area in one unit, stated once in the title
        unit = fmt.unit_for(registered(unit_metric).kind, frame[column])
        texts = frame[column].map(lambda v: unit.number(v, lang))
        value_scale = unit.divisor
        title = fmt.titled(title, unit.label(lang), lang)
    else:
        texts = frame[column].map(lambda v: registered(unit_metric).text(v, lang))
    options = dict(midpoint=midpoint, value_scale=value_scale, colorscale=colours, height=height)
    if data.area_level == "county":
        fig = charts.area_map(frame, county_map.panels(reference.counties(flt.counties)), code, name, column, texts,
                              title, **options)
        shapes, notices = set(reference.county_outlines()), [t("map_county_outlines", lang)]
    else:
        def draw(drawn: Boundaries) -> go.Figure:
            return charts.area_map(frame, [("", drawn)], code, name, column, texts, title, selected=flt.township,
                                   **options)

        fig, notices = draw_or_schematic(draw, boundaries)
        notices = notices[len(boundaries.notices):]   # the boundaries' own problems are told where they are managed
        drawn_schematic = boundaries.schematic or bool(notices)   # a failed drawing fell back to the schematic cells
        notices.insert(0, t("map_schematic" if drawn_schematic else "map_custom", lang))
        shapes = set(boundaries.shapes)
        notices += [n for n in [boundaries.missing_note(dict(zip(frame[code], frame[name])))] if n]
    undrawn = frame[~frame[code].isin(shapes)]
    if len(undrawn):   # never silently dropped: named with their values beside the map
        listed = t("list_separator", lang).join(f"{n} {v}" for n, v in zip(undrawn[name], texts[undrawn.index]))
        notices.append(t("map_not_drawn", lang, areas=listed))
    return fig, frame[[code, name, column]], notices
