"""The demo's registers of seed 003's kind for one county: certified products and their suppliers, 三专 outlets and
sales events, drawn from the county's own cooperatives, supermarkets and townships."""

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..store import reference
from ..store.channels import SEVEN_CHECKS
from ..store.credit_code import ALPHABET, check_character
from .county_actors import WORDS
from .products import PRODUCTS
from .regions import REGIONS, SPECIALTIES

# The farm products (as the purchase ledgers name them) a county's cooperatives get certified: its region's, and for
# 垣曲 (whose purchases are drawn from its own report) those of its report.
YUANQU_PRODUCTS = ("核桃", "小麦", "辣椒", "香菇", "花椒", "小米", "苹果", "柿饼", "连翘", "土鸡蛋")
# What firms get certified, by category: the 秦巴山区's "富硒茶、富硒魔芋、富硒矿泉水、中医药等十余个大类" (seed 003),
# and the other regions' own.
FIRM_PRODUCTS = {
    "610000": {"茶叶": ("富硒绿茶", "毛尖", "红茶", "绞股蓝茶", "富硒茶礼盒", "白茶"),
               "魔芋制品": ("魔芋粉", "魔芋挂面", "魔芋豆腐", "魔芋丝"), "粮油": ("富硒大米", "菜籽油", "核桃油", "挂面"),
               "肉制品": ("腊肉", "香肠", "腊肉礼盒"), "干鲜果品": ("核桃仁", "板栗仁", "猕猴桃", "拐枣"),
               "食用菌": ("干香菇", "黑木耳", "香菇酱"), "中药材": ("天麻", "杜仲茶", "黄精"),
               "饮品": ("富硒矿泉水", "猕猴桃酒", "拐枣酒"), "蜂产品": ("土蜂蜜", "蜂蜜礼盒"), "丝绸": ("蚕丝被", "丝巾"),
               "调味品": ("辣椒酱", "豆瓣酱")},
    "140000": {"干鲜果品": ("核桃仁", "柿饼"), "粮油": ("小麦粉", "小米", "核桃油"), "食用菌": ("干香菇",),
               "中药材": ("连翘茶",), "调味品": ("花椒",)},
    "620000": {"干鲜果品": ("苹果", "核桃仁"), "中药材": ("大黄", "党参", "当归"), "调味品": ("花椒",),
               "蜂产品": ("土蜂蜜",)},
    "230000": {"粮油": ("大米", "大豆油"), "水产品": ("鲟鳇鱼", "大马哈鱼", "鱼子酱"), "干鲜果品": ("蓝莓", "蓝莓果酒"),
               "食用菌": ("黑木耳",), "蜂产品": ("黑蜂蜂蜜",)},
    "220000": {"粮油": ("大米", "小米", "玉米糁", "大豆油"), "杂粮": ("鲜食玉米", "杂粮礼盒"), "食用菌": ("黑木耳",),
               "肉制品": ("熏肉",)},
}
FIRM_TRADES = ("农业开发有限公司", "生态农业有限公司", "食品有限公司", "农业科技有限公司", "商贸有限公司")
# 安康's 网红产品 (seed 003 names five of "30余种"), each with its category, by county.
FEATURED = {
    "610924": (("紫阳富硒茶", "茶叶"), ("紫阳毛尖", "茶叶"), ("紫阳富硒红茶", "茶叶")),
    "610926": (("平利绞股蓝", "茶叶"), ("平利女娲茶", "茶叶"), ("平利富硒茶", "茶叶")),
    "610925": (("岚皋魔芋", "魔芋制品"), ("岚皋魔芋挂面", "魔芋制品"), ("岚皋腊肉", "肉制品")),
    "610929": (("白河木瓜", "干鲜果品"), ("白河木瓜酒", "饮品"), ("白河富硒茶", "茶叶")),
    "610928": (("旬阳狮头柑", "干鲜果品"), ("旬阳拐枣酒", "饮品"), ("旬阳烤烟香菇", "食用菌")),
    "610902": (("安康富硒茶", "茶叶"), ("安康富硒矿泉水", "饮品"), ("汉滨腊肉", "肉制品"), ("汉滨富硒大米", "粮油")),
    "610921": (("汉阴富硒米", "粮油"), ("汉阴菜籽油", "粮油"), ("汉阴核桃", "干鲜果品")),
    "610922": (("石泉蚕丝被", "丝绸"), ("石泉富硒茶", "茶叶"), ("石泉腊肉", "肉制品")),
    "610923": (("宁陕天麻", "中药材"), ("宁陕板栗", "干鲜果品"), ("宁陕土蜂蜜", "蜂产品")),
    "610927": (("镇坪腊肉", "肉制品"), ("镇坪黄连", "中药材")),
}
# Certification went in batches (the dates a batch was published); a certificate is valid three years.
BATCHES = (dt.date(2019, 4, 25), dt.date(2019, 7, 18), dt.date(2019, 10, 22), dt.date(2020, 1, 16),
           dt.date(2020, 4, 28), dt.date(2020, 6, 30), dt.date(2020, 9, 25))
LATE_BATCH = dt.date(2020, 12, 18)
VALID_YEARS = 3
UNITS = ("{c}人民政府", "{c}人民医院", "{c}中医医院", "{c}第一中学", "{c}市场监督管理局", "{c}税务局", "国网{c}供电公司",
         "{c}邮政分公司", "{c}农村商业银行", "{c}汽车客运站")
SEAT_JITTER = 0.012   # degrees: where in its township's seat an outlet is drawn


@dataclass(frozen=True)
class Site:
    """A county as its registers are drawn: townships (seat first), cooperatives in business through 2020, its
    supermarkets, the farm products its cooperatives sell, its firms' catalogue and its size."""

    code: str
    name: str
    townships: pd.DataFrame
    cooperatives: pd.DataFrame
    supermarkets: tuple[str, ...]
    farm_products: tuple[str, ...]
    catalogue: dict[str, tuple[str, ...]]
    size: int
    designated: bool

    @property
    def short(self) -> str:
        """The county's name without 县, 区 or 市, as its products and firms are named."""
        return self.name[:-1] if len(self.name) > 2 else self.name

    @property
    def seat(self) -> str:
        return self.townships["township_code"].iloc[0]


def site(code: str, name: str, cooperatives: pd.DataFrame, buyers: pd.DataFrame, size: int, designated: bool,
         farm_products: tuple[str, ...]) -> Site:
    """A county's site from its demo world (cooperative register, buyers, rural villages)."""
    towns = reference.townships((code,))
    towns = towns[(towns["first_year"] <= 2020) & (towns["last_year"] >= 2020)].sort_values("township_code")
    registered = pd.to_datetime(cooperatives["registered_date"])
    closed = pd.to_datetime(cooperatives["deregistered_date"])
    alive = cooperatives[(registered <= "2019-12-31") & closed.isna()]
    successors = dict(zip(towns["township_code"], towns["township_code"]))
    every = reference.townships((code,))
    successors |= {c: s for c, s in zip(every["township_code"], every["successor_code"]) if s}
    alive = alive.assign(township_code=alive["township_code"].map(lambda t: successors.get(t, t)))
    alive = alive[alive["township_code"].isin(towns["township_code"])]
    province = reference.counties((code,))["province_code"].iloc[0]
    return Site(code, name, towns.reset_index(drop=True), alive.reset_index(drop=True),
                tuple(buyers.loc[buyers["buyer_type"] == "supermarket", "buyer_name"]), farm_products,
                FIRM_PRODUCTS[province], size, designated)


def region_products(county_code: str, province_code: str) -> tuple[str, ...]:
    """The farm products a county's cooperatives sell (its region's mixes and its specialty, as purchases name them)."""
    region = REGIONS[province_code]
    names = {*region.fresh, *region.raw, *region.gifts}
    if county_code in SPECIALTIES:
        names.add(SPECIALTIES[county_code])
    return tuple(sorted(n for n in names if n in PRODUCTS))


def firm_code(rng: np.random.Generator, county_code: str, taken: set[str]) -> str:
    """A valid unified social credit code of a company (91…) registered in the county, not yet taken."""
    while True:
        body = "91" + county_code + "MA0" + "".join(ALPHABET[i] for i in rng.integers(len(ALPHABET), size=6))
        code = body + check_character(body)
        if code not in taken:
            taken.add(code)
            return code


def suppliers(rng: np.random.Generator, s: Site, count: int, coop_share: float, taken: set[str]) -> pd.DataFrame:
    """`count` suppliers of a county: cooperatives of its register (their codes as purchases carry them) and firms
    named after the county, each in a township (firms mostly in the seat)."""
    coops = min(round(count * coop_share), len(s.cooperatives))
    chosen = s.cooperatives.iloc[np.sort(rng.choice(len(s.cooperatives), size=coops, replace=False))]
    names: list[str] = []
    while len(names) < count - coops:
        name = s.short + WORDS[rng.integers(len(WORDS))] + WORDS[rng.integers(len(WORDS))] + \
            FIRM_TRADES[rng.integers(len(FIRM_TRADES))]
        if name not in names:
            names.append(name)
    towns = s.townships["township_code"].to_numpy()
    in_seat = rng.random(len(names)) < 0.6
    firm_towns = np.where(in_seat, s.seat, towns[rng.integers(len(towns), size=len(names))])
    firms = pd.DataFrame({"supplier_name": names, "supplier_credit_code": [firm_code(rng, s.code, taken) for _ in names],
                          "township_code": firm_towns, "cooperative": False, "industry": ""})
    coop_rows = pd.DataFrame({"supplier_name": chosen["cooperative_name"].to_numpy(),
                              "supplier_credit_code": chosen["credit_code"].to_numpy(),
                              "township_code": chosen["township_code"].to_numpy(), "cooperative": True,
                              "industry": chosen["industry"].fillna("").to_numpy()})
    return pd.concat([firms, coop_rows], ignore_index=True)


def _names(rng: np.random.Generator, s: Site, industry: str | None, count: int, featured: list) -> list[tuple[str, str]]:
    """`count` distinct (product, category) a supplier gets certified: a cooperative (its `industry` given) its farm
    products, those of its trade first; a firm its catalogue's (half named after the county) and the county's
    featured products it was given."""
    if industry is not None:
        options = [(n, PRODUCTS[n].category) for n in s.farm_products]
    else:
        options = [(name, category) for category, names in s.catalogue.items() for name in names]
        options = [((s.short + n) if rng.random() < 0.5 else n, c) for n, c in options]
    picked = [options[i] for i in rng.permutation(len(options))]
    picked.sort(key=lambda option: not (industry and option[0] in industry))   # stable: its trade's products first
    chosen = list(dict.fromkeys([*featured, *picked]))
    return chosen[:max(count, len(featured))]


def products(rng: np.random.Generator, s: Site, firms_and_coops: pd.DataFrame, counts: np.ndarray,
             batches: tuple[dt.date, ...]) -> pd.DataFrame:
    """Certified products of a county's suppliers (`counts` each, the first firms given the county's featured
    products), certified in `batches`, valid three years, all seven checks passed; `weight` is a relative value."""
    featured = list(FEATURED.get(s.code, ()))
    rows = []
    for i, (supplier, count) in enumerate(zip(firms_and_coops.itertuples(index=False), counts)):
        given = [featured.pop(0)] if featured and not supplier.cooperative else []
        industry = supplier.industry if supplier.cooperative else None
        for name, category in _names(rng, s, industry, int(count), given):
            certified = batches[rng.integers(len(batches))]
            rows.append({"product_name": name, "product_category": category, "supplier_name": supplier.supplier_name,
                         "supplier_credit_code": supplier.supplier_credit_code, "township_code": supplier.township_code,
                         "certified_date": certified,
                         "valid_until": certified.replace(year=certified.year + VALID_YEARS) - dt.timedelta(days=1),
                         "status": "valid", "checks_passed": "、".join(SEVEN_CHECKS),
                         "weight": rng.lognormal(0.0, 1.0) * (4.0 if given else 1.0), "featured": bool(given),
                         "supplier": i})
    return pd.DataFrame(rows)


def point(rng: np.random.Generator, s: Site, township: str) -> tuple[float, float]:
    """A point near a township's seat (its own where the reference has one, else the county seat's)."""
    towns = s.townships.set_index("township_code")
    lng, lat = towns.at[township, "lng"], towns.at[township, "lat"]
    if pd.isna(lng):
        lng, lat = towns.at[s.seat, "lng"], towns.at[s.seat, "lat"]
    return (round(float(lng) + rng.uniform(-SEAT_JITTER, SEAT_JITTER), 6),
            round(float(lat) + rng.uniform(-SEAT_JITTER, SEAT_JITTER), 6))


def outlet(outlet_id: str, name: str, kind: str, *, township: str, stage: str, stage_date: dt.date,
           operator: str, host: str | None = None, online: bool = False, smart: bool = False,
           opened: dt.date | None = None, units: int | None = None,
           at: tuple[float, float] | None = None) -> dict:
    """One outlets row."""
    return {"outlet_id": outlet_id, "outlet_name": name, "kind": kind, "online": online, "smart": smart,
            "stage": stage, "stage_date": stage_date, "operator": operator, "host": host,
            "township_code": township, "opened_date": opened, "units": units,
            "lng": at[0] if at else None, "lat": at[1] if at else None}


def day_between(rng: np.random.Generator, first: dt.date, last: dt.date) -> dt.date:
    """A day drawn uniformly from first to last."""
    return first + dt.timedelta(days=int(rng.integers((last - first).days + 1)))


def counters(rng: np.random.Generator, s: Site, count: int, first: dt.date, last: dt.date,
             hosts: tuple[str, ...] = ()) -> list[dict]:
    """`count` built counters of a county (not smart), in its supermarkets and public units (or the `hosts` given
    first), opened from first to last, most at a point."""
    places = [*hosts, *s.supermarkets, *(u.format(c=s.name) for u in UNITS)]
    towns = s.townships["township_code"].to_numpy()
    rows = []
    for n in range(count):
        host = places[n % len(places)] + ("" if n < len(places) else f"（{n // len(places) + 1}号）")
        township = s.seat if rng.random() < 0.7 else towns[rng.integers(len(towns))]
        opened = day_between(rng, first, last)
        rows.append(outlet(f"{s.code}-GUI-{n + 1:03d}", f"{host}消费扶贫专柜", "counter", township=township,
                           stage="built", stage_date=opened, operator=f"{s.name}供销合作社", host=host, opened=opened,
                           units=1, at=point(rng, s, township) if rng.random() < 0.7 else None))
    return rows


def event(event_id: str, name: str, kind: str, start: dt.date, township: str, *, days: int = 1,
          place: str | None = None, organiser: str | None = None, participants: int | None = None,
          signed_yuan: float | None = None) -> dict:
    """One events row."""
    return {"event_id": event_id, "event_name": name, "event_kind": kind, "start_date": start,
            "end_date": start + dt.timedelta(days=days - 1), "place": place, "township_code": township,
            "organiser": organiser, "participants": participants, "signed_amount_yuan": signed_yuan}
