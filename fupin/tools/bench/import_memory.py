"""`python -m fupin bench-import`: peak memory and time of checking and importing one large purchase ledger.

Each measured step runs in a fresh process on its own copy of the store, so its peak RSS (VmHWM) is its own.
Reading alone is measured two ways (the csv module the importer streams with, and DuckDB's read_csv), the
choice the importer's design rests on.
"""

import csv
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq

from ...settings import PROJECT_ROOT
from ...store.snapshot import Snapshot
from ...store.store import SnapshotStore
from .measure import peak_rss_mb
from .workload import ensure_snapshot

LEDGER_HEADER = ["采购日期", "采购单位", "供货方", "供货方类型", "乡镇", "村", "产品类别", "产品名称", "数量(公斤)",
                 "金额(元)"]
PRODUCTS = [("蔬菜", "辣椒"), ("粮食", "小麦"), ("干鲜果品", "核桃"), ("食用菌", "香菇")]
SUPPLIER_TYPES = ("贫困户", "合作社", "农户")
LEDGER_YEAR = 2019   # villages of the 2018 code edition are in force


def write_ledger(snapshot: Snapshot, path: Path, rows: int, seed: int = 7) -> int:
    """Write a valid purchase ledger of `rows` distinct rows (UTF-8 with BOM, codes for places); returns bytes."""
    rng = random.Random(seed)
    buyers = [r["buyer_name"] for r in pq.read_table(snapshot.table_path("buyers")).to_pylist()]
    villages = [(r["township_code"], r["village_code"]) for r in pq.read_table(snapshot.table_path("villages")).to_pylist()
                if "2018" in r["editions"].split()]
    first_day = dt.date(LEDGER_YEAR, 1, 1)
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(LEDGER_HEADER)
        for i in range(rows):
            township, village = rng.choice(villages)
            category, product = rng.choice(PRODUCTS)
            weight = rng.randrange(10, 5000)
            writer.writerow([(first_day + dt.timedelta(days=i % 365)).isoformat(), rng.choice(buyers),
                             f"供货方{rng.randrange(5000)}", rng.choice(SUPPLIER_TYPES), township, village, category,
                             product, f"{weight:,}", f"{weight * 3 + i % 997 / 100:.2f}"])
    return path.stat().st_size


def _read_only(path: Path, reader: str) -> int:
    """Read a CSV ledger into DataFrames of cell texts, 50,000 rows at a time, as validation would get them:
    with the csv module streaming the decoded bytes (what the importer does), or with DuckDB's read_csv
    (all_varchar). Returns the rows read."""
    import pandas as pd

    rows = 0
    if reader == "duckdb":
        import duckdb

        con = duckdb.connect(config={"threads": 2})
        relation = con.sql("select * from read_csv($path, all_varchar = true, header = false, null_padding = true)",
                           params={"path": str(path)})
        for batch in relation.to_arrow_reader(50_000):
            rows += len(batch.to_pandas())
        return rows
    from ...ledger.files import LedgerFile, iter_rows

    chunk = []
    for cells in iter_rows(LedgerFile(path.name, path.read_bytes())):
        chunk.append(cells)
        if len(chunk) == 50_000:
            rows += len(pd.DataFrame(chunk, dtype=object))
            chunk = []
    return rows + len(pd.DataFrame(chunk, dtype=object))


def _step(plan: dict) -> dict:
    """One measured step in this process: a check (dry run) or an import of the plan's ledger, or reading it."""
    from ...ledger.files import LedgerFile
    from ...ledger.importer import import_ledgers

    started = time.perf_counter()
    path = Path(plan["ledger"])
    if plan.get("reader"):
        rows = _read_only(path, plan["reader"])
        return {"rows_read": rows, "seconds": round(time.perf_counter() - started, 1),
                "peak_rss_mb": round(peak_rss_mb())}
    result = import_ledgers(SnapshotStore(plan["store"]), "purchases", [LedgerFile(path.name, path.read_bytes())],
                            dry_run=plan["dry_run"])
    return {"status": result.status, "rows_added": sum(f.added for f in result.files),
            "seconds": round(time.perf_counter() - started, 1), "peak_rss_mb": round(peak_rss_mb())}


def _run_step(store_root: Path, ledger: Path, dry_run: bool, work: Path, reader: str | None = None) -> dict:
    """Copy the store, then run one step in a fresh process with no upload limit in the way."""
    copy = work / ("store-check" if dry_run else "store-import")
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(store_root, copy, ignore=shutil.ignore_patterns(".lock"))
    plan = work / "plan.json"
    plan.write_text(json.dumps({"store": str(copy), "ledger": str(ledger), "dry_run": dry_run, "reader": reader}),
                    encoding="utf-8")
    size_mb = ledger.stat().st_size // 2**20 + 1
    env = {**os.environ, "FUPIN_MAX_UPLOAD_MB": str(max(size_mb, 50))}
    done = subprocess.run([sys.executable, "-m", "fupin.tools.bench.import_memory", str(plan)], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True)
    shutil.rmtree(copy, ignore_errors=True)
    if done.returncode != 0:
        raise RuntimeError(f"import step failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(rows: int, out: Path, progress=print) -> dict:
    """Measure a check and an import of a `rows`-row ledger on the scale-1 demo snapshot; write import.json."""
    out.mkdir(parents=True, exist_ok=True)
    snapshot = ensure_snapshot(out / "stores", 1)
    ledger = out / f"ledger-{rows}.csv"
    if not ledger.exists():
        progress(f"写入 {rows:,} 行台账 {ledger}")
        write_ledger(snapshot, ledger, rows)
    results = {"rows": rows, "ledger_mb": round(ledger.stat().st_size / 2**20, 1), "parent": snapshot.id}
    for reader in ("csv", "duckdb"):
        progress(f"测量只读取（{reader}，{rows:,} 行）")
        results[f"read_{reader}"] = _run_step(snapshot.path.parent.parent, ledger, True, out, reader)
        progress(json.dumps(results[f"read_{reader}"], ensure_ascii=False))
    for name, dry_run in (("check", True), ("import", False)):
        progress(f"测量{'预检' if dry_run else '导入'}（{rows:,} 行）")
        results[name] = _run_step(snapshot.path.parent.parent, ledger, dry_run, out)
        progress(json.dumps(results[name], ensure_ascii=False))
    (out / "import.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return results


if __name__ == "__main__":
    print(json.dumps(_step(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")))))
