"""What both in-memory baselines (pandas_app, polars_app) measure, the same way: every table read once, each
filter's pages timed, one filter's records exported as CSV, and the figures the bench checks against the engine's."""

import json
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ...query.filters import Filter
from ...store.snapshot import Snapshot
from .measure import WARM_REPEATS, cpu_ms, open_snapshot, peak_rss_mb, summary
from .workload import read_plan


@dataclass(frozen=True)
class Baseline:
    """One library's version of the pages."""

    load: Callable[[Snapshot], dict]                # every table the app reads, in memory
    pages: Callable[[dict, Filter], None]           # the overview's and the purchases page's data of a filter
    export_csv: Callable[[dict, Filter, Path], int]  # a filter's records into a CSV file; the rows written
    digest: Callable[[dict, Filter], dict]          # the figures duck.digest computes


def interaction(baseline: Baseline, tables: dict, flt: Filter, cpu: list[float] | None = None) -> float:
    """Milliseconds for both pages' data of one filter (CPU ms appended to `cpu`)."""
    cpu_start = cpu_ms()
    start = time.perf_counter()
    baseline.pages(tables, flt)
    wall = (time.perf_counter() - start) * 1000
    if cpu is not None:
        cpu.append(cpu_ms() - cpu_start)
    return wall


def run(baseline: Baseline, plan_path: str) -> dict:
    """The baseline's figures for a bench plan: read time, cold and warm interactions, export, peak RSS, digests."""
    plan = read_plan(Path(plan_path))
    rss_start = peak_rss_mb()
    snapshot = open_snapshot(plan["snapshot"])
    start = time.perf_counter()
    tables = baseline.load(snapshot)
    read_ms = (time.perf_counter() - start) * 1000
    first = interaction(baseline, tables, plan["warmup"])
    flts = plan["filters"]
    cpu: list[float] = []
    warm = [interaction(baseline, tables, flt, cpu) for flt in flts]
    export_start = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        rows = baseline.export_csv(tables, plan["export"], Path(folder) / "export.csv")
    export_ms = (time.perf_counter() - export_start) * 1000
    digests = [baseline.digest(tables, flt) for flt in flts[:3]] + [baseline.digest(tables, plan["export"])]
    return {
        "read_ms": read_ms,
        "cold_interaction_ms": read_ms + first,
        "interaction_ms": summary(warm),
        "interaction_cpu_ms": summary(cpu),
        "repeat_ms": summary([interaction(baseline, tables, flt) for flt in flts[:WARM_REPEATS]]),
        "export": {"rows": rows, "ms": export_ms},
        "rss_mb": {"after_imports": rss_start, "peak": peak_rss_mb()},
        "digests": digests,
    }


def main(baseline: Baseline) -> None:
    """`python -m fupin.tools.bench.<baseline> PLAN.json`: one JSON object on stdout."""
    print(json.dumps(run(baseline, sys.argv[1]), ensure_ascii=False))
