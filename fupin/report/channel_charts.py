"""The 产品与渠道 page's own charts: the smart-counter funnel, made vs signed side by side, and the 三专 outlets as
points over their county's or counties' outlines."""

import math

import pandas as pd
import plotly.graph_objects as go

from ..store.channels import OUTLET_STAGES
from ..text import fmt
from ..text.i18n import code_label, t
from .charts import FONT, MUTED, PRIMARY, SECONDARY, value_axis
from .geo import Boundaries

KIND_STYLE = {"counter": ("circle", PRIMARY), "zone": ("square", SECONDARY), "hall": ("diamond", "#2e7d32")}


def _layout(fig: go.Figure, title: str | None, height: int = 360) -> go.Figure:
    fig.update_layout(title=title, height=height, font=dict(family=FONT, size=13),
                      margin=dict(l=10, r=10, t=50 if title else 10, b=10),
                      legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1.0))
    return fig


def funnel(stages: pd.DataFrame, title: str, lang: str = "zh") -> go.Figure:
    """The smart-counter pipeline: operators that reached 意向, 签约, 落地, with the counters signed and landed."""
    labels = [OUTLET_STAGES[s][0 if lang == "zh" else 1] for s in stages["stage"]]
    companies = fmt.titled(t("funnel_companies", lang), "", lang)
    texts = [t("funnel_companies_n", lang, n=int(c)) + ("" if pd.isna(u) else f" · {t('funnel_units', lang, n=int(u))}")
             for c, u in zip(stages["companies"], stages["units"])]
    fig = go.Figure(go.Funnel(y=labels, x=stages["companies"], text=texts, textinfo="text",
                              marker=dict(color=[MUTED, SECONDARY, PRIMARY]),
                              hovertemplate="%{y}: %{x} " + companies + "<extra></extra>"))
    return _layout(fig, title, height=300)


def made_vs_signed(frame: pd.DataFrame, category: str, made: str, signed: str, title: str | None,
                   lang: str = "zh", top: int | None = 15, ranked: bool = True) -> go.Figure:
    """Sales made and signed side by side per category (channel, event, month), both in one unit chosen from the
    bars drawn (fmt.unit_for): the most signed or made first when `ranked`, else in the frame's order from the top;
    a `month` category is written as every month axis is (fmt.month_label)."""
    rows = frame.assign(_size=frame[[made, signed]].max(axis=1))
    rows = (rows.sort_values("_size", ascending=False) if ranked else rows).head(top).iloc[::-1]
    unit = fmt.unit_for("yuan", [*rows[made], *rows[signed]])
    if category == "month":
        months = [pd.Timestamp(m).date() for m in rows[category]]
        names = [fmt.month_label(m, lang, len({m.year for m in months}) <= 1) for m in months]
    else:
        names = rows[category].astype(str).tolist()
    hover = "%{y}: " + fmt.with_unit("%{x:,.2f}", unit.label(lang)) + "<extra>%{fullData.name}</extra>"
    fig = go.Figure([go.Bar(y=names, x=rows[made] / unit.divisor, orientation="h", marker_color=PRIMARY,
                            name=t("certified_sales", lang), hovertemplate=hover),
                     go.Bar(y=names, x=rows[signed] / unit.divisor, orientation="h",
                            marker_color=SECONDARY, name=t("signed_sales", lang), hovertemplate=hover)])
    fig.update_layout(barmode="group")
    fig.update_yaxes(type="category")   # labels as written, never re-read as dates or numbers
    fig.update_xaxes(**value_axis(unit.label(lang), lang))
    return _layout(fig, title, height=max(280, 44 * len(rows) + 90))


def outlet_map(points: pd.DataFrame, panels: list[tuple[str, Boundaries]], area_column: str, title: str,
               lang: str = "zh") -> go.Figure:
    """Outlets in service as points (customdata[0] = the outlet id, for a click) over the panels' outlines: filled
    at their own point, hollow at their township's seat; `area_column` is the column naming a point's area in the
    panels' shapes (county_code or township_code)."""
    traces, layout, titles = [], {}, []
    width = (1 - 0.04 * (len(panels) - 1)) / len(panels)
    for i, (panel_title, areas) in enumerate(panels, start=1):
        suffix = str(i) if i > 1 else ""
        axes = dict(xaxis=f"x{suffix}", yaxis=f"y{suffix}")
        for code in areas.shapes:
            xs, ys = areas.outline_xy(code)
            traces.append(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color="#bbbbbb", width=1), hoverinfo="skip",
                                     showlegend=False, **axes))
        xs, ys = areas.outline_xy()
        traces.append(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color="#555555", width=1.5), hoverinfo="skip",
                                 showlegend=False, **axes))
        mine = points[points[area_column].isin(areas.shapes)]
        for kind, (symbol, colour) in KIND_STYLE.items():
            for located in (True, False):
                part = mine[(mine["kind"] == kind) & (mine["located"] == located)]
                if part.empty:
                    continue
                traces.append(go.Scatter(
                    x=part["lng"], y=part["lat"], mode="markers", name=code_label("kind", kind, lang),
                    legendgroup=kind, showlegend=i == 1 and located,
                    marker=dict(symbol=symbol if located else f"{symbol}-open", size=11, color=colour,
                                line=dict(width=1.5, color=colour if not located else "white")),
                    customdata=part[["outlet_id", "outlet_name", "township_name"]].to_numpy(),
                    hovertemplate="<b>%{customdata[1]}</b><br>%{customdata[2]}<extra></extra>", **axes))
        minx, miny, maxx, maxy = areas.county.bounds
        pad = max(maxx - minx, maxy - miny) * 0.03
        left = (i - 1) * (width + 0.04)
        layout[f"xaxis{suffix}"] = dict(domain=[left, left + width], anchor=f"y{suffix}", visible=False,
                                        fixedrange=True, range=[minx - pad, maxx + pad])
        layout[f"yaxis{suffix}"] = dict(domain=[0.0, 1.0], anchor=f"x{suffix}", visible=False, fixedrange=True,
                                        range=[miny - pad, maxy + pad], scaleanchor=f"x{suffix}",
                                        scaleratio=1 / math.cos(math.radians((miny + maxy) / 2)))
        if len(panels) > 1:   # the panel's provinces and cities above it
            titles.append(dict(text=panel_title, x=left + width / 2, y=1.0, xref="paper", yref="paper",
                               xanchor="center", yanchor="bottom", showarrow=False, font=dict(size=14)))
    fig = go.Figure(data=traces, layout=dict(**layout, annotations=titles, plot_bgcolor="white", paper_bgcolor="white",
                                             dragmode=False, hovermode="closest"))
    return _layout(fig, title, height=480)

