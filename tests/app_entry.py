"""AppTest's entry script: runs main.py (the script app.py's st.App serves) from a folder without pages/, so
Streamlit navigates as `streamlit run app.py` does.

(AppTest re-detects a pages/ folder beside its script on every run and would then run pages without main.py.)
"""

import runpy

from fupin.settings import PROJECT_ROOT

runpy.run_path(str(PROJECT_ROOT / "main.py"))
