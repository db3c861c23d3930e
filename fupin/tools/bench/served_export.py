"""The records CSV as the app serves it: `streamlit run app.py` on a bench store, the export's download route asked
for over HTTP (demo mode: the store has no accounts), the body read to the end; the server's RSS idle (ready, the
default view warmed) and its peak while it streams."""

import time
import urllib.request
from pathlib import Path

from ...auth import grants
from ...query.filters import Filter
from ...report.exports import RecordExport, link
from ...store.snapshot import Snapshot
from ..loadtest import MemorySampler, free_port, start_app, stop_app

READY_TIMEOUT_S = 600    # a 50M-row store verifies every file once before the app is ready
IDLE_S = 3.0             # the server left alone after ready, before its idle RSS is read
BLOCK = 1 << 20


def _wait_ready(url: str, server, timeout_s: float = READY_TIMEOUT_S) -> float:
    started = time.monotonic()
    while True:
        try:
            with urllib.request.urlopen(f"{url}/readyz", timeout=5) as answer:
                if answer.status == 200:
                    return time.monotonic() - started
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() - started > timeout_s:
            raise RuntimeError(f"the app did not become ready (exit {server.poll()})")
        time.sleep(0.1)


def run(data_dir: Path, snapshot: Snapshot, flt: Filter, log_path: Path) -> dict:
    """Serve the CSV of every purchase record of `flt` from the app at `data_dir`: rows, MB, seconds, first byte,
    the server's RSS idle and at its peak (MiB, the process and its children)."""
    export = RecordExport("purchases", snapshot.id, flt, "zh", "采购明细", (flt.counties[0], flt.township or ""))
    token = grants.issue(data_dir, export.text(), grants.Holder("demo", "演示"), {})
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = start_app(data_dir, port, log_path)
    try:
        ready_s = _wait_ready(url, server)
        with MemorySampler(server.pid, every_s=0.1) as memory:
            time.sleep(IDLE_S)
            idle = memory.rss_mb()
            started = time.perf_counter()
            size, lines, first_byte = 0, 0, None
            with urllib.request.urlopen(url + link("", "csv", token), timeout=3600) as answer:
                while block := answer.read(BLOCK):
                    first_byte = first_byte or time.perf_counter() - started
                    size += len(block)
                    lines += block.count(b"\n")
            seconds = time.perf_counter() - started
        return {"rows": lines - 1, "mb": size / 2**20, "seconds": seconds, "first_byte_s": first_byte,
                "ready_s": ready_s, "rss_idle_mb": idle, "rss_peak_mb": memory.peak_mb,
                "rss_above_idle_mb": memory.peak_mb - idle}
    finally:
        stop_app(server)
