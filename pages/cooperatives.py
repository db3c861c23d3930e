"""合作社 Cooperatives: registrations per year and the stock over time, new this year with YoY, by township, the register."""

import streamlit as st

from fupin import charts, fmt, views
from fupin.kpi import yoy_pct
from fupin.ui import state, widgets

view = state.current_view()
flt = view.filter
households = "户" if view.lang == "zh" else ""

widgets.page_header(view, "page_cooperatives", "cooperatives_scope")

state.page_param("q", "", lambda text: text[:50])
search = (st.session_state.get("w_q") or "").strip()
data = views.cooperatives(view.db, flt, search=search)
totals, previous = data.totals, data.previous

columns = st.columns(4)
columns[0].metric(view.t("cooperatives_total"), fmt.count(totals["cooperatives_total"], "户", view.lang), border=True)
new_yoy = yoy_pct(totals["cooperatives_new"], previous["cooperatives_new"])
columns[1].metric(view.t("cooperatives_new"), fmt.count(totals["cooperatives_new"], "户", view.lang),
                  delta=None if new_yoy is None else f"{new_yoy:+.1f}%", delta_color="normal",
                  delta_description=view.t("yoy"), border=True)
columns[2].metric(view.t("members"), fmt.count(totals["members"], "人", view.lang), border=True)
columns[3].metric(view.t("poor_household_members"), fmt.count(totals["poor_household_members"], "人", view.lang),
                  border=True)

if data.by_year.empty or totals["cooperatives_total"] + totals["cooperatives_new"] == 0:
    widgets.empty_message(view)
else:
    left, right = st.columns(2)
    with left:
        st.plotly_chart(charts.bars_and_line(data.by_year, "year", "registered", "stock", view.t("registered"),
                                             view.t("stock"), view.t("registrations_by_year"), households),
                        key="chart_years")
        widgets.download(view, data.by_year, view.t("registrations_by_year"), key="csv_years")
    with right:
        st.plotly_chart(charts.bar(data.by_township, "township_name", "cooperatives_total", view.t("by_township"),
                                   households, scale=1, key_column="township_code"),
                        key="chart_townships", selection_mode="points",
                        on_select=state.on_pick("chart_townships", state.select_township))
        widgets.download(view, data.by_township, view.t("by_township"), key="csv_townships")

st.subheader(view.t("register"))
st.text_input(view.t("search"), key="w_q", placeholder="例如：核桃 / 93140827")
if data.register.empty:
    widgets.empty_message(view)
else:
    widgets.table(view, data.register, key="table_register")
    widgets.download(view, lambda: views.cooperative_register_batches(view.db, flt, search), view.t("register"),
                     key="csv_register")
