"""Who trades in a county other than 垣曲: buyers named after the county, households, collectives and firms."""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .actors import CATERING_SUFFIXES, GIVEN, SURNAMES, Pools, flat_pools
from .geography import Geography, village_short_names
from .regions import Region

SUPERMARKETS = ("华联超市", "万家福超市", "惠民超市", "佳佳乐超市", "新世纪购物中心", "百姓超市", "利民生鲜超市",
                "金太阳超市", "家家福便利店", "好又多超市")
CANTEENS = ("{c}人民政府机关食堂", "{c}人民医院职工食堂", "{c}中医医院食堂", "{c}第一中学食堂", "{c}第二中学食堂",
            "{c}职业中学食堂", "{c}实验小学食堂", "{c}市场监督管理局食堂", "{c}公安局食堂", "{c}税务局食堂",
            "国网{c}供电公司食堂", "{c}邮政分公司食堂", "{c}交通运输局食堂", "{c}教育局食堂", "{c}敬老院食堂")
ECOMMERCE = ("{c}电子商务公共服务中心", "{c}扶贫产品网上专馆", "邮乐购{c}馆", "{c}农特产品网店")
FAIRS = ("{c}年货节展销会", "{c}农民丰收节展销", "{c}消费扶贫产品展销会", "{c}社区团购点", "{c}直机关帮扶团购")
BASE_TRADES = ("农业开发有限公司", "生态农业有限公司", "现代农业科技有限公司")
SUPPLIER_TRADES = ("农业开发有限公司", "农产品购销有限公司", "种养有限公司", "生态农业有限公司")
WORDS = "丰润禾盛源绿康旺鑫硕农田福瑞兴隆"
# The regulator's own buyers in its designated counties (seed 001): its service bureau's canteen, trade union,
# staff purchase programme, directly affiliated institutes and its online hall. Weights: relative size.
DESIGNATED_BUYERS = (
    ("国家市场监督管理总局机关服务局", "canteen", 5.0),
    ("国家市场监督管理总局机关工会", "other", 3.0),
    ("市场监管总局干部职工爱心认购", "other", 2.0),
    ("市场监管总局定点扶贫产品网上专馆", "ecommerce", 2.5),
    ("中国计量科学研究院职工食堂", "canteen", 1.0),
    ("中国标准化研究院工会", "other", 0.8),
    ("中国检验检疫科学研究院职工食堂", "canteen", 0.8),
    ("中国质量认证中心工会", "other", 0.6),
)
SEAT_SHARE = 0.75   # buyers in the county seat's township; the rest anywhere in the county


@dataclass(frozen=True)
class Cast:
    """A county's buyers and suppliers, in arrays rows can be drawn from."""

    buyers: pd.DataFrame        # the buyers table's rows, with `size` (relative buying) and `designated`
    poor_households: Pools      # per rural village (position in rural_2018)
    farmers: Pools              # per rural village
    enterprises: Pools          # per township (position in `townships`)
    townships: np.ndarray       # 2018 township codes, in the order `enterprises` is indexed
    collectives: np.ndarray     # per rural village: its collective's name


def unique_names(rng: np.random.Generator, count: int) -> np.ndarray:
    """`count` distinct synthetic Chinese names of two or three characters, drawn at once."""
    draws = 2 * count + 16
    surnames = np.asarray(SURNAMES)[rng.integers(len(SURNAMES), size=draws)]
    first = np.asarray(GIVEN)[rng.integers(len(GIVEN), size=draws)]
    second = np.where(rng.random(draws) < 0.7, np.asarray(GIVEN)[rng.integers(len(GIVEN), size=draws)], "")
    names = np.char.add(np.char.add(surnames, first), second)
    _, first_seen = np.unique(names, return_index=True)
    distinct = names[np.sort(first_seen)]
    if len(distinct) < count:
        raise ValueError(f"only {len(distinct)} distinct names for {count}")
    return distinct[:count].astype(object)


def short_place(place: str) -> str:
    """A place name without its 镇/乡/街道 suffix, as firms are named."""
    for suffix in ("街道办事处", "街道", "镇", "乡"):
        if place.endswith(suffix) and len(place) > len(suffix) + 1:
            return place[: -len(suffix)]
    return place


def _firm_names(rng: np.random.Generator, prefix: str, trades: tuple[str, ...], count: int) -> list[str]:
    """`count` distinct firm names: prefix, two auspicious characters, a trade."""
    names: list[str] = []
    while len(names) < count:
        name = (prefix + WORDS[rng.integers(len(WORDS))] + WORDS[rng.integers(len(WORDS))]
                + trades[rng.integers(len(trades))])
        if name not in names:
            names.append(name)
    return names


def _catering_names(rng: np.random.Generator, county: str, count: int) -> list[str]:
    owners = np.asarray(SURNAMES)[rng.integers(len(SURNAMES), size=count)]
    marks = np.where(rng.random(count) < 0.5, "记", "家")
    kinds = np.asarray(CATERING_SUFFIXES)[rng.integers(len(CATERING_SUFFIXES), size=count)]
    names, seen = [], {}
    for owner, mark, kind in zip(owners, marks, kinds):
        name = f"{county}{owner}{mark}{kind}"
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name}({seen[name]}号店)")
    return names


def build_buyers(rng: np.random.Generator, county_code: str, county_name: str, region: Region,
                 townships: np.ndarray, rural_villages: int, designated: bool) -> pd.DataFrame:
    """The county's buyers, their number growing with its villages; the regulator's buyers when `designated`."""
    c = county_name
    by_type = {
        "supermarket": [c + s for s in SUPERMARKETS[:min(len(SUPERMARKETS), 3 + rural_villages // 80)]],
        "food_enterprise": _firm_names(rng, c, region.trades, 4 + rural_villages // 50),
        "base_company": _firm_names(rng, c, BASE_TRADES, 2 + rural_villages // 100),
        "canteen": [t.format(c=c) for t in CANTEENS[:min(len(CANTEENS), 6 + rural_villages // 40)]],
        "ecommerce": [t.format(c=c) for t in ECOMMERCE],
        "other": [t.format(c=c) for t in FAIRS],
        "catering": _catering_names(rng, c, max(30, round(rural_villages * rng.uniform(0.6, 1.2)))),
    }
    prefixes = {"supermarket": "S", "food_enterprise": "F", "base_company": "J", "canteen": "T", "ecommerce": "E",
                "other": "O", "catering": "C"}
    seat = min(townships)
    rows = []
    for buyer_type, names in by_type.items():
        sizes = 1.0 / np.arange(1, len(names) + 1) ** 0.8 * rng.lognormal(0.0, 0.3, size=len(names))
        in_seat = rng.random(len(names)) < SEAT_SHARE
        places = np.where(in_seat, seat, townships[rng.integers(len(townships), size=len(names))])
        rows += [(f"{county_code}{prefixes[buyer_type]}{i:03d}", name, buyer_type, place, size, False)
                 for i, (name, place, size) in enumerate(zip(names, places, sizes), start=1)]
    if designated:
        rows += [(f"{county_code}D{i:03d}", name, buyer_type, None, size, True)
                 for i, (name, buyer_type, size) in enumerate(DESIGNATED_BUYERS, start=1)]
    frame = pd.DataFrame(rows, columns=["buyer_id", "buyer_name", "buyer_type", "township_code", "size",
                                        "designated"])
    return frame.assign(county_code=county_code)


def build_cast(rng: np.random.Generator, county_code: str, county_name: str, region: Region, geo: Geography,
               townships: pd.DataFrame, designated: bool) -> Cast:
    """Buyers, households per village, supplier firms per township and village collectives of one county."""
    rural = geo.rural_2018
    in_2018 = townships[(townships["first_year"] <= 2018) & (townships["last_year"] >= 2018)]
    codes = in_2018["township_code"].to_numpy()
    buyers = build_buyers(rng, county_code, county_name, region, codes, len(rural), designated)
    poor_sizes = rng.integers(6, 24, size=len(rural))
    farmer_sizes = rng.integers(10, 30, size=len(rural))
    names = unique_names(rng, int(poor_sizes.sum() + farmer_sizes.sum()))
    firms = [name for place in in_2018["township_name"]
             for name in _firm_names(rng, county_name + short_place(place), SUPPLIER_TRADES, 3)]
    villages = village_short_names(rural["village_name"])
    return Cast(
        buyers=buyers,
        poor_households=flat_pools(poor_sizes, names[:poor_sizes.sum()]),
        farmers=flat_pools(farmer_sizes, names[poor_sizes.sum():]),
        enterprises=flat_pools(np.full(len(codes), 3), np.array(firms, dtype=object)),
        townships=codes,
        collectives=(villages + "股份经济合作社").to_numpy(dtype=object),
    )
