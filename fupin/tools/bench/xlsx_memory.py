"""`python -m fupin bench-xlsx`: peak memory and time of an Excel export of many purchase records.

The export runs in a fresh process (`python -m fupin.tools.bench.xlsx_memory ROWS`), so its peak RSS (VmHWM) is
its own: chunks of records as the database streams them (CHUNK_ROWS each, the same columns and types as
`purchase_records`) go through `export_xlsx.xlsx_file` into a temporary file.
"""

import json
import subprocess
import sys
import time

import numpy as np
import pandas as pd

from ...settings import PROJECT_ROOT
from .measure import peak_rss_mb

CHUNK_ROWS = 50_000
NAMES = np.array(["百货大楼超市", "金达制粉有限公司", "垣曲县寨里村农机服务专业合作社", "汪强峰", "古城村委会"])
CODES = np.array(["supermarket", "food_enterprise", "catering", "base_company"])


def records(rows: int, seed: int = 7):
    """Synthetic purchase records, newest first, CHUNK_ROWS at a time."""
    rng = np.random.default_rng(seed)
    for start in range(0, rows, CHUNK_ROWS):
        n = min(CHUNK_ROWS, rows - start)
        ids = np.arange(rows - start, rows - start - n, -1)
        weight = rng.integers(10, 5000, n) / 10
        yield pd.DataFrame({
            "purchase_id": ids,
            "purchase_date": pd.Timestamp("2018-12-29") - pd.to_timedelta(start // 3000 + np.arange(n) // 3000, "D"),
            "buyer_name": NAMES[rng.integers(0, 2, n)], "buyer_type": CODES[rng.integers(0, 4, n)],
            "channel": "retail", "supplier_type": "farmer", "supplier_name": NAMES[rng.integers(2, 4, n)],
            "supplier_credit_code": np.where(rng.random(n) < 0.3, "93140827MA0330YBLP", None),
            "township_name": "古城镇", "village_name": NAMES[4], "from_poor_village": rng.random(n) < 0.5,
            "product_category": "蔬菜", "product_name": "白菜", "weight_kg": weight,
            "amount_yuan": np.round(weight * 3.17, 2),
        })


def measure(rows: int) -> dict:
    """Export `rows` records in this process: rows, seconds, file size and peak RSS (before and after)."""
    from ...report.export_xlsx import xlsx_file

    before = peak_rss_mb()
    started = time.perf_counter()
    with xlsx_file(records(rows), "zh", {"范围": "基准测试"}) as out:
        size = out.seek(0, 2)
    return {"rows": rows, "seconds": round(time.perf_counter() - started, 1), "bytes": size,
            "peak_rss_mb_before": round(before, 1), "peak_rss_mb": round(peak_rss_mb(), 1)}


def run(rows: int) -> dict:
    """Measure an export of `rows` records in a fresh process."""
    done = subprocess.run([sys.executable, "-m", "fupin.tools.bench.xlsx_memory", str(rows)], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


if __name__ == "__main__":
    print(json.dumps(measure(int(sys.argv[1]))))
