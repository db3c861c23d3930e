"""`python -m fupin bench`: the pages' queries against a pandas app and a polars app at several sizes, each side in
its own process."""

import json
import math
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from ...settings import PROJECT_ROOT
from . import served_export
from .report import markdown, verdicts
from .workload import ensure_snapshot, export_filter, filters, scale_for, write_plan

# Relative tolerance when checking the pandas baseline's figures against the engine's.
AGREEMENT = 1e-6


def machine() -> dict:
    """What the figures were taken on: CPU, cores, memory, Python and package versions."""
    import psutil

    model = platform.processor()
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, timeout=10).stdout
        model = next((line.split(":", 1)[1].strip() for line in out.splitlines()
                      if line.startswith("Model name")), model)
    except (OSError, subprocess.SubprocessError):
        pass
    return {
        "cpu": model, "cores": os.cpu_count(), "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "os": platform.platform(), "python": platform.python_version(),
        "packages": {name: metadata.version(name) for name in ("duckdb", "pandas", "polars", "pyarrow", "streamlit")},
    }


def _child(module: str, plan: Path, timeout: float) -> dict:
    """Run one side in a fresh process (so its peak RSS is its own) and read its JSON answer."""
    result = subprocess.run([sys.executable, "-m", f"fupin.tools.bench.{module}", str(plan)], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"{module} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _close(a, b) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b))
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(a, b, rel_tol=AGREEMENT, abs_tol=0.01)
    return a == b


def agreement(duck: list[dict], pandas: list[dict]) -> list[str]:
    """The figures where the pandas baseline differs from the engine (empty when they agree)."""
    return [f"filter {i}: {key}" for i, (d, p) in enumerate(zip(duck, pandas))
            for key in d if not _close(d[key], p.get(key))]


def run_size(rows: float, data_dir: Path, work_dir: Path, reps: int, baselines: tuple[str, ...],
             progress: Callable[[str], None]) -> dict:
    """Generate or reuse the snapshot of one size, then time the engine and each baseline on the same filters."""
    scale = scale_for(rows)
    started = time.perf_counter()
    snapshot = ensure_snapshot(data_dir, scale)
    generated_s = time.perf_counter() - started
    plan = work_dir / f"plan-scale-{scale}.json"
    flts = filters(snapshot, reps + 1)
    write_plan(plan, snapshot, flts[1:], export_filter(snapshot), warmup=flts[0])
    purchases = snapshot.rows("purchases")
    progress(f"{purchases:,} rows: engine")
    # Other programs on the machine slow wall times (not CPU times): the 1, 5 and 15-minute loads before and after.
    load_before = [round(x, 2) for x in os.getloadavg()]
    result = {"rows_requested": rows, "scale": scale, "purchase_rows": purchases, "snapshot": snapshot.id,
              "snapshot_mb": sum(t["bytes"] for t in snapshot.manifest["tables"].values()) / 2**20,
              "snapshot_ready_s": generated_s, "repetitions": reps,
              "duckdb": _child("duck", plan, timeout=3600)}
    digests = result["duckdb"].pop("digests")
    progress(f"{purchases:,} rows: the app's download route")
    result["served_export"] = served_export.run(data_dir / f"scale-{scale}", snapshot, export_filter(snapshot),
                                                work_dir / f"served-export-scale-{scale}.log")
    result["baseline_differs"] = {}
    for name in baselines:
        progress(f"{purchases:,} rows: {name} baseline")
        try:
            answer = _child(f"{name}_app", plan, timeout=3600)
        except (RuntimeError, subprocess.TimeoutExpired) as e:   # out of memory, say: a finding, not a crash
            result.setdefault("baseline_failed", {})[name] = str(e)[-500:]
            continue
        result["baseline_differs"][name] = agreement(digests, answer.pop("digests"))
        result[name] = answer
    result["load_average"] = {"before": load_before, "after": [round(x, 2) for x in os.getloadavg()]}
    return result


def run(sizes: list[float], data_dir: Path, out_dir: Path, reps: int = 20, pandas_max_rows: float = 2e7,
        polars_max_rows: float = 5e7, progress: Callable[[str], None] = lambda message: None,
        json_path: Path | None = None) -> dict:
    """Benchmark every size (each baseline up to its row limit); write results.json (or `json_path`) and results.md
    into `out_dir`; return the results."""
    out_dir.mkdir(parents=True, exist_ok=True)
    results = {"machine": machine(), "started": time.strftime("%Y-%m-%d %H:%M:%S %z"),
               "load_average": [round(x, 2) for x in os.getloadavg()], "sizes": []}
    for rows in sizes:
        baselines = tuple(name for name, limit in (("pandas", pandas_max_rows), ("polars", polars_max_rows))
                          if rows <= limit)
        results["sizes"].append(run_size(rows, data_dir, out_dir, reps, baselines, progress))
    results["finished"] = time.strftime("%Y-%m-%d %H:%M:%S %z")
    results["targets"] = verdicts(results["sizes"])
    write_atomically(json_path or out_dir / "results.json", json.dumps(results, ensure_ascii=False, indent=2))
    write_atomically(out_dir / "results.md", markdown(results))
    return results


def write_atomically(path: Path, text: str) -> None:
    """Write a text file whole or not at all (a temporary file beside it, then renamed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)
