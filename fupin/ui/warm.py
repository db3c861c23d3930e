"""A warm start (`st.App`'s lifespan, before the server accepts anyone): the modules the pages import, the current
snapshot opened and verified, and the default view's queries in its result cache (fupin.report.warmup), so the
first visitor's tiles cost what the second visitor's do. Also where the background re-hash starts."""

import contextlib
import gc
import importlib
import logging
import time

import anyio

from ..report import warmup
from ..store.snapshot import SnapshotError
from . import data

log = logging.getLogger(__name__)
# What the page scripts import beyond the frame: imported here, once, instead of during a visitor's first run. Not
# the import page's ledger checks (pandera: 1.6 s), which only a clerk's first visit to 导入 needs.
PAGE_MODULES = ("fupin.ui.widgets", "fupin.ui.maps", "fupin.ui.first_screen", "fupin.report.charts",
                "fupin.report.tiles", "fupin.report.attention", "fupin.report.briefing", "fupin.report.export_xlsx",
                "plotly.graph_objects", "plotly.io")


def warm_up() -> float:
    """Import, open, verify and query as above; the seconds it took. A store without snapshots (the demo is made on
    the first visit, with a progress bar) or a damaged one is left as it is: /readyz says why."""
    started = time.perf_counter()
    for name in PAGE_MODULES:
        importlib.import_module(name)
    if data.store().has_snapshots():
        try:
            served = data.serve()
            warmup.warm(data.database(served.snapshot.id))
        except SnapshotError:
            log.exception("warm start: the current snapshot could not be served")
    gc.collect()
    gc.freeze()   # what the warm start left alive: out of the collections after every page run (frame._tend_gc)
    seconds = time.perf_counter() - started
    log.info("warm start took %.2f s", seconds)
    return seconds


@contextlib.asynccontextmanager
async def lifespan(app):
    """st.App's lifespan: warm up in a worker thread, then serve."""
    await anyio.to_thread.run_sync(warm_up)
    yield
