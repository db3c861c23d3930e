"""消费帮扶监测 · the script the app runs for every page: navigation, the sidebar's filters (kept in the URL), then the
page (app.py serves it with the sign-in page, probes and downloads around it)."""

from fupin.ui import frame

frame.route()
