"""抽检 Inspections: lab sampling and rapid tests by food category, township and venue, pass rates, plan vs done."""

import streamlit as st

from fupin import charts, fmt, views
from fupin.headline import headline
from fupin.ui import state, widgets

view = state.current_view()
flt = view.filter
batches = "批次" if view.lang == "zh" else "batches"

widgets.page_header(view, "page_inspections", "inspections_scope", levels=1)

state.page_param("failed", "0", lambda text: text if text in ("0", "1") else None)
only_failed = st.session_state.get("w_failed") == "1"
data = views.inspections(view.db, flt, only_failed=only_failed)
totals = data.totals
if totals["batches"] == 0:
    widgets.empty_message(view)
    st.stop()

progress = {p.metric: p for p in headline(view.db, flt).targets}
columns = st.columns(4)
with columns[0]:
    widgets.kpi_tile(view, view.t("lab_batches"), "lab_batches", totals["lab_batches"], progress.get("lab_batches"),
                     key="tile_lab")
with columns[1]:
    widgets.kpi_tile(view, view.t("rapid_tests"), "rapid_test_batches", totals["rapid_test_batches"],
                     progress.get("rapid_test_batches"), key="tile_rapid")
columns[2].metric(view.t("pass_rate"), fmt.pct((1 - totals["failed"] / totals["batches"]) * 100), border=True)
columns[3].metric(view.t("failed"), fmt.count(totals["failed"], "批次", view.lang), border=True)

left, right = st.columns(2)
with left:
    by_category = data.by_category.pivot_table(index="food_category", columns="inspection_type", values="batches",
                                               aggfunc="sum", fill_value=0).reset_index()
    series = {c: view.t("lab_batches" if c == "lab" else "rapid_tests") for c in ("lab", "rapid")
              if c in by_category}
    st.plotly_chart(charts.stacked_bars(by_category, "food_category", series, view.t("by_category"), batches),
                    key="chart_category")
    widgets.download(view, data.by_category, view.t("by_category"), key="csv_category")
with right:
    series = {"lab_batches": view.t("lab_batches"), "rapid_test_batches": view.t("rapid_tests")}
    monthly = data.monthly.assign(month=data.monthly["month"].astype(str).str[:7])  # one bar per month, as text
    st.plotly_chart(charts.stacked_bars(monthly, "month", series, view.t("trend_title"), batches), key="chart_monthly")
    widgets.download(view, data.monthly, view.t("trend_title"), key="csv_monthly")

left, right = st.columns(2)
with left:
    st.plotly_chart(charts.bar(data.by_township, "township_name", "batches", view.t("by_township"), batches, scale=1,
                               key_column="township_code"),
                    key="chart_townships", selection_mode="points",
                    on_select=state.on_pick("chart_townships", state.select_township))
    widgets.download(view, data.by_township, view.t("by_township"), key="csv_townships")
with right:
    st.plotly_chart(charts.bar(data.by_venue, "venue_type", "batches", view.t("by_venue"), batches, scale=1),
                    key="chart_venue")
    widgets.download(view, data.by_venue, view.t("by_venue"), key="csv_venue")

left, right = st.columns(2)
with left:
    st.subheader(view.t("failed_items"))
    if data.failed_items.empty:
        st.caption(view.t("no_failures"))
    else:
        widgets.table(view, data.failed_items, key="table_failed_items")
        widgets.download(view, data.failed_items, view.t("failed_items"), key="csv_failed_items")
with right:
    st.subheader(view.t("planned_vs_done"))
    plan = views.target_table([progress[m] for m in ("lab_batches", "rapid_test_batches") if m in progress])
    if plan.empty:
        st.caption(view.t("no_target"))
    else:
        widgets.table(view, plan, key="table_plan")
        widgets.download(view, plan, view.t("planned_vs_done"), key="csv_plan")

st.subheader(view.t("records_title_inspections"))
st.segmented_control(view.t("result_filter"), ["0", "1"], key="w_failed", required=True,
                     format_func=lambda v: view.t("only_failed") if v == "1" else view.t("all"))
widgets.table(view, data.records, key="table_records")
widgets.download(view, lambda: views.inspection_record_batches(view.db, flt, only_failed),
                 view.t("records_title_inspections"), key="csv_records")
