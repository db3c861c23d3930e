"""总览 Overview: KPI tiles against targets with 序时进度, the township map with drill-down, and the monthly trend."""

import streamlit as st

from fupin import charts, fmt, views
from fupin.ui import maps, state, widgets

view = state.current_view()
flt = view.filter

widgets.page_header(view, "page_overview")

data = views.overview(view.db, flt)
head = data.headline
progress = {p.metric: p for p in head.targets}
p, i, c = head.purchases, head.inspections, head.cooperatives

row = st.columns(3)
with row[0]:
    widgets.kpi_tile(view, view.t("purchase_amount"), "purchase_amount_yuan", p["amount_yuan"],
                     progress.get("purchase_amount_yuan"), head.yoy("purchase_amount_yuan"), key="tile_amount")
with row[1]:
    widgets.kpi_tile(view, view.t("purchase_weight"), "purchase_weight_kg", p["weight_kg"],
                     progress.get("purchase_weight_kg"), head.yoy("purchase_weight_kg"), key="tile_weight")
with row[2]:
    share = p["poor_village_amount_yuan"] / p["amount_yuan"] * 100 if p["amount_yuan"] else None
    widgets.kpi_tile(view, view.t("poor_village_amount"), "poor_village_amount_yuan", p["poor_village_amount_yuan"],
                     progress.get("poor_village_amount_yuan"), head.yoy("poor_village_amount_yuan"),
                     note=f"{view.t('share')} {fmt.pct(share)}", key="tile_poor")
row = st.columns(3)
with row[0]:
    passed = (1 - i["lab_failed"] / i["lab_batches"]) * 100 if i["lab_batches"] else None
    widgets.kpi_tile(view, view.t("lab_batches"), "lab_batches", i["lab_batches"], progress.get("lab_batches"),
                     head.yoy("lab_batches"), note=f"{view.t('pass_rate')} {fmt.pct(passed)}", key="tile_lab")
with row[1]:
    passed = (1 - i["rapid_failed"] / i["rapid_test_batches"]) * 100 if i["rapid_test_batches"] else None
    widgets.kpi_tile(view, view.t("rapid_tests"), "rapid_test_batches", i["rapid_test_batches"],
                     progress.get("rapid_test_batches"), head.yoy("rapid_test_batches"),
                     note=f"{view.t('pass_rate')} {fmt.pct(passed)}", key="tile_rapid")
with row[2]:
    total = widgets.metric_text("cooperatives_total", c["cooperatives_total"], view.lang)
    widgets.kpi_tile(view, view.t("cooperatives_new"), "new_cooperatives", c["cooperatives_new"],
                     progress.get("new_cooperatives"), head.yoy("new_cooperatives"),
                     note=f"{view.t('cooperatives_total')} {total}", key="tile_coops")
if not head.targets:
    st.caption(view.t("no_target"))

left, right = st.columns([3, 2])
with left:
    st.subheader(view.t("map_title"))
    metric = maps.metric_choice(view)
    map_data = maps.township_map(view, data.townships, metric)
    widgets.download(view, map_data, view.t("map_title"), key="csv_map")
    maps.boundary_upload(view)
with right:
    if p["records"] == 0:
        st.subheader(view.t("trend_title"))
        widgets.empty_message(view)
    else:
        st.plotly_chart(charts.monthly_trend(data.monthly, "amount_yuan", view.t("unit_wan_yuan"),
                                             view.lang), key="chart_trend")
        widgets.download(view, data.monthly, view.t("trend_title"), key="csv_trend")
        if data.schedule is not None:
            st.plotly_chart(charts.schedule_path(data.schedule, data.amount_target, flt.as_of,
                                                 view.t("unit_wan_yuan"), view.lang),
                            key="chart_schedule")
            widgets.download(view, data.schedule, view.t("schedule_title"), key="csv_schedule")

if flt.township and not flt.village:
    st.subheader(f"{view.township_name} · {view.t('villages_title')}")
    villages = views.purchase_villages(view.db, flt)
    if villages.empty:
        widgets.empty_message(view)
    else:
        names = villages.assign(village_name=villages["village_name"].fillna(villages["village_code"]))
        st.plotly_chart(charts.bar(names, "village_name", "amount_yuan", None,
                                   view.t("unit_wan_yuan"), key_column="village_code", top=None),
                        key=f"villages_{flt.township}", selection_mode="points",
                        on_select=state.on_pick(f"villages_{flt.township}", state.select_village))
        widgets.table(view, villages, key="table_villages")
        widgets.download(view, villages, view.t("villages_title"), key="csv_villages")
elif flt.village:
    st.subheader(f"{view.village_name} · {view.t('records_title')}")
    records = views.purchase_records(view.db, flt)
    if records.empty:
        widgets.empty_message(view)
    else:
        st.caption(view.t("rows_total", n=int(p["records"])))
        widgets.table(view, records, key="table_records")
        widgets.download(view, lambda: views.purchase_record_batches(view.db, flt), view.t("records_title"),
                         key="csv_records")
