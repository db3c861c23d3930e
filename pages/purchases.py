"""采购 Purchases: by channel and buyer type, the buyer leaderboard, products, townships and villages, trend and records."""

import streamlit as st

from fupin import charts, fmt, views
from fupin.i18n import code_label
from fupin.kpi import yoy_pct
from fupin.ui import state, widgets

view = state.current_view()
flt = view.filter
wan_yuan = view.t("unit_wan_yuan")

widgets.page_header(view, "page_purchases")

state.page_param("page", 1, lambda text: int(text) if text.isdigit() and int(text) >= 1 else None)
page_no = int(st.session_state.get("w_page") or 1)
data = views.purchases(view.db, flt, page=page_no - 1)
totals = data.totals

if totals["records"] == 0:
    widgets.empty_message(view)
    st.stop()

for column, (label_key, value, measure) in zip(st.columns(3), [
        ("purchase_amount", fmt.money(totals["amount_yuan"], lang=view.lang), "amount_yuan"),
        ("purchase_weight", fmt.weight(totals["weight_kg"], lang=view.lang), "weight_kg"),
        ("poor_village_amount", fmt.money(totals["poor_village_amount_yuan"], lang=view.lang),
         "poor_village_amount_yuan")]):
    change = yoy_pct(totals[measure], data.totals_last_year[measure])
    column.metric(view.t(label_key), value, delta=None if change is None else f"{change:+.1f}%", delta_color="normal",
                  delta_description=view.t("yoy"), border=True)
st.caption(f"{view.t('buyers_count')} {fmt.count(totals['buyers'], '家', view.lang)} · "
           + view.t("rows_total", n=int(totals["records"])))

for column, (frame, coded, title) in zip(st.columns(2), [(data.by_channel, "channel", "by_channel"),
                                                        (data.by_buyer_type, "buyer_type", "by_buyer_type")]):
    with column:
        labelled = frame.assign(label=[code_label(coded, c, view.lang) for c in frame[coded]])
        st.plotly_chart(charts.bar(labelled, "label", "amount_yuan", view.t(title), wan_yuan), key=f"chart_{coded}")
        widgets.download(view, frame, view.t(title), key=f"csv_{coded}")

st.subheader(view.t("top_buyers"))
widgets.table(view, data.top_buyers.drop(columns=["buyer_id"]), key="table_top_buyers")
widgets.download(view, data.top_buyers, view.t("top_buyers"), key="csv_top_buyers")

left, right = st.columns(2)
with left:
    st.plotly_chart(charts.bar(data.by_product, "product_name", "amount_yuan", view.t("by_product"), wan_yuan),
                    key="chart_product")
    widgets.download(view, data.by_product, view.t("by_product"), key="csv_product")
with right:
    if flt.township:
        villages = data.by_village.assign(village_name=data.by_village["village_name"].fillna(data.by_village["village_code"]))
        st.plotly_chart(charts.bar(villages, "village_name", "amount_yuan", view.t("villages_title"), wan_yuan,
                                   key_column="village_code"),
                        key=f"chart_villages_{flt.township}", selection_mode="points",
                        on_select=state.on_pick(f"chart_villages_{flt.township}", state.select_village))
        widgets.download(view, data.by_village, view.t("villages_title"), key="csv_villages")
    else:
        by_township = data.by_township[data.by_township["amount_yuan"] > 0]
        st.plotly_chart(charts.bar(by_township, "township_name", "amount_yuan", view.t("by_township"), wan_yuan,
                                   key_column="township_code"),
                        key="chart_townships", selection_mode="points",
                        on_select=state.on_pick("chart_townships", state.select_township))
        widgets.download(view, by_township, view.t("by_township"), key="csv_townships")

st.plotly_chart(charts.monthly_trend(data.monthly, "amount_yuan", wan_yuan, view.lang), key="chart_trend")
widgets.download(view, data.monthly, view.t("trend_title"), key="csv_trend")

st.subheader(view.t("records_title"))
pages = max(1, -(-int(totals["records"]) // views.PAGE_ROWS))
records = data.records
if page_no > pages:
    page_no = 1
    state.set_page_param("page", page_no, 1)
    records = views.purchase_records(view.db, flt)
st.number_input(view.t("page_no"), min_value=1, max_value=pages, key="w_page", step=1, width=200)
st.caption(view.t("rows_total", n=int(totals["records"])) + f" · {page_no}/{pages}")
widgets.table(view, records, key="table_records")
widgets.download(view, lambda: views.purchase_record_batches(view.db, flt), view.t("records_title"),
                 key="csv_records")
