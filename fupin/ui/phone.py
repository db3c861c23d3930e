"""The overview on a phone: under PHONE_PX the KPI tiles become a compact list (figure, share of target, ahead or
behind 序时进度, one line each), then the first lines of 需要关注, then links to the other pages; wider screens keep
the tiles and the list side by side.

Streamlit tells the server nothing about the screen's width, so both layouts are sent, each in a keyed container,
and a CSS media query on their documented `st-key-<key>` classes shows one of them.
"""

from collections.abc import Sequence

import streamlit as st

from ..report.attention import Attention
from ..report.compact import CompactLine
from . import links
from .frame import View, page_at
from .widgets import warnings_link

PHONE_PX = 640
ATTENTION_LINES = 5
PHONE_KEY, WIDE_KEY = "phone_summary", "wide_summary"
CSS = (f"<style>@media (min-width: {PHONE_PX}px) {{ .st-key-{PHONE_KEY} {{ display: none; }} }}"
       f"@media (max-width: {PHONE_PX - 0.02}px) {{ .st-key-{WIDE_KEY} {{ display: none; }} }}</style>")
# The pages a leader opens from the phone summary, after 滞销预警.
LINKED_PAGES = ("/briefing", "/purchases", "/inspections", "/cooperatives")


def wide_only():
    """The container of what a screen of PHONE_PX or more shows instead of the phone summary."""
    return st.container(key=WIDE_KEY)


def summary(view: View, lines: Sequence[CompactLine], found: Attention, unsold_warnings: int) -> None:
    """The phone summary (hidden on wider screens): the tiles as lines, what needs attention (its first
    ATTENTION_LINES lines, each opening its view), then links."""
    st.html(CSS)
    with st.container(key=PHONE_KEY):
        st.markdown("  \n".join(line.markdown() for line in lines))
        st.caption(view.t("compact_note"))
        st.markdown(f"**{view.t('attention_title')}**")
        texts = found.texts(view.lang)
        for i, ((_, items), text) in enumerate(list(zip(found.lines, texts))[:ATTENTION_LINES]):
            st.button(text, key=f"phone_attention_{i}", type="tertiary", wrap=True, width="stretch",
                      icon=":material/arrow_forward:", on_click=links.follow, args=(items[0].link,))
        if not texts:
            st.caption(view.t("attention_none"))
        elif len(texts) > ATTENTION_LINES:
            st.caption(view.t("compact_more_attention", n=len(texts) - ATTENTION_LINES))
        warnings_link(view, unsold_warnings)
        for path in LINKED_PAGES:
            st.page_link(page_at(path, view.lang))
