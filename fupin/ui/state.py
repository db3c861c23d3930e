"""The view a user is looking at: sidebar filters seeded from the URL and written back to it on every run."""

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.scriptrunner_utils.exceptions import RerunException
from streamlit.runtime.scriptrunner_utils.script_requests import RerunData

from ..db import SnapshotDB
from ..demo import build_demo
from ..filters import Filter, from_query_params, to_query_params
from ..i18n import LANGS, t
from ..schema import BUYER_TYPES, COUNTY_NAME, label
from ..snapshots import Snapshot, SnapshotError
from . import data

SEEDED_KEY = "_seeded_from_url"
FIRST_URL_KEY = "_first_url"
PINNED_KEY = "_snapshot_pinned"
LANG_NAMES = {"zh": "中文", "en": "English"}


@dataclass(frozen=True)
class View:
    """What this run shows: language, snapshot, its database, the filter and the names of its scope."""

    lang: str
    snapshot: Snapshot
    is_current: bool
    db: SnapshotDB
    filter: Filter
    township_name: str | None
    village_name: str | None

    def t(self, key: str, **values) -> str:
        return t(key, self.lang, **values)

    @property
    def scope_names(self) -> list[str]:
        """County, or township, or township and village: for titles and file names."""
        names = [n for n in (self.township_name, self.village_name) if n]
        return names or [COUNTY_NAME if self.lang == "zh" else "Yuanqu County"]


def _options(db: SnapshotDB, year: int, township: str | None) -> dict:
    townships = db.run("township_options", year=year)
    villages = db.run("village_options", township=township) if township else None
    return {
        "townships": dict(zip(townships["township_code"], townships["township_name"])),
        "villages": dict(zip(villages["village_code"], villages["village_name"])) if villages is not None else {},
        "categories": list(db.run("product_category_options")["product_category"]),
    }


def _years(db: SnapshotDB) -> list[int]:
    ranges = db.run("data_date_range")
    firsts = [d.year for d in ranges["first_date"].dropna()]
    lasts = [d.year for d in ranges["last_date"].dropna()]
    first = min((y for y in firsts if y), default=db.snapshot.as_of.year)
    last = max(max(lasts, default=first), db.snapshot.as_of.year)
    return list(range(last, max(first, 2000) - 1, -1))


def _default_to(snapshot: Snapshot, year: int) -> dt.date:
    return min(snapshot.as_of, dt.date(year, 12, 31)) if year >= snapshot.as_of.year else dt.date(year, 12, 31)


def _seed_from_url(snapshots: list[Snapshot], current_id: str) -> None:
    """Once per session: copy valid values of the URL into the widgets' state."""
    if st.session_state.get(SEEDED_KEY):
        return
    params = {k: st.query_params.get(k) for k in st.query_params}
    st.session_state[FIRST_URL_KEY] = params
    ids = {s.id for s in snapshots}
    snap_id = params.get("snap") if params.get("snap") in ids else current_id
    st.session_state[PINNED_KEY] = snap_id != current_id
    snapshot = next(s for s in snapshots if s.id == snap_id)
    db = data.database(snap_id)
    flt = from_query_params(params, Filter.year_to_date(snapshot.as_of))
    options = _options(db, flt.date_to.year, params.get("township"))
    township = params.get("township") if params.get("township") in options["townships"] else None
    village = params.get("village") if township and params.get("village") in options["villages"] else None
    st.session_state.update({
        "w_lang": params.get("lang") if params.get("lang") in LANGS else "zh",
        "w_snap": snap_id,
        "w_year": flt.date_to.year,
        "w_to": flt.date_to,
        "w_custom_from": flt.date_from != dt.date(flt.date_to.year, 1, 1),
        "w_from": flt.date_from,
        "w_township": township,
        "w_village": village,
        "w_buyer_type": params.get("buyer_type") if params.get("buyer_type") in BUYER_TYPES else None,
        "w_product_category": (params.get("product_category")
                               if params.get("product_category") in options["categories"] else None),
    })
    st.session_state[SEEDED_KEY] = True


def _on_snapshot_change() -> None:
    snapshot = data.store().get(st.session_state["w_snap"])
    st.session_state[PINNED_KEY] = snapshot.id != data.store().current_id()
    st.session_state["w_year"] = snapshot.as_of.year
    _on_year_change()


def _on_year_change() -> None:
    year = st.session_state["w_year"]
    snapshot = data.store().get(st.session_state["w_snap"])
    st.session_state["w_to"] = _default_to(snapshot, year)
    st.session_state["w_from"] = dt.date(year, 1, 1)
    st.session_state["w_custom_from"] = False


def _on_township_change() -> None:
    st.session_state["w_village"] = None


def select_township(code: str | None) -> None:
    """Drill to a township (None: back to the county); the village choice is cleared."""
    st.session_state["w_township"] = code
    st.session_state["w_village"] = None


def select_village(code: str | None) -> None:
    """Drill to a village of the chosen township (None: back to the township)."""
    st.session_state["w_village"] = code


def on_pick(key: str, select: Callable[[str], None]) -> Callable[[], None]:
    """A chart's on_select callback: the first clicked point's code (customdata[0]) goes to `select`."""
    def callback() -> None:
        points = (st.session_state.get(key) or {}).get("selection", {}).get("points", [])
        codes = [point["customdata"][0] for point in points if point.get("customdata")]
        if codes:
            select(codes[0])
    return callback


def _language_switch() -> str:
    st.sidebar.segmented_control(t("language", st.session_state.get("w_lang", "zh")), LANGS,
                                 format_func=LANG_NAMES.get, key="w_lang", required=True)
    return st.session_state.get("w_lang") or "zh"


def _snapshot_label(snapshot: Snapshot, current_id: str, lang: str) -> str:
    """As-of date, the creation time (short, so the sidebar shows it whole), and whether it is current."""
    mark = ("（当前）" if lang == "zh" else " (current)") if snapshot.id == current_id else ""
    created = snapshot.manifest.get("created_at", "")[5:16].replace("T", " ")
    return f"{snapshot.as_of.isoformat()}{mark} {created}"


def _sidebar(snapshots: list[Snapshot], current_id: str) -> View:
    lang = _language_switch()
    side = st.sidebar
    side.header(t("filters", lang))
    by_id = {s.id: s for s in snapshots}
    side.selectbox(t("snapshot", lang), [s.id for s in reversed(snapshots)], key="w_snap",
                   format_func=lambda i: _snapshot_label(by_id[i], current_id, lang), on_change=_on_snapshot_change)
    snapshot = by_id[st.session_state["w_snap"]]
    db = data.database(snapshot.id)
    years = _years(db)
    if st.session_state.get("w_year") not in years:
        st.session_state["w_year"] = snapshot.as_of.year if snapshot.as_of.year in years else years[0]
    year = side.selectbox(t("year", lang), years, key="w_year", on_change=_on_year_change,
                          format_func=lambda y: f"{y}年" if lang == "zh" else str(y))
    first_day, last_day = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if not first_day <= st.session_state.get("w_to", last_day) <= last_day:
        st.session_state["w_to"] = _default_to(snapshot, year)
    date_to = side.date_input(t("as_of", lang), key="w_to", min_value=first_day, max_value=last_day,
                              format="YYYY-MM-DD")
    custom = side.checkbox(t("custom_start", lang), key="w_custom_from")
    date_from = first_day
    if custom:
        if not st.session_state.get("w_from") or st.session_state["w_from"] > date_to:
            st.session_state["w_from"] = first_day
        date_from = side.date_input(t("date_from", lang), key="w_from", max_value=date_to,
                                    min_value=dt.date(years[-1], 1, 1), format="YYYY-MM-DD")
    options = _options(db, year, st.session_state.get("w_township"))
    if st.session_state.get("w_township") not in options["townships"]:
        # A township renamed in that year's codes (英言乡 -> 英言镇) carries over to its successor.
        successors = db.run("township_successors")
        successor = dict(zip(successors["township_code"], successors["successor_code"])).get(
            st.session_state.get("w_township"))
        select_township(successor if successor in options["townships"] else None)
        options = _options(db, year, st.session_state.get("w_township"))
    township = side.selectbox(t("township", lang), [None, *options["townships"]], key="w_township",
                              on_change=_on_township_change, placeholder=t("all_county", lang),
                              format_func=lambda c: t("all_county", lang) if c is None else options["townships"][c])
    village = None
    if township:
        if st.session_state.get("w_village") not in options["villages"]:
            st.session_state["w_village"] = None
        village = side.selectbox(t("village", lang), [None, *options["villages"]], key="w_village",
                                 placeholder=t("all", lang),
                                 format_func=lambda c: t("all", lang) if c is None else options["villages"][c])
    buyer_type = side.selectbox(t("buyer_type", lang), [None, *BUYER_TYPES], key="w_buyer_type",
                                placeholder=t("all", lang),
                                format_func=lambda c: t("all", lang) if c is None else label(BUYER_TYPES, c, lang))
    if st.session_state.get("w_product_category") not in options["categories"]:
        st.session_state["w_product_category"] = None
    category = side.selectbox(t("product_category", lang), [None, *options["categories"]], key="w_product_category",
                              placeholder=t("all", lang),
                              format_func=lambda c: t("all", lang) if c is None else c)
    side.caption(t("copy_link", lang))
    flt = Filter(date_from, date_to, township=township, village=village, buyer_type=buyer_type,
                 product_category=category)
    return View(lang, snapshot, snapshot.id == current_id, db, flt,
                options["townships"].get(township), options["villages"].get(village))


def language() -> str:
    """The chosen language, without drawing the sidebar (the first-start message, pages without filters)."""
    chosen = st.session_state.get("w_lang") or st.query_params.get("lang")
    return chosen if chosen in LANGS else "zh"


def _first_start() -> None:
    """On an empty data folder, generate the demo snapshot with a visible progress bar."""
    store = data.store()
    if store.current_id() is None:
        with st.status(t("first_start", language()), expanded=True) as status:
            bar = st.progress(0.0)
            build_demo(store, only_if_empty=True, progress=lambda fraction, message: bar.progress(fraction, text=message))
            status.update(state="complete")


_this_run = threading.local()


def current_view() -> View:
    """This run's view: seeded from the URL once per session, sidebar drawn, URL rewritten; built once a run.

    app.py calls it before navigating, so the sidebar belongs to the entry point and keeps its values across
    pages; a page calls it again and gets the same view.
    """
    marker = _run_marker()
    if marker is not None and getattr(_this_run, "marker", None) is marker:
        return _this_run.view
    # A pages/ folder beside app.py makes Streamlit's first run of a process use the old folder-based
    # navigation, whose widget values the next run drops (the first visitor's first click was lost, the
    # dates from the link reset): leave that mode and start the run again before drawing anything.
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        _rerun_same_link()
    _first_start()
    store = data.store()
    snapshots = store.list()
    if not snapshots:
        raise SnapshotError("数据目录中还没有快照")
    current_id = store.current_id() or snapshots[-1].id
    _seed_from_url(snapshots, current_id)
    if not st.session_state.get(PINNED_KEY) or st.session_state.get("w_snap") not in {s.id for s in snapshots}:
        # Follow the current snapshot (an import moves it) unless the user picked an older one.
        st.session_state["w_snap"] = current_id
    view = _sidebar(snapshots, current_id)
    _write_url(view)
    _this_run.view, _this_run.marker = view, marker
    return view


def _rerun_same_link() -> None:
    """Start this run again for the page the link asked for (st.rerun would keep the folder-based page's hash,
    which st.navigation does not know, and land on the default page)."""
    ctx = get_script_run_ctx()
    raise RerunException(RerunData(query_string=ctx.query_string,
                                   page_name=ctx.pages_manager.intended_page_name or "",
                                   context_info=ctx.context_info))


def _run_marker():
    """An object that lives exactly as long as one script run (its context's cursor table)."""
    ctx = get_script_run_ctx()
    return ctx.cursors if ctx is not None else None


def _write_url(view: View) -> None:
    """Put the view's filters into the address bar, so a copied link reopens it; page keys follow."""
    params = to_query_params(view.filter)
    if not view.is_current:
        params["snap"] = view.snapshot.id
    if view.lang != "zh":
        params["lang"] = view.lang
    if dict(st.query_params) != params:
        st.query_params.from_dict(params)


def page_param(key: str, default, parse: Callable[[str], object]) -> None:
    """Let a page widget (key `w_<key>`) live in the URL too: seeded from the link the session opened with,
    kept in the URL when not at its default.

    `parse` turns the URL text into the widget's value, or returns None when the text is not valid.
    """
    widget = f"w_{key}"
    if widget not in st.session_state:
        text = st.session_state.get(FIRST_URL_KEY, {}).get(key)
        value = parse(text) if text is not None else None
        st.session_state[widget] = default if value is None else value
    set_page_param(key, st.session_state[widget], default)


def set_page_param(key: str, value, default) -> None:
    """Write one page widget's value into the URL (and drop it there when it is back to its default)."""
    st.session_state[f"w_{key}"] = value
    if value is None or value == default:
        st.query_params.pop(key, None)
    else:
        st.query_params[key] = str(value)
