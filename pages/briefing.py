"""简报 Briefing: one page for a projector: what needs attention, big numbers, the rest of the text brief, the map,
the schedule line, and the same briefing as one HTML file or an A4 PDF."""

from pathlib import Path

import streamlit as st

from fupin import settings
from fupin.query import scope
from fupin.report import briefing
from fupin.report.briefing_pdf import pdf_bytes
from fupin.ui import frame, maps, widgets

view = frame.page_view(__file__)
place_code, place_name = view.place
boundaries = maps.boundaries(view.filter.counties[0]) if view.one_county else None
shown = briefing.build(view.db, view.filter, place_code, place_name, view.lang,
                       county_names=scope.county_names(view.db), township_name=view.township_name,
                       boundaries=boundaries)

st.html("<style>.st-key-briefing [data-testid='stMetricValue'] { font-size: 2.6rem; }</style>")
st.title(shown.title)
st.caption(shown.meta + " · " + view.t("briefing_scope"))

st.subheader(view.t("attention_heading"))
st.markdown("\n".join(f"{i}. {line}" for i, line in enumerate(shown.attention, start=1))
            or view.t("attention_none"))
for note in shown.notes:
    st.caption(note)

with st.container(key="briefing"):
    widgets.tile_rows(view, shown.tiles)

with st.container(border=True):   # the brief's 二、: its 一、 is the list above
    st.text(shown.progress)

left, right = st.columns([3, 2])
with left:
    maps.map_chart(shown.figures[0], "briefing_map", config={"displayModeBar": False, "staticPlot": True})
    for notice in shown.map_notices:
        st.caption(notice)
with right:
    st.plotly_chart(shown.figures[1], config={"displayModeBar": False}, key="briefing_schedule")

stem = f"{view.t('briefing_file', scope=place_name)}_{view.filter.as_of.isoformat()}"


printer = Path(settings.chromium()).exists()   # the PDF is printed by the server's Chromium
downloads = st.container(horizontal=True)   # each button as wide as its label
downloads.download_button(view.t("download_html"), data=lambda: shown.html(view.lang).encode(),
                          file_name=f"{stem}.html", mime="text/html", key="download_briefing", icon=":material/print:",
                          on_click="ignore")
downloads.download_button(view.t("download_pdf"), data=lambda: pdf_bytes(shown.html(view.lang)), file_name=f"{stem}.pdf",
                          mime="application/pdf", key="download_briefing_pdf", icon=":material/picture_as_pdf:",
                          on_click="ignore", disabled=not printer, help=None if printer else view.t("pdf_no_browser"))
