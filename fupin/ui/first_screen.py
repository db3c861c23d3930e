"""A session's first page run ends after the first screen (the KPI tiles); the rest follows a moment later.

Streamlit's front end loads each kind of element's code when the first such element arrives; in one run with the
map, it inserted the tiles only after plotly.js (4.7 MB, about 0.8 s of the browser's main thread) had been evaluated
(a Chrome trace). So a new session's first run stops after the tiles with a line saying what is coming; a fragment's
timer in the browser asks for the whole page REST_AFTER_S later, once the tiles are painted, and every later run of
the session draws the page at once.
"""

import streamlit as st

# Session keys: a page was drawn (every later run draws everything); the fragment waits for its timer.
SHOWN = "first_screen_shown"
WAITING = "first_screen_waiting"
# How long after the first screen the browser asks for the rest: time enough to paint the tiles.
REST_AFTER_S = 0.3


def rest_later(note: str) -> None:
    """End a session's first page run here, saying `note` where the rest will be; later runs pass straight
    through."""
    if st.session_state.get(SHOWN):
        st.session_state.pop(WAITING, None)   # this run draws the rest: no fragment waits any more
        return
    drawn()
    st.fragment(_wait_for_paint, run_every=REST_AFTER_S)(note)
    st.stop()


def drawn() -> None:
    """Record that this session has been sent a page (its elements' code is loaded): nothing need wait any more."""
    st.session_state[SHOWN] = True


def _wait_for_paint(note: str) -> None:
    """Drawn inline, the note; rerun by the browser's timer, the whole page (a full run stops the timer)."""
    if st.session_state.pop(WAITING, False):
        st.rerun()
    st.session_state[WAITING] = True
    st.caption(note)
