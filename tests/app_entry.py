"""AppTest's entry script: runs app.py from a folder without pages/, so Streamlit navigates as `streamlit run` does.

(AppTest re-detects a pages/ folder beside its script on every run and would then run pages without app.py.)
"""

import runpy

from fupin.settings import PROJECT_ROOT

runpy.run_path(str(PROJECT_ROOT / "app.py"))
