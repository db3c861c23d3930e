"""商州区's "4+X" industries of 2019 (seed 004), by village and township, adding up exactly to the seed's figures:
photovoltaic 60 stations, 62.7 MW, 124 villages, 20,547 poor households; edible fungi 8000多万袋 (8,036万 here),
16,322 households; 菊芋 30,000 farm households on 4.2万亩; 34,693 poor labourers placed in work. The seed gives no
more (no investment per industry, no X), so neither does the demo; which village carries how many is the demo's."""

import numpy as np
import pandas as pd

from .geography import Geography
from .purchases import scale_to

SHANGZHOU = "611002"
YEAR = 2019
STREAM = 25_003
PV_VILLAGES, PV_STATIONS, PV_KW, PV_HOUSEHOLDS = 124, 60, 62_700, 20_547
# The district's large ground station (龙山光伏电站), and the villages without a station of their own it pays out to.
CENTRAL_KW = 32_000
CENTRAL_VILLAGES = PV_VILLAGES - PV_STATIONS
FUNGI_WAN_BAGS, FUNGI_HOUSEHOLDS, FUNGI_VILLAGES = 8_036, 16_322, 46
FUNGI_BASE_WAN_BAGS = 2_000      # 润科食用菌生产项目, the largest base
JERUSALEM_ARTICHOKE_MU, JERUSALEM_ARTICHOKE_FARMS = 42_000, 30_000
LABOUR_PLACED = 34_693
# Townships of the district that farm (镇, codes 100-399): 菊芋 is grown there; labour goes out from every one with
# villages.
FARMING = range(100, 400)


def _spread(rng: np.random.Generator, total: int, n: int, spread: float = 0.5) -> np.ndarray:
    """`n` whole numbers adding up to `total` exactly."""
    return scale_to(rng.lognormal(0.0, spread, size=n), total, 0).astype(int)


def _row(village: pd.Series | None, township: str, industry: str, project: str, **figures) -> dict:
    return {"year": YEAR, "county_code": SHANGZHOU, "township_code": township,
            "village_code": None if village is None else village["village_code"], "industry": industry,
            "project": project, "facilities": None, "scale": None, "scale_unit": None, "poor_households": None,
            "farm_households": None, "people_employed": None, "investment_yuan": None, **figures}


def _photovoltaic(rng: np.random.Generator, rural: pd.DataFrame) -> list[dict]:
    """Every poor village first, then others to 124; 59 village stations and the large one, paying out to 64 more."""
    poor = rural[rural["is_poor_village"]]
    others = rural[~rural["is_poor_village"]]
    extra = others.iloc[rng.permutation(len(others))[:PV_VILLAGES - len(poor)]]
    covered = pd.concat([poor, extra]).iloc[rng.permutation(PV_VILLAGES)].reset_index(drop=True)
    households = _spread(rng, PV_HOUSEHOLDS, PV_VILLAGES)
    village_kw = _spread(rng, PV_KW - CENTRAL_KW, PV_STATIONS - 1, 0.3)
    rows = []
    for i, village in covered.iterrows():
        figures = {"poor_households": int(households[i])}
        if i == 0:
            rows.append(_row(village, village["township_code"], "光伏", "龙山光伏电站", facilities=1,
                             scale=CENTRAL_KW / 1000, scale_unit="MW", **figures))
        elif i <= CENTRAL_VILLAGES:
            rows.append(_row(village, village["township_code"], "光伏", "龙山光伏电站", **figures))
        else:
            rows.append(_row(village, village["township_code"], "光伏", "村级光伏扶贫电站", facilities=1,
                             scale=int(village_kw[i - CENTRAL_VILLAGES - 1]) / 1000, scale_unit="MW", **figures))
    return rows


def _fungi(rng: np.random.Generator, rural: pd.DataFrame) -> list[dict]:
    """The 润科 base and village bases, poor villages first."""
    order = rural.sort_values("is_poor_village", ascending=False, kind="stable").iloc[:FUNGI_VILLAGES * 2]
    chosen = order.iloc[rng.permutation(len(order))[:FUNGI_VILLAGES]].reset_index(drop=True)
    bags = _spread(rng, FUNGI_WAN_BAGS - FUNGI_BASE_WAN_BAGS, FUNGI_VILLAGES - 1)
    households = _spread(rng, FUNGI_HOUSEHOLDS, FUNGI_VILLAGES)
    rows = []
    for i, village in chosen.iterrows():
        project, wan_bags = ("润科食用菌生产项目", FUNGI_BASE_WAN_BAGS) if i == 0 else ("食用菌种植基地", int(bags[i - 1]))
        rows.append(_row(village, village["township_code"], "食用菌", project, facilities=1, scale=float(wan_bags),
                         scale_unit="万袋", poor_households=int(households[i])))
    return rows


def _by_township(rng: np.random.Generator, rural: pd.DataFrame) -> list[dict]:
    """菊芋 per farming township (亩 and farm households), labour placed per township with villages."""
    villages = rural.groupby("township_code").size()
    farming = [t for t in villages.index if int(t[6:]) in FARMING]
    mu = scale_to(villages[farming].to_numpy() * rng.lognormal(0.0, 0.4, size=len(farming)),
                  JERUSALEM_ARTICHOKE_MU, 0).astype(int)
    farms = scale_to(mu * rng.lognormal(0.0, 0.2, size=len(farming)), JERUSALEM_ARTICHOKE_FARMS, 0).astype(int)
    placed = scale_to(villages.to_numpy() * rng.lognormal(0.0, 0.3, size=len(villages)), LABOUR_PLACED, 0).astype(int)
    rows = [_row(None, t, "菊芋", "菊芋种植", scale=float(m), scale_unit="亩", farm_households=int(f))
            for t, m, f in zip(farming, mu, farms)]
    rows += [_row(None, t, "劳务", "贫困劳动力转移就业", people_employed=int(p)) for t, p in zip(villages.index, placed)]
    return rows


def shangzhou_industries(seed: int, geo: Geography) -> pd.DataFrame:
    """商州区's industries of 2019 on its villages of the 2018 edition (`geo`: the demo's geography of 商州)."""
    rng = np.random.default_rng([seed, int(SHANGZHOU), STREAM])
    rural = geo.rural_2018
    rows = _photovoltaic(rng, rural) + _fungi(rng, rural) + _by_township(rng, rural)
    return pd.DataFrame(rows)
