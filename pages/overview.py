"""总览 Overview: KPI tiles against targets with 序时进度, what needs attention with the 滞销预警 count (on a phone a
compact list of both, and links), the township map with drill-down, and the monthly trend."""

import streamlit as st

from fupin.query import scope
from fupin.report import attention, charts, page_data
from fupin.report.compact import compact_lines
from fupin.report.tiles import headline_tiles, schedule_line
from fupin.ui import chart_filters, first_screen, frame, maps, phone, sidebar, widgets

view = frame.page_view(__file__)
flt = view.filter

widgets.page_header(view, "page_overview")
chart_filters.chips(view)

data = page_data.overview(view.db, flt)
tiles = headline_tiles(data.headline, view.lang, view.township_name)
needs = attention.build(view.db, flt, *view.place, scope.county_names(view.db), head=data.headline)
unsold = len(page_data.unsold_warnings(view.db, flt))
phone.summary(view, compact_lines(data.headline, tiles, view.lang), needs, unsold)
with phone.wide_only():
    tiles_column, attention_column = st.columns([4, 1.35])
    with tiles_column:
        widgets.tile_rows(view, tiles)
        st.caption(schedule_line(data.headline, view.lang) or view.t("no_target"))
    with attention_column:
        widgets.attention(view, needs, unsold_warnings=unsold)
first_screen.rest_later(view.t("overview_loading"))

map_title = view.t(f"map_title_{data.area_level}")
left, right = st.columns([3, 2])
with left:
    st.subheader(map_title)
    metric = maps.metric_choice(view)
    map_data = maps.area_map(view, data, metric)
    widgets.download(view, map_data, map_title, key="csv_map")
    if data.area_level == "township":
        maps.boundary_upload(view)
with right:
    if data.headline.purchases["records"] == 0:
        st.subheader(view.t("trend_title"))
        widgets.empty_message(view)
    else:
        key = chart_filters.chart_key("trend", view)
        st.plotly_chart(charts.monthly_trend(data.monthly, "amount_yuan", view.lang),
                        key=key, selection_mode="points", on_select=chart_filters.sets_month(key))
        widgets.download(view, data.monthly, view.t("trend_title"), key="csv_trend")
        if data.schedule is not None:
            st.plotly_chart(charts.schedule_path(data.schedule, data.amount_target, flt.as_of, view.lang),
                            key="chart_schedule")
            widgets.download(view, data.schedule, view.t("schedule_title"), key="csv_schedule")

if data.area_level == "county":
    st.subheader(view.t("ranking_title"))
    ranked = page_data.ranking(data.areas)[page_data.RANKING_COLUMNS]
    widgets.table(view, ranked, key="table_ranking")
    widgets.download(view, ranked, view.t("ranking_title"), key="csv_ranking")
elif flt.township and not flt.village:
    st.subheader(f"{view.township_name} · {view.t('villages_title')}")
    villages = page_data.purchase_villages(view.db, flt)
    if villages.empty:
        widgets.empty_message(view)
    else:
        key = f"villages_{flt.township}"
        st.plotly_chart(charts.bar(villages, "village_label", "amount_yuan", None, view.lang, key_column="village_code",
                                   top=None),
                        key=key, selection_mode="points", on_select=widgets.on_pick(key, sidebar.select_village))
        widgets.table(view, villages.drop(columns=["village_label"]), key="table_villages")
        widgets.download(view, villages.drop(columns=["village_label"]), view.t("villages_title"), key="csv_villages")
elif flt.village:
    st.subheader(f"{view.village_name} · {view.t('records_title')}")
    records = page_data.purchase_records(view.db, flt)
    if records.empty:
        widgets.empty_message(view)
    else:
        st.caption(view.t("rows_total", n=int(data.headline.purchases["records"])))
        widgets.table(view, records, key="table_records", ledger=True)
        widgets.record_downloads(view, "purchases", view.t("records_title"), key="csv_records")
