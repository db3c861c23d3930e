"""产品与渠道 Products and channels: certified poverty-relief products, the 三专 outlets (counters, zones, halls and the
smart-counter pipeline), the sales made and signed through them, at events and elsewhere, and the registers."""

import streamlit as st

from fupin.report import channel_charts, channels, charts
from fupin.report.mapping import CHANNEL_MAP_METRICS
from fupin.report.tiles import tile
from fupin.store.channels import SALE_CHANNELS
from fupin.text import fmt
from fupin.text.i18n import code_label, value_label
from fupin.ui import channel_maps, first_screen, frame, inputs, links, maps, sidebar, widgets

view = frame.page_view(__file__)
flt = view.filter

widgets.page_header(view, "page_products", "products_scope", village_level=False)
data = channels.page(view.db, flt)
f = data.totals


# Every sum of money on the tiles and under them in one unit (万元, or 亿元 from one 亿 up), as on the overview.
yuan = fmt.unit_for("yuan", [f[k] for k in ("product_value_yuan", "sales_yuan", "signed_sales_yuan",
                                            "purchase_sales_yuan", "outlet_sales_yuan", "event_signed_yuan")])
units = {"yuan": yuan}


def money(value: float) -> str:
    return yuan.text(value, view.lang)


widgets.tile_rows(view, [
    tile("certified_products", f["certified_products"], view.lang,
         notes=[view.t("channels_suppliers_note", n=f["suppliers"])]),
    tile("product_value_yuan", f["product_value_yuan"], view.lang, units=units),
    tile("certified_sales_yuan", f["sales_yuan"], view.lang, units=units,
         notes=[view.t("channels_signed_note", value=money(f["signed_sales_yuan"])),
                view.t("channels_purchases_note", value=money(f["purchase_sales_yuan"]))]),
    tile("outlet_sales_yuan", f["outlet_sales_yuan"], view.lang, units=units),
    tile("counters", f["counters"], view.lang,
         notes=[view.t("channels_smart_note", signed=f["smart_signed_units"], landed=f["smart_landed_units"])]),
    tile("zones", f["zones_online"] + f["zones_offline"], view.lang,
         notes=[view.t("channels_online_note", online=f["zones_online"], offline=f["zones_offline"])]),
    tile("halls", f["halls_online"] + f["halls_offline"], view.lang,
         notes=[view.t("channels_online_note", online=f["halls_online"], offline=f["halls_offline"])]),
    tile("events", f["events"], view.lang,
         notes=[view.t("channels_events_note", kinds=f["event_kinds"], value=money(f["event_signed_yuan"]))]),
], per_row=4)
first_screen.rest_later(view.t("products_loading"))

if data.empty:
    st.info(view.t("channels_none"), icon=":material/info:")
else:
    left, right = st.columns(2)
    with left:
        by_category = data.by_category.assign(
            label=[value_label("product_category", c, view.lang) for c in data.by_category["product_category"]])
        st.plotly_chart(charts.bar(by_category, "label", "product_value_yuan", view.t("channels_by_category"),
                                   view.lang), key="chart_category")
        widgets.download(view, data.by_category, view.t("channels_by_category"), key="csv_category")
    with right:
        st.subheader(view.t("channels_map"))
        metric = widgets.choice(view, "cmetric", list(CHANNEL_MAP_METRICS), "map_metric",
                                lambda m: view.t(CHANNEL_MAP_METRICS[m][0]))
        map_rows = maps.area_map(view, data, metric)
        widgets.download(view, map_rows, view.t("channels_map"), key="csv_channels_map")

    left, right = st.columns(2)
    with left:
        if data.funnel["companies"].any():
            st.plotly_chart(channel_charts.funnel(data.funnel, view.t("smart_funnel"), view.lang), key="chart_funnel")
            widgets.download(view, data.funnel, view.t("smart_funnel"), key="csv_funnel")
        else:   # no smart counter at any stage: a sentence, not three empty bars
            st.markdown(f"**{view.t('smart_funnel')}**")   # as a chart's title reads
            widgets.empty_message(view)
    with right:
        shown = channel_maps.draw(view, data.outlet_points)
        widgets.download(view, shown, view.t("outlets_map"), key="csv_outlet_map")

    left, right = st.columns(2)
    with left:
        by_channel = data.by_channel.assign(
            label=[code_label("sale_channel", c, view.lang) for c in data.by_channel["sale_channel"]])
        st.plotly_chart(channel_charts.made_vs_signed(by_channel, "label", "sales_yuan", "signed_sales_yuan",
                                                      view.t("sales_by_channel"), view.lang,
                                                      top=len(SALE_CHANNELS)), key="chart_channels")
        widgets.download(view, data.by_channel, view.t("sales_by_channel"), key="csv_channels")
    with right:
        if data.by_outlet.empty:
            st.markdown(f"**{view.t('top_outlets')}**")
            widgets.empty_message(view)
        else:
            st.plotly_chart(charts.bar(data.by_outlet, "outlet_name", "sales_yuan", view.t("top_outlets"), view.lang,
                                       key_column="outlet_id"), key="chart_outlets", selection_mode="points",
                            on_select=widgets.on_pick("chart_outlets", channel_maps.select_outlet))
            widgets.download(view, data.by_outlet, view.t("top_outlets"), key="csv_outlets")

    st.subheader(view.t("top_products"))
    widgets.table(view, data.by_product, key="table_products")
    widgets.download(view, data.by_product, view.t("top_products"), key="csv_products")

    st.subheader(view.t("events_title"))
    if data.events.empty:
        widgets.empty_message(view)
    else:
        st.plotly_chart(channel_charts.made_vs_signed(data.events, "event_name", "realised_yuan",
                                                      "signed_amount_yuan", None, view.lang),
                        key="chart_events")
        # The whole width and the columns a leader asks about: they read without scrolling; the rest one click away.
        widgets.table(view, data.events[channels.EVENT_COLUMNS], key="table_events")
        with st.expander(view.t("events_all_columns")):
            widgets.table(view, data.events, key="table_events_all")
        st.caption(view.t("events_note"))
        widgets.download(view, data.events, view.t("events_title"), key="csv_events")

    outlets = channels.register(view.db, flt, "outlets", rows=None)
    codes = sidebar.codes_shown()   # an outlet named alone, its id beside it only with 显示代码
    names = dict(zip(outlets["outlet_id"], outlets["outlet_name"]))
    links.seed("outlet", lambda text: text if text in names else None)
    if st.session_state.get("outlet") not in names:
        st.session_state["outlet"] = None
    outlet = inputs.select(st, "outlet", view.t("outlet_choice"), [None, *names], view.lang,
                           lambda code: view.t("outlet_all") if code is None
                           else f"{names[code]} · {code}" if codes else names[code],
                           placeholder=view.t("outlet_all"))
    links.keep("outlet", outlet)
    if outlet:
        months = channels.outlet_months(view.db, flt, outlet)
        title = view.t("outlet_months", name=names[outlet])
        if months.empty:
            st.subheader(title)
            widgets.empty_message(view)
        else:
            st.plotly_chart(channel_charts.made_vs_signed(months, "month", "sales_yuan", "signed_sales_yuan", title,
                                                          view.lang, top=None, ranked=False),
                            key=f"chart_outlet_{outlet}")
            widgets.download(view, months, title, key="csv_outlet_months")

st.subheader(view.t("registers_title"))
name = widgets.choice(view, "register", list(channels.REGISTERS), "register_choice",
                      lambda r: view.t(f"register_{r}"))
links.seed("rq", lambda text: text[:50])
search = st.text_input(view.t("registers_search"), key="rq", max_chars=50).strip() if name != "events" else ""
links.keep("rq", search or None)
rows = channels.register(view.db, flt, name, search)
if rows.empty:
    widgets.empty_message(view)
else:
    widgets.table(view, rows, key=f"table_register_{name}", ledger=True)
    widgets.download(view, lambda: channels.register_batches(view.db, flt, name, search), view.t(f"register_{name}"),
                     key="csv_register")
