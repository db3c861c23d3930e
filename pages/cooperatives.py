"""合作社 Cooperatives: registrations per year and the stock over time, new this year with YoY, by township, the register."""

import streamlit as st

from fupin.report import charts, page_data
from fupin.report.tiles import tile
from fupin.ui import first_screen, frame, links, sidebar, widgets

view = frame.page_view(__file__)
flt = view.filter
households = view.t("unit_households")

widgets.page_header(view, "page_cooperatives", "cooperatives_scope")
data = page_data.cooperatives(view.db, flt)

columns = st.columns(4)
for column, name in zip(columns, ("cooperatives_total", "new_cooperatives", "members", "poor_household_members")):
    with column:
        widgets.tile(view, tile(name, data.actuals[name], view.lang,
                                data.previous[name] if name == "new_cooperatives" else None))
first_screen.rest_later(view.t("charts_loading"))

if data.empty:
    widgets.empty_message(view)
else:
    left, right = st.columns(2)
    with left:
        st.plotly_chart(charts.bars_and_line(data.by_year, "year", "registered", "stock", view.t("registered"),
                                             view.t("stock"), view.t("registrations_by_year"), households, view.lang),
                        key="chart_years")
        widgets.download(view, data.by_year, view.t("registrations_by_year"), key="csv_years")
    with right:
        st.plotly_chart(charts.bar(data.by_township, "township_name", "cooperatives_total", view.t("by_township"),
                                   view.lang, households, key_column="township_code"),
                        key="chart_townships", selection_mode="points",
                        on_select=widgets.on_pick("chart_townships", sidebar.select_township))
        widgets.download(view, data.by_township, view.t("by_township"), key="csv_townships")

st.subheader(view.t("register"))
links.seed("q", lambda text: text[:50])
search = st.text_input(view.t("search"), key="q", max_chars=50, placeholder=view.t("search_placeholder")).strip()
links.keep("q", search or None)
register = page_data.cooperative_register(view.db, flt, search)
if register.empty:
    widgets.empty_message(view)
else:
    widgets.table(view, register, key="table_register", ledger=True, keep_codes=("credit_code",))
    widgets.download(view, lambda: page_data.cooperative_register_batches(view.db, flt, search), view.t("register"),
                     key="csv_register")
