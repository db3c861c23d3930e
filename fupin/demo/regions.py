"""What each region's farms sell, to which kind of buyer, and in which months."""

from dataclasses import dataclass

import numpy as np

from .products import PRODUCTS, month_weights
from .purchases import MONTH_FACTOR

# North of this latitude a county has one short harvest (抚远, 同江 at about 48°N, 铁西区 of 四平 at 43°N); south of
# it, spring and autumn.
ONE_HARVEST_LATITUDE = 43.0
# Relative buying per month, January first: in the north most volume moves August to October, little from December
# to April apart from the Spring Festival; in the south the spring (tea, greens) and autumn (fruit, nuts) seasons.
ONE_HARVEST = np.array([0.55, 0.5, 0.15, 0.15, 0.3, 0.5, 0.8, 2.6, 3.0, 2.6, 0.8, 0.35])
TWO_SEASONS = np.array([1.0, 0.85, 1.0, 1.3, 1.3, 1.0, 0.85, 0.9, 1.2, 1.3, 1.2, 1.0])
# Which of a region's product mixes a buyer type draws from.
USE_OF_BUYER_TYPE = {"supermarket": "fresh", "catering": "fresh", "canteen": "fresh", "food_enterprise": "raw",
                     "base_company": "raw", "ecommerce": "gifts", "other": "gifts"}
# A county's own named product takes this share of what its food enterprises, bases, shops online, fairs and the
# regulator's buyers spend.
SPECIALTY_SHARE = 0.15
SPECIALTY_USES = ("raw", "gifts")


@dataclass(frozen=True)
class Region:
    """A farming region: its product mixes (shares of amount) by use, cooperatives' and food enterprises' trades."""

    name: str
    fresh: dict[str, float]      # supermarkets, catering, canteens
    raw: dict[str, float]        # food enterprises and base companies
    gifts: dict[str, float]      # e-commerce, fairs and the designated-assistance buyers
    industries: tuple[str, ...]
    trades: tuple[str, ...]


REGIONS = {
    "230000": Region(
        "三江平原",
        fresh={"大米": 0.2, "土豆": 0.1, "白菜": 0.1, "大豆": 0.05, "黑木耳": 0.1, "土鸡蛋": 0.1, "猪肉": 0.1,
               "鲟鳇鱼": 0.05, "大马哈鱼": 0.05, "蓝莓": 0.05, "南瓜": 0.05, "玉米": 0.05},
        raw={"大米": 0.35, "大豆": 0.3, "玉米": 0.2, "黑木耳": 0.05, "蓝莓": 0.05, "大马哈鱼": 0.05},
        gifts={"大米": 0.25, "黑木耳": 0.2, "蓝莓": 0.15, "鲟鳇鱼": 0.1, "大马哈鱼": 0.15, "蜂蜜": 0.1, "大豆": 0.05},
        industries=("水稻种植", "大豆种植", "黑木耳种植", "蓝莓种植", "渔业养殖", "生猪养殖", "蜜蜂养殖", "农机服务"),
        trades=("米业有限公司", "大豆食品有限公司", "水产品加工有限公司", "山特产品有限公司", "蓝莓酒业有限公司"),
    ),
    "620000": Region(
        "陇南山地",
        fresh={"苹果": 0.2, "土豆": 0.2, "白菜": 0.1, "辣椒": 0.1, "土鸡蛋": 0.1, "猪肉": 0.1, "核桃": 0.05,
               "花椒": 0.05, "小麦": 0.05, "土鸡": 0.05},
        raw={"苹果": 0.3, "大黄": 0.15, "党参": 0.15, "花椒": 0.1, "核桃": 0.1, "土豆": 0.1, "小麦": 0.1},
        gifts={"苹果": 0.3, "花椒": 0.15, "核桃": 0.15, "党参": 0.15, "大黄": 0.1, "蜂蜜": 0.1, "土鸡": 0.05},
        industries=("苹果种植", "中药材种植", "花椒种植", "核桃种植", "马铃薯种植", "蔬菜种植", "生猪养殖",
                    "土鸡养殖", "蜜蜂养殖"),
        trades=("果业有限公司", "中药材加工有限公司", "花椒加工厂", "核桃食品有限公司", "淀粉加工厂"),
    ),
    "610000": Region(
        "秦巴山区",
        fresh={"富硒大米": 0.15, "香菇": 0.1, "魔芋": 0.1, "白菜": 0.1, "土豆": 0.05, "猕猴桃": 0.1, "土鸡蛋": 0.1,
               "猪肉": 0.1, "板栗": 0.05, "茶叶": 0.05, "辣椒": 0.05, "核桃": 0.05},
        raw={"魔芋": 0.25, "茶叶": 0.15, "核桃": 0.1, "板栗": 0.1, "猕猴桃": 0.15, "香菇": 0.1, "富硒大米": 0.1,
             "黑木耳": 0.05},
        gifts={"茶叶": 0.3, "腊肉": 0.15, "核桃": 0.1, "板栗": 0.1, "香菇": 0.1, "猕猴桃": 0.1, "魔芋": 0.05,
               "黑木耳": 0.05, "蜂蜜": 0.05},
        industries=("茶叶种植", "魔芋种植", "食用菌种植", "核桃种植", "板栗种植", "猕猴桃种植", "中药材种植",
                    "生猪养殖", "水稻种植", "蚕桑养殖"),
        trades=("茶业有限公司", "魔芋食品有限公司", "富硒食品有限公司", "食用菌加工有限公司", "腊肉加工厂"),
    ),
    "220000": Region(
        "松辽平原",
        fresh={"玉米": 0.1, "大米": 0.15, "白菜": 0.1, "土豆": 0.1, "萝卜": 0.05, "南瓜": 0.05, "土鸡蛋": 0.15,
               "猪肉": 0.15, "黑木耳": 0.05, "大豆": 0.05, "小米": 0.05},
        raw={"玉米": 0.4, "大豆": 0.25, "大米": 0.2, "小米": 0.05, "黑木耳": 0.05, "南瓜": 0.05},
        gifts={"大米": 0.3, "黑木耳": 0.2, "小米": 0.15, "蜂蜜": 0.1, "土鸡": 0.1, "大豆": 0.1, "玉米": 0.05},
        industries=("玉米种植", "水稻种植", "大豆种植", "蔬菜种植", "黑木耳种植", "生猪养殖", "肉牛养殖", "农机服务"),
        trades=("米业有限公司", "玉米深加工有限公司", "大豆食品有限公司", "山特产品有限公司", "肉类加工有限公司"),
    ),
}

# Products a county is known for (seed 001: 礼县大黄, 同江 rice; seed 003: 紫阳富硒茶, 平利绞股蓝, 岚皋魔芋,
# 白河木瓜, 旬阳狮头柑; seed 004: 商州菊芋).
SPECIALTIES = {"621226": "大黄", "230883": "鲟鳇鱼", "230881": "大米", "611002": "菊芋", "610924": "茶叶",
               "610926": "绞股蓝", "610925": "魔芋", "610929": "木瓜", "610928": "狮头柑", "610927": "腊肉",
               "610921": "富硒大米"}


def region_of(province_code: str) -> Region:
    """The farming region of a county, by its province."""
    return REGIONS[province_code]


def product_mix(region: Region, use: str, county_code: str) -> dict[str, float]:
    """Shares of amount by product for one use ("fresh", "raw", "gifts") in one county, its specialty included."""
    mix = getattr(region, use)
    total = sum(mix.values())
    specialty = SPECIALTIES.get(county_code) if use in SPECIALTY_USES else None
    if not specialty:
        return {name: share / total for name, share in mix.items()}
    mix = {name: share * (1.0 - SPECIALTY_SHARE) / total for name, share in mix.items()}
    return mix | {specialty: mix.get(specialty, 0.0) + SPECIALTY_SHARE}


def month_profiles(names: list[str], latitude: float, year: int) -> np.ndarray:
    """Per product (rows) the share of its yearly volume in each month (columns): its harvest, the county's
    climate, the Spring Festival and the 2020 epidemic."""
    climate = ONE_HARVEST if latitude >= ONE_HARVEST_LATITUDE else TWO_SEASONS
    factor = np.ones(12)
    for month, f in MONTH_FACTOR.get(year, {}).items():
        factor[month - 1] = f
    profiles = np.array([month_weights(PRODUCTS[name]) for name in names]) * climate * factor
    return profiles / profiles.sum(axis=1, keepdims=True)
