"""消费帮扶监测 · the app: `streamlit run app.py` (or `uvicorn app:app`) serves main.py's pages with the sign-in page,
health and readiness probes, metrics and record downloads around them (fupin.service), warmed up before the first
visitor (fupin.ui.warm)."""

import streamlit as st

from fupin.service import parts
from fupin.ui import errors, signin, warm

BASE = st.get_option("server.baseUrlPath")

app = st.App("main.py", lifespan=warm.lifespan, on_script_error=errors.script_error,
             routes=parts.routes(BASE, signin.sso_configured), middleware=parts.middleware(BASE, signin.sso_configured))
