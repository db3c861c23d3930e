"""The sidebar's filters: language, snapshot, dates, places, categories and channel, each kept in the URL (charts
set some of them too: `select_*`).

Widget keys are the query parameter names (`links`): a link's values are seeded into the widgets once per
session, after checking them against the data, and every run writes the values back into the address bar.
"""

import calendar
import datetime as dt
from dataclasses import dataclass

import streamlit as st

from ..auth import permissions
from ..auth.permissions import User
from ..query import choices, scope
from ..query.filters import Filter
from ..query.scope import Scope
from ..query.scoped import ScopedDB
from ..store.schema import BUYER_TYPES, CHANNELS, label
from ..store.snapshot import Snapshot
from ..store.store import Served
from ..text import fmt
from ..text.i18n import LANGS, t, value_label
from . import data, inputs, links

LANG_NAMES = {"zh": "中文", "en": "English"}


def language() -> str:
    """The chosen language: the widget's value, else the link's, else Chinese (before the sidebar is drawn)."""
    chosen = st.session_state.get("lang") or links.initial().get("lang") or st.query_params.get("lang")
    return chosen if chosen in LANGS else "zh"


def default_end(snapshot: Snapshot, year: int) -> dt.date:
    """A year's default end date: the snapshot's as-of date in its own year, else 31 December."""
    return min(snapshot.as_of, dt.date(year, 12, 31))


def whole_year() -> None:
    """A year chosen (or a chosen month or start date given up) runs from 1 January to its default end date."""
    snapshot = data.serve(st.session_state.get("snap")).snapshot
    st.session_state["to"] = default_end(snapshot, st.session_state["year"])
    st.session_state["custom_from"] = False


def select_filter(name: str, code: str | None) -> None:
    """Set a coded filter of the sidebar (buyer_type, channel, product_category; None: all)."""
    st.session_state[name] = code


def select_month(month: dt.date) -> None:
    """Narrow the dates to one calendar month of a year the sidebar offers."""
    st.session_state["year"] = month.year
    st.session_state["from"] = month.replace(day=1)
    st.session_state["to"] = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    st.session_state["custom_from"] = True


def _on_township_change() -> None:
    st.session_state["village"] = None


def _on_scope_change() -> None:
    select_county(None)


def _on_county_change() -> None:
    select_township(None)


def select_county(code: str | None) -> None:
    """Drill to a county of the scope (None: back to the whole scope); township and village are cleared."""
    st.session_state["county"] = code
    select_township(None)


def select_township(code: str | None) -> None:
    """Drill to a township (None: back to the whole scope); the village choice is cleared."""
    st.session_state["township"] = code
    st.session_state["village"] = None


def select_village(code: str | None) -> None:
    """Drill to a village of the chosen township (None: back to the township)."""
    st.session_state["village"] = code


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _snapshot_choice(lang: str) -> Served:
    """The snapshot to show, verified: the current one (None) unless the user or the link picked an older one;
    a damaged one, or a missing CURRENT, gives the newest snapshot that verifies, with notices saying so."""
    current = data.serve(None)
    older = {s.id: s for s in reversed(data.store().list()) if s.id != current.snapshot.id}
    links.seed("snap", lambda text: text if text in older else None)
    if st.session_state.get("snap") not in older:
        st.session_state["snap"] = None   # follow CURRENT (an import moves it), or the pick became current

    def name(snapshot_id: str | None) -> str:
        return fmt.snapshot_option(older[snapshot_id] if snapshot_id else current.snapshot, not snapshot_id, lang)

    chosen = inputs.select(st.sidebar, "snap", t("snapshot", lang), [None, *older], lang, name,
                           placeholder=name(None))   # what a selectbox shows for None
    links.keep("snap", chosen)
    served = current if chosen is None else data.serve(chosen)
    st.sidebar.caption(fmt.data_label(served.snapshot, lang))
    return served


def _dates(snapshot: Snapshot, years: list[int], lang: str) -> tuple[dt.date, dt.date]:
    """Year, end date and, when asked for, a start date other than 1 January."""
    side = st.sidebar
    links.seed("to", lambda text: day if (day := _date(text)) and day.year in years else None)
    if links.first_run():   # a link names its dates: the year is the end date's
        end = st.session_state.get("to")
        st.session_state["year"] = end.year if end else snapshot.as_of.year

        def start_in_year(text: str) -> dt.date | None:
            day = _date(text)
            return day if day and day.year == st.session_state["year"] and (end is None or day <= end) else None

        links.seed("from", start_in_year)
        start = st.session_state.get("from")
        st.session_state["custom_from"] = start is not None and (start.month, start.day) != (1, 1)
    if st.session_state.get("year") not in years:
        st.session_state["year"] = years[0]
    year = inputs.select(side, "year", t("year", lang), years, lang, lambda y: t("year_label", lang, year=y),
                         on_change=whole_year)
    first_day, last_day = dt.date(year, 1, 1), dt.date(year, 12, 31)
    default_to = default_end(snapshot, year)
    if not first_day <= st.session_state.get("to", default_to) <= last_day:
        st.session_state["to"] = default_to
    st.session_state.setdefault("to", default_to)
    date_to = side.date_input(t("as_of", lang), key="to", min_value=first_day, max_value=last_day,
                              format="YYYY-MM-DD")
    links.keep("to", date_to.isoformat())
    date_from = first_day
    if side.checkbox(t("custom_start", lang), key="custom_from"):
        if not first_day <= st.session_state.get("from", first_day) <= date_to:
            st.session_state["from"] = first_day
        st.session_state.setdefault("from", first_day)
        date_from = side.date_input(t("date_from", lang), key="from", min_value=first_day, max_value=date_to,
                                    format="YYYY-MM-DD")
    links.keep("from", date_from.isoformat(), first_day.isoformat())
    return date_from, date_to


def _scope(db, offered: list[Scope], lang: str) -> Scope:
    """The group, city or county the view covers, among those the user may see (the default one is left out of
    the URL)."""
    options = {s.code: s for s in offered}
    default = scope.default(db).code if scope.default(db).code in options else offered[0].code
    links.seed("scope", lambda text: text if text in options else None)
    if st.session_state.get("scope") not in options:
        st.session_state["scope"] = default
    chosen = inputs.select(st.sidebar, "scope", t("scope", lang), list(options), lang,
                           lambda code: t(f"scope_{options[code].kind}", lang, name=options[code].name),
                           on_change=_on_scope_change)
    links.keep("scope", chosen, default)
    return options[chosen]


def _county(db, chosen_scope: Scope, lang: str) -> str | None:
    """One county of a scope of several (None: all of them); a county scope is its own county."""
    if chosen_scope.is_county:
        st.session_state["county"] = None
        return chosen_scope.code
    names = scope.county_names(db)
    options = [code for code in chosen_scope.counties if code in names]
    links.seed("county", lambda text: text if text in options else None)
    if st.session_state.get("county") not in options:
        st.session_state["county"] = None
    county = inputs.select(st.sidebar, "county", t("county", lang), [None, *options], lang,
                           lambda c: t("all_counties", lang) if c is None else names[c],
                           placeholder=t("all_counties", lang), on_change=_on_county_change)
    links.keep("county", county)
    return county


def _places(db, year: int, county: str | None, own: str | None, lang: str) -> tuple[str | None, str | None, dict, dict]:
    """Township of the chosen county (on that year's codes: a renamed township carries over) and village of it;
    township staff's `own` township is the only one offered."""
    side = st.sidebar
    townships = choices.township_names(db, year, (county,)) if county else {}
    if own:
        townships = {code: name for code, name in townships.items() if code == own}
        st.session_state["township"] = own
    links.seed("township", lambda text: choices.successor(db, text) if choices.successor(db, text) in townships
               else text if text in townships else None, why="link_ignored_own_township" if own else None)
    chosen = st.session_state.get("township")
    if chosen is not None and chosen not in townships:
        renamed = choices.successor(db, chosen)
        select_township(renamed if renamed in townships else None)
    township = None
    if county:
        township = inputs.select(side, "township", t("township", lang), [*([] if own else [None]), *townships],
                                 lang, lambda c: t("all_townships", lang) if c is None else townships[c],
                                 placeholder=t("all_townships", lang), on_change=_on_township_change)
    links.keep("township", township)
    villages = choices.village_names(db, township) if township else {}
    links.seed("village", lambda text: text if text in villages else None)
    village = None
    if township:
        if st.session_state.get("village") not in villages:
            st.session_state["village"] = None
        village = inputs.select(side, "village", t("village", lang), [None, *villages], lang,
                                lambda c: t("all", lang) if c is None else villages[c], placeholder=t("all", lang))
    links.keep("village", village)
    return township, village, townships, villages


def _choice(key: str, options: list, label_key: str, lang: str, format_func) -> str | None:
    """An optional coded filter (None: all), seeded from and kept in the URL."""
    links.seed(key, lambda text: text if text in options else None)
    if st.session_state.get(key) not in options:
        st.session_state[key] = None
    chosen = inputs.select(st.sidebar, key, t(label_key, lang), [None, *options], lang,
                           lambda c: t("all", lang) if c is None else format_func(c), placeholder=t("all", lang))
    links.keep(key, chosen)
    return chosen


def _codes(lang: str) -> None:
    """The 显示代码 switch: tables show codes and ids (乡镇代码, 采购编号…) only when it is on (kept in the URL)."""
    links.seed("codes", lambda text: True if text == "1" else None)
    shown = st.sidebar.toggle(t("show_codes", lang), key="codes", help=t("show_codes_help", lang))
    links.keep("codes", "1" if shown else None)


def codes_shown() -> bool:
    """Whether the tables show codes and ids (the sidebar's 显示代码)."""
    return bool(st.session_state.get("codes"))


@dataclass(frozen=True)
class Selection:
    """What the sidebar selects: the snapshot and its database, the scope, the filter and the names of places."""

    snapshot: Snapshot
    db: ScopedDB
    scope: Scope
    filter: Filter
    county_name: str | None
    township_name: str | None
    village_name: str | None
    notices: tuple[str, ...]    # why the snapshot shown is not the one asked for (a damaged file, no CURRENT)


class NothingToSee(Exception):
    """The user's scope holds no county of the snapshot."""


def draw(lang: str, user: User) -> Selection:
    """Draw the sidebar and return what it selects, within what `user` may see."""
    links.seed("lang", lambda text: text if text in LANGS else None)
    st.session_state.setdefault("lang", "zh")
    st.sidebar.segmented_control(t("language", lang), LANGS, format_func=LANG_NAMES.get, key="lang", required=True)
    links.keep("lang", lang, "zh")
    st.sidebar.header(t("filters", lang))
    served = _snapshot_choice(lang)
    snapshot = served.snapshot
    every = scope.scopes(data.database(snapshot.id))
    rights = permissions.allowed(user, every)
    offered = [s for s in every if rights.covers(s)]
    if not offered:
        raise NothingToSee(user.scope)
    db = ScopedDB(data.database(snapshot.id), rights)
    chosen_scope = _scope(db, offered, lang)
    county = _county(db, chosen_scope, lang)
    counties = (county,) if county else chosen_scope.counties
    years = choices.years(db, counties)
    date_from, date_to = _dates(snapshot, years, lang)
    township, village, townships, villages = _places(db, date_to.year, county, rights.township, lang)
    buyer_type = _choice("buyer_type", list(BUYER_TYPES), "buyer_type", lang, lambda c: label(BUYER_TYPES, c, lang))
    channel = _choice("channel", list(CHANNELS), "channel", lang, lambda c: label(CHANNELS, c, lang))
    category = _choice("product_category", choices.product_categories(db, counties), "product_category", lang,
                       lambda c: value_label("product_category", c, lang))
    _codes(lang)
    st.sidebar.caption(t("copy_link", lang))
    flt = Filter(date_from, date_to, counties=counties, township=township, village=village, buyer_type=buyer_type,
                 product_category=category, channel=channel, township_lock=rights.township)
    county_name = None if chosen_scope.is_county or not county else scope.county_names(db)[county]
    return Selection(snapshot, db, chosen_scope, flt, county_name, townships.get(township), villages.get(village),
                     served.notices)
