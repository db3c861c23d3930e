"""The app as a web service, around Streamlit (app.py hands these to `st.App`): the sign-in page and its session
cookie, the middleware that keeps anonymous visitors out and tells the page who the client is, health, readiness
and metrics for operators, and record downloads streamed from DuckDB.

No Streamlit here: Starlette routes and an ASGI middleware over the engine's modules (the pages' layer, beside
fupin.ui). app.py takes its routes and middleware from `parts`.
"""
