"""The view in the address bar: each widget's value is seeded from the link once per session (checked against the
data first, and what cannot be used is named in a notice), and written back after every run, so a copied link
reopens the same view. Widget keys are the query parameter names."""

from collections.abc import Callable

import streamlit as st

from ..i18n import t

INITIAL = "link_initial"
IGNORED = "link_ignored"
DONE = "link_done"
# Per run: the query parameters the drawn widgets want in the URL (their key -> text, None when at default).
_PARAMS = "link_params"


def start() -> None:
    """Remember the link the session opened with (once), and start collecting this run's parameters."""
    if INITIAL not in st.session_state:
        st.session_state[INITIAL] = st.query_params.to_dict()
        st.session_state[IGNORED] = []
    st.session_state[_PARAMS] = {}


def first_run() -> bool:
    """Whether this is the session's first complete run, the one that reads the link."""
    return not st.session_state.get(DONE)


def initial() -> dict[str, str]:
    """The query parameters the session was opened with."""
    return st.session_state.get(INITIAL, {})


def seed(key: str, parse: Callable[[str], object]) -> None:
    """On the first run, give widget `key` the link's value: `parse(text)` returns it, or None when the text
    cannot be used here (then it is named in the notice)."""
    st.session_state[_PARAMS].setdefault(key, None)
    if not first_run() or key not in initial():
        return
    value = parse(initial()[key])
    if value is None:
        st.session_state[IGNORED].append((key, initial()[key]))
    else:
        st.session_state[key] = value


def keep(key: str, value, default=None) -> None:
    """Put a widget's value in the URL (left out while it is at its default)."""
    st.session_state[_PARAMS][key] = None if value is None or value == default else str(value)


def finish(lang: str) -> list[str]:
    """Write this run's parameters into the URL; on the first run, return the notice naming what the link
    carried in vain (unusable values and unknown parameters)."""
    params = {key: text for key, text in st.session_state[_PARAMS].items() if text is not None}
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)
    if not first_run():
        return []
    st.session_state[DONE] = True
    unknown = [(key, text) for key, text in initial().items() if key not in st.session_state[_PARAMS]]
    ignored = st.session_state[IGNORED] + unknown
    if not ignored:
        return []
    shown = t("list_separator", lang).join(f"{key}={text[:40]}" for key, text in ignored)
    return [t("link_ignored", lang, values=shown)]
