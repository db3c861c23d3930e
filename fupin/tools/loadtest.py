"""`python -m fupin loadtest`: the app on loopback, many headless browser sessions at once, for a bounded time.

Starts `streamlit run app.py` on 127.0.0.1 (a free port), measures cold start to the first KPI tile, then has
every session show the overview again and again with a different filter in the URL until time is up: a browser
session loads each URL, a websocket session keeps its connection and asks for a run with each URL's query string.
Reports errors, page-ready times (a KPI tile, data-testid="stMetric", visible) and the server's memory.
With `--url` it drives a deployment that already runs (through nginx, https, a sub-path) instead: each websocket
session first loads the page as a browser does (and keeps the cookies it is given, such as the replica affinity
cookie), from a loopback source address of its own when the deployment is on this machine.
"""

import asyncio
import datetime as dt
import http.client
import ipaddress
import os
import random
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from .. import settings
from ..settings import PROJECT_ROOT

# Only loopback is tested: every other host name fails to resolve in the browser itself (a CDN font or map file is
# never fetched), at no cost per request, unlike a Playwright route that pauses each request for the driver.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-dev-shm-usage", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
KPI_TILE = '[data-testid="stMetric"]'
ERROR_ELEMENT = '[data-testid="stException"]'
SESSIONS_PER_BROWSER = 10
PAGE_TIMEOUT_S = 300
START_TIMEOUT_S = 120
APP = PROJECT_ROOT / "app.py"
# In each page: when the browser painted the first KPI tile (Element Timing: the tile's parts are marked as they are
# inserted, before their first paint), in ms since the page's time origin; where no paint entry comes, the end of
# the first frame after the insertion.
TILE_PAINT_SCRIPT = """
new PerformanceObserver((entries) => {
  for (const entry of entries.getEntries()) {
    if (entry.identifier === 'kpi' && window.__kpiPainted === undefined) window.__kpiPainted = entry.renderTime;
  }
}).observe({type: 'element', buffered: true});
new MutationObserver((changes, observer) => {
  const tile = document.querySelector('KPI_TILE');
  if (!tile) return;
  observer.disconnect();
  for (const part of [tile, ...tile.querySelectorAll('*')]) part.setAttribute('elementtiming', 'kpi');
  requestAnimationFrame(() => setTimeout(() => { window.__kpiFrame = performance.now(); }));
}).observe(document, {subtree: true, childList: true});
""".replace("KPI_TILE", KPI_TILE)


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(data_dir: Path, port: int, log_path: Path, app: Path = APP) -> subprocess.Popen:
    """`streamlit run app.py` on 127.0.0.1:port with FUPIN_DATA pointing at `data_dir`."""
    env = {**os.environ, "FUPIN_DATA": str(data_dir)}
    command = [sys.executable, "-m", "streamlit", "run", str(app), "--server.address=127.0.0.1",
               f"--server.port={port}", "--server.headless=true", "--browser.gatherUsageStats=false",
               "--server.fileWatcherType=none", "--server.runOnSave=false"]
    log = open(log_path, "wb")
    return subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def stop_app(server: subprocess.Popen) -> None:
    """Stop a server from start_app: terminate, then kill if it has not exited within 20 s."""
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()


def wait_healthy(port: int, process: subprocess.Popen, timeout_s: float = START_TIMEOUT_S) -> None:
    """Wait until /_stcore/health answers ok; raise if the server exits or time runs out."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as answer:
                if answer.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"streamlit did not become healthy within {timeout_s:.0f} s")


class MemorySampler:
    """Samples the RSS of a process and its children in a background thread; keeps the peak."""

    def __init__(self, pid: int, every_s: float = 0.25):
        import psutil

        self.process = psutil.Process(pid)
        self.every_s = every_s
        self.peak_mb = 0.0
        self.last_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def rss_mb(self) -> float:
        import psutil

        total = 0
        for proc in [self.process, *self.process.children(recursive=True)]:
            try:
                total += proc.memory_info().rss
            except psutil.Error:
                pass
        return total / 2**20

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.last_mb = self.rss_mb()
            except Exception:   # the server went away: keep the last figure
                break
            self.peak_mb = max(self.peak_mb, self.last_mb)
            self._stop.wait(self.every_s)

    def __enter__(self) -> "MemorySampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


def filter_urls(base: str, data_dir: Path, count: int, seed: int = 11) -> list[str]:
    """Overview URLs with different filters in the query string (end date, township, buyer type); townships only
    when `data_dir` holds a snapshot."""
    import pyarrow.parquet as pq

    from ..store.snapshot import SnapshotError
    from ..store.store import SnapshotStore

    try:   # a deployment elsewhere: its townships are known only when this data folder holds the same data
        towns = pq.read_table(SnapshotStore(data_dir).current().table_path("townships")).to_pylist()
    except SnapshotError:
        towns = []
    rng = random.Random(seed)
    urls = []
    for _ in range(count):
        year = rng.choice((2018, 2019, 2020))
        params = {"to": (dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(40, 365))).isoformat()}
        active = [t["township_code"] for t in towns if t["first_year"] <= year <= t["last_year"] and t["lng"]]
        if active and rng.random() < 0.7:
            params["township"] = rng.choice(active)
        if rng.random() < 0.2:
            params["buyer_type"] = rng.choice(("supermarket", "food_enterprise", "catering", "base_company"))
        urls.append(f"{base}/?{urlencode(params)}")
    return urls


async def _load(page, url: str) -> dict:
    """Open a URL and wait for a KPI tile: {"ready_s": seconds}; raises on timeout or an exception shown by the
    app."""
    start = time.perf_counter()
    await page.goto(url, wait_until="commit", timeout=PAGE_TIMEOUT_S * 1000)
    await tile_or_error(page, PAGE_TIMEOUT_S)
    return {"ready_s": time.perf_counter() - start}


async def tile_or_error(page, timeout_s: float) -> None:
    """Wait for a KPI tile; raise as soon as the app shows an exception instead."""
    await page.wait_for_selector(f"{KPI_TILE}, {ERROR_ELEMENT}", state="visible", timeout=timeout_s * 1000)
    if await page.locator(ERROR_ELEMENT).count():
        text = (await page.locator(ERROR_ELEMENT).first.inner_text())[:300]
        raise RuntimeError(f"the app shows an exception at {page.url}: {text}")
    await page.wait_for_selector(KPI_TILE, state="visible", timeout=timeout_s * 1000)


async def _session(index: int, browser, urls: list[str], deadline: float, hard_deadline: float,
                   result: dict, delay_s: float = 0.0, think_s: float = 0.0, insecure: bool = False) -> None:
    """One visitor: after `delay_s`, load the overview with a new filter until time is up (at least once)."""
    await asyncio.sleep(delay_s)
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, ignore_https_errors=insecure)
    page = await context.new_page()
    try:
        await _visits(index, urls, deadline, hard_deadline, result, lambda url: _load(page, url), think_s)
    finally:
        await context.close()


async def _visits(index: int, urls: list[str], deadline: float, hard_deadline: float, result: dict,
                  load_once, think_s: float = 0.0) -> None:
    """Load pages of random filters until time is up (at least one, until the hard deadline), looking at each
    for a random time of mean `think_s` (none when 0); record each load's time, or its error: a failed load is
    a finding, not a crash of the harness."""
    rng = random.Random(index)
    while time.monotonic() < deadline or (result["loads"][index] == 0 and time.monotonic() < hard_deadline):
        url = rng.choice(urls)
        try:
            timed = await load_once(url)
            result["ready_s"].append(timed["ready_s"])
            if timed.get("complete_s") is not None:
                result["complete_s"].append(timed["complete_s"])
            result["loads"][index] += 1
        except Exception as e:
            result["errors"].append(f"session {index}: {type(e).__name__}: {str(e).splitlines()[0][:200]}")
            if time.monotonic() >= deadline:
                break
        if think_s > 0:
            await asyncio.sleep(min(rng.expovariate(1 / think_s), max(0.0, deadline - time.monotonic())))


async def _ws_run(ws, url: str) -> dict:
    """One filter change the way Streamlit's frontend asks for it, without a browser: ask the session's open
    websocket for a run of the page with the URL's query string (the app takes a query string it did not write
    as a link followed, and shows its view), then read until the run has finished.

    Measures the server alone: {"ready_s": seconds to the first KPI tile (a metric element), "complete_s": to the
    end of the run, and of the runs the app asks for after it}; raises on a timeout, an exception element or a run
    without a tile.
    """
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    start = time.perf_counter()
    ready = None
    back = BackMsg()
    back.rerun_script.query_string = url.split("?", 1)[1] if "?" in url else ""
    await ws.send(back.SerializeToString())
    async with asyncio.timeout(PAGE_TIMEOUT_S):
        async for frame in ws:
            msg = ForwardMsg()
            msg.ParseFromString(frame)
            if msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element":
                kind = msg.delta.new_element.WhichOneof("type")
                if kind == "exception":
                    raise RuntimeError(f"the app shows an exception: {msg.delta.new_element.exception.message}")
                if kind == "metric" and ready is None:
                    ready = time.perf_counter() - start
            if msg.WhichOneof("type") == "script_finished":
                if msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue   # the app asked for another run (a new server's first run registers the pages)
                if ready is None:
                    raise RuntimeError(f"the run finished without a KPI tile at {url}")
                return {"ready_s": ready, "complete_s": time.perf_counter() - start}
    raise RuntimeError(f"the connection closed without a KPI tile at {url}")


@dataclass(frozen=True)
class Target:
    """Where the sessions go: the app's base URL (`http://127.0.0.1:8501`, or `https://host:8644/fupin` through
    nginx), whether a self-signed certificate is accepted, and whether each session gets a loopback source address
    of its own (an office's many desks rather than one)."""

    base: str
    insecure: bool = False

    @property
    def parts(self):
        return urlsplit(self.base)

    @property
    def origin(self) -> str:
        return f"{self.parts.scheme}://{self.parts.netloc}"

    @property
    def stream_url(self) -> str:
        scheme = "wss" if self.parts.scheme == "https" else "ws"
        return f"{scheme}://{self.parts.netloc}{self.parts.path.rstrip('/')}/_stcore/stream"

    def tls(self) -> ssl.SSLContext | None:
        if self.parts.scheme != "https":
            return None
        context = ssl.create_default_context()
        if self.insecure:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        return context

    def source(self, index: int) -> tuple[str, int] | None:
        """A loopback source address for session `index` (127.0.1.1, 127.0.1.2, ...) when the app is on this
        machine's IPv4 loopback; None otherwise."""
        try:
            if not ipaddress.ip_address(self.parts.hostname).is_loopback or ":" in self.parts.hostname:
                return None
        except ValueError:
            return None
        return f"127.0.{1 + index // 250}.{1 + index % 250}", 0

    def cookies(self, index: int) -> str | None:
        """Load the page as a browser does first; the cookies it sets (the replica affinity cookie behind nginx),
        as a Cookie header."""
        parts = self.parts
        port = parts.port or (443 if parts.scheme == "https" else 80)
        if parts.scheme == "https":
            con = http.client.HTTPSConnection(parts.hostname, port, timeout=PAGE_TIMEOUT_S, context=self.tls(),
                                              source_address=self.source(index))
        else:
            con = http.client.HTTPConnection(parts.hostname, port, timeout=PAGE_TIMEOUT_S,
                                             source_address=self.source(index))
        try:
            con.request("GET", parts.path.rstrip("/") + "/")
            answer = con.getresponse()
            answer.read()
            if answer.status >= 400:
                raise RuntimeError(f"GET {self.base}/ answered HTTP {answer.status}")
            jar = SimpleCookie()
            for value in answer.headers.get_all("Set-Cookie") or []:
                jar.load(value)
        finally:
            con.close()
        return "; ".join(f"{name}={morsel.value}" for name, morsel in jar.items()) or None


class _WsTab:
    """A session's websocket, as a browser tab keeps it open: connected on first use (after loading the page, for
    its cookies, when the app is reached by URL), and again after a failed run (whose messages would otherwise be
    read as the next run's)."""

    def __init__(self, target: Target, index: int, load_page: bool = False):
        self.target, self.index, self.load_page = target, index, load_page
        self.ws = None

    async def run(self, url: str) -> dict:
        from websockets.asyncio.client import connect

        if self.ws is None:
            cookies = await asyncio.to_thread(self.target.cookies, self.index) if self.load_page else None
            source = self.target.source(self.index) if self.load_page else None
            self.ws = await connect(self.target.stream_url, subprotocols=["streamlit"], origin=self.target.origin,
                                    max_size=None, open_timeout=PAGE_TIMEOUT_S, ssl=self.target.tls(),
                                    additional_headers={"Cookie": cookies} if cookies else None,
                                    **({"local_addr": source} if source else {}))
        try:
            return await _ws_run(self.ws, url)
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        if self.ws is not None:
            ws, self.ws = self.ws, None
            await ws.close()


async def _ws_session(index: int, target: Target, urls: list[str], deadline: float, hard_deadline: float,
                      result: dict, delay_s: float = 0.0, think_s: float = 0.0, load_page: bool = False) -> None:
    """One websocket visitor: after `delay_s`, one session (one connection) that runs the overview with a new
    filter until time is up."""
    await asyncio.sleep(delay_s)
    tab = _WsTab(target, index, load_page)
    try:
        await _visits(index, urls, deadline, hard_deadline, result, tab.run, think_s)
    finally:
        await tab.close()


async def first_tile(browser, url: str, started: float, retry_s: float, tile_timeout_s: float,
                     viewport: dict | None = None) -> dict:
    """The first KPI tile in a new browser context, in seconds from `started` (time.monotonic): `painted` when the
    browser painted it, `seen` when the driver found it visible (later while a long script, plotly.js being
    evaluated, holds the page), and `navigated` when the page was asked for. The page is retried for `retry_s`
    from `started` while the server is not yet listening."""
    context = await browser.new_context(**({"viewport": viewport} if viewport else {}))
    await context.add_init_script(TILE_PAINT_SCRIPT)
    page = await context.new_page()
    try:
        while True:
            try:
                await page.goto(url, wait_until="commit", timeout=PAGE_TIMEOUT_S * 1000)
                break
            except Exception:   # server not listening yet
                if time.monotonic() - started > retry_s:
                    raise
                await asyncio.sleep(0.05)
        await tile_or_error(page, tile_timeout_s)
        seen = time.monotonic()
        origin_ms, painted_ms = await page.evaluate(
            "() => [performance.timeOrigin, window.__kpiPainted || window.__kpiFrame || performance.now()]")
        navigated = origin_ms / 1000 - (time.time() - time.monotonic())   # the page's time origin, monotonic
        return {"navigated": navigated - started, "painted": navigated + painted_ms / 1000 - started,
                "seen": seen - started}
    finally:
        await context.close()


async def _drive(data_dir: Path, sessions: int, seconds: float, log_path: Path, app: Path, ramp_s: float,
                 clients: str, think_s: float) -> dict:
    from playwright.async_api import async_playwright

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    urls = filter_urls(base, data_dir, count=max(40, sessions * 2))
    async with async_playwright() as pw:
        browser_count = max(1, -(-sessions // SESSIONS_PER_BROWSER)) if clients == "browser" else 1
        browsers = [await pw.chromium.launch(executable_path=settings.chromium(), headless=True, args=CHROMIUM_ARGS)
                    for _ in range(browser_count)]
        started = time.monotonic()
        server = start_app(data_dir, port, log_path, app)
        try:
            first = await first_tile(browsers[0], f"{base}/", started, START_TIMEOUT_S, START_TIMEOUT_S)
            first_paint = first["painted"]
            await asyncio.to_thread(wait_healthy, port, server)
            with MemorySampler(server.pid) as memory:
                idle_mb = memory.rss_mb()
                result = {"ready_s": [], "complete_s": [], "errors": [], "loads": [0] * sessions}
                began = time.monotonic()
                deadline = began + seconds
                hard_deadline = deadline + 2 * PAGE_TIMEOUT_S
                if clients == "browser":
                    await browsers[0].close()   # only the first paint used it; its memory goes to the sessions
                    browsers = browsers[1:] or [await pw.chromium.launch(
                        executable_path=settings.chromium(), headless=True, args=CHROMIUM_ARGS)]
                    runs = [_session(i, browsers[i % len(browsers)], urls, deadline, hard_deadline, result,
                                     delay_s=ramp_s * i / sessions, think_s=think_s) for i in range(sessions)]
                else:
                    runs = [_ws_session(i, Target(base), urls, deadline, hard_deadline, result,
                                        delay_s=ramp_s * i / sessions, think_s=think_s) for i in range(sessions)]
                await asyncio.gather(*runs)
                elapsed = time.monotonic() - began
                final_mb = memory.rss_mb()
            alive = server.poll() is None
        finally:
            stop_app(server)
            for browser in browsers:
                await browser.close()
    return {**_summary(result, clients, sessions, ramp_s, think_s, elapsed),
            "cold_start_first_paint_s": first_paint,
            "server_rss_mb": {"idle": idle_mb, "peak": memory.peak_mb, "end": final_mb},
            "server_alive_at_end": alive, "server_log": str(log_path)}


def _summary(result: dict, clients: str, sessions: int, ramp_s: float, think_s: float, elapsed: float) -> dict:
    """The figures of a run: page loads, errors, and percentiles of the time to a tile and to the run's end."""
    from .bench.measure import percentile

    ready, complete = result["ready_s"], result["complete_s"]
    return {
        "clients": clients, "sessions": sessions, "ramp_s": ramp_s, "think_s": think_s, "seconds": round(elapsed, 1),
        "page_loads": len(ready),
        "sessions_with_a_tile": sum(1 for n in result["loads"] if n > 0),
        "errors": len(result["errors"]), "error_samples": result["errors"][:10],
        "ready_p50_s": percentile(ready, 50) if ready else None,
        "ready_p95_s": percentile(ready, 95) if ready else None,
        "ready_max_s": max(ready) if ready else None,
        "complete_p50_s": percentile(complete, 50) if complete else None,
        "complete_p95_s": percentile(complete, 95) if complete else None,
    }


async def _drive_url(target: Target, data_dir: Path, sessions: int, seconds: float, ramp_s: float, clients: str,
                     think_s: float) -> dict:
    urls = filter_urls(target.base.rstrip("/"), data_dir, count=max(40, sessions * 2))
    result = {"ready_s": [], "complete_s": [], "errors": [], "loads": [0] * sessions}
    began = time.monotonic()
    deadline = began + seconds
    hard_deadline = deadline + 2 * PAGE_TIMEOUT_S
    if clients == "websocket":
        await asyncio.gather(*[_ws_session(i, target, urls, deadline, hard_deadline, result,
                                           delay_s=ramp_s * i / sessions, think_s=think_s, load_page=True)
                               for i in range(sessions)])
    else:
        from playwright.async_api import async_playwright

        # Only the deployment's host is reached: every other name fails to resolve in the browser itself.
        args = [a for a in CHROMIUM_ARGS if not a.startswith("--host-resolver-rules")]
        args.append(f"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE {target.parts.hostname}")
        async with async_playwright() as pw:
            browsers = [await pw.chromium.launch(executable_path=settings.chromium(), headless=True, args=args)
                        for _ in range(max(1, -(-sessions // SESSIONS_PER_BROWSER)))]
            try:
                await asyncio.gather(*[_session(i, browsers[i % len(browsers)], urls, deadline, hard_deadline, result,
                                                delay_s=ramp_s * i / sessions, think_s=think_s,
                                                insecure=target.insecure) for i in range(sessions)])
            finally:
                for browser in browsers:
                    await browser.close()
    return {**_summary(result, clients, sessions, ramp_s, think_s, time.monotonic() - began), "url": target.base,
            "cold_start_first_paint_s": None, "server_rss_mb": None, "server_alive_at_end": None}


def run_url(url: str, data_dir: Path, sessions: int = 30, seconds: float = 60, ramp_s: float = 10,
            clients: str = "websocket", think_s: float = 0.0, insecure: bool = False) -> dict:
    """Drive `sessions` concurrent sessions against a deployment that already runs at `url` (through nginx, https,
    a sub-path), as `run` does against its own server; `data_dir` gives the townships of the filters when it holds
    the deployment's data. No cold start or server memory is measured."""
    if clients not in ("browser", "websocket"):
        raise ValueError(f"clients must be browser or websocket, not {clients!r}")
    target = Target(url.rstrip("/"), insecure)
    if target.parts.scheme not in ("http", "https") or not target.parts.hostname:
        raise ValueError(f"--url must be an http or https address, not {url!r}")
    return run_async(lambda: _drive_url(target, Path(data_dir), sessions, seconds, ramp_s, clients, think_s))


def run(data_dir: Path, sessions: int = 30, seconds: float = 60, log_path: Path | None = None,
        app: Path = APP, ramp_s: float = 10, clients: str = "browser", think_s: float = 0.0) -> dict:
    """Drive `sessions` concurrent sessions against the app on loopback for about `seconds`, starting evenly
    over the first `ramp_s` seconds (people open a shared link within seconds), each looking at a page for a
    random time of mean `think_s` before the next filter (0: at once).

    `clients` is "browser" (headless Chromium: what a person sees, browsers and server sharing this machine's
    CPU) or "websocket" (Streamlit's own protocol without rendering: the server's share alone).
    """
    if clients not in ("browser", "websocket"):
        raise ValueError(f"clients must be browser or websocket, not {clients!r}")
    log_path = log_path or Path(data_dir) / "loadtest-server.log"
    return run_async(lambda: _drive(Path(data_dir), sessions, seconds, Path(log_path), Path(app), ramp_s, clients,
                                    think_s))


def run_async(coroutine: Callable[[], Coroutine]):
    """Run a coroutine to its end in a thread of its own (the caller may already run an event loop, as sync
    Playwright does); its result, or its exception raised here."""
    outcome: dict = {}

    def drive() -> None:
        try:
            outcome["result"] = asyncio.run(coroutine())
        except BaseException as e:
            outcome["error"] = e

    thread = threading.Thread(target=drive, name="run_async")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def render(result: dict) -> str:
    """A few lines for the terminal."""
    mem = result["server_rss_mb"]
    lines = [
        *([f"against {result['url']}"] if result.get("url") else []),
        f"{result['sessions']} {result['clients']} sessions (started over {result['ramp_s']:.0f} s, "
        f"looking {result['think_s']:g} s on average between filters), "
        f"{result['seconds']} s: "
        f"{result['page_loads']} page loads, "
        f"{result['errors']} errors, {result['sessions_with_a_tile']}/{result['sessions']} sessions saw a KPI tile",
        f"page ready (KPI tile visible): p50 {result['ready_p50_s']:.2f} s, p95 {result['ready_p95_s']:.2f} s, "
        f"max {result['ready_max_s']:.2f} s" if result["page_loads"] else "page ready: no page became ready",
        *([f"whole page run (server side): p50 {result['complete_p50_s']:.2f} s, "
           f"p95 {result['complete_p95_s']:.2f} s"] if result["complete_p50_s"] is not None else []),
        *([f"cold start to first KPI tile: {result['cold_start_first_paint_s']:.2f} s",
           f"server RSS (streamlit and children): idle {mem['idle']:.0f} MB, peak {mem['peak']:.0f} MB, "
           f"end {mem['end']:.0f} MB"] if mem else []),
    ]
    lines += [f"  {e}" for e in result["error_samples"]]
    return "\n".join(lines)
