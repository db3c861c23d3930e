"""The bundled demo snapshot: 垣曲县 2016-2020 on real codes, calibrated to the county's 2018 report."""

import datetime as dt
from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd
import pyarrow as pa

from .. import reference
from ..schema import COUNTY_CODE, TABLES
from ..snapshots import Snapshot, SnapshotStore
from .actors import build_buyers
from .cooperatives import build_cooperatives
from .geography import build_geography
from .inspections import build_inspections
from .purchases import YEARS, Market, purchase_chunks, to_arrow
from .targets import build_targets

DEMO_AS_OF = dt.date(2020, 12, 31)
Progress = Callable[[float, str], None]


def _quiet(fraction: float, message: str) -> None:
    """A progress callback that reports nothing."""


def _purchase_stream(market: Market, seed: int, scale: int, actuals: list[pd.DataFrame],
                     progress: Progress) -> Iterator[pa.Table]:
    """Arrow chunks of purchases; the first replica's yearly totals per township go into `actuals`."""
    total = len(YEARS) * scale
    next_id = 1
    for done, (year, replica, frame) in enumerate(purchase_chunks(market, seed, scale), start=1):
        if replica == 0:
            sums = frame.assign(poor_village_amount_yuan=frame["amount_yuan"].where(frame["from_poor_village"], 0.0))
            by_township = sums.groupby("township_code")[["amount_yuan", "weight_kg", "poor_village_amount_yuan"]].sum()
            actuals.append(by_township.rename(columns={"amount_yuan": "purchase_amount_yuan",
                                                       "weight_kg": "purchase_weight_kg"}).assign(year=year))
        table = to_arrow(frame, next_id, TABLES["purchases"])
        next_id += table.num_rows
        progress(done / total, f"采购记录 {year} 年 第 {replica + 1}/{scale} 份")
        yield table


def _long_actuals(purchases: list[pd.DataFrame], inspections: pd.DataFrame, cooperatives: pd.DataFrame) -> pd.DataFrame:
    """Full-year outcomes per year and township, plus the county, in long form (year, scope_code, metric, value)."""
    wide = pd.concat(purchases).reset_index().set_index(["year", "township_code"])
    dates = pd.to_datetime(inspections["sample_date"])
    counts = inspections.assign(year=dates.dt.year).groupby(["year", "township_code", "inspection_type"]).size()
    wide = wide.join(counts.unstack("inspection_type", fill_value=0).rename(
        columns={"lab": "lab_batches", "rapid": "rapid_test_batches"}), how="outer")
    registered = pd.to_datetime(cooperatives["registered_date"]).dt.year
    new = cooperatives.assign(year=registered).groupby(["year", "township_code"]).size().rename("new_cooperatives")
    wide = wide.join(new, how="left").fillna(0.0)
    wide = wide[wide.index.get_level_values("year").isin(YEARS)]
    county = wide.groupby(level="year").sum().assign(township_code=COUNTY_CODE).set_index("township_code", append=True)
    long = pd.concat([wide, county]).stack().rename("value").reset_index()
    return long.rename(columns={"township_code": "scope_code", "level_2": "metric"})[
        ["year", "scope_code", "metric", "value"]].sort_values(["year", "scope_code", "metric"])


def build_demo(store: SnapshotStore, scale: int = 1, seed: int = 42, progress: Progress = _quiet,
               only_if_empty: bool = False) -> Snapshot:
    """Generate the demo tables and commit them as the store's current snapshot.

    With `only_if_empty`, a store that already holds any snapshot (perhaps written by another process while this
    one waited for the lock) is left as it is, even when CURRENT is missing or invalid: the snapshot it would
    serve is returned (SnapshotError if none verifies). Demo data never replaces real data.
    """
    with store.lock(wait_seconds=600):
        if only_if_empty and store.has_snapshots():
            return store.serve().snapshot
        return _write_demo(store, scale, seed, progress)


def _write_demo(store: SnapshotStore, scale: int, seed: int, progress: Progress) -> Snapshot:
    rng = np.random.default_rng([seed, 0])
    progress(0.0, "准备参考数据")
    geo = build_geography(rng)
    townships = reference.townships()
    buyers = build_buyers(rng, sorted(geo.rural_2018["township_code"].unique()))
    cooperatives, walnut_partners = build_cooperatives(rng, geo)
    inspections = build_inspections(rng, geo, buyers)
    market = Market(rng, geo, buyers, cooperatives, walnut_partners)
    purchase_actuals: list[pd.DataFrame] = []
    source = {"kind": "demo", "scale": scale, "seed": seed, "calibrated_to": "垣曲县市场监管局 2018-12-29 报道"}
    with store.writer(DEMO_AS_OF, source) as writer:
        writer.write("purchases", _purchase_stream(market, seed, scale, purchase_actuals, progress))
        writer.write("inspections", inspections)
        writer.write("cooperatives", cooperatives)
        actuals = _long_actuals(purchase_actuals, inspections, cooperatives)
        writer.write("targets", build_targets(rng, actuals))
        writer.write("counties", reference.counties((COUNTY_CODE,)))
        writer.write("groups", reference.groups((COUNTY_CODE,)))
        writer.write("townships", townships)
        writer.write("villages", geo.villages)
        writer.write("buyers", buyers)
        progress(1.0, "校验并启用快照")
        return writer.commit()
