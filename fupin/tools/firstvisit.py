"""`python -m fupin firstvisit`: how soon a person sees the first KPI tile, in headless Chromium on loopback.

Each round starts `streamlit run app.py` afresh and times a first visitor from the server's start, then a second
visitor (a new browser context: nothing cached) from asking for the page (the navigation's start); the browser is
launched beforehand. The time is when the browser painted the tile (`first_tile`); when the test driver saw it is
reported beside it. Each round times Streamlit's floor the same way: a page of one tile (`one_tile_app.py`).
"""

import statistics
import time
from pathlib import Path

from .. import settings
from .loadtest import APP, CHROMIUM_ARGS, PAGE_TIMEOUT_S, first_tile, free_port, run_async, start_app, stop_app

VIEWPORT = {"width": 1366, "height": 768}   # an office laptop
FLOOR_APP = Path(__file__).with_name("one_tile_app.py")
WHO = ("first_visitor", "second_visitor", "first_visitor_seen", "second_visitor_seen", "floor_first_visitor",
       "floor_second_visitor")

async def _rounds(data_dir: Path, rounds: int, log_dir: Path) -> list[dict]:
    from playwright.async_api import async_playwright

    found = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=settings.chromium(), headless=True, args=CHROMIUM_ARGS)
        try:
            for n in range(rounds):
                times = await _visits(browser, data_dir, log_dir / f"firstvisit-{n}.log", APP)
                floor = await _visits(browser, data_dir, log_dir / f"firstvisit-floor-{n}.log", FLOOR_APP)
                found.append({**times, "floor_first_visitor_s": floor["first_visitor_s"],
                              "floor_second_visitor_s": floor["second_visitor_s"]})
        finally:
            await browser.close()
    return found


async def _visits(browser, data_dir: Path, log_path: Path, app: Path) -> dict:
    """Start `app` afresh and time its first tile (see `first_tile`), painted and seen: for a first visitor from the
    server's start, then for a second from asking for the page."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    started = time.monotonic()
    server = start_app(data_dir, port, log_path, app)
    try:
        first = await first_tile(browser, url, started, 120, PAGE_TIMEOUT_S, VIEWPORT)
        second = await first_tile(browser, url, time.monotonic(), 0, PAGE_TIMEOUT_S, VIEWPORT)
    finally:
        stop_app(server)
    return {"first_visitor_s": round(first["painted"], 3),
            "second_visitor_s": round(second["painted"] - second["navigated"], 3),
            "first_visitor_seen_s": round(first["seen"], 3),
            "second_visitor_seen_s": round(second["seen"] - second["navigated"], 3)}


def run(data_dir: Path, rounds: int = 3, log_dir: Path | None = None) -> dict:
    """Time `rounds` cold starts (first and second visitor each); medians and the worst beside every round."""
    log_dir = Path(log_dir or data_dir)
    log_dir.mkdir(parents=True, exist_ok=True)
    found = run_async(lambda: _rounds(Path(data_dir), rounds, log_dir))
    return {"rounds": found, **{f"{who}_{stat}": fn([r[f"{who}_s"] for r in found])
                                for who in WHO for stat, fn in (("median_s", statistics.median), ("max_s", max))}}


def render(result: dict) -> str:
    """A line for the terminal."""
    return (f"first KPI tile: first visitor median {result['first_visitor_median_s']:.2f} s "
            f"(max {result['first_visitor_max_s']:.2f}), "
            f"second visitor median {result['second_visitor_median_s']:.2f} s "
            f"(max {result['second_visitor_max_s']:.2f}) over {len(result['rounds'])} cold starts; "
            f"seen by the test driver: {result['first_visitor_seen_median_s']:.2f} s and "
            f"{result['second_visitor_seen_median_s']:.2f} s; a page of one tile alone (Streamlit's floor): "
            f"{result['floor_first_visitor_median_s']:.2f} s and {result['floor_second_visitor_median_s']:.2f} s")
