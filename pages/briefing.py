"""简报 Briefing: one page for a projector: big numbers, the map, the schedule line, the text brief, an HTML download."""

import streamlit as st

from fupin import brief, charts, fmt, views
from fupin.briefing_html import briefing_html, tiles_from_brief
from fupin.filters import Filter
from fupin.ui import maps, state

view = state.current_view()
as_of = view.filter.as_of
year_to_date = Filter.year_to_date(as_of, township=view.filter.township)
scope = view.township_name or ("垣曲县" if view.lang == "zh" else "Yuanqu County")

st.html("<style>.st-key-briefing [data-testid='stMetricValue'] { font-size: 2.6rem; }</style>")
title = f"{scope}消费帮扶工作简报" if view.lang == "zh" else f"{scope}: consumption assistance briefing"
st.title(title)
meta = f"{year_to_date.date_from.isoformat()} — {as_of.isoformat()} · {view.t('snapshot')} {view.snapshot.id}"
st.caption(meta + " · " + view.t("briefing_scope"))

result = brief.build(view.db, as_of, view.filter.township, **({"scope_name": view.township_name}
                                                                if view.township_name else {}))
tiles = tiles_from_brief(result, view.lang)
with st.container(key="briefing"):
    for row_start in (0, 3):
        for column, tile in zip(st.columns(3), tiles[row_start:row_start + 3]):
            delta = None if tile["ahead_pp"] is None else fmt.signed_pp(tile["ahead_pp"], view.lang)
            column.metric(tile["label"], tile["value"], delta=delta, delta_color="normal",
                          delta_description=view.t("vs_schedule") if delta else None, border=True)

text = brief.render_text(result) if view.lang == "zh" else brief.render_text_en(result)
st.subheader(view.t("brief_text"))
with st.container(border=True):
    st.text(text)

data = views.overview(view.db, year_to_date)
figures = []
left, right = st.columns([3, 2])
with left:
    map_figure, _ = maps.map_figure(view, data.townships, "purchase_amount_yuan")
    st.plotly_chart(map_figure, config={"displayModeBar": False, "staticPlot": True}, key="briefing_map")
    figures.append(map_figure)
with right:
    unit = view.t("unit_wan_yuan")
    if data.schedule is not None:
        schedule_figure = charts.schedule_path(data.schedule, data.amount_target, as_of, unit, view.lang)
    else:
        schedule_figure = charts.monthly_trend(data.monthly, "amount_yuan", unit, view.lang)
    st.plotly_chart(schedule_figure, config={"displayModeBar": False}, key="briefing_schedule")
    figures.append(schedule_figure)

file_stem = f"简报_{scope}_{as_of.isoformat()}" if view.lang == "zh" else f"briefing_{as_of.isoformat()}"
st.download_button(view.t("download_html"), data=lambda: briefing_html(title, meta, tiles, text, figures, view.lang).encode(),
                   file_name=f"{file_stem}.html", mime="text/html", key="download_briefing", icon=":material/print:", on_click="ignore")
