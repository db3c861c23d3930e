"""预警 Warnings: the open unsold-product warnings (滞销预警) on the end date by level, with whom to call, on the map,
and the rules the levels follow."""

import streamlit as st

from fupin.report import page_data
from fupin.text import fmt
from fupin.text.i18n import code_label
from fupin.ui import first_screen, frame, maps, widgets

view = frame.page_view(__file__)
flt = view.filter

widgets.page_header(view, "page_warnings", "warnings_scope")
data = page_data.warnings(view.db, flt)

counts = data.counts()
for column, (level, count) in zip(st.columns(len(counts)), counts.items()):
    with column, st.container(border=True, key=f"level_{level}"):
        st.metric(code_label("warning_level", level, view.lang), fmt.count(count, view.t("unit_warnings"), view.lang))
first_screen.rest_later(view.t("warnings_loading"))

st.subheader(view.t("warnings_list"))
levels = ["all", *counts]
level = widgets.choice(view, "level", levels, "warnings_level_filter",
                       lambda c: view.t("all") if c == "all" else code_label("warning_level", c, view.lang))
shown = data.warnings if level == "all" else data.warnings[data.warnings["warning_level"] == level]
listed = shown[page_data.WARNING_COLUMNS].reset_index(drop=True)
if listed.empty:
    st.info(view.t("warnings_none"), icon=":material/check_circle:")
else:   # the whole width: whom to call in view on a 1366 px laptop; the other columns one click away
    st.caption(view.t("rows_total", n=len(listed)))
    widgets.table(view, listed[page_data.WARNING_COLUMNS[:page_data.WARNING_SHOWN]], key="table_warnings", ledger=True)
    with st.expander(view.t("warnings_all_columns")):
        widgets.table(view, listed, key="table_warnings_all", ledger=True)
    widgets.download(view, listed, view.t("warnings_list"), key="csv_warnings")

st.subheader(view.t("warnings_map"))
map_data = maps.area_map(view, data, "unsold_warnings")
widgets.download(view, map_data, view.t("warnings_map"), key="csv_warnings_map")

with st.expander(view.t("warnings_rules")):
    widgets.table(view, data.rules, key="table_warning_rules")
    st.caption(view.t("warnings_rules_note"))
