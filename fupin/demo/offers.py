"""Demo supply offers (待销农产品) drawn from a county's purchases as they stream by: a few villages per township and
year offer a product at its harvest; most offers are bought within their harvest window, some are not, more often
in townships behind their purchase target and in months when the county's buying fell against the year before.

What an offer counts as bought is what the warnings query counts (queries/base/offer_warnings.sql): purchases of the
same product from the same village code from the first harvest day on, so the demo's outcome is the dashboard's.
"""

import datetime as dt

import numpy as np
import pandas as pd

from ..store.schema import OFFER_SUPPLIER_TYPES, TABLES
from .actors import person_names
from .products import PRODUCTS
from .purchases import PRICE_INDEX

# Days each demo product keeps after harvest, as a village would tell a buyer (dried, stored or fresh).
KEEPS_DAYS = {
    "小麦": 365, "玉米": 300, "大麦": 365, "小米": 365, "绿豆": 365, "红薯": 60, "辣椒": 12, "白菜": 30, "土豆": 90,
    "萝卜": 45, "西红柿": 7, "黄瓜": 7, "南瓜": 60, "香菇": 10, "黑木耳": 365, "核桃": 180, "猕猴桃": 30, "苹果": 120,
    "柿饼": 90, "花椒": 365, "猪肉": 5, "土鸡": 5, "羊肉": 5, "土鸡蛋": 30, "蜂蜜": 365, "连翘": 365, "柴胡": 365,
    "山茱萸": 365, "大米": 365, "大豆": 365, "蓝莓": 5, "鲟鳇鱼": 3, "大马哈鱼": 5, "大黄": 365, "党参": 365,
    "茶叶": 365, "绞股蓝": 365, "富硒大米": 365, "魔芋": 60, "菊芋": 60, "板栗": 90, "狮头柑": 60, "木瓜": 20,
    "腊肉": 180,
}
OFFERS_PER_TOWNSHIP = 6        # offers a township's villages make in a year, at most
WINDOW_DAYS = (7, 31)          # how long a harvest lasts, in days
MIN_OFFER_KG = 50.0            # an offer smaller than this is not worth a ledger line
# Chances that an offer is left (partly) unsold: anywhere, in a township behind its yearly purchase target, and in
# a month when the county bought less than LAG_SHARE of the same month a year before (the 2020 epidemic).
UNSOLD_CHANCE = {"base": 0.04, "township": 0.25, "season": 0.4}
LAG_SHARE = 0.8
BOUGHT_SHARE = (0.55, 0.95)    # a bought offer: this share of what its village sold of it within the window
UNSOLD_FACTOR = (1.6, 3.5)     # an unsold offer: this many times what its village sold of it while it kept
MOBILE_PREFIXES = ("135", "136", "137", "138", "139", "150", "151", "152", "158", "159", "182", "187", "188")
STREAM = 0x0FFE                # the offers' own random stream, apart from the purchases'


def _days(values) -> np.ndarray:
    return np.asarray(values).astype("datetime64[D]")


class OfferBook:
    """One county's offers: chosen from the first replica of each year's purchases, then every chunk's purchases of
    their village and product counted (in their harvest window, and while they keep) until `offers` sets their
    quantities."""

    def __init__(self, seed: int, county_code: str):
        self.rng = np.random.default_rng([seed, int(county_code), STREAM])
        self.candidates: list[pd.DataFrame] = []
        self.months: dict[tuple[int, int], float] = {}   # (year, month) -> kg the county bought

    def see(self, year: int, replica: int, frame: pd.DataFrame) -> None:
        """Take in one chunk of purchases (in purchase order): new offers from a year's first replica, and what
        every offer's village sold of its product."""
        dates = _days(frame["purchase_date"])
        months = dates.astype("datetime64[M]").astype(int) % 12 + 1
        for month, kg in pd.Series(frame["weight_kg"].to_numpy()).groupby(months).sum().items():
            self.months[(year, int(month))] = self.months.get((year, int(month)), 0.0) + float(kg)
        if replica == 0:
            self.candidates.append(self._choose(year, frame))
        self._count(frame, dates)

    def _choose(self, year: int, frame: pd.DataFrame) -> pd.DataFrame:
        """Up to OFFERS_PER_TOWNSHIP (village, product) pairs per township among those its poor households,
        cooperatives and village collectives sold, weighted by the kg sold, each with its harvest and supplier."""
        offerable = frame[frame["supplier_type"].isin(list(OFFER_SUPPLIER_TYPES))
                          & frame["product_name"].isin(list(KEEPS_DAYS))]
        pairs = (offerable.groupby(["township_code", "village_code", "product_name"], sort=True)
                 .agg(weight_kg=("weight_kg", "sum"), row=("weight_kg", "idxmax")).reset_index())
        chosen = []
        for _, here in pairs.groupby("township_code", sort=True):
            n = min(OFFERS_PER_TOWNSHIP, len(here))
            picks = self.rng.choice(len(here), size=n, replace=False, p=here["weight_kg"] / here["weight_kg"].sum())
            chosen.append(here.iloc[np.sort(picks)])
        if not chosen:
            return pd.DataFrame()
        picked = pd.concat(chosen, ignore_index=True)
        supplier = frame.loc[picked["row"], ["supplier_type", "supplier_name", "supplier_credit_code",
                                            "product_category"]].reset_index(drop=True)
        starts = np.array([self._harvest_start(year, name) for name in picked["product_name"]], dtype="datetime64[D]")
        year_end = np.datetime64(dt.date(year, 12, 31), "D")
        ends = np.minimum(starts + self.rng.integers(*WINDOW_DAYS, size=len(picked)), year_end)
        keeps = np.array([KEEPS_DAYS[name] for name in picked["product_name"]], dtype=np.int64)
        return pd.concat([picked.drop(columns=["weight_kg", "row"]), supplier], axis=1).assign(
            year=year, harvest_from=starts, harvest_to=ends, keeps_days=keeps, sell_by=ends + keeps,
            window_kg=0.0, kept_kg=0.0)

    def _harvest_start(self, year: int, product: str) -> np.datetime64:
        """A day early in the product's first harvest month (any month for what is harvested all year)."""
        months = PRODUCTS[product].peak_months
        month = int(self.rng.choice(months)) if len(months) == 12 else months[0]
        return np.datetime64(dt.date(year, month, int(self.rng.integers(1, 21))), "D")

    def _count(self, frame: pd.DataFrame, dates: np.ndarray) -> None:
        """Add a chunk's purchases of each offer's village and product: within its harvest window, and from its
        first harvest day to the last day it keeps."""
        sold = pd.DataFrame({"village_code": frame["village_code"].to_numpy(),
                             "product_name": frame["product_name"].to_numpy(), "day": dates,
                             "weight_kg": frame["weight_kg"].to_numpy()})
        for offers in self.candidates:
            if offers.empty:
                continue
            keyed = offers[["village_code", "product_name", "harvest_from", "harvest_to", "sell_by"]].reset_index()
            matched = sold.merge(keyed, on=["village_code", "product_name"])
            if matched.empty:
                continue
            opened = matched["day"] >= matched["harvest_from"]
            window = matched[opened & (matched["day"] <= matched["harvest_to"])].groupby("index")["weight_kg"].sum()
            kept = matched[opened & (matched["day"] <= matched["sell_by"])].groupby("index")["weight_kg"].sum()
            offers.loc[window.index, "window_kg"] += window.to_numpy()
            offers.loc[kept.index, "kept_kg"] += kept.to_numpy()

    def _lagging_months(self) -> set[tuple[int, int]]:
        """(year, month) in which the county bought less than LAG_SHARE of the same month a year before."""
        return {(y, m) for (y, m), kg in self.months.items()
                if (y - 1, m) in self.months and kg < LAG_SHARE * self.months[(y - 1, m)]}

    def offers(self, lagging_townships: set[tuple[int, str]]) -> pd.DataFrame:
        """The county's offers in the offers table's columns (without ids): `lagging_townships` are (year,
        township_code) behind their yearly purchase target."""
        found = [c for c in self.candidates if not c.empty]
        if not found:
            return TABLES["offers"].empty_table().to_pandas().drop(columns=["offer_id"])
        offers = pd.concat(found, ignore_index=True)
        lag_months = self._lagging_months()
        starts = pd.to_datetime(offers["harvest_from"])
        chance = np.full(len(offers), UNSOLD_CHANCE["base"])
        chance += UNSOLD_CHANCE["township"] * np.array([(y, t) in lagging_townships
                                                        for y, t in zip(offers["year"], offers["township_code"])])
        chance += UNSOLD_CHANCE["season"] * np.array([(y, m) in lag_months
                                                      for y, m in zip(starts.dt.year, starts.dt.month)])
        unsold = self.rng.random(len(offers)) < chance
        lots = np.array([PRODUCTS[p].lot_kg for p in offers["product_name"]])
        bought_kg = np.floor(offers["window_kg"] * self.rng.uniform(*BOUGHT_SHARE, size=len(offers)) / 10) * 10
        unsold_kg = np.ceil(np.maximum(offers["kept_kg"] * self.rng.uniform(*UNSOLD_FACTOR, size=len(offers)),
                                       lots * self.rng.uniform(2, 6, size=len(offers))) / 10) * 10
        offers["quantity_kg"] = np.where(unsold, unsold_kg, bought_kg)
        offers = offers[unsold | (bought_kg >= MIN_OFFER_KG)].reset_index(drop=True)
        return self._described(offers)

    def _described(self, offers: pd.DataFrame) -> pd.DataFrame:
        """Price, contact and dates of the kept offers, in the table's columns."""
        n = len(offers)
        prices = np.array([PRODUCTS[p].price_yuan_per_kg * PRICE_INDEX.get(y, 1.0)
                           for p, y in zip(offers["product_name"], offers["year"])])
        households = offers["supplier_type"] == "poor_household"
        contacts = np.where(households, offers["supplier_name"], person_names(self.rng, n) if n else [])
        phones = [MOBILE_PREFIXES[i] + f"{number:08d}" for i, number in
                  zip(self.rng.integers(len(MOBILE_PREFIXES), size=n), self.rng.integers(10 ** 8, size=n))]
        return offers.assign(
            expected_price_yuan_per_kg=np.round(prices * self.rng.lognormal(0.0, 0.08, size=n), 1),
            harvest_from=_days(offers["harvest_from"]).astype(object),
            harvest_to=_days(offers["harvest_to"]).astype(object),
            contact_name=contacts, contact_phone=phones,
        )[[c for c in TABLES["offers"].names if c not in ("offer_id", "county_code")]]


def number_offers(frames: list[pd.DataFrame]) -> list[pd.DataFrame]:
    """Offer frames with ids from 1 continuing across them, in harvest order within each."""
    out, next_id = [], 1
    for frame in frames:
        frame = frame.sort_values(["harvest_from", "village_code", "product_name"], ignore_index=True)
        out.append(frame.assign(offer_id=np.arange(next_id, next_id + len(frame), dtype=np.int64)))
        next_id += len(frame)
    return out
