"""抽检 Inspections: lab sampling and rapid tests by food category, township and venue, pass rates, plan vs done."""

import streamlit as st

from fupin.report import charts, page_data
from fupin.report.tiles import scope_note, tile
from fupin.text import fmt
from fupin.text.i18n import value_label
from fupin.ui import first_screen, frame, sidebar, widgets

view = frame.page_view(__file__)
flt = view.filter
batches = view.t("unit_batches")

widgets.page_header(view, "page_inspections", "inspections_scope", village_level=False)
data = page_data.inspections(view.db, flt)


def show_inspections() -> None:
    """Everything below the header, for a filter with data."""
    widgets.tile_rows(view, [tile(name, data.actuals[name], view.lang, progress=data.progress(name),
                                  scope_note=scope_note(flt, name, view.township_name, view.lang))
                             for name in ("lab_batches", "rapid_test_batches", "pass_rate_pct", "failed_batches")],
                     per_row=4)
    first_screen.rest_later(view.t("charts_loading"))

    left, right = st.columns(2)
    with left:
        series = {c: view.t("lab_batches" if c == "lab" else "rapid_tests") for c in ("lab", "rapid")
                  if c in data.category_batches}
        categories = data.category_batches.assign(food_category=[
            value_label("food_category", c, view.lang) for c in data.category_batches["food_category"]])
        st.plotly_chart(charts.stacked_bars(categories, "food_category", series, view.t("by_category"), batches,
                                            view.lang), key="chart_category")
        widgets.download(view, data.by_category, view.t("by_category"), key="csv_category")
    with right:
        series = {"lab_batches": view.t("lab_batches"), "rapid_test_batches": view.t("rapid_tests")}
        st.plotly_chart(charts.stacked_bars(data.monthly, "month", series, view.t("trend_title"), batches, view.lang),
                        key="chart_monthly")
        widgets.download(view, data.monthly, view.t("trend_title"), key="csv_monthly")

    left, right = st.columns(2)
    with left:
        st.plotly_chart(charts.bar(data.by_township, "township_name", "batches", view.t("by_township"), view.lang,
                                   batches, key_column="township_code"),
                        key="chart_townships", selection_mode="points",
                        on_select=widgets.on_pick("chart_townships", sidebar.select_township))
        widgets.download(view, data.by_township, view.t("by_township"), key="csv_townships")
    with right:
        venues = data.by_venue.assign(venue_type=[value_label("venue_type", v, view.lang)
                                                  for v in data.by_venue["venue_type"]])
        st.plotly_chart(charts.bar(venues, "venue_type", "batches", view.t("by_venue"), view.lang, batches),
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
        if data.plan.empty:
            st.caption(view.t("no_target"))
        else:
            widgets.table(view, data.plan, key="table_plan")
            st.caption(f"{view.t('schedule_pct')} {fmt.pct(data.targets[0].schedule_pct)}")
            widgets.download(view, data.plan, view.t("planned_vs_done"), key="csv_plan")

    st.subheader(view.t("records_title_inspections"))
    only_failed = widgets.choice(view, "failed", ["all", "failed"], "result_filter",
                                 lambda v: view.t("only_failed" if v == "failed" else "all")) == "failed"
    widgets.table(view, page_data.inspection_records(view.db, flt, only_failed), key="table_records", ledger=True)
    widgets.record_downloads(view, "inspections", view.t("records_title_inspections"), key="csv_records",
                             only_failed=only_failed)


if data.batches == 0:
    widgets.empty_message(view)
else:
    show_inspections()
