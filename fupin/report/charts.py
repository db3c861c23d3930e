"""Chart builders: plain functions from DataFrames to Plotly figures, drawn without web tiles or fonts to fetch."""

import datetime as dt
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from ..text import fmt
from ..text.i18n import t
from . import labels
from .geo import Boundaries

FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
PRIMARY = "#1f5fa8"
SECONDARY = "#e08a1e"
MUTED = "#9aa5b1"
GOOD = "#2e7d32"
BAD = "#c62828"
SEQUENTIAL = "Blues"
WARNING_SCALE = "Reds"
DIVERGING = [[0.0, BAD], [0.5, "#f5f0e1"], [1.0, GOOD]]
# Invisible click points across a map panel's width: a click anywhere on an area selects it.
CLICK_POINTS_ACROSS = 60
# Space between a map's panels, as a share of its width.
PANEL_GAP = 0.04
# The narrowest a map is drawn (px): wide, in a laptop's column (windows from MAP_WIDE_FROM_PX up) or on A4; narrow,
# on a phone. Its height on a page, and its margins (the colour bar under it).
MAP_WIDE_PX, MAP_NARROW_PX, MAP_WIDE_FROM_PX = 430, 320, 1200
MAP_HEIGHT = 520
MAP_MARGIN = dict(l=10, r=10, t=10, b=64)


def _layout_values(title: str | None = None, height: int = 360, top: int | None = None) -> dict:
    """The layout every chart shares: title, height, font, margins (`top` above the plot) and a legend on top."""
    return dict(title=title, height=height, font=dict(family=FONT, size=13),
                margin=dict(l=10, r=10, t=top if top is not None else 50 if title else 10, b=10),
                legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1.0))


def _layout(fig: go.Figure, title: str | None = None, height: int = 360) -> go.Figure:
    fig.update_layout(**_layout_values(title, height))
    return fig


def _colour_range(values: pd.Series, midpoint: float | None) -> tuple[float, float]:
    finite = values.dropna()
    low, high = (float(finite.min()), float(finite.max())) if len(finite) else (0.0, 1.0)
    if midpoint is not None:
        spread = max(abs(high - midpoint), abs(midpoint - low), 1e-9)
        low, high = midpoint - spread, midpoint + spread
    return low, high


def _count_ticks(values: pd.Series, low: float, high: float, value_scale: float) -> dict:
    """Colour-bar ticks of a count (batches, warnings): whole numbers only, one per step when the range is short."""
    known = values.dropna()
    if value_scale != 1 or known.empty or not (known == known.round()).all():
        return {}
    return dict(tickformat=",d", tick0=0, dtick=1) if high - low <= 8 else dict(tickformat=",d")


def _hidden_markers(x, y, size: int, custom: list, hover: str, name: str, axes: dict) -> go.Scatter:
    """Invisible markers that carry an area's code (customdata[0]) to a click, and its hover text."""
    return go.Scatter(x=x, y=y, mode="markers", name=name, marker=dict(size=size, opacity=0),
                      customdata=np.array(custom, dtype=object).reshape(len(custom), -1),   # an array: checked at once
                      hovertemplate=hover, showlegend=False, selected=dict(marker=dict(opacity=0)),
                      unselected=dict(marker=dict(opacity=0)), **axes)


def _panel(width: int, height: int, top: int, left: float, share: float, bounds, pad: float, y_ratio: float
           ) -> labels.Panel:
    """Panel `left`..`left + share` (shares of the plot width) of a map drawn `width` × `height` px, as drawn."""
    minx, miny, maxx, maxy = bounds
    plot_width = width - MAP_MARGIN["l"] - MAP_MARGIN["r"]
    return labels.Panel(MAP_MARGIN["l"] + left * plot_width, top, share * plot_width,
                        height - top - MAP_MARGIN["b"], (minx - pad, maxx + pad), (miny - pad, maxy + pad), y_ratio)


def area_map(summary: pd.DataFrame, panels: list[tuple[str, Boundaries]], code: str, name: str, value: str,
             value_text: pd.Series, metric_label: str, selected: str | None = None,
             midpoint: float | None = None, value_scale: float = 1.0, colorscale: str | None = None,
             height: int = MAP_HEIGHT, widths: tuple[int, int] = (MAP_WIDE_PX, MAP_NARROW_PX)) -> go.Figure:
    """Areas (townships of a county, or counties) coloured by `value`, named and clickable anywhere
    (customdata[0] = the area's code), drawn in panels side by side: one per group of neighbouring areas, each
    with its own true-to-scale frame (`panels`: title and the areas' shapes with their outline).

    `value_text` is the formatted value per row; with `midpoint` the colours diverge around it (e.g. 序时进度);
    the colour bar (under the map) shows values divided by `value_scale` (10 000 for 万元 / 万公斤); `colorscale`
    replaces the sequential blues (WARNING_SCALE where more is worse). The labels are those that fit the map
    `height` px tall and `widths` px wide at least (wide, narrow: fupin.report.labels); `layout.meta` lists those
    each drawing hides.
    """
    shaped = set().union(*(set(p.shapes) for _, p in panels))
    rows = summary[summary[code].isin(shaped)].reset_index(drop=True)
    texts = value_text.loc[summary[code].isin(shaped)].reset_index(drop=True)
    values = rows[value].astype(float)
    low, high = _colour_range(values, midpoint)
    scale = colorscale or (DIVERGING if midpoint is not None else SEQUENTIAL)
    span = (high - low) or 1.0
    colours = dict(zip(rows[code], ["#eeeeee" if math.isnan(v) else c for v, c in
                                    zip(values, sample_colorscale(scale, list(((values - low) / span).fillna(0))))]))
    hover = "<b>%{customdata[1]}</b><br>" + metric_label + "：%{customdata[2]}<extra></extra>"
    width = (1 - PANEL_GAP * (len(panels) - 1)) / len(panels)
    top = 40 if len(panels) > 1 else MAP_MARGIN["t"]
    traces, notes, layout = [], [], {}   # one Figure call: plotly validates and copies on every add or update
    hidden = {labels.NARROW_KEY: [], labels.WIDE_KEY: []}
    for i, (panel_title, areas) in enumerate(panels, start=1):
        suffix = str(i) if i > 1 else ""
        axes = dict(xaxis=f"x{suffix}", yaxis=f"y{suffix}")
        mine = rows[rows[code].isin(areas.shapes)]
        custom = {c: (c, n, texts.iloc[j]) for j, c, n in zip(mine.index, mine[code], mine[name])}
        for area in mine[code]:
            xs, ys = areas.outline_xy(area)
            chosen = area == selected
            traces.append(go.Scatter(x=xs, y=ys, mode="lines", fill="toself", fillcolor=colours[area],
                                     hoverinfo="skip", showlegend=False, **axes,
                                     line=dict(color="#222222" if chosen else "white", width=3 if chosen else 1.2)))
        xs, ys = areas.outline_xy()
        traces.append(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color="#555555", width=1.5), hoverinfo="skip",
                                 showlegend=False, **axes))
        minx, miny, maxx, maxy = areas.county.bounds
        extent = max(maxx - minx, maxy - miny)
        grid = areas.click_grid(list(mine[code]), spacing=extent / CLICK_POINTS_ACROSS)
        traces.append(_hidden_markers(grid["lng"].to_numpy(), grid["lat"].to_numpy(), 16,
                                      [custom[c] for c in grid["township_code"]], hover, "grid", axes))
        points = [areas.label_point(c) for c in mine[code]]
        traces.append(_hidden_markers([p[0] for p in points], [p[1] for p in points], 30,
                                      [custom[c] for c in mine[code]], hover, "labels", axes))
        pad = extent * 0.03
        left = (i - 1) * (width + PANEL_GAP)
        y_ratio = 1 / math.cos(math.radians((miny + maxy) / 2))
        named = [labels.Area(c, n, custom[c][2], p, areas.label_room(c))
                 for c, n, p in zip(mine[code], mine[name], points)]
        wide, narrow = (labels.place(named, _panel(w, height, top, left, width, areas.county.bounds, pad, y_ratio),
                                     first=selected) for w in widths)
        placed, narrow_hides, wide_hides = labels.annotations(named, wide, narrow,
                                                              dict(xref=axes["xaxis"], yref=axes["yaxis"]), len(notes))
        notes += placed
        hidden[labels.NARROW_KEY] += narrow_hides
        hidden[labels.WIDE_KEY] += wide_hides
        layout[f"xaxis{suffix}"] = dict(domain=[left, left + width], anchor=f"y{suffix}", visible=False,
                                        fixedrange=True, range=[minx - pad, maxx + pad])
        layout[f"yaxis{suffix}"] = dict(domain=[0.0, 1.0], anchor=f"x{suffix}", visible=False, fixedrange=True,
                                        range=[miny - pad, maxy + pad], scaleanchor=f"x{suffix}", scaleratio=y_ratio)
        if len(panels) > 1:   # the panel's title above it
            notes.append(dict(text=panel_title, x=left + width / 2, y=1.0, xref="paper", yref="paper",
                              xanchor="center", yanchor="bottom", showarrow=False, font=dict(size=16)))
    shown = 1 / value_scale
    traces.append(go.Scatter(x=[None], y=[None], mode="markers", hoverinfo="skip", showlegend=False,
                             marker=dict(colorscale=scale, cmin=low * shown, cmax=high * shown, color=[low * shown],
                                         showscale=True,
                                         colorbar=dict(title=dict(text=metric_label, side="right"), thickness=10,
                                                       orientation="h", x=0.5, xanchor="center", y=0,
                                                       yanchor="top", ypad=6, len=0.8,
                                                       **_count_ticks(values, low, high, value_scale)))))
    return go.Figure(data=traces, layout=dict(
        **layout, annotations=notes, plot_bgcolor="white", paper_bgcolor="white", dragmode=False,
        hovermode="closest", meta=hidden,
        **_layout_values(height=height) | {"margin": dict(MAP_MARGIN, t=top, autoexpand=False)}))


def value_axis(title: str, lang: str) -> dict:
    """A value axis in the figures' unit: plain numbers (25000, never 25k), thousands separated in English."""
    return dict(title=title, rangemode="tozero", exponentformat="none", separatethousands=lang != "zh")


def month_ticks(months: list[dt.date], lang: str, every: int = 1) -> dict:
    """An axis of months written as everywhere in the app (fmt.month_label): 1月 … 12月 within one year, 2018年1月
    across years, 2018-01 in English; every `every`th month labelled."""
    one_year = len({m.year for m in months}) <= 1
    shown = months[::every]
    return dict(tickmode="array", tickvals=shown, ticktext=[fmt.month_label(m, lang, one_year) for m in shown])


def _dates(values) -> list[dt.date]:
    return [pd.Timestamp(v).date() for v in values]


def monthly_trend(monthly: pd.DataFrame, value: str, lang: str = "zh") -> go.Figure:
    """This period's monthly values as bars (each carrying its month's first day, customdata[0], for clicks) and the
    same months a year earlier as a line (none when that year is unknown), both in one unit chosen from the largest
    of them (fmt.unit_for)."""
    months = _dates(monthly["month"])
    unit = fmt.unit_for(fmt.kind_of(value), [*monthly[value], *monthly[f"{value}_last_year"]])
    label = unit.label(lang)
    hover = "%{x|%Y-%m}: " + fmt.with_unit("%{y:,.2f}", label) + "<extra></extra>"
    fig = go.Figure()
    fig.add_trace(go.Bar(x=months, y=monthly[value] / unit.divisor, name=t("this_year", lang), marker_color=PRIMARY,
                         hovertemplate=hover, customdata=[[m.isoformat()] for m in months]))   # for clicks
    if monthly[f"{value}_last_year"].notna().any():
        fig.add_trace(go.Scatter(x=months, y=monthly[f"{value}_last_year"] / unit.divisor, name=t("last_year", lang),
                                 mode="lines+markers", line=dict(color=SECONDARY), hovertemplate=hover))
    fig.update_yaxes(**value_axis(label, lang))
    fig.update_xaxes(**month_ticks(months, lang, every=1 if len(months) <= 12 else 3))
    return _layout(fig, t("trend_title", lang))


def schedule_path(schedule: pd.DataFrame, target: float, as_of: dt.date, lang: str = "zh") -> go.Figure:
    """Cumulative actual at each month end against the straight 序时进度 line from 0 to the yearly target, in one unit
    chosen from the largest of them; the axis ends with the year (no second January)."""
    first, last = dt.date(as_of.year, 1, 1), dt.date(as_of.year, 12, 31)
    unit = fmt.unit_for("yuan", [target, *schedule["cumulative"], *schedule["expected"]])
    label = unit.label(lang)
    hover = "%{x|%Y-%m-%d}: " + fmt.with_unit("%{y:,.2f}", label) + "<extra></extra>"
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=[first, *schedule["date"]], y=[0.0, *(schedule["cumulative"] / unit.divisor)],
                             name=t("cumulative", lang), mode="lines+markers", line=dict(color=PRIMARY, width=3),
                             hovertemplate=hover))
    fig.add_trace(go.Scatter(x=[first, last], y=[0.0, target / unit.divisor], name=t("schedule_line", lang),
                             mode="lines", line=dict(color=MUTED, dash="dash"), hovertemplate=hover))
    fig.add_hline(y=target / unit.divisor, line=dict(color=SECONDARY, dash="dot"),
                  annotation_text=f"{t('target', lang)} {unit.text(target, lang)}", annotation_position="top left")
    fig.update_yaxes(**value_axis(label, lang))
    quarters = [dt.date(as_of.year, month, 1) for month in range(1, 13)]
    fig.update_xaxes(range=[first - dt.timedelta(days=4), last + dt.timedelta(days=6)],
                     **month_ticks(quarters, lang, every=3))
    return _layout(fig, t("schedule_title", lang))


def bar(frame: pd.DataFrame, category: str, value: str, title: str | None, lang: str = "zh", unit_label: str = "",
        colour: str = PRIMARY, key_column: str | None = None, top: int | None = 15) -> go.Figure:
    """A horizontal bar chart, largest on top; money and weights in one unit chosen from the bars drawn, counts in
    `unit_label`; `key_column` values ride along as customdata for clicks."""
    rows = frame.sort_values(value, ascending=False).head(top).iloc[::-1]
    kind = fmt.kind_of(value)
    unit = fmt.unit_for(kind, rows[value]) if kind else None
    label = unit.label(lang) if unit else unit_label
    values = rows[value] / unit.divisor if unit else rows[value]
    number = "%{x:,.2f}" if unit else "%{x:,}"
    fig = go.Figure(go.Bar(y=rows[category].astype(str), x=values, orientation="h", marker_color=colour,
                           customdata=rows[[key_column]] if key_column else None,
                           hovertemplate="%{y}: " + fmt.with_unit(number, label) + "<extra></extra>"))
    fig.update_xaxes(**value_axis(label, lang))
    return _layout(fig, title, height=max(260, 28 * len(rows) + 80))


def stacked_bars(frame: pd.DataFrame, category: str, series: dict[str, str], title: str, unit_label: str,
                 lang: str = "zh", colours: tuple[str, ...] = (PRIMARY, SECONDARY, MUTED)) -> go.Figure:
    """Vertical bars of several count columns stacked per category (`series`: column -> legend name); a `month`
    category is written as every month axis is (month_ticks)."""
    if category == "month":
        months = _dates(frame[category])
        one_year = len({m.year for m in months}) <= 1
        labels = [fmt.month_label(m, lang, one_year) for m in months]
    else:
        labels = frame[category].astype(str).tolist()
    fig = go.Figure()
    for (column, name), colour in zip(series.items(), colours):
        fig.add_trace(go.Bar(x=labels, y=frame[column], name=name, marker_color=colour,
                             hovertemplate="%{x} " + name + ": " + fmt.with_unit("%{y:,}", unit_label)
                             + "<extra></extra>"))
    fig.update_layout(barmode="stack")
    fig.update_xaxes(type="category")   # labels as written, never re-read as dates or numbers
    fig.update_yaxes(**value_axis(unit_label, lang))
    return _layout(fig, title)


def bars_and_line(frame: pd.DataFrame, x: str, bars: str, line: str, bar_name: str, line_name: str,
                  title: str, unit_label: str, lang: str = "zh") -> go.Figure:
    """Bars (e.g. registrations per year) with a line on a second axis (e.g. the stock at year end), each axis
    titled with what it counts and ticked in whole numbers of its own."""
    fig = go.Figure()
    fig.add_trace(go.Bar(x=frame[x], y=frame[bars], name=bar_name, marker_color=PRIMARY))
    fig.add_trace(go.Scatter(x=frame[x], y=frame[line], name=line_name, mode="lines+markers",
                             line=dict(color=SECONDARY, width=3), yaxis="y2"))
    whole = dict(tickmode="auto", nticks=6, tickformat=",d" if lang != "zh" else "d")
    fig.update_layout(yaxis=dict(**value_axis(fmt.titled(bar_name, unit_label, lang), lang), **whole),
                      yaxis2=dict(**value_axis(fmt.titled(line_name, unit_label, lang), lang), **whole,
                                  overlaying="y", side="right", showgrid=False),
                      xaxis=dict(tickformat="d", dtick=1 if len(frame) <= 12 else 2))
    return _layout(fig, title)
