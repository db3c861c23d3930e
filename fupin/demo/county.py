"""One county other than 垣曲 as the demo sees it: places, traders, register, inspections and its yearly plan."""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..store import reference
from .actors import Pools, flat_pools
from .county_actors import Cast, build_cast
from .county_cooperatives import build_county_cooperatives
from .county_inspections import build_county_inspections
from .geography import Geography, build_geography
from .plan import YEARS, local_amounts
from .regions import Region, region_of

POOR_SHARE = (0.3, 0.5)   # of a county's rural villages (村) listed as 建档立卡贫困村
# Shares of a county's own buying by buyer type, before the county's own noise.
BUYER_TYPE_SHARES = {"supermarket": 0.2, "food_enterprise": 0.28, "base_company": 0.14, "catering": 0.1,
                     "canteen": 0.1, "ecommerce": 0.12, "other": 0.06}
VILLAGE_SPREAD = 0.6      # how unequal villages' output is (lognormal sigma)


@dataclass(frozen=True)
class Places:
    """Each rural village of the 2018 edition (by position) in both code editions."""

    code_2018: np.ndarray
    township_2018: np.ndarray
    poor_2018: np.ndarray
    code_2020: np.ndarray
    township_2020: np.ndarray
    poor_2020: np.ndarray
    township_pos: np.ndarray    # the village's 2018 township, as a position in Cast.townships
    output: np.ndarray          # relative output of the village


@dataclass(frozen=True)
class CoopPools:
    """The cooperatives in business in a year (positions in the register), by village and by township."""

    by_village: Pools
    by_township: Pools
    alive: np.ndarray


@dataclass(frozen=True, eq=False)
class County:
    """Everything a county's rows are drawn from."""

    code: str
    name: str
    designated: bool            # one of the regulator's designated counties: its buyers buy here
    latitude: float
    region: Region
    geo: Geography
    places: Places
    cast: Cast
    cooperatives: pd.DataFrame
    coops: dict[int, CoopPools]
    inspections: pd.DataFrame
    buyer_type_shares: dict[str, float]
    local_yuan: dict[int, float]


def _grouped(owners: np.ndarray, members: np.ndarray, count: int) -> Pools:
    """Pools of `members` by their owner position (0..count-1)."""
    order = np.argsort(owners, kind="stable")
    return flat_pools(np.bincount(owners, minlength=count), members[order])


def _places(rng: np.random.Generator, geo: Geography, township_codes: np.ndarray) -> Places:
    rural = geo.rural_2018
    villages = geo.villages.set_index("village_code")
    code_2020 = np.array([geo.successor_2020[c] for c in rural["village_code"]], dtype=object)
    position = {code: i for i, code in enumerate(township_codes)}
    return Places(
        code_2018=rural["village_code"].to_numpy(dtype=object),
        township_2018=rural["township_code"].to_numpy(dtype=object),
        poor_2018=rural["is_poor_village"].to_numpy(dtype=bool),
        code_2020=code_2020,
        township_2020=villages["township_code"].reindex(code_2020).to_numpy(dtype=object),
        poor_2020=villages["is_poor_village"].reindex(code_2020).to_numpy(dtype=bool),
        township_pos=np.array([position[t] for t in rural["township_code"]]),
        output=rng.lognormal(0.0, VILLAGE_SPREAD, size=len(rural)),
    )


def _coop_pools(cooperatives: pd.DataFrame, village_of: np.ndarray, places: Places,
                townships: int) -> dict[int, CoopPools]:
    registered = cooperatives["registered_date"].dt.year.to_numpy()
    closed = cooperatives["deregistered_date"].dt.year.to_numpy()
    pools = {}
    for year in YEARS:
        alive = np.flatnonzero((registered <= year) & ~(closed < year))
        villages = village_of[alive]
        pools[year] = CoopPools(_grouped(villages, alive, len(places.output)),
                                _grouped(places.township_pos[villages], alive, townships), alive)
    return pools


def build_county(seed: int, code: str, designated: bool) -> County:
    """A county's world for `seed`, drawn from its own random stream; with `designated`, the regulator's buyers."""
    rng = np.random.default_rng([seed, int(code)])
    row = reference.counties((code,)).iloc[0]
    region = region_of(row["province_code"])
    geo = build_geography(rng, code, rng.uniform(*POOR_SHARE))
    townships = reference.townships((code,))
    townships = townships[(townships["first_year"] <= YEARS[-1]) & (townships["last_year"] >= YEARS[0])]
    cast = build_cast(rng, code, row["county_name"], region, geo, townships, designated)
    places = _places(rng, geo, cast.townships)
    cooperatives, village_of = build_county_cooperatives(rng, code, row["county_name"], region, geo)
    shares = {t: s * rng.lognormal(0.0, 0.25) for t, s in BUYER_TYPE_SHARES.items()}
    return County(
        code=code, name=row["county_name"], designated=designated, latitude=float(row["lat"]), region=region, geo=geo,
        places=places, cast=cast, cooperatives=cooperatives,
        coops=_coop_pools(cooperatives, village_of, places, len(cast.townships)),
        inspections=build_county_inspections(rng, row["county_name"], geo, townships, cast.buyers),
        buyer_type_shares={t: s / sum(shares.values()) for t, s in shares.items()},
        local_yuan=local_amounts(rng, len(geo.rural_2018)),
    )
