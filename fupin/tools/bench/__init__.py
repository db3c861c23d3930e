"""`python -m fupin bench`: the pages' queries against a pandas app at several sizes, each side in its own process."""

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
        "packages": {name: metadata.version(name) for name in ("duckdb", "pandas", "pyarrow", "streamlit")},
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


def run_size(rows: float, data_dir: Path, work_dir: Path, reps: int, with_pandas: bool,
             progress: Callable[[str], None]) -> dict:
    """Generate or reuse the snapshot of one size, then time both sides on the same filters."""
    scale = scale_for(rows)
    started = time.perf_counter()
    snapshot = ensure_snapshot(data_dir, scale)
    generated_s = time.perf_counter() - started
    plan = work_dir / f"plan-scale-{scale}.json"
    flts = filters(snapshot, reps + 1)
    write_plan(plan, snapshot, flts[1:], export_filter(snapshot), warmup=flts[0])
    purchases = snapshot.rows("purchases")
    progress(f"{purchases:,} rows: engine")
    load_before = os.getloadavg()[0]
    result = {"rows_requested": rows, "scale": scale, "purchase_rows": purchases, "snapshot": snapshot.id,
              "snapshot_mb": sum(t["bytes"] for t in snapshot.manifest["tables"].values()) / 2**20,
              "snapshot_ready_s": generated_s, "repetitions": reps,
              "duckdb": _child("duck", plan, timeout=3600)}
    if with_pandas:
        progress(f"{purchases:,} rows: pandas baseline")
        result["pandas"] = _child("pandas_app", plan, timeout=3600)
        result["baseline_differs"] = agreement(result["duckdb"].pop("digests"), result["pandas"].pop("digests"))
    else:
        result["duckdb"].pop("digests")
    # Other programs on the machine slow wall times (not CPU times): the 1-minute load before and after.
    result["load_average"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    return result


def run(sizes: list[float], data_dir: Path, out_dir: Path, reps: int = 20, pandas_max_rows: float = 2e7,
        progress: Callable[[str], None] = lambda message: None) -> dict:
    """Benchmark every size; write results.json and results.md into `out_dir`; return the results."""
    out_dir.mkdir(parents=True, exist_ok=True)
    results = {"machine": machine(), "started": time.strftime("%Y-%m-%d %H:%M:%S %z"), "sizes": []}
    for rows in sizes:
        results["sizes"].append(run_size(rows, data_dir, out_dir, reps, rows <= pandas_max_rows, progress))
    results["targets"] = verdicts(results["sizes"])
    (out_dir / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    (out_dir / "results.md").write_text(markdown(results), encoding="utf-8")
    return results
