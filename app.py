"""消费帮扶监测 · the Streamlit entry point: navigation, the sidebar's filters (kept in the URL), then the page."""

from fupin.ui import frame

frame.route()
