"""Purchase rows of a county other than 垣曲: one chunk per year and replica, drawn at once per group of buyers
and scaled to the year's plan to the fen."""

from collections.abc import Iterator

import numpy as np
import pandas as pd

from ..store.schema import CHANNEL_OF_BUYER_TYPE
from .cells import FROM_OTHER, FROM_POOR
from .county import County
from .draws import day_in_month, pick
from .plan import YEARS
from .products import PRODUCTS
from .purchases import PRICE_INDEX, scale_to
from .regions import USE_OF_BUYER_TYPE, month_profiles, product_mix

DESIGNATED = "designated"   # the channel code (fupin.store.schema.CHANNELS)
# The regulator was formed in March 2018: its buying starts in April of that year.
DESIGNATED_FIRST_MONTH = {2018: 4}
# How much more often a poor village is an origin than another: the county's own buyers, the regulator's.
POOR_PULL = {"local": 1.8, DESIGNATED: 5.0}
# Base companies buy from the poor households working their bases ("企业+基地+农户").
BASE_SUPPLIERS = {"poor_household": 0.6, "cooperative": 0.25, "farmer": 0.15}
LOT_SPREAD, PRICE_SPREAD = 0.5, 0.07
# Food enterprises and bases buy by the truckload: lots this many times a product's typical lot.
LOT_FACTOR = {"fresh": 1.0, "raw": 3.0, "gifts": 1.0}
REPLICA_SPREAD = 0.08   # replicas after the first: the plan with this much noise


def _suppliers(rng: np.random.Generator, county: County, year: int, villages: np.ndarray,
               buyer_types: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Supplier type, name and (for cooperatives) credit code of each row, from its buyer and origin village."""
    n = len(villages)
    kinds = np.where(buyer_types == "base_company", pick(rng, BASE_SUPPLIERS, n),
                     np.where(county.places.poor_2018[villages], pick(rng, FROM_POOR, n),
                              pick(rng, FROM_OTHER, n)))
    names = np.empty(n, dtype=object)
    codes = np.full(n, None, dtype=object)
    cast, places = county.cast, county.places
    for kind, rows in ((k, kinds == k) for k in np.unique(kinds)):
        at = villages[rows]
        if kind == "poor_household":
            names[rows] = cast.poor_households.pick(rng, at)
        elif kind == "farmer":
            names[rows] = cast.farmers.pick(rng, at)
        elif kind == "village_collective":
            names[rows] = cast.collectives[at]
        elif kind == "enterprise":
            names[rows] = cast.enterprises.pick(rng, places.township_pos[at])
        else:
            coop = _cooperatives(rng, county, year, at)
            names[rows] = county.cooperatives["cooperative_name"].to_numpy()[coop]
            codes[rows] = county.cooperatives["credit_code"].to_numpy()[coop]
    return kinds, names, codes


def _cooperatives(rng: np.random.Generator, county: County, year: int, villages: np.ndarray) -> np.ndarray:
    """A cooperative in business that year for each row: its village's, else its township's, else the county's."""
    pools = county.coops[year]
    towns = county.places.township_pos[villages]
    chosen = pools.alive[rng.integers(len(pools.alive), size=len(villages))]
    in_town = pools.by_township.size[towns] > 0
    chosen[in_town] = pools.by_township.pick(rng, towns[in_town])
    in_village = pools.by_village.size[villages] > 0
    chosen[in_village] = pools.by_village.pick(rng, villages[in_village])
    return chosen


def _rows(rng: np.random.Generator, county: County, year: int, buyers: pd.DataFrame, use: str, amount: float,
          pull: float, channel: str | None) -> pd.DataFrame:
    """Rows of one group of buyers in one year, their amounts adding up to `amount`."""
    mix = product_mix(county.region, use, county.code)
    names = list(mix)
    catalogue = [PRODUCTS[p] for p in names]
    lots = np.array([p.lot_kg for p in catalogue]) * LOT_FACTOR[use]
    prices = np.array([p.price_yuan_per_kg for p in catalogue]) * PRICE_INDEX[year]
    per_lot = lots * prices
    shares = np.array([mix[p] for p in names]) / per_lot   # shares of amount -> shares of rows
    shares /= shares.sum()
    per_row = float(shares @ per_lot) * np.exp(LOT_SPREAD ** 2 / 2)
    n = max(len(buyers), round(amount / per_row))

    product = rng.choice(len(names), size=n, p=shares)
    size = buyers["size"].to_numpy()
    buyer = rng.choice(len(buyers), size=n, p=size / size.sum())
    buyer[:len(buyers)] = rng.permutation(len(buyers))   # every buyer buys at least once a year
    places = county.places
    weights = places.output * np.where(places.poor_2018, pull, 1.0)
    village = rng.choice(len(weights), size=n, p=weights / weights.sum())
    buyer_types = buyers["buyer_type"].to_numpy()[buyer]
    kinds, suppliers, codes = _suppliers(rng, county, year, village, buyer_types)

    profiles = month_profiles(names, county.latitude, year)
    first_month = DESIGNATED_FIRST_MONTH.get(year, 1) if channel == DESIGNATED else 1
    profiles[:, :first_month - 1] = 0.0
    cdf = np.cumsum(profiles, axis=1) / profiles.sum(axis=1, keepdims=True)
    months = np.minimum((rng.random(n)[:, None] > cdf[product]).sum(axis=1), 11)

    weight = np.round(lots[product] * rng.lognormal(0.0, LOT_SPREAD, size=n), 1).clip(min=0.5)
    price = prices[product] * rng.lognormal(0.0, PRICE_SPREAD, size=n)
    return pd.DataFrame({
        "purchase_date": day_in_month(rng, months, year),
        "buyer_id": buyers["buyer_id"].to_numpy()[buyer],
        "buyer_type": buyer_types,
        "channel": channel or np.array([CHANNEL_OF_BUYER_TYPE[t] for t in buyer_types], dtype=object),
        "supplier_type": kinds,
        "supplier_name": suppliers,
        "supplier_credit_code": codes,
        "village_pos": village,
        "product_category": np.array([p.category for p in catalogue], dtype=object)[product],
        "product_name": np.asarray(names, dtype=object)[product],
        "weight_kg": weight,
        "amount_yuan": scale_to(weight * price, round(amount, 2), 2),
    })


def _to_edition(frame: pd.DataFrame, county: County, year: int) -> pd.DataFrame:
    """Village and township codes, and the poor-village flag, of the code edition in force in `year`."""
    at = frame.pop("village_pos").to_numpy()
    places = county.places
    edition_2020 = year >= 2020
    frame.insert(7, "township_code", (places.township_2020 if edition_2020 else places.township_2018)[at])
    frame.insert(8, "village_code", (places.code_2020 if edition_2020 else places.code_2018)[at])
    frame.insert(9, "from_poor_village", (places.poor_2020 if edition_2020 else places.poor_2018)[at])
    return frame


def year_rows(rng: np.random.Generator, county: County, year: int, local_yuan: float,
              designated_yuan: float) -> pd.DataFrame:
    """Every purchase of a county in a year, sorted by date: its own buyers' and the regulator's."""
    buyers = county.cast.buyers
    own = buyers[~buyers["designated"]]
    parts = []
    for buyer_type, share in county.buyer_type_shares.items():
        group = own[own["buyer_type"] == buyer_type]
        parts.append(_rows(rng, county, year, group, USE_OF_BUYER_TYPE[buyer_type], local_yuan * share,
                           POOR_PULL["local"], None))
    if designated_yuan:
        group = buyers[buyers["designated"]]
        parts.append(_rows(rng, county, year, group, "gifts", designated_yuan, POOR_PULL[DESIGNATED], DESIGNATED))
    frame = pd.concat(parts, ignore_index=True).sort_values("purchase_date", kind="stable").reset_index(drop=True)
    return _to_edition(frame, county, year)


def county_chunks(county: County, seed: int, scale: int,
                  designated_yuan: dict[int, float]) -> Iterator[tuple[int, int, pd.DataFrame]]:
    """(year, replica, rows) for every year and replica: the first replica on the plan, the others around it."""
    for year in YEARS:
        for replica in range(scale):
            rng = np.random.default_rng([seed, int(county.code), year, replica])
            noise = 1.0 if replica == 0 else rng.lognormal(0.0, REPLICA_SPREAD)
            yield year, replica, year_rows(rng, county, year, county.local_yuan[year] * noise,
                                           designated_yuan.get(year, 0.0) * noise)
