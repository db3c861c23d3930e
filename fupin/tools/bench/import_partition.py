"""`python -m fupin bench-import --case county-month`: importing one county-month into a large store, N times in a
row, with the time of each, the first-open verification of the store, and the disk the N snapshots take."""

import csv
import json
import os
import random
import shutil
import time
from pathlib import Path

from ...ledger.files import LedgerFile
from ...ledger.importer import import_ledgers
from ...store.snapshot import Snapshot, read_table, verify
from ...store.store import SnapshotStore
from .measure import percentile

COUNTY = "140827"
HEADER = ["采购日期", "采购单位", "供货方", "供货方类型", "乡镇", "村", "产品类别", "产品名称", "数量(公斤)", "金额(元)"]


def county_month_ledger(snapshot: Snapshot, county: str, year: int, month: int, rows: int, seed: int) -> LedgerFile:
    """A valid purchase ledger of one county and month (codes for places, the county's own buyers)."""
    rng = random.Random(seed)
    edition = "2020" if year >= 2020 else "2018"
    buyers = [b["buyer_name"] for b in read_table(snapshot, "buyers").to_pylist() if b["county_code"] == county]
    villages = [(v["township_code"], v["village_code"]) for v in read_table(snapshot, "villages").to_pylist()
                if v["county_code"] == county and edition in v["editions"].split()]
    path = Path(f"/dev/shm/fupin-bench-{os.getpid()}.csv")
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for i in range(rows):
            township, village = rng.choice(villages)
            weight = rng.randrange(10, 5000)
            writer.writerow([f"{year}-{month:02d}-{1 + i % 28:02d}", rng.choice(buyers), f"供货方{rng.randrange(500)}",
                             "农户", township, village, "蔬菜", "辣椒", weight, f"{weight * 3 + i % 97 / 100:.2f}"])
    ledger = LedgerFile(f"采购台账-{year}-{month:02d}.csv", path.read_bytes())
    path.unlink()
    return ledger


def disk_mb(folder: Path) -> float:
    """Bytes under a folder counting each file once however many hard links it has (what `du` reports)."""
    seen, total = set(), 0
    for root, _, files in os.walk(folder):
        for name in files:
            stat = os.stat(os.path.join(root, name))
            if stat.st_ino not in seen:
                seen.add(stat.st_ino)
                total += stat.st_blocks * 512
    return round(total / 2**20, 1)


def run(store_root: Path, work: Path, snapshots: int = 20, rows: int = 1000, progress=print) -> dict:
    """Copy a store (hard links), then import `snapshots` one-county-month ledgers of `rows` rows into it in a row."""
    copy = work / "store-county-month"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(store_root, copy, copy_function=os.link, ignore=shutil.ignore_patterns(".lock", "bench"))
    store = SnapshotStore(copy)
    started = time.perf_counter()
    first = store.serve().snapshot
    verify(first)
    results = {"purchase_rows": first.rows("purchases"), "files": sum(len(first.files(n)) for n in first.manifest["tables"]),
               "first_open_verify_s": round(time.perf_counter() - started, 2), "imports_s": []}
    before = disk_mb(copy / "snapshots")
    for n in range(snapshots):
        current = store.current()
        ledger = county_month_ledger(current, COUNTY, 2020, 1 + n % 12, rows, seed=n)
        started = time.perf_counter()
        result = import_ledgers(store, "purchases", [ledger])
        results["imports_s"].append(round(time.perf_counter() - started, 2))
        progress(f"{n + 1}/{snapshots}: {result.status} {results['imports_s'][-1]} s")
    full = sum(sum(e["bytes"] for e in s.manifest["tables"].values()) for s in store.list()[-snapshots:])
    results |= {"rows_per_import": rows, "snapshots": snapshots,
                "import_p50_s": percentile(results["imports_s"], 50), "import_max_s": max(results["imports_s"]),
                "disk_mb_before": before, "disk_mb_after": disk_mb(copy / "snapshots"),
                "disk_mb_if_each_were_a_full_copy": round(full / 2**20, 1)}
    shutil.rmtree(copy, ignore_errors=True)
    (work / "import-county-month.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    return results
