"""Demo yearly targets for the county and every township: some townships beat theirs, some fall short."""

import math

import numpy as np
import pandas as pd

from ..schema import COUNTY_CODE

# The county's 2018 targets, as a county would set them: round numbers a little under or over the outcome.
COUNTY_2018 = {
    "purchase_amount_yuan": 40_000_000.0,
    "purchase_weight_kg": 11_000_000.0,
    "poor_village_amount_yuan": 26_000_000.0,
    "lab_batches": 800.0,
    "rapid_test_batches": 600.0,
    "new_cooperatives": 120.0,
}
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


def build_targets(rng: np.random.Generator, actuals: pd.DataFrame) -> pd.DataFrame:
    """Targets from full-year outcomes (`actuals`: year, scope_code, metric, value)."""
    rows = []
    ratio_of_township: dict[str, float] = {}
    for year, scope, metric, value in actuals.itertuples(index=False):
        if scope == COUNTY_CODE:
            if year == 2018:
                target = COUNTY_2018[metric]
            else:
                target = _round_target(value / rng.uniform(0.94, 1.08), metric)
        else:
            ratio = ratio_of_township.setdefault(scope, OUTCOME_RATIOS[rng.integers(len(OUTCOME_RATIOS))])
            target = _round_target(value / (ratio * rng.lognormal(0.0, 0.04)), metric)
        if target > 0:
            rows.append((int(year), scope, metric, target))
    return pd.DataFrame(rows, columns=["year", "scope_code", "metric", "target_value"])
