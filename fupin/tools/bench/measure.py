"""Measuring helpers shared by both sides: percentiles, peak RSS, opening a snapshot by its folder."""

import math
import resource
from pathlib import Path

from ...store.snapshot import Snapshot
from ...store.store import SnapshotStore

# How many earlier filters are repeated to time answers from the result cache.
WARM_REPEATS = 10


def percentile(values: list[float], pct: float) -> float:
    """The nearest-rank percentile (p95 of 20 values is the 19th smallest)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def summary(values: list[float]) -> dict:
    """n, p50, p95, min and max of timings in milliseconds."""
    return {"n": len(values), "p50": percentile(values, 50), "p95": percentile(values, 95),
            "min": min(values), "max": max(values)}


def cpu_ms() -> float:
    """CPU time this process has used so far (all threads, user + system), in ms: less disturbed than
    wall time when other programs share the machine."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return (usage.ru_utime + usage.ru_stime) * 1000


def peak_rss_mb() -> float:
    """This process's peak resident set size so far, in MiB.

    VmHWM belongs to the address space, which exec replaces; ru_maxrss would carry over the peak of the
    parent that forked this process, so it is only the fallback where /proc is missing.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def open_snapshot(path: str) -> Snapshot:
    """The snapshot stored in this folder."""
    folder = Path(path)
    return SnapshotStore(folder.parent.parent).get(folder.name)
