"""The frame around every page: the top navigation, the sidebar, notices, and one sentence instead of a traceback.

main.py (the script app.py's `st.App` runs) calls `route()`; every page script starts with
`view = frame.page_view(__file__)`.

Streamlit runs the first script run of a process with its folder-based navigation when a `pages/` folder sits
beside the entry script, and runs a deep link's page script directly, without main.py (documented: the `pages/`
folder is ignored only once some session has called `st.navigation`). So the first run of a process registers
the navigation and starts again through it: from main.py with `st.rerun()`, from a page with `st.switch_page`
carrying the link's query parameters. Every later run, in every session, goes through `route()`.
"""

import atexit
import gc
import itertools
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from .. import settings, telemetry
from ..auth.permissions import User
from ..demo import build_demo
from ..query.db import files_checked_once
from ..query.filters import Filter
from ..query.scope import Scope
from ..query.scoped import ScopedDB
from ..settings import PROJECT_ROOT
from ..store.snapshot import Snapshot, SnapshotError
from ..text.i18n import t
from . import acting, data, first_screen, links, sidebar, signin

log = logging.getLogger(__name__)
PAGES_DIR = PROJECT_ROOT / "pages"


@dataclass(frozen=True)
class PageSpec:
    """One page: its script in pages/, title key, icon and URL path."""

    script: str
    title_key: str
    icon: str
    url_path: str
    default: bool = False


PAGES = (
    PageSpec("overview", "page_overview", ":material/dashboard:", "overview", default=True),
    PageSpec("purchases", "page_purchases", ":material/shopping_cart:", "purchases"),
    PageSpec("inspections", "page_inspections", ":material/science:", "inspections"),
    PageSpec("cooperatives", "page_cooperatives", ":material/groups:", "cooperatives"),
    PageSpec("warnings", "page_warnings", ":material/notification_important:", "warnings"),
    PageSpec("plan", "page_plan", ":material/task_alt:", "plan"),
    PageSpec("briefing", "page_briefing", ":material/slideshow:", "briefing"),
    PageSpec("import", "page_import", ":material/upload_file:", "import"),
    PageSpec("products", "page_products", ":material/storefront:", "products"),
)


def _page(spec: PageSpec, lang: str):
    return st.Page(PAGES_DIR / f"{spec.script}.py", title=t(spec.title_key, lang), icon=spec.icon,
                   url_path=spec.url_path, default=spec.default)


def page_at(url_path: str, lang: str):
    """The page at a URL path ("/inspections", "/" for the overview), for st.page_link."""
    name = url_path.strip("/")
    spec = next((p for p in PAGES if p.url_path == name), None) if name else next(p for p in PAGES if p.default)
    if spec is None:
        raise ValueError(f"no page at {url_path!r}")
    return _page(spec, lang)


@dataclass(frozen=True)
class View:
    """What this run shows: language, snapshot, its database, the scope, the filter and the names of its places."""

    lang: str
    snapshot: Snapshot
    is_current: bool
    db: ScopedDB
    scope: Scope
    filter: Filter
    county_name: str | None     # the county drilled into, in a scope of several
    township_name: str | None
    village_name: str | None
    notices: tuple[str, ...]    # why the snapshot shown is not the one asked for
    user: User

    def may(self, action: str) -> bool:
        """Whether the signed-in user may do `action` (fupin.auth.permissions.ACTIONS)."""
        return self.user.may(action)

    def t(self, key: str, **values) -> str:
        return t(key, self.lang, **values)

    @property
    def scope_names(self) -> list[str]:
        """Scope, county, township and village as far as the view goes: for titles and file names."""
        return [self.scope.name, *(n for n in (self.county_name, self.township_name, self.village_name) if n)]

    @property
    def place(self) -> tuple[str, str]:
        """Code and name of the place a briefing of this view covers: the township, else the county, else the scope
        (a briefing has no village level)."""
        if self.filter.township:
            return self.filter.township, self.township_name
        if self.county_name:
            return self.filter.counties[0], self.county_name
        return self.scope.code, self.scope.name

    @property
    def one_county(self) -> bool:
        """Whether the view covers one county (its townships are mapped), not several."""
        return len(self.filter.counties) == 1


_navigation_ready = threading.Event()   # some run of this process has called st.navigation
_page_runs = itertools.count()          # page runs of this process that ran to their end
# Every REFREEZE_RUNS page runs the objects alive are frozen (out of the GC's sight); every RELEASE_RUNS they are all
# looked at again, so that what became garbage since it was frozen is freed.
REFREEZE_RUNS = 10
RELEASE_RUNS = 500
_this_run = threading.local()


def _navigation(lang: str):
    """Register the pages with st.navigation (top bar) and return the one the URL asks for.

    The page configuration comes first: its icon is an emoji, so the browser tab's icon is never a Material icon
    that the browser would fetch from the internet.
    """
    st.set_page_config(page_title=t("app_title", lang), page_icon="🌾", layout="wide")
    pages = {spec.script: _page(spec, lang) for spec in PAGES}
    chosen = st.navigation(list(pages.values()), position="top")
    _navigation_ready.set()
    return chosen, pages


def route() -> None:
    """main.py: navigation, sidebar and the chosen page, with any unexpected error told in one sentence."""
    lang = sidebar.language()
    first_of_process = not _navigation_ready.is_set()
    page, _ = _navigation(lang)
    if first_of_process:
        st.rerun()   # the folder-based first run is over: start again through st.navigation
    if (asked := links.followed_link()) is not None:   # a 需关注 line was clicked: open its view
        st.switch_page(page_at(asked[0], lang), query_params=asked[1])
    links.start()
    notices = st.container()
    for problem in settings.problems():   # an unusable setting, in one line; what does not need it still works
        notices.error(problem, icon=":material/settings:")
    acting.show_refused(notices, lang)   # a click refused by its callback, even one that ended the session
    user = signin.signed_in_user(lang)
    if user is None:   # the sign-in page is drawn; the link's view opens once signed in
        return
    try:
        _first_start(lang)
        with files_checked_once():
            view = _this_run.view = _draw_view(lang, user)
            for notice in view.notices:
                notices.error(notice, icon=":material/report:")
            _timed(page)
    except sidebar.NothingToSee:
        signin.sidebar_account(user, lang)
        st.error(t("nothing_to_see", lang), icon=":material/block:")
    except SnapshotError as error:   # a file damaged or swapped under the running app, a read failing
        log.exception("page run failed on the data")
        telemetry.error("data")
        shown = getattr(_this_run, "view", None)
        served = data.recover(shown.snapshot.id, error) if shown else None
        notices.error(t("data_error", lang), icon=":material/report:")
        for notice in served.notices if served else ():
            notices.error(notice, icon=":material/report:")
    except Exception:
        log.exception("page run failed")
        telemetry.error("page")
        st.error(t("unexpected_error", lang), icon=":material/error:")
    finally:
        _this_run.view = None
    # Reached only by a run that was not interrupted (a rerun, a page switch or a first screen skips it).
    for notice in links.finish(lang):
        notices.warning(notice, icon=":material/link_off:")
    first_screen.drawn()
    _tend_gc()


def _timed(page) -> None:
    """Run the page, counted and timed per page for /metrics (a run a first screen or a rerun ends counts too)."""
    name = page.url_path or next(spec.url_path for spec in PAGES if spec.default)
    started = time.perf_counter()
    try:
        page.run()
    finally:
        telemetry.PAGE_RUNS.labels(name).inc()
        telemetry.PAGE_SECONDS.labels(name).observe(time.perf_counter() - started)


def _tend_gc() -> None:
    """Keep Streamlit's full collection after every run short: it scans every object the GC tracks (modules,
    plotly's validators, cached results, sessions), ~150 ms of each page run, holding every session's script. So
    the objects alive after the first run, and every REFREEZE_RUNS runs since, are frozen; every RELEASE_RUNS runs
    everything is collected once in full and frozen again."""
    run = next(_page_runs)
    if run % REFREEZE_RUNS:
        return
    if run % RELEASE_RUNS == 0:
        gc.unfreeze()
    gc.collect()
    gc.freeze()
    if run == 0:
        atexit.register(gc.unfreeze)   # collectable again at exit, so extension modules see their objects freed


def _first_start(lang: str) -> None:
    """On a data folder without any snapshot, generate the demo with a visible progress bar."""
    if data.store().has_snapshots():
        return
    with st.status(t("first_start", lang), expanded=True) as status:
        bar = st.progress(0.0)
        build_demo(data.store(), only_if_empty=True,
                   progress=lambda fraction, message: bar.progress(fraction, text=message))
        status.update(state="complete")


def _draw_view(lang: str, user: User) -> View:
    chosen = sidebar.draw(lang, user)
    signin.sidebar_account(user, lang, chosen.scope.name)
    return View(lang, chosen.snapshot, chosen.snapshot.id == data.store().current_id(), chosen.db, chosen.scope,
                chosen.filter, chosen.county_name, chosen.township_name, chosen.village_name, chosen.notices, user)


def page_view(page_file: str) -> View:
    """The view of this run, for a page script; the first run of a process restarts through the navigation."""
    view = getattr(_this_run, "view", None)
    if view is None:
        params = st.query_params.to_dict()
        _, pages = _navigation(sidebar.language())
        st.switch_page(pages[Path(page_file).stem], query_params=params)
    return view
