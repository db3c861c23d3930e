"""Demo purchase rows, cell by cell: buyers, dates by season, origins, suppliers, lots and prices.

The 2018 rows of the first replica are scaled to the cells' report totals exactly; every other year and
replica scales them by growth and noise. One chunk is one (year, replica), so memory stays bounded.
"""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from ..store.schema import CHANNEL_OF_BUYER_TYPE
from .actors import Pools, enterprise_pools, flat_pools, household_pools
from .cells import Cell, report_cells, with_fillers
from .geography import WANGXIAN, XIXINGMA, Geography
from .products import PRODUCTS, month_weights

YEARS = (2016, 2017, 2018, 2019, 2020)
CALIBRATED_YEAR = 2018
REPORT_DATE = dt.date(2018, 12, 29)
GROWTH = {2016: 0.55, 2017: 0.76, 2018: 1.0, 2019: 1.16, 2020: 1.27}
PRICE_INDEX = {2016: 0.94, 2017: 0.97, 2018: 1.0, 2019: 1.04, 2020: 1.09}
MONTH_FACTOR = {2020: {2: 0.35, 3: 0.7}}   # the epidemic's first weeks
NAMED_HOUSEHOLDS = {"xixingma_households": (XIXINGMA, 29), "wangxian_households": (WANGXIAN, 5)}


@dataclass(frozen=True)
class Supplier:
    """One named supplier a cell must buy from."""

    supplier_type: str
    name: str
    credit_code: str | None
    village: int


class Market:
    """Everything the rows are drawn from: geography, buyers, households, enterprises and cooperatives."""

    def __init__(self, rng: np.random.Generator, geo: Geography, buyers: pd.DataFrame,
                 cooperatives: pd.DataFrame, walnut_partners: list[str]):
        self.geo = geo
        rural = geo.rural_2018
        self.village_codes = rural["village_code"].to_numpy()
        self.village_townships = rural["township_code"].to_numpy()
        self.village_poor = rural["is_poor_village"].to_numpy()
        self.collectives = np.array([n.replace("村委会", "村") + "股份经济合作社" for n in rural["village_name"]],
                                    dtype=object)
        self.buyer_pos = {b: i for i, b in enumerate(buyers["buyer_id"])}
        self.buyer_ids = buyers["buyer_id"].to_numpy()
        self.buyer_types = buyers["buyer_type"].to_numpy()
        must_have = {code: n + 3 for code, n in NAMED_HOUSEHOLDS.values()}
        self.poor_households, self.farmers = household_pools(rng, rural, must_have)
        townships = sorted(set(self.village_townships))
        self.township_pos = np.array([townships.index(t) for t in self.village_townships])
        self.enterprises = enterprise_pools(rng, townships)
        self.cooperatives = cooperatives
        self._coop_pools: dict[int, Pools] = {}
        self.fixed = self._fixed_suppliers(walnut_partners)

    def _fixed_suppliers(self, walnut_partners: list[str]) -> dict[str, list[Supplier]]:
        coops = self.cooperatives.set_index("credit_code")
        partners = [Supplier("cooperative", coops.at[code, "cooperative_name"], code,
                             self.geo.position(coops.at[code, "village_code"])) for code in walnut_partners]
        fixed = {
            "walnut_partners_poor": [s for s in partners if self.village_poor[s.village]],
            "walnut_partners_other": [s for s in partners if not self.village_poor[s.village]],
        }
        for key, (village, count) in NAMED_HOUSEHOLDS.items():
            pos = self.geo.position(village)
            fixed[key] = [Supplier("poor_household", name, None, pos)
                          for name in self.poor_households.of(pos)[:count]]
        return fixed

    def coop_pool(self, year: int) -> Pools:
        """Per village, the cooperatives in business that year (the township's, or the county's, if it has none)."""
        if year not in self._coop_pools:
            c = self.cooperatives
            alive = (pd.to_datetime(c["registered_date"]).dt.year <= year) & (
                c["deregistered_date"].isna() | (pd.to_datetime(c["deregistered_date"]).dt.year >= year))
            alive_idx = np.flatnonzero(alive.to_numpy())
            village_of = c["village_code"].to_numpy()
            township_of = c["township_code"].to_numpy()
            members, sizes = [], []
            for code, township in zip(self.village_codes, self.village_townships):
                here = alive_idx[village_of[alive_idx] == code]
                if len(here) == 0:
                    here = alive_idx[township_of[alive_idx] == township]
                if len(here) == 0:
                    here = alive_idx
                members.append(here)
                sizes.append(len(here))
            self._coop_pools[year] = flat_pools(np.array(sizes), np.concatenate(members))
        return self._coop_pools[year]


def _dates(rng: np.random.Generator, products: np.ndarray, year: int, start: dt.date, end: dt.date) -> np.ndarray:
    """A date for each row: month by the product's season, day uniform within the window's part of that month."""
    names = sorted(set(products))
    months = np.empty(len(products), dtype=np.int64)
    factor = np.ones(12)
    for month, f in MONTH_FACTOR.get(year, {}).items():
        factor[month - 1] = f
    allowed = np.array([start.month <= m <= end.month for m in range(1, 13)], dtype=float)
    for name in names:
        rows = products == name
        weights = month_weights(PRODUCTS[name]) * factor * allowed
        months[rows] = rng.choice(12, size=int(rows.sum()), p=weights / weights.sum()) + 1
    first = np.array([dt.date(year, m, 1) if m != start.month else start for m in range(1, 13)], dtype="datetime64[D]")
    last_day = [(dt.date(year + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)) for m in range(1, 13)]
    last = np.array([d if d.month != end.month else min(d, end) for d in last_day], dtype="datetime64[D]")
    span = (last - first).astype(np.int64) + 1
    offset = (rng.random(len(products)) * span[months - 1]).astype(np.int64)
    return first[months - 1] + offset


def _buyers(rng: np.random.Generator, cell: Cell, n: int) -> np.ndarray:
    """Buyer ids: a few big buyers and a long tail; every buyer at least once when the cell covers them."""
    k = len(cell.buyers)
    weights = 1.0 / np.arange(1, k + 1) ** 0.8
    picks = rng.choice(k, size=n, p=weights / weights.sum())
    if cell.cover_buyers:
        picks[:k] = rng.permutation(k)
    return np.asarray(cell.buyers, dtype=object)[picks]


def scale_to(values: np.ndarray, target: float, decimals: int) -> np.ndarray:
    """Scale positive values to sum to `target`, rounded, with the rounding residue put on the largest."""
    scaled = np.round(values * (target / values.sum()), decimals)
    biggest = int(np.argmax(scaled))
    scaled[biggest] = round(scaled[biggest] + (target - scaled.sum()), decimals)
    return scaled


def cell_rows(market: Market, cell: Cell, rng: np.random.Generator, year: int, window: tuple[dt.date, dt.date],
              rows: int, totals: tuple[float, float] | None) -> pd.DataFrame:
    """The rows of one cell in one year; scaled to `totals` (kg, yuan) when given."""
    fixed = market.fixed.get(cell.fixed_suppliers, [])
    n = max(rows, len(fixed), len(cell.buyers) if cell.cover_buyers else 1)
    product_names = list(cell.products)
    shares = np.array([cell.products[p] for p in product_names])
    products = np.asarray(product_names, dtype=object)[rng.choice(len(product_names), size=n, p=shares / shares.sum())]
    buyers = _buyers(rng, cell, n)

    if fixed:
        which = rng.integers(len(fixed), size=n)
        which[:len(fixed)] = np.arange(len(fixed))
        villages = np.array([fixed[i].village for i in which])
        supplier_types = np.array([fixed[i].supplier_type for i in which], dtype=object)
        supplier_names = np.array([fixed[i].name for i in which], dtype=object)
        credit_codes = np.array([fixed[i].credit_code for i in which], dtype=object)
    else:
        if cell.origins.village:
            villages = np.full(n, market.geo.position(cell.origins.village))
        else:
            pool = market.geo.pool(cell.origins.poor, cell.origins.townships)
            villages = pool[rng.integers(len(pool), size=n)]
        kinds = list(cell.suppliers)
        p = np.array([cell.suppliers[k] for k in kinds])
        supplier_types = np.asarray(kinds, dtype=object)[rng.choice(len(kinds), size=n, p=p / p.sum())]
        supplier_names = np.empty(n, dtype=object)
        credit_codes = np.full(n, None, dtype=object)
        for kind in kinds:
            rows_of = supplier_types == kind
            at = villages[rows_of]
            if kind == "poor_household":
                supplier_names[rows_of] = market.poor_households.pick(rng, at)
            elif kind == "farmer":
                supplier_names[rows_of] = market.farmers.pick(rng, at)
            elif kind == "village_collective":
                supplier_names[rows_of] = market.collectives[at]
            elif kind == "enterprise":
                supplier_names[rows_of] = market.enterprises.pick(rng, market.township_pos[at])
            else:
                coop = market.coop_pool(year).pick(rng, at)
                supplier_names[rows_of] = market.cooperatives["cooperative_name"].to_numpy()[coop]
                credit_codes[rows_of] = market.cooperatives["credit_code"].to_numpy()[coop]

    catalogue = [PRODUCTS[p] for p in products]
    lots = np.array([c.lot_kg for c in catalogue]) * rng.lognormal(0.0, 0.5, size=n)
    prices = np.array([c.price_yuan_per_kg for c in catalogue]) * PRICE_INDEX[year] * rng.lognormal(0.0, 0.07, size=n)
    weights = np.round(lots, 1).clip(min=0.5)
    amounts = weights * prices
    if totals is not None:
        weights = scale_to(weights, totals[0], 1)
        amounts = scale_to(weights * prices, totals[1], 2)
    else:
        amounts = np.round(amounts, 2)
    buyer_types = market.buyer_types[[market.buyer_pos[b] for b in buyers]]
    return pd.DataFrame({
        "purchase_date": _dates(rng, products, year, *window),
        "buyer_id": buyers,
        "buyer_type": buyer_types,
        "channel": [CHANNEL_OF_BUYER_TYPE[t] for t in buyer_types],
        "supplier_type": supplier_types,
        "supplier_name": supplier_names,
        "supplier_credit_code": credit_codes,
        "village_pos": villages,
        "product_category": [c.category for c in catalogue],
        "product_name": products,
        "weight_kg": weights,
        "amount_yuan": amounts,
    })


def _year_cells(cells: list[Cell], year: int, replica: int, rng: np.random.Generator):
    """(cell, window, rows, totals) for one chunk: exact report totals for 2018 of replica 0, else grown with noise."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    exact = year == CALIBRATED_YEAR and replica == 0
    for cell in cells:
        if exact:
            yield cell, (start, REPORT_DATE), cell.rows, (cell.weight_kg, cell.amount_yuan)
            if "filler" in cell.tags:   # the two days after the report's date
                tail = 2 / 363
                yield cell, (REPORT_DATE + dt.timedelta(days=1), end), max(2, round(cell.rows * tail)), \
                    (round(cell.weight_kg * tail, 1), round(cell.amount_yuan * tail, 2))
            continue
        noise = rng.lognormal(0.0, 0.08)
        growth = GROWTH[year] * noise
        rows = max(1, round(cell.rows * growth * rng.uniform(0.9, 1.1)))
        totals = (round(cell.weight_kg * growth, 1), round(cell.amount_yuan * growth * PRICE_INDEX[year], 2))
        yield cell, (start, end), rows, totals


def _to_edition(frame: pd.DataFrame, market: Market, year: int) -> pd.DataFrame:
    """Village and township codes of the code edition in force in the purchase's year."""
    codes = market.village_codes[frame.pop("village_pos").to_numpy()]
    if year >= 2020:
        codes = np.array([market.geo.successor_2020[c] for c in codes], dtype=object)
    villages = market.geo.villages.set_index("village_code")
    frame.insert(7, "township_code", villages["township_code"].reindex(codes).to_numpy())
    frame.insert(8, "village_code", codes)
    frame.insert(9, "from_poor_village", villages["is_poor_village"].reindex(codes).to_numpy().astype(bool))
    return frame


def purchase_chunks(market: Market, seed: int, scale: int) -> Iterator[tuple[int, int, pd.DataFrame]]:
    """(year, replica, rows sorted by date) for every year and replica; ids are added by the caller."""
    cells = with_fillers(report_cells())
    for year in YEARS:
        for replica in range(scale):
            rng = np.random.default_rng([seed, year, replica])
            parts = [cell_rows(market, cell, rng, year, window, rows, totals)
                     for cell, window, rows, totals in _year_cells(cells, year, replica, rng)]
            frame = pd.concat(parts, ignore_index=True).sort_values("purchase_date", kind="stable")
            yield year, replica, _to_edition(frame.reset_index(drop=True), market, year)


def to_arrow(frame: pd.DataFrame, first_id: int, schema: pa.Schema) -> pa.Table:
    """A chunk as an Arrow table in the purchases schema, numbered from `first_id`."""
    frame.insert(0, "purchase_id", np.arange(first_id, first_id + len(frame), dtype=np.int64))
    frame["county_code"] = frame["township_code"].str[:6]
    return pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
