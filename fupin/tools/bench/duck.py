"""The engine's side of the benchmark, run in a process of its own: `python -m fupin.tools.bench.duck PLAN.json`.

Times the pages' real calls (page_data.overview + page_data.purchases) for each planned filter, the CSV export
of one township-year, and reports the process's peak RSS; prints one JSON object on stdout.
"""

import shutil
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from ...query.db import ResultCache, SnapshotDB
from ...query.filters import Filter
from ...report import page_data
from ...text.export import csv_file
from .measure import WARM_REPEATS, cpu_ms, open_snapshot, peak_rss_mb, summary
from .workload import read_plan


def interaction(db: SnapshotDB, flt: Filter, cpu: list[float] | None = None) -> tuple[float, float]:
    """Milliseconds for the overview's and the purchases page's data of one filter (CPU ms appended to `cpu`)."""
    cpu_start = cpu_ms()
    start = time.perf_counter()
    page_data.overview(db, flt)
    middle = time.perf_counter()
    page_data.purchases(db, flt)   # its first page of records included
    end = time.perf_counter()
    if cpu is not None:
        cpu.append(cpu_ms() - cpu_start)
    return (middle - start) * 1000, (end - middle) * 1000


def digest(db: SnapshotDB, flt: Filter) -> dict:
    """A few figures of a filter that the pandas baseline must reproduce (proof it does the same work)."""
    totals = db.run_filtered("purchase_totals", flt).iloc[0]
    monthly = page_data.figure_part(page_data.purchase_figures(db, flt), "month")
    top = db.run_filtered("purchase_top_buyers", flt, limit=5)
    records = page_data.purchase_records(db, flt, page=0, rows=10)
    county = db.run_filtered("purchase_by_township", page_data.scope_wide(flt))
    return {
        "records": int(totals["records"]),
        "buyers": int(totals["buyers"]),
        "amount_yuan": float(totals["amount_yuan"]),
        "poor_village_amount_yuan": float(totals["poor_village_amount_yuan"]),
        "monthly_amount_yuan": {str(pd.Timestamp(m).date()): float(a)
                                for m, a in zip(monthly["month"], monthly["amount_yuan"])},
        "top_buyers": [[b, float(a), int(h), int(c)] for b, a, h, c in
                       zip(top["buyer_id"], top["amount_yuan"], top["poor_households"], top["cooperatives"])],
        "first_record_ids": [int(i) for i in records["purchase_id"]],
        "township_amount_yuan": {c: float(a) for c, a in zip(county["township_code"], county["amount_yuan"])
                                 if a > 0},
    }


def export_csv(db: SnapshotDB, flt: Filter, folder: Path) -> dict:
    """All records of the export filter, streamed into a CSV file the way the app's download writes it."""
    path = folder / "export.csv"
    start = time.perf_counter()
    rows = 0

    def counted():
        nonlocal rows
        for chunk in page_data.purchase_record_batches(db, flt):
            rows += len(chunk)
            yield chunk

    with csv_file(counted()) as csv, open(path, "wb") as out:
        shutil.copyfileobj(csv, out)
    seconds = time.perf_counter() - start
    return {"rows": rows, "mb": path.stat().st_size / 2**20, "ms": seconds * 1000}


def main(plan_path: str) -> dict:
    plan = read_plan(Path(plan_path))
    rss_start = peak_rss_mb()
    snapshot = open_snapshot(plan["snapshot"])
    opened = time.perf_counter()
    db = SnapshotDB(snapshot)
    open_ms = (time.perf_counter() - opened) * 1000
    first = sum(interaction(db, plan["warmup"]))
    flts = plan["filters"]

    # The app's way: one shared SnapshotDB whose result cache the two pages share; emptied before each
    # new filter, so nothing earlier repetitions computed is reused.
    fresh, per_page, cpu = [], [], []
    for flt in flts:
        db.cache = ResultCache(db.cache.entries, db.cache.max_rows)
        over, purch = interaction(db, flt, cpu)
        fresh.append(over + purch)
        per_page.append((over, purch))

    # Every query executed, nothing shared even within the interaction.
    uncached_db = SnapshotDB(snapshot, cache_entries=0)
    uncached = [sum(interaction(uncached_db, flt)) for flt in flts]
    uncached_db.close()

    # A filter someone opened before: every query answered from the result cache.
    warm = []
    for flt in flts[:WARM_REPEATS]:
        interaction(db, flt)
        warm.append(sum(interaction(db, flt)))
    rss_interactions = peak_rss_mb()

    with tempfile.TemporaryDirectory() as folder:
        export = export_csv(db, plan["export"], Path(folder))
    digests = [digest(db, flt) for flt in flts[:3]] + [digest(db, plan["export"])]
    db.close()
    return {
        "open_ms": open_ms,
        "first_interaction_ms": first,
        "interaction_ms": summary(fresh),
        "interaction_cpu_ms": summary(cpu),
        "overview_ms": summary([o for o, _ in per_page]),
        "purchases_page_ms": summary([p for _, p in per_page]),
        "uncached_interaction_ms": summary(uncached),
        "cached_interaction_ms": summary(warm),
        "export": export,
        "rss_mb": {"after_imports": rss_start, "peak_interactions": rss_interactions, "peak": peak_rss_mb()},
        "digests": digests,
    }


if __name__ == "__main__":
    import json

    print(json.dumps(main(sys.argv[1]), ensure_ascii=False))
