"""消费帮扶监测 · the Streamlit entry point: the sidebar filters (kept in the URL), then page navigation."""

from pathlib import Path

import streamlit as st

from fupin.ui import state

PAGES = Path(__file__).resolve().parent / "pages"

st.set_page_config(page_title="消费帮扶监测", page_icon="🌾", layout="wide")
view = state.current_view()
pages = [
    st.Page(PAGES / "overview.py", title=view.t("page_overview"), icon=":material/dashboard:", url_path="overview",
            default=True),
    st.Page(PAGES / "purchases.py", title=view.t("page_purchases"), icon=":material/shopping_cart:",
            url_path="purchases"),
    st.Page(PAGES / "inspections.py", title=view.t("page_inspections"), icon=":material/science:",
            url_path="inspections"),
    st.Page(PAGES / "cooperatives.py", title=view.t("page_cooperatives"), icon=":material/groups:",
            url_path="cooperatives"),
    st.Page(PAGES / "briefing.py", title=view.t("page_briefing"), icon=":material/slideshow:", url_path="briefing"),
    st.Page(PAGES / "import_ledgers.py", title=view.t("page_import"), icon=":material/upload_file:",
            url_path="import"),
]
st.navigation(pages, position="top").run()
