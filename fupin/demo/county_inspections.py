"""Sampling inspections of a county other than 垣曲, 2018-2020: lab batches and rapid tests sized by its villages."""

import numpy as np
import pandas as pd

from .county_actors import short_place
from .draws import day_in_month, pick
from .geography import Geography, is_rural, village_short_names
from .inspections import (
    FAIL_RATE,
    FAILED_ITEMS,
    GROWTH,
    LAB_2018,
    LAB_VENUES,
    MONTH_FACTOR,
    MONTH_WEIGHTS,
    PRODUCTS,
    RAPID_CATEGORIES,
    RAPID_VENUES,
)
from .plan import YEARS

# Batches a year per rural village (垣曲 2018: 746 lab and 606 rapid for 188 villages).
LAB_PER_VILLAGE = (1.5, 3.5)
RAPID_PER_VILLAGE = (1.0, 3.0)


def _one_of(rng: np.random.Generator, options: dict[str, list[str]], keys: np.ndarray) -> np.ndarray:
    """For each row, one of the options listed under its key."""
    out = np.empty(len(keys), dtype=object)
    for key, values in options.items():
        rows = keys == key
        out[rows] = np.asarray(values, dtype=object)[rng.integers(len(values), size=rows.sum())]
    return out


def _dates(rng: np.random.Generator, n: int, year: int) -> np.ndarray:
    weights = MONTH_WEIGHTS.copy()
    for month, factor in MONTH_FACTOR.get(year, {}).items():
        weights[month - 1] *= factor
    return day_in_month(rng, rng.choice(12, size=n, p=weights / weights.sum()), year)


def _venue_names(county_name: str, geo: Geography, townships: pd.DataFrame, buyers: pd.DataFrame) -> dict:
    by_type = buyers.groupby("buyer_type")["buyer_name"].apply(list)
    rural = village_short_names(geo.rural_2018["village_name"])
    return {
        "超市": by_type["supermarket"],
        "食品生产企业": by_type["food_enterprise"],
        "餐饮单位": by_type["catering"],
        "农贸市场": [f"{county_name}{short_place(t)}农贸市场" for t in townships["township_name"]],
        "种植基地": [f"{v}种植基地" for v in rural.iloc[:: max(1, len(rural) // 8)]],
    }


def build_county_inspections(rng: np.random.Generator, county_name: str, geo: Geography, townships: pd.DataFrame,
                             buyers: pd.DataFrame) -> pd.DataFrame:
    """Every sampled batch of 2018-2020 (without ids), on the townships of each year's code edition."""
    venues = _venue_names(county_name, geo, townships, buyers)
    villages = len(geo.rural_2018)
    lab_base, rapid_base = villages * rng.uniform(*LAB_PER_VILLAGE), villages * rng.uniform(*RAPID_PER_VILLAGE)
    lab_shares = np.array(list(LAB_2018.values()), dtype=float)
    frames = []
    for year in YEARS:
        growth = GROWTH[year] * rng.lognormal(0.0, 0.08)
        lab = rng.multinomial(round(lab_base * growth), lab_shares / lab_shares.sum())
        categories = np.concatenate([np.repeat(np.asarray(list(LAB_2018), dtype=object), lab),
                                     pick(rng, RAPID_CATEGORIES, round(rapid_base * growth))])
        n = len(categories)
        kinds = np.where(np.arange(n) < lab.sum(), "lab", "rapid")
        processed = np.isin(categories, ("粮食加工品", "淀粉及淀粉制品"))
        venue_types = np.where(kinds == "rapid", pick(rng, RAPID_VENUES, n),
                               np.where(processed, pick(rng, LAB_VENUES["processed"], n),
                                        pick(rng, LAB_VENUES["fresh"], n)))
        edition = geo.villages[geo.villages["editions"].str.contains("2020" if year >= 2020 else "2018")]
        places = edition.loc[is_rural(edition["village_name"]), "township_code"].to_numpy()
        failed = rng.random(n) < np.where(kinds == "lab", FAIL_RATE["lab"], FAIL_RATE["rapid"])
        items = _one_of(rng, FAILED_ITEMS, categories)
        frames.append(pd.DataFrame({
            "sample_date": _dates(rng, n, year),
            "inspection_type": kinds,
            "food_category": categories,
            "product_name": _one_of(rng, PRODUCTS, categories),
            "venue_type": venue_types,
            "venue_name": _one_of(rng, venues, venue_types),
            "township_code": places[rng.integers(len(places), size=n)],
            "result": np.where(failed, "fail", "pass"),
            "failed_item": np.where(failed, items, None),
        }))
    return pd.concat(frames, ignore_index=True).sort_values("sample_date", kind="stable").reset_index(drop=True)
