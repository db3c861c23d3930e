"""The view in the address bar: each widget's value is seeded from the link once per session (checked against the
data first, and what cannot be used is named in a notice), and written back after every run, so a copied link
reopens the same view. Widget keys are the query parameter names.

A link followed inside the app (a line of 需关注: its button's callback asks for it, the frame switches to its page
with its query parameters) puts another view in the address bar of the same session: the view is then seeded again
from it, the language and the snapshot chosen kept.
"""

from collections.abc import Callable
from urllib.parse import parse_qsl

import streamlit as st

from ..text.i18n import LANGS, t

INITIAL = "link_initial"
IGNORED = "link_ignored"
DONE = "link_done"
WRITTEN = "link_written"
FOLLOW = "link_follow"
# Per run: the query parameters the drawn widgets want in the URL (their key -> text, None when at default).
_PARAMS = "link_params"
# Choices of the person rather than of the view: a followed link that does not name them keeps them.
PREFERENCES = ("lang", "snap")


def start() -> None:
    """Remember the link the session opened with (once, or again when a link inside the app was followed), and
    start collecting this run's parameters."""
    current = st.query_params.to_dict()
    if INITIAL not in st.session_state or _followed(current):
        _forget_view()
        st.session_state[INITIAL] = current
        st.session_state[DONE] = False
    if first_run():   # until a run completes (a first screen stops short of it), each run reads the link afresh
        st.session_state[IGNORED] = []
    st.session_state[_PARAMS] = {}


def follow(link: str) -> None:
    """A button's callback: open `link` (URL path and query, "/inspections?to=2018-12-29") in this session."""
    st.session_state[FOLLOW] = link


def followed_link() -> tuple[str, dict[str, str]] | None:
    """The link a button asked to open (once): its URL path and query parameters."""
    link = st.session_state.pop(FOLLOW, None)
    if link is None:
        return None
    path, _, query = link.partition("?")
    return path, dict(parse_qsl(query))


def _followed(current: dict[str, str]) -> bool:
    """Whether the address bar holds a view this session did not write: a link inside the app was followed (the
    top navigation keeps or clears the parameters, it never brings others)."""
    written = st.session_state.get(WRITTEN)
    return bool(current) and written is not None and current != written


def _forget_view() -> None:
    """Drop the values of the view shown last (so that what the new link leaves out is at its default)."""
    for key in st.session_state.get(_PARAMS, {}):
        if key not in PREFERENCES:
            for stored in (key, *(f"{key}.{lang}" for lang in LANGS)):
                st.session_state.pop(stored, None)


def first_run() -> bool:
    """Whether this is the session's first complete run, the one that reads the link."""
    return not st.session_state.get(DONE)


def initial() -> dict[str, str]:
    """The query parameters the session was opened with."""
    return st.session_state.get(INITIAL, {})


def seed(key: str, parse: Callable[[str], object], why: str | None = None) -> None:
    """On the first run, give widget `key` the link's value: `parse(text)` returns it, or None when the text
    cannot be used here (then the notice says so in words: `why`, an i18n key taking the value, else the key's
    own sentence, IGNORED_WHY)."""
    st.session_state[_PARAMS].setdefault(key, None)
    if not first_run() or key not in initial():
        return
    value = parse(initial()[key])
    if value is None:
        st.session_state[IGNORED].append((key, initial()[key], why))
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
    st.session_state[WRITTEN] = params
    if not first_run():
        return []
    st.session_state[DONE] = True
    unknown = [(key, text, "link_ignored_unknown") for key, text in initial().items()
               if key not in st.session_state[_PARAMS]]
    ignored = st.session_state[IGNORED] + unknown
    if not ignored:
        return []
    return [t("sentence_separator", lang).join(ignored_sentence(key, text, why, lang) for key, text, why in ignored)]


# Why a link's value of each parameter could not be used, in a clerk's words (i18n keys taking the value); a choice
# not listed is named by its label (CHOICE_LABELS) in link_ignored_choice.
IGNORED_WHY = {"township": "link_ignored_township", "village": "link_ignored_village",
               "county": "link_ignored_county", "scope": "link_ignored_scope", "to": "link_ignored_to",
               "from": "link_ignored_from", "snap": "link_ignored_snap", "page": "link_ignored_page"}
CHOICE_LABELS = {"buyer_type": "buyer_type", "product_category": "product_category", "level": "warnings_level_filter",
                 "failed": "result_filter", "metric": "map_metric", "lang": "language", "codes": "show_codes"}


def ignored_sentence(key: str, text: str, why: str | None, lang: str) -> str:
    """One link value that was not used, said as a sentence: 链接中的乡镇代码 140827102 不在本县，已忽略."""
    value = text[:40]
    why = why or IGNORED_WHY.get(key)
    if why:
        return t(why, lang, name=key, value=value)
    if key in CHOICE_LABELS:
        return t("link_ignored_choice", lang, what=t(CHOICE_LABELS[key], lang), value=value)
    return t("link_ignored_unknown", lang, name=key, value=value)
