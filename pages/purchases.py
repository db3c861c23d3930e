"""采购 Purchases: by channel and buyer type, the buyer leaderboard, products, townships and villages, trend and records;
a click on a bar or month filters the page by it."""

import streamlit as st

from fupin.report import charts, page_data
from fupin.report.tiles import shared_units, shown_values, tile
from fupin.text import fmt
from fupin.text.i18n import code_label
from fupin.ui import chart_filters, first_screen, frame, sidebar, widgets

view = frame.page_view(__file__)
flt = view.filter

widgets.page_header(view, "page_purchases")
chart_filters.chips(view)
data = page_data.purchases(view.db, flt)


def show_purchases() -> None:
    """Everything below the header, for a filter with data."""
    names = ("purchase_amount_yuan", "purchase_weight_kg", "poor_village_amount_yuan")
    units = shared_units(names, shown_values(data.actuals))
    widgets.tile_rows(view, [tile(name, data.actuals[name], view.lang, data.previous[name], units=units)
                             for name in names])
    st.caption(f"{view.t('buyers_count')} {fmt.count(data.actuals['buyers'], view.t('unit_buyers'), view.lang)} · "
               + view.t("rows_total", n=data.records))
    first_screen.rest_later(view.t("charts_loading"))

    st.caption(view.t("chart_filters_hint"))
    for column, (frame_, coded, title) in zip(st.columns(2), [(data.by_channel, "channel", "by_channel"),
                                                              (data.by_buyer_type, "buyer_type", "by_buyer_type")]):
        with column:
            labelled = frame_.assign(label=[code_label(coded, c, view.lang) for c in frame_[coded]])
            key = chart_filters.chart_key(coded, view)
            st.plotly_chart(charts.bar(labelled, "label", "amount_yuan", view.t(title), view.lang, key_column=coded),
                            key=key, selection_mode="points", on_select=chart_filters.sets(coded, key))
            widgets.download(view, frame_, view.t(title), key=f"csv_{coded}")

    st.subheader(view.t("top_buyers"))
    widgets.table(view, data.top_buyers.drop(columns=["buyer_id"]), key="table_top_buyers")
    widgets.download(view, data.top_buyers, view.t("top_buyers"), key="csv_top_buyers")

    left, right = st.columns(2)
    with left:
        key = chart_filters.chart_key("product", view)
        st.plotly_chart(charts.bar(data.by_product, "product_name", "amount_yuan", view.t("by_product"), view.lang,
                                   key_column="product_category"),
                        key=key, selection_mode="points", on_select=chart_filters.sets("product_category", key))
        widgets.download(view, data.by_product, view.t("by_product"), key="csv_product")
    with right:
        if flt.township:
            key = f"chart_villages_{flt.township}"
            st.plotly_chart(charts.bar(data.by_village, "village_label", "amount_yuan", view.t("villages_title"),
                                       view.lang, key_column="village_code"),
                            key=key, selection_mode="points", on_select=widgets.on_pick(key, sidebar.select_village))
            widgets.download(view, data.by_village.drop(columns=["village_label"]), view.t("villages_title"),
                             key="csv_villages")
        else:
            st.plotly_chart(charts.bar(data.by_township, "township_name", "amount_yuan", view.t("by_township"),
                                       view.lang, key_column="township_code"),
                            key="chart_townships", selection_mode="points",
                            on_select=widgets.on_pick("chart_townships", sidebar.select_township))
            widgets.download(view, data.by_township, view.t("by_township"), key="csv_townships")

    key = chart_filters.chart_key("trend", view)
    st.plotly_chart(charts.monthly_trend(data.monthly, "amount_yuan", view.lang), key=key,
                    selection_mode="points", on_select=chart_filters.sets_month(key))
    widgets.download(view, data.monthly, view.t("trend_title"), key="csv_trend")

    st.subheader(view.t("records_title"))
    page_no = widgets.records_page(view, data.records, page_data.PAGE_ROWS)
    st.caption(view.t("rows_total", n=data.records) + f" · {page_no}/{data.pages}")
    shown = data.first_page if page_no == 1 else page_data.purchase_records(view.db, flt, page=page_no - 1)
    widgets.table(view, shown, key="table_records", ledger=True)
    widgets.record_downloads(view, "purchases", view.t("records_title"), key="csv_records")


if data.records == 0:
    widgets.empty_message(view)
else:
    show_purchases()
