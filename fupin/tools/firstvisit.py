"""`python -m fupin firstvisit`: how soon a person sees the first KPI tile, in headless Chromium on loopback.

Each round starts `streamlit run app.py` afresh and reports three figures: from the start to /readyz answering 200
(the app's lifespan has imported the pages' modules, verified the current snapshot and run the default view's queries),
then the first visitor's tile, asked for as soon as the app is ready, and a second visitor's (a new browser context:
nothing cached), each from asking for the page (the navigation's start); the browser is launched beforehand. The time
is when the browser painted the tile (`first_tile`); when the test driver saw it is reported beside it. Each round
times Streamlit's floor the same way: a page of one tile (`one_tile_app.py`), ready when /_stcore/health answers.
"""

import asyncio
import statistics
import time
import urllib.request
from pathlib import Path

from .. import settings
from .loadtest import (
    APP,
    CHROMIUM_ARGS,
    PAGE_TIMEOUT_S,
    START_TIMEOUT_S,
    first_tile,
    free_port,
    run_async,
    start_app,
    stop_app,
)

VIEWPORT = {"width": 1366, "height": 768}   # an office laptop
FLOOR_APP = Path(__file__).with_name("one_tile_app.py")
WHO = ("ready", "first_visitor", "second_visitor", "first_visitor_seen", "second_visitor_seen", "floor_ready",
       "floor_first_visitor", "floor_second_visitor")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:
            return answer.status == 200
    except OSError:
        return False


async def _until_ready(url: str, server, started: float) -> float:
    """Seconds from `started` until `url` answers 200 (polled every 50 ms)."""
    while not await asyncio.to_thread(_answers, url):
        if server.poll() is not None:
            raise RuntimeError(f"the app exited with status {server.returncode}")
        if time.monotonic() - started > START_TIMEOUT_S:
            raise TimeoutError(f"{url} did not answer 200 within {START_TIMEOUT_S} s")
        await asyncio.sleep(0.05)
    return time.monotonic() - started


async def _rounds(data_dir: Path, rounds: int, log_dir: Path) -> list[dict]:
    from playwright.async_api import async_playwright

    found = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=settings.chromium(), headless=True, args=CHROMIUM_ARGS)
        try:
            for n in range(rounds):
                times = await _visits(browser, data_dir, log_dir / f"firstvisit-{n}.log", APP, "/readyz")
                floor = await _visits(browser, data_dir, log_dir / f"firstvisit-floor-{n}.log", FLOOR_APP,
                                      "/_stcore/health")
                found.append({**times, "floor_ready_s": floor["ready_s"],
                              "floor_first_visitor_s": floor["first_visitor_s"],
                              "floor_second_visitor_s": floor["second_visitor_s"]})
        finally:
            await browser.close()
    return found


async def _visits(browser, data_dir: Path, log_path: Path, app: Path, ready_path: str) -> dict:
    """Start `app` afresh; time it to `ready_path` answering 200, then a first and a second visitor's first tile
    (see `first_tile`), painted and seen, each from asking for the page."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    started = time.monotonic()
    server = start_app(data_dir, port, log_path, app)
    try:
        ready = await _until_ready(url.rstrip("/") + ready_path, server, started)
        first = await first_tile(browser, url, time.monotonic(), 0, PAGE_TIMEOUT_S, VIEWPORT)
        second = await first_tile(browser, url, time.monotonic(), 0, PAGE_TIMEOUT_S, VIEWPORT)
    finally:
        stop_app(server)
    return {"ready_s": round(ready, 3),
            "first_visitor_s": round(first["painted"] - first["navigated"], 3),
            "second_visitor_s": round(second["painted"] - second["navigated"], 3),
            "first_visitor_seen_s": round(first["seen"] - first["navigated"], 3),
            "second_visitor_seen_s": round(second["seen"] - second["navigated"], 3)}


def run(data_dir: Path, rounds: int = 3, log_dir: Path | None = None) -> dict:
    """Time `rounds` cold starts (ready, first and second visitor each); medians and the worst beside every round."""
    log_dir = Path(log_dir or data_dir)
    log_dir.mkdir(parents=True, exist_ok=True)
    found = run_async(lambda: _rounds(Path(data_dir), rounds, log_dir))
    return {"rounds": found, **{f"{who}_{stat}": fn([r[f"{who}_s"] for r in found])
                                for who in WHO for stat, fn in (("median_s", statistics.median), ("max_s", max))}}


def render(result: dict) -> str:
    """A line for the terminal."""
    return (f"streamlit run to /readyz 200: median {result['ready_median_s']:.2f} s "
            f"(max {result['ready_max_s']:.2f}); first KPI tile once ready: first visitor median "
            f"{result['first_visitor_median_s']:.2f} s (max {result['first_visitor_max_s']:.2f}), "
            f"second visitor median {result['second_visitor_median_s']:.2f} s "
            f"(max {result['second_visitor_max_s']:.2f}) over {len(result['rounds'])} cold starts; "
            f"seen by the test driver: {result['first_visitor_seen_median_s']:.2f} s and "
            f"{result['second_visitor_seen_median_s']:.2f} s; a page of one tile alone (Streamlit's floor): ready "
            f"{result['floor_ready_median_s']:.2f} s, tiles {result['floor_first_visitor_median_s']:.2f} s and "
            f"{result['floor_second_visitor_median_s']:.2f} s")
