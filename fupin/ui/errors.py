"""An exception no page caught (a widget's callback, a bug before the frame's own catch): `st.App`'s
on_script_error logs its traceback with the session's user and page, and the page says the one sentence the pages
say for an unexpected error instead of a traceback."""

import logging

import streamlit as st

from .. import telemetry
from ..text.i18n import t
from . import sidebar, signin

log = logging.getLogger(__name__)


def script_error(error: Exception) -> bool:
    """on_script_error: log, count, say one sentence; True keeps Streamlit's traceback off the page."""
    log.error("script error: user %s, page %s", st.session_state.get(signin.ACCOUNT_KEY), st.context.url,
              exc_info=error)
    telemetry.error("script")
    st.error(t("unexpected_error", sidebar.language()), icon=":material/error:")
    return True
