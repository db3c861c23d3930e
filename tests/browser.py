"""Real-browser helpers: the app in its own Streamlit server, Chromium with the network closed, waits, clicks."""

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import psutil
from conftest import read_tile
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect, sync_playwright

from fupin.text.i18n import LANGS, t

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# Schemes that never leave the machine (a saved briefing opens from file://).
LOCAL_SCHEMES = {"file", "data", "blob", "about", "chrome", "chrome-extension", "devtools"}
# Generous: the CI machine has 2 cores and the first run of a page warms DuckDB.
TIMEOUT_MS = 120_000
STARTUP_SECONDS = 180
FAILURES = Path(__file__).resolve().parent.parent / "artifacts" / "failures"

# Streamlit reports "notRunning" before React has drawn the last elements it was sent, so the page also has
# to stop changing for a moment; this script, run in every page, notes when the document last changed, and when
# a KPI tile and a Plotly chart first appeared in it (`__firstSeen`).
QUIET_MS = 600
MUTATIONS_JS = """(() => {
    window.__lastChange = performance.now();
    window.__firstSeen = {};
    const watched = {tile: '[data-testid="stMetric"]', chart: '[data-testid="stPlotlyChart"]'};
    new MutationObserver(() => {
        window.__lastChange = performance.now();
        for (const [name, selector] of Object.entries(watched)) {
            if (!(name in window.__firstSeen) && document.querySelector(selector)) {
                window.__firstSeen[name] = window.__lastChange;
            }
        }
    }).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
})();"""
# The lines a session's first page run ends with while the rest is still to come (fupin.ui.first_screen).
FIRST_SCREEN_NOTES = [t(key, lang) for key in ("overview_loading", "charts_loading", "warnings_loading")
                      for lang in LANGS]

# The app is ready for assertions when its script has finished, it is connected, nothing shown is stale or a
# placeholder, the page has its title and every Plotly chart its SVG (or it shows an exception instead), and
# the document has been quiet for QUIET_MS.
IDLE_JS = """(quietMs) => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.dataset.testScriptState !== 'notRunning' || app.dataset.testConnectionState !== 'CONNECTED') {
        return false;
    }
    if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
    if (document.querySelector('[data-stale="true"]')) return false;
    // Placeholders shown while an element's code is still loading.
    if (document.querySelector('[data-testid^="stSkeleton"], [data-testid="stAppSkeleton"]')) return false;
    const settled = performance.now() - window.__lastChange > quietMs;
    if (document.querySelector('[data-testid="stException"]')) return settled;
    if (!document.querySelector('[data-testid="stMainBlockContainer"] h1')) return false;
    const captions = [...document.querySelectorAll('[data-testid="stCaptionContainer"]')].map(c => c.textContent);
    if (captions.some(text => FIRST_SCREEN_NOTES.includes(text.trim()))) return false;
    const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
    return settled && charts.every(chart => chart.querySelector('.main-svg'));
}""".replace("FIRST_SCREEN_NOTES", json.dumps(FIRST_SCREEN_NOTES, ensure_ascii=False))

# Page coordinates of every clickable marker of an area (township or county) on the map that names it on hover (its
# label may be shortened or left out where it does not fit), in whichever panel (subplot axes) it is drawn, kept
# only where the topmost element at that point is Plotly's drag layer (so a real click reaches Plotly).
MAP_POINTS_JS = """([name]) => {
    const plots = [...document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')];
    const gd = plots.find(g => (g._fullData || []).some(tr => tr.mode === 'markers' && tr.customdata
        && [...tr.customdata].some(c => c && c[1] === name)));
    if (!gd) return [];
    const layout = gd._fullLayout, box = gd.getBoundingClientRect(), points = [];
    for (const trace of gd._fullData) {
        if (!trace.customdata || trace.mode !== 'markers') continue;
        for (let i = 0; i < trace.x.length; i++) {
            if (!trace.customdata[i] || trace.customdata[i][1] !== name) continue;
            const xa = layout[trace.xaxis.replace('x', 'xaxis')], ya = layout[trace.yaxis.replace('y', 'yaxis')];
            const x = box.left + xa._offset + xa.l2p(trace.x[i]);
            const y = box.top + ya._offset + ya.l2p(trace.y[i]);
            const top = document.elementFromPoint(x, y);
            if (top && top.classList.contains('nsewdrag')) {
                points.push({x, y, code: trace.customdata[i][0], trace: trace.name});
            }
        }
    }
    return points;
}"""


@contextmanager
def headless_chromium():
    """Debian's Chromium, headless, for as long as the block lasts: the session's one browser (conftest's
    `chromium`), or a browser of its own for a test that must close it."""
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def _stop_tree(process: subprocess.Popen) -> None:
    try:
        parent = psutil.Process(process.pid)
        family = [parent, *parent.children(recursive=True)]
    except psutil.NoSuchProcess:
        return
    for member in family:
        try:
            member.terminate()
        except psutil.NoSuchProcess:
            pass
    _, alive = psutil.wait_procs(family, timeout=15)
    for member in alive:
        try:
            member.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(alive, timeout=15)


@contextmanager
def streamlit_server(folder: Path, data_dir: Path, log_path: Path, *, app: str = "app.py", port: int | None = None,
                     host_name: str = "127.0.0.1", env: dict | None = None, base_path: str = ""):
    """Run `streamlit run APP` in `folder` on `port` (default a free one) with FUPIN_DATA=data_dir, at `base_path`
    (a sub-path such as `fupin`, as behind nginx) if given; yield its base URL under `host_name` (an OIDC callback
    needs the name its redirect URI has); stop its process tree."""
    port = port or free_port()
    url = f"http://{host_name}:{port}" + (f"/{base_path}" if base_path else "")
    env = {**os.environ, "FUPIN_DATA": str(data_dir), "PYTHONUNBUFFERED": "1", **(env or {})}
    command = [sys.executable, "-m", "streamlit", "run", app, "--server.port", str(port),
               "--server.headless", "true", "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none", "--server.runOnSave", "false",
               *(["--server.baseUrlPath", base_path] if base_path else [])]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _healthy(url):
            if process.poll() is not None or time.monotonic() > deadline:
                tail = log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
                raise RuntimeError(f"streamlit did not become healthy at {url} (exit {process.poll()}):\n{tail}")
            time.sleep(0.25)
        yield url
    finally:
        _stop_tree(process)


def close_network(context, blocked: list[str]) -> None:
    """Abort every request of a browser context that would leave this machine, and record it in `blocked`."""
    def guard(route) -> None:
        url = route.request.url
        parts = urlparse(url)
        if parts.scheme in LOCAL_SCHEMES or parts.hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            blocked.append(url)
            route.abort("internetdisconnected")

    context.route("**/*", guard)
    context.on("websocket", lambda ws: None if urlparse(ws.url).hostname in LOCAL_HOSTS else blocked.append(ws.url))


def wait_idle(page, timeout: float = TIMEOUT_MS) -> None:
    """Wait until the app has finished its run and drawn every chart (on timeout, keep a screenshot of the page)."""
    try:
        page.wait_for_function(IDLE_JS, arg=QUIET_MS, timeout=timeout)
    except PlaywrightTimeoutError:
        FAILURES.mkdir(parents=True, exist_ok=True)
        shot = FAILURES / f"not_idle_{re.sub(r'[^A-Za-z0-9]+', '_', page.url)[-80:]}.png"
        page.screenshot(path=str(shot))
        raise AssertionError(f"the app did not settle on {page.url} (screenshot: {shot})") from None


class Visitor:
    """One browser context (a person with their own session) with the network closed to anything off this machine."""

    def __init__(self, browser, base_url: str, viewport: dict, **context_options):
        self.base_url = base_url
        self.blocked: list[str] = []
        self.page_errors: list[str] = []
        self.context = browser.new_context(viewport=viewport, accept_downloads=True, locale="zh-CN",
                                           timezone_id="Asia/Shanghai", **context_options)
        self.context.set_default_timeout(TIMEOUT_MS)
        self.context.add_init_script(MUTATIONS_JS)
        close_network(self.context, self.blocked)

    def new_page(self):
        """A blank tab whose script errors are recorded."""
        page = self.context.new_page()
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        return page

    def open(self, path: str):
        """A new tab on `path` of the app (or a full URL), once the app is idle."""
        page = self.new_page()
        page.goto(path if "://" in path else self.base_url + path)
        wait_idle(page)
        assert_no_exception(page)
        return page


def assert_no_exception(page) -> None:
    """Fail with the app's own error text when the page shows a Python exception."""
    errors = page.locator('[data-testid="stException"]').all_inner_texts()
    assert not errors, f"{page.url} shows an exception:\n" + "\n".join(errors)


CONTENT_BOTTOM_JS = """() => {
    const parts = document.querySelectorAll('[data-testid="stMainBlockContainer"] [data-testid="stElementContainer"],'
                                            + ' [data-testid="stSidebarUserContent"]');
    return Math.ceil(Math.max(0, ...[...parts].map(part => part.getBoundingClientRect().bottom)));
}"""


def capture(page, path: Path, max_height: int = 8000) -> None:
    """A PNG of the whole page: Streamlit scrolls inside its main block, so grow the viewport to the content first.

    Tables draw their rows only once they are in view, so the height is measured again until it holds.
    """
    for _ in range(4):
        height = min(max(page.evaluate(CONTENT_BOTTOM_JS) + 60, 600), max_height)
        if height == page.viewport_size["height"]:
            break
        page.set_viewport_size({"width": page.viewport_size["width"], "height": height})
        wait_idle(page)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))


# Every tile's label and value, read in one step: a page that runs again between two reads cannot mix two runs.
TILES_JS = """() => [...document.querySelectorAll('[data-testid="stMetric"]')].map(metric => [
    metric.querySelector('[data-testid="stMetricLabel"]').innerText.trim(),
    metric.querySelector('[data-testid="stMetricValue"]').innerText.trim()])"""


def tiles(page) -> dict[str, str]:
    """The KPI tiles (st.metric) of the page: label -> value with the unit its heading carries."""
    return dict(read_tile(label, value) for label, value in page.evaluate(TILES_JS))


def map_points(page, area_name: str) -> list[dict]:
    """Where a click on the map lands on `area_name` (page coordinates, with the code each point carries)."""
    return page.evaluate(MAP_POINTS_JS, [area_name])


def click_area(page, area_name: str) -> str:
    """Click an area of the map as a person would (a point in the middle of its clickable points); its code."""
    points = map_points(page, area_name)
    assert points, f"no clickable point of {area_name} on the map"
    point = points[len(points) // 2]
    page.mouse.click(point["x"], point["y"])
    return point["code"]


def pdf_pages(pdf: bytes) -> int:
    """The number of pages of a PDF written by Chromium (its page objects are not compressed)."""
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def selectbox(page, label: str):
    """The sidebar selectbox labelled `label` (its value is the option shown)."""
    return page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name=label, exact=True)


def choose(page, label: str, option: str) -> None:
    """Pick `option` in the sidebar selectbox labelled `label`, as a person would."""
    selectbox(page, label).click()
    page.keyboard.type(option)   # long lists draw only the options in view: narrow the list first
    page.get_by_role("option", name=option, exact=True).click()
