"""Demo sampling inspections: the report's 2018 lab batches by category and 606 rapid tests, other years grown."""

import datetime as dt

import numpy as np
import pandas as pd

from .draws import pick
from .geography import Geography, is_rural

LAB_2018 = {"蔬菜": 95, "粮食加工品": 170, "食用农产品": 454, "淀粉及淀粉制品": 27}
RAPID_2018 = 606
REPORT_DATE = dt.date(2018, 12, 29)
GROWTH = {2016: 0.68, 2017: 0.84, 2018: 1.0, 2019: 1.12, 2020: 1.05}
FAIL_RATE = {"lab": 0.025, "rapid": 0.012}
# Festivals and the autumn harvest bring more sampling; the 2020 epidemic almost stopped it in February.
MONTH_WEIGHTS = np.array([1.3, 0.6, 0.9, 1.0, 1.0, 1.0, 0.9, 1.0, 1.3, 1.2, 1.0, 1.2])
MONTH_FACTOR = {2020: {2: 0.15, 3: 0.6}}
RAPID_CATEGORIES = {"蔬菜": 0.6, "水果": 0.15, "畜禽肉及副产品": 0.15, "豆制品": 0.1}
PRODUCTS = {
    "蔬菜": ["韭菜", "芹菜", "菠菜", "豇豆", "辣椒", "白菜", "西红柿"],
    "粮食加工品": ["小麦粉", "挂面", "玉米面", "小米"],
    "食用农产品": ["鸡蛋", "猪肉", "核桃", "苹果", "猕猴桃", "花椒", "香菇"],
    "淀粉及淀粉制品": ["粉条", "粉丝", "红薯淀粉"],
    "水果": ["苹果", "猕猴桃", "梨", "葡萄"],
    "畜禽肉及副产品": ["猪肉", "牛肉", "鸡肉"],
    "豆制品": ["豆腐", "豆腐皮"],
}
FAILED_ITEMS = {
    "蔬菜": ["毒死蜱", "克百威", "腐霉利"],
    "粮食加工品": ["黄曲霉毒素B₁", "脱氧雪腐镰刀菌烯醇"],
    "食用农产品": ["氧乐果", "恩诺沙星", "铅(以Pb计)"],
    "淀粉及淀粉制品": ["铝的残留量", "二氧化硫残留量"],
    "水果": ["有机磷和氨基甲酸酯类农药"],
    "畜禽肉及副产品": ["克伦特罗(瘦肉精)"],
    "豆制品": ["二氧化硫"],
}
LAB_VENUES = {
    "processed": {"食品生产企业": 0.5, "超市": 0.3, "农贸市场": 0.2},
    "fresh": {"农贸市场": 0.4, "超市": 0.35, "种植基地": 0.15, "餐饮单位": 0.1},
}
RAPID_VENUES = {"农贸市场": 0.6, "超市": 0.4}


def _dates(rng: np.random.Generator, n: int, year: int, last: dt.date) -> list[dt.date]:
    weights = MONTH_WEIGHTS.copy()
    for month, factor in MONTH_FACTOR.get(year, {}).items():
        weights[month - 1] *= factor
    weights[last.month:] = 0
    months = rng.choice(12, size=n, p=weights / weights.sum()) + 1
    dates = []
    for m in months:
        end = last if m == last.month else dt.date(year + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)
        dates.append(dt.date(year, m, 1) + dt.timedelta(days=int(rng.integers(end.day))))
    return dates


def _batches(rng: np.random.Generator, year: int, last: dt.date, inspection_type: str,
             counts: dict[str, int], geo: Geography, venue_names: dict[str, list[str]]) -> pd.DataFrame:
    categories = np.repeat(list(counts), list(counts.values())).astype(object)
    n = len(categories)
    if inspection_type == "lab":
        venues = np.array([pick(rng, LAB_VENUES["processed" if c in ("粮食加工品", "淀粉及淀粉制品") else "fresh"], 1)[0]
                           for c in categories], dtype=object)
    else:
        venues = pick(rng, RAPID_VENUES, n)
    villages = geo.villages[geo.villages["editions"].str.contains("2020" if year >= 2020 else "2018")]
    rural = villages[is_rural(villages["village_name"])]
    at = rng.integers(len(rural), size=n)
    failed = rng.random(n) < FAIL_RATE[inspection_type]
    return pd.DataFrame({
        "sample_date": _dates(rng, n, year, last),
        "inspection_type": inspection_type,
        "food_category": categories,
        "product_name": [PRODUCTS[c][rng.integers(len(PRODUCTS[c]))] for c in categories],
        "venue_type": venues,
        "venue_name": [venue_names[v][rng.integers(len(venue_names[v]))] for v in venues],
        "township_code": rural["township_code"].to_numpy()[at],
        "result": np.where(failed, "fail", "pass"),
        "failed_item": [FAILED_ITEMS[c][rng.integers(len(FAILED_ITEMS[c]))] if f else None
                        for c, f in zip(categories, failed)],
    })


def build_inspections(rng: np.random.Generator, geo: Geography, buyers: pd.DataFrame) -> pd.DataFrame:
    """Every sampled batch of 2016-2020; 2018 up to the report's date matches the report exactly."""
    by_type = buyers.groupby("buyer_type")["buyer_name"].apply(list)
    venue_names = {
        "超市": by_type["supermarket"],
        "食品生产企业": by_type["food_enterprise"],
        "餐饮单位": by_type["catering"],
        "农贸市场": ["县城农贸市场", "新城农贸市场", "历山集贸市场", "古城集贸市场", "王茅集贸市场", "英言集贸市场"],
        "种植基地": ["西型马种植基地", "望仙大麦基地", "皋落辣椒基地", "蒲掌香菇基地", "古城核桃基地"],
    }
    frames = []
    for year, growth in GROWTH.items():
        last = REPORT_DATE if year == 2018 else dt.date(year, 12, 31)
        lab = LAB_2018 if year == 2018 else {c: round(n * growth * rng.lognormal(0, 0.08)) for c, n in LAB_2018.items()}
        rapid_categories = pick(rng, RAPID_CATEGORIES, RAPID_2018 if year == 2018 else round(RAPID_2018 * growth))
        rapid = {c: int((rapid_categories == c).sum()) for c in RAPID_CATEGORIES}
        frames.append(_batches(rng, year, last, "lab", lab, geo, venue_names))
        frames.append(_batches(rng, year, last, "rapid", rapid, geo, venue_names))
    frame = pd.concat(frames, ignore_index=True).sort_values("sample_date", kind="stable").reset_index(drop=True)
    frame.insert(0, "inspection_id", np.arange(1, len(frame) + 1, dtype=np.int64))
    return frame
