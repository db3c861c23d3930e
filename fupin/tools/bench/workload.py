"""What the benchmark runs: demo snapshots by row count, and one list of varied filters both sides replay."""

import datetime as dt
import json
import random
from pathlib import Path

from ...query.filters import Filter
from ...store.schema import BUYER_TYPES
from ...store.snapshot import Snapshot, SnapshotError
from ...store.store import SnapshotStore
from ...store.upgrade import add_derived, lacks_derived

# Purchase rows per unit of `fupin demo --scale` (9,365,669 rows at scale 100).
ROWS_PER_SCALE = 93_657
YEARS = (2017, 2018, 2019, 2020)


# The benchmark's store: 垣曲县 alone, whose demo rows per scale step ROWS_PER_SCALE counts.
BENCH_COUNTIES = ("140827",)


def scale_for(rows: float) -> int:
    """The demo scale whose purchases come closest to `rows`."""
    return max(1, round(rows / ROWS_PER_SCALE))


def ensure_snapshot(root: Path, scale: int, seed: int = 42, progress=None) -> Snapshot:
    """The demo snapshot of this scale under `root/scale-N`, generated unless already there."""
    from ...demo import build_demo

    store = SnapshotStore(root / f"scale-{scale}")
    try:
        snapshot = store.current()
        source = snapshot.manifest.get("source", {})
        if source.get("scale") == scale and source.get("seed") == seed:
            if not lacks_derived(snapshot):
                return snapshot
            with store.lock(wait_seconds=600):
                return add_derived(store, snapshot)
    except SnapshotError:
        pass
    kwargs = {"progress": progress} if progress else {}
    return build_demo(store, scale=scale, seed=seed, counties=BENCH_COUNTIES, **kwargs)


def _choices(snapshot: Snapshot) -> dict:
    """Township codes by year, villages by township and product categories present in the snapshot."""
    import duckdb

    con = duckdb.connect()
    try:
        def read(table):
            return f"read_parquet('{snapshot.table_path(table)}')"
        towns = con.execute(f"select township_code, first_year, last_year from {read('townships')} "
                            "where lng is not null").fetchall()
        villages = con.execute(f"select township_code, village_code from {read('villages')} "
                               "order by village_code").fetchall()
        categories = [r[0] for r in con.execute(
            f"select distinct product_category from {read('purchases')} order by 1").fetchall()]
    finally:
        con.close()
    by_town: dict[str, list[str]] = {}
    for town, village in villages:
        by_town.setdefault(town, []).append(village)
    return {"towns": towns, "villages": by_town, "categories": categories,
            "counties": sorted({code[:6] for code, _, _ in towns})}


def _one_filter(rng: random.Random, choices: dict) -> Filter:
    year = rng.choice(YEARS)
    if rng.random() < 0.6:   # year to date, the dashboard's default view
        start = dt.date(year, 1, 1)
        end = start + dt.timedelta(days=rng.randrange(30, 365))
    else:
        start = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(0, 300))
        end = min(start + dt.timedelta(days=rng.randrange(20, 200)), dt.date(year, 12, 31))
    county = rng.choice(choices["counties"])
    towns = [code for code, first, last in choices["towns"] if first <= year <= last and code[:6] == county]
    township = rng.choice(towns) if rng.random() < 0.6 else None
    village = None
    if township and rng.random() < 0.15 and choices["villages"].get(township):
        village = rng.choice(choices["villages"][township])
    buyer_type = rng.choice(sorted(BUYER_TYPES)) if rng.random() < 0.3 else None
    category = rng.choice(choices["categories"]) if rng.random() < 0.25 else None
    return Filter(start, end, counties=(county,), township=township, village=village, buyer_type=buyer_type,
                  product_category=category)


def filters(snapshot: Snapshot, count: int, seed: int = 7) -> list[Filter]:
    """`count` different filters (none equal to another's same period last year), reproducible by seed."""
    rng = random.Random(seed)
    choices = _choices(snapshot)
    chosen: list[Filter] = []
    seen: set[Filter] = set()
    while len(chosen) < count:
        flt = _one_filter(rng, choices)
        if flt in seen or flt.same_period_last_year() in seen:
            continue
        seen.update({flt, flt.same_period_last_year()})
        chosen.append(flt)
    return chosen


def export_filter(snapshot: Snapshot) -> Filter:
    """The CSV export case: one whole township-year (the township with the most 2019 rows)."""
    import duckdb

    con = duckdb.connect()
    try:
        town = con.execute(
            f"select township_code from read_parquet('{snapshot.table_path('purchases')}') "
            "where purchase_date between date '2019-01-01' and date '2019-12-31' "
            "group by 1 order by count(*) desc, 1 limit 1").fetchone()[0]
    finally:
        con.close()
    return Filter(dt.date(2019, 1, 1), dt.date(2019, 12, 31), counties=(town[:6],), township=town)


def to_json(flt: Filter) -> dict:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in flt.params().items()}


def from_json(item: dict) -> Filter:
    return Filter(dt.date.fromisoformat(item["date_from"]), dt.date.fromisoformat(item["date_to"]),
                  counties=tuple(item["counties"]),
                  **{k: item.get(k) for k in ("township", "village", "buyer_type", "product_category")})


def write_plan(path: Path, snapshot: Snapshot, flts: list[Filter], export: Filter, warmup: Filter) -> None:
    """The plan both child processes read: the snapshot, the warm-up, the timed filters and the export."""
    path.write_text(json.dumps({"snapshot": str(snapshot.path), "warmup": to_json(warmup),
                                "filters": [to_json(f) for f in flts], "export": to_json(export)},
                               ensure_ascii=False, indent=1), encoding="utf-8")


def read_plan(path: Path) -> dict:
    plan = json.loads(Path(path).read_text(encoding="utf-8"))
    plan["warmup"] = from_json(plan["warmup"])
    plan["filters"] = [from_json(f) for f in plan["filters"]]
    plan["export"] = from_json(plan["export"])
    return plan
