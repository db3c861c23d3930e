"""Who trades in the demo: the buyers the report names plus synthetic ones, and each village's households."""

from dataclasses import dataclass

import numpy as np
import pandas as pd

SURNAMES = list("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段")
GIVEN = list("建国军红明华平伟芳秀英丽强磊洋勇艳杰娟涛超霞刚桂兰文斌玉海云峰志忠林波宁春梅生荣庆福贵安顺保喜发成")

NAMED_SUPERMARKETS = {"S01": "万盛新时代广场", "S02": "客都购物广场", "S03": "全家福超市"}
OTHER_SUPERMARKETS = ["美特好超市垣曲店", "华联超市垣曲店", "佳佳乐超市", "百货大楼超市", "惠民超市", "新世纪购物中心",
                      "金太阳超市", "家家福便利店", "利民生鲜超市"]
NAMED_FOOD_ENTERPRISES = {"F01": "金达制粉有限公司", "F02": "三农面粉厂", "F03": "熠耀农林开发有限公司",
                          "F04": "菖蒲酒厂"}
OTHER_FOOD_ENTERPRISES = ["丰源粮油加工厂", "黄河醋业有限公司", "历山豆制品厂", "望仙食品有限公司", "古城挂面厂",
                          "王茅粉条加工厂", "舜乡香油坊", "亳清河饮品有限公司", "山里红食品有限公司", "皋落柿饼加工厂"]
NAMED_BASE_COMPANIES = {"J01": "东山农业开发有限公司", "J02": "沐风农林开发有限公司", "J03": "墨玉植物蛋白有限公司"}
OTHER_BASE_COMPANIES = ["舜耕农业科技有限公司", "历山绿源农业开发有限公司", "黄河湾生态农业有限公司"]
CANTEENS = ["县人民政府机关食堂", "县委机关食堂", "县人民医院职工食堂", "县中医医院食堂", "县第一中学食堂", "县第二中学食堂",
            "县职业中学食堂", "县实验小学食堂", "县市场监管局食堂", "县公安局食堂", "县税务局食堂", "县供电公司食堂",
            "县农商银行食堂", "县邮政分公司食堂", "县交通运输局食堂", "县教育局食堂", "县水利局食堂", "县住建局食堂",
            "县自然资源局食堂", "县卫健局食堂", "县武装部食堂", "县消防救援大队食堂", "县看守所食堂", "县敬老院食堂"]
ECOMMERCE = ["垣曲县电商公共服务中心", "历山农特产品网店", "黄河人家网店", "舜乡优品微店", "垣曲扶贫馆(网上)", "邮乐购垣曲馆"]
FAIRS = ["年货节展销会", "农民丰收节展销", "消费扶贫产品展销会", "运城农博会垣曲展区", "社区团购点", "县直单位帮扶团购"]
CATERING_SUFFIXES = ["饭店", "面馆", "农家乐", "酒楼", "餐厅", "小吃店", "火锅店", "快餐店", "饺子馆", "烧烤店", "羊汤馆", "砂锅店"]
CATERING_COUNT = 520
COUNTY_SEAT = "140827100"


def person_names(rng: np.random.Generator, count: int) -> np.ndarray:
    """`count` distinct synthetic Chinese names of two or three characters."""
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        surname = SURNAMES[rng.integers(len(SURNAMES))]
        given = "".join(GIVEN[i] for i in rng.integers(len(GIVEN), size=rng.integers(1, 3)))
        name = surname + given
        if name not in seen:
            seen.add(name)
            names.append(name)
    return np.array(names, dtype=object)


def _catering_names(rng: np.random.Generator, count: int) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        owner = SURNAMES[rng.integers(len(SURNAMES))] + ("记" if rng.random() < 0.5 else "家")
        name = owner + CATERING_SUFFIXES[rng.integers(len(CATERING_SUFFIXES))]
        if name in seen:
            name = f"{name}({len(names) % 9 + 1}号店)"
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def build_buyers(rng: np.random.Generator, township_codes: list[str]) -> pd.DataFrame:
    """Every buyer with its type and seat; ids are stable, the named ones fixed."""
    rows = []

    def add(prefix: str, names, buyer_type: str, start: int = 1):
        for i, name in enumerate(names, start):
            in_seat = rng.random() < 0.75
            township = COUNTY_SEAT if in_seat else township_codes[rng.integers(len(township_codes))]
            rows.append((f"{prefix}{i:02d}" if prefix != "C" else f"C{i:03d}", name, buyer_type, township))

    rows += [(bid, name, "supermarket", COUNTY_SEAT) for bid, name in NAMED_SUPERMARKETS.items()]
    add("S", OTHER_SUPERMARKETS, "supermarket", start=len(NAMED_SUPERMARKETS) + 1)
    rows += [(bid, name, "food_enterprise", COUNTY_SEAT) for bid, name in NAMED_FOOD_ENTERPRISES.items()]
    add("F", OTHER_FOOD_ENTERPRISES, "food_enterprise", start=len(NAMED_FOOD_ENTERPRISES) + 1)
    rows += [(bid, name, "base_company", "140827203" if bid == "J01" else COUNTY_SEAT)
             for bid, name in NAMED_BASE_COMPANIES.items()]
    add("J", OTHER_BASE_COMPANIES, "base_company", start=len(NAMED_BASE_COMPANIES) + 1)
    add("T", CANTEENS, "canteen")
    add("E", ECOMMERCE, "ecommerce")
    add("O", FAIRS, "other")
    add("C", _catering_names(rng, CATERING_COUNT), "catering")
    return pd.DataFrame(rows, columns=["buyer_id", "buyer_name", "buyer_type", "township_code"])


@dataclass(frozen=True)
class Pools:
    """Per-village pools of names, stored flat with offsets so rows can pick from them vectorized."""

    names: np.ndarray
    start: np.ndarray
    size: np.ndarray

    def pick(self, rng: np.random.Generator, owners: np.ndarray) -> np.ndarray:
        """One name from the pool of each row's owner (village or township position)."""
        offset = (rng.random(len(owners)) * self.size[owners]).astype(np.int64)
        return self.names[self.start[owners] + offset]

    def of(self, owner: int) -> np.ndarray:
        return self.names[self.start[owner]:self.start[owner] + self.size[owner]]


def flat_pools(sizes: np.ndarray, names: np.ndarray) -> Pools:
    """Pools of the given sizes cut one after another from `names`."""
    start = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    return Pools(names, start, sizes.astype(np.int64))


def household_pools(rng: np.random.Generator, villages: pd.DataFrame, must_have: dict[str, int]) -> tuple[Pools, Pools]:
    """Poor households and other farming households of every village, names distinct across the county."""
    poor_sizes = rng.integers(6, 24, size=len(villages))
    for code, at_least in must_have.items():
        at = np.flatnonzero(villages["village_code"].to_numpy() == code)
        poor_sizes[at] = np.maximum(poor_sizes[at], at_least)
    farmer_sizes = rng.integers(10, 30, size=len(villages))
    names = person_names(rng, int(poor_sizes.sum() + farmer_sizes.sum()))
    poor = flat_pools(poor_sizes, names[:poor_sizes.sum()])
    farmers = flat_pools(farmer_sizes, names[poor_sizes.sum():])
    return poor, farmers


def enterprise_pools(rng: np.random.Generator, township_names: list[str]) -> Pools:
    """A few agricultural companies in each township that sell to buyers."""
    words = ["丰", "润", "禾", "盛", "源", "绿", "康", "旺", "鑫", "硕", "农", "田"]
    kinds = ["农业开发有限公司", "农产品购销有限公司", "种养有限公司", "生态农业有限公司"]
    sizes = np.full(len(township_names), 4)
    names = []
    for township in township_names:
        place = township[:2]
        for _ in range(4):
            names.append(f"垣曲县{place}{words[rng.integers(len(words))]}{words[rng.integers(len(words))]}"
                         f"{kinds[rng.integers(len(kinds))]}")
    return flat_pools(sizes, np.array(names, dtype=object))
