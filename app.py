"""消费帮扶监测 · the Streamlit entry point: first-start demo data, sidebar filters in the URL, page navigation."""

import streamlit as st

from fupin.demo import build_demo
from fupin.i18n import t
from fupin.ui import data, state

st.set_page_config(page_title="消费帮扶监测", page_icon=":material/agriculture:", layout="wide")

store = data.store()
if store.current_id() is None:
    with st.status(t("first_start"), expanded=True) as status:
        bar = st.progress(0.0)
        build_demo(store, only_if_empty=True, progress=lambda fraction, message: bar.progress(fraction, text=message))
        status.update(state="complete")

view = state.current_view()
pages = [
    st.Page("pages/overview.py", title=view.t("page_overview"), icon=":material/dashboard:", url_path="overview",
            default=True),
    st.Page("pages/purchases.py", title=view.t("page_purchases"), icon=":material/shopping_cart:", url_path="purchases"),
    st.Page("pages/inspections.py", title=view.t("page_inspections"), icon=":material/science:", url_path="inspections"),
    st.Page("pages/cooperatives.py", title=view.t("page_cooperatives"), icon=":material/groups:",
            url_path="cooperatives"),
    st.Page("pages/briefing.py", title=view.t("page_briefing"), icon=":material/slideshow:", url_path="briefing"),
    st.Page("pages/import_ledgers.py", title=view.t("page_import"), icon=":material/upload_file:", url_path="import"),
]
st.navigation(pages, position="top").run()
state.write_url(view)
