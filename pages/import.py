"""导入 Import: upload ledgers (台账), check them, import them as a new snapshot, get templates, go back to an older snapshot;
the subscriptions and their deliveries (订阅与推送)."""

import streamlit as st

from fupin import settings
from fupin.text.i18n import t
from fupin.ui import data, frame, import_page, subscriptions

view = frame.page_view(__file__)
lang = view.lang

st.title(t("import_title", lang))
st.caption(t("import_intro", lang))

problems = settings.problems()
for problem in problems:   # e.g. FUPIN_MAX_UPLOAD_MB=abc: nothing can be uploaded until it is fixed
    st.error(problem)
if not problems and not data.store().has_snapshots():
    st.info(t("import_no_snapshot", lang))
elif not problems:
    if view.may("import"):
        import_page.importing(view)
    else:
        st.info(t("import_not_allowed_here" if view.user.demo else "import_not_allowed", lang), icon=":material/lock:")
    if view.may("import_history"):
        import_page.history(view)
    if view.may("audit"):
        import_page.audit_log(lang)
    if view.may("subscriptions"):
        subscriptions.section(view)

import_page.templates(lang)
