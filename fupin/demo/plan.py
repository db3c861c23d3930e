"""How much a county's buyers spend each year, and the designated-assistance totals behind seed 001's 10356万元."""

import numpy as np

from .purchases import scale_to

YEARS = (2018, 2019, 2020)   # counties other than 垣曲 joined the programme in 2018
# A county's 2018 local buying per rural village (垣曲: about 22万元), then the yearly growth of the programme.
YUAN_PER_VILLAGE_2018 = (80_000.0, 200_000.0)
GROWTH = {2019: 1.22, 2020: 1.16}
WAN = 10_000
# Seed 001: "3年来累计帮助定点县市销售农产品10356万元" (2018-2020), rounded to the 万.
DESIGNATED_WAN = 10356
# The regulator was formed in March 2018, so its first year is short; the programme grew into 2020.
DESIGNATED_YEAR_SHARES = {2018: 0.21, 2019: 0.34, 2020: 0.45}


def local_amounts(rng: np.random.Generator, rural_villages: int) -> dict[int, float]:
    """Yuan a county's own buyers spend each year: by its villages, with noise, growing every year."""
    amount = rural_villages * rng.uniform(*YUAN_PER_VILLAGE_2018)
    amounts = {YEARS[0]: round(amount, 2)}
    for year in YEARS[1:]:
        amount *= GROWTH[year] * rng.uniform(0.95, 1.05)
        amounts[year] = round(amount, 2)
    return amounts


def designated_amounts(rng: np.random.Generator, rural_villages: dict[str, int]) -> dict[str, dict[int, float]]:
    """Yuan the designated-assistance buyers spend per county and year: split by county size and growing by year,
    adding up to the fen to a total that rounds to DESIGNATED_WAN 万元."""
    total = round(DESIGNATED_WAN * WAN + rng.uniform(-0.45, 0.45) * WAN, 2)
    counties = sorted(rural_villages)
    by_county = np.array([rural_villages[c] for c in counties]) * rng.lognormal(0.0, 0.15, size=len(counties))
    by_year = np.array(list(DESIGNATED_YEAR_SHARES.values())) * rng.lognormal(0.0, 0.05, size=len(YEARS))
    amounts = scale_to(np.outer(by_county, by_year).ravel(), total, 2).reshape(len(counties), len(YEARS))
    return {county: dict(zip(YEARS, row.tolist())) for county, row in zip(counties, amounts)}
