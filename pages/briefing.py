"""简报 Briefing: one page for a projector: big numbers, the map, the schedule line, the text brief, an HTML download."""

import streamlit as st

from fupin import brief, charts, scope, views
from fupin.briefing_html import briefing_html, meta_line
from fupin.filters import Filter
from fupin.tiles import headline_tiles
from fupin.ui import frame, maps, widgets

view = frame.page_view(__file__)
as_of = view.filter.as_of
year_to_date = Filter.year_to_date(as_of, counties=view.filter.counties, township=view.filter.township)
place_code, place_name = view.place

st.html("<style>.st-key-briefing [data-testid='stMetricValue'] { font-size: 2.6rem; }</style>")
title = view.t("briefing_title", scope=place_name)
st.title(title)
data = views.overview(view.db, year_to_date)
result = brief.build(view.db, year_to_date, place_code, place_name, head=data.headline,
                     county_names=scope.county_names(view.db))
meta = meta_line(result, view.snapshot, view.lang)
st.caption(meta + " · " + view.t("briefing_scope"))
tiles = headline_tiles(data.headline, view.lang, view.township_name)
with st.container(key="briefing"):
    widgets.tile_rows(view, tiles)

text = brief.render(result, view.lang)
st.subheader(view.t("brief_text"))
with st.container(border=True):
    st.text(text)

left, right = st.columns([3, 2])
with left:
    map_figure, _, _ = maps.map_figure(view, data, "purchase_amount_yuan")
    st.plotly_chart(map_figure, config={"displayModeBar": False, "staticPlot": True}, key="briefing_map")
with right:
    unit = view.t("unit_wan_yuan")
    if data.schedule is not None:
        schedule_figure = charts.schedule_path(data.schedule, data.amount_target, as_of, unit, view.lang)
    else:
        schedule_figure = charts.monthly_trend(data.monthly, "amount_yuan", unit, view.lang)
    st.plotly_chart(schedule_figure, config={"displayModeBar": False}, key="briefing_schedule")

st.download_button(view.t("download_html"), file_name=f"{view.t('briefing_file', scope=place_name)}_{as_of.isoformat()}.html",
                   data=lambda: briefing_html(title, meta, tiles, text, [map_figure, schedule_figure], view.lang).encode(),
                   mime="text/html", key="download_briefing", icon=":material/print:", on_click="ignore")
