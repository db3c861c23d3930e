"""Demo yearly targets for each county and its townships: some townships beat theirs, some fall short."""

import math

import numpy as np
import pandas as pd

from ..store.schema import COUNTY_CODE

# The targets 垣曲县 set itself for 2018, as a county would: round numbers a little under or over the outcome.
GIVEN = {(COUNTY_CODE, 2018): {
    "purchase_amount_yuan": 40_000_000.0,
    "purchase_weight_kg": 11_000_000.0,
    "poor_village_amount_yuan": 26_000_000.0,
    "lab_batches": 800.0,
    "rapid_test_batches": 600.0,
    "new_cooperatives": 120.0,
}}
# A township's target is its outcome divided by how well it did: > 1 beats the target, < 1 misses it.
OUTCOME_RATIOS = (1.14, 1.08, 1.03, 0.97, 0.93, 0.86)
COUNT_METRICS = ("lab_batches", "rapid_test_batches", "new_cooperatives")


def _round_target(value: float, metric: str) -> float:
    """Three significant digits, as targets are written; batches and cooperatives in whole numbers."""
    if value <= 0:
        return 0.0
    digits = 2 - int(math.floor(math.log10(value)))
    rounded = round(value, digits)
    return float(max(1, round(rounded))) if metric in COUNT_METRICS else float(rounded)


def full_year_outcomes(purchases: list[pd.DataFrame], inspections: pd.DataFrame, cooperatives: pd.DataFrame,
                       county_code: str, years: tuple[int, ...]) -> pd.DataFrame:
    """Full-year outcomes of a county per year and township, plus the county, in long form (year, scope_code,
    metric, value); `purchases` holds the yearly sums per township (fupin.demo.township_sums)."""
    wide = pd.concat(purchases).reset_index().set_index(["year", "township_code"])
    dates = pd.to_datetime(inspections["sample_date"])
    counts = inspections.assign(year=dates.dt.year).groupby(["year", "township_code", "inspection_type"]).size()
    wide = wide.join(counts.unstack("inspection_type", fill_value=0).rename(
        columns={"lab": "lab_batches", "rapid": "rapid_test_batches"}), how="outer")
    registered = pd.to_datetime(cooperatives["registered_date"]).dt.year
    new = cooperatives.assign(year=registered).groupby(["year", "township_code"]).size().rename("new_cooperatives")
    wide = wide.join(new, how="left").fillna(0.0)
    wide = wide[wide.index.get_level_values("year").isin(years)]
    county = wide.groupby(level="year").sum().assign(township_code=county_code).set_index("township_code", append=True)
    long = pd.concat([wide, county]).stack().rename("value").reset_index()
    return long.rename(columns={"township_code": "scope_code", "level_2": "metric"})[
        ["year", "scope_code", "metric", "value"]].sort_values(["year", "scope_code", "metric"])


def build_targets(rng: np.random.Generator, actuals: pd.DataFrame, county_code: str = COUNTY_CODE) -> pd.DataFrame:
    """Targets of a county and its townships from full-year outcomes (`actuals`: year, scope_code, metric, value)."""
    rows = []
    ratio_of_township: dict[str, float] = {}
    for year, scope, metric, value in actuals.itertuples(index=False):
        if scope == county_code:
            given = GIVEN.get((county_code, int(year)))
            target = given[metric] if given else _round_target(value / rng.uniform(0.94, 1.08), metric)
        else:
            ratio = ratio_of_township.setdefault(scope, OUTCOME_RATIOS[rng.integers(len(OUTCOME_RATIOS))])
            target = _round_target(value / (ratio * rng.lognormal(0.0, 0.04)), metric)
        if target > 0:
            rows.append((int(year), scope, metric, target))
    return pd.DataFrame(rows, columns=["year", "scope_code", "metric", "target_value"])
