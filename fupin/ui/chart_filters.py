"""Charts that filter the page (FineBI's 联动, Superset's cross-filters): a click on a bar of a channel, buyer type,
product, township or village, or on a month of the trend, sets that filter in the sidebar, and so in the URL; chips
under the page's title name the filters so set, each with × to clear it."""

import datetime as dt
from collections.abc import Callable

import streamlit as st

from ..store.schema import BUYER_TYPES, CHANNELS, label
from ..text.i18n import value_label
from .frame import View
from .sidebar import select_filter, select_month, whole_year
from .widgets import on_pick

# The coded filters a chart can set, with their labels: column -> codes and labels (None: a word, glossed in English).
CODED = {"channel": CHANNELS, "buyer_type": BUYER_TYPES, "product_category": None}


def chart_key(name: str, view: View) -> str:
    """A chart's widget key, new whenever the filter it sets changes, so that an old selection does not stick."""
    flt = view.filter
    return f"chart_{name}_{flt.channel}_{flt.buyer_type}_{flt.product_category}_{flt.date_from}_{flt.date_to}"


def sets(name: str, key: str) -> Callable[[], None]:
    """The on_select callback of a chart whose bars carry a code of filter `name` (customdata[0])."""
    return on_pick(key, lambda code: select_filter(name, code))


def sets_month(key: str) -> Callable[[], None]:
    """The on_select callback of a trend whose bars carry their month's first day (customdata[0], ISO)."""
    return on_pick(key, lambda day: select_month(dt.date.fromisoformat(str(day)[:10])))


def chips(view: View) -> None:
    """One chip per filter a chart can set that is on (channel, buyer type, product category, a custom start or
    month): its name and value, × clears it."""
    flt = view.filter
    shown = [(name, code) for name, code in (("channel", flt.channel), ("buyer_type", flt.buyer_type),
                                             ("product_category", flt.product_category)) if code]
    custom_dates = (flt.date_from.month, flt.date_from.day) != (1, 1)
    if not shown and not custom_dates:
        return
    row = st.container(horizontal=True, key="filter_chips")
    for name, code in shown:
        value = value_label(name, code, view.lang) if CODED[name] is None else label(CODED[name], code, view.lang)
        row.button(view.t("chip", name=view.t(name), value=value), key=f"chip_{name}", icon=":material/close:",
                   type="secondary", help=view.t("chip_clear"), on_click=select_filter, args=(name, None))
    if custom_dates:
        dates = f"{flt.date_from.isoformat()} — {flt.date_to.isoformat()}"
        row.button(view.t("chip", name=view.t("chip_dates"), value=dates), key="chip_dates",
                   icon=":material/close:", type="secondary", help=view.t("chip_clear"), on_click=whole_year)
