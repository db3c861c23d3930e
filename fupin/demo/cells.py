"""The demo's purchase cells: who buys what from where, with the 2018 totals the Yuanqu report gives.

Every cell draws its origin villages from either poor villages or the others, so the county's poor-village
totals are the sum of the poor cells. The two filler cells take whatever remains of the county totals.
Weights in kg, amounts in yuan, for 1 January to 29 December 2018.
"""

from dataclasses import dataclass, field

from .actors import (
    CANTEENS,
    CATERING_COUNT,
    ECOMMERCE,
    FAIRS,
    NAMED_BASE_COMPANIES,
    NAMED_FOOD_ENTERPRISES,
    NAMED_SUPERMARKETS,
    OTHER_BASE_COMPANIES,
    OTHER_FOOD_ENTERPRISES,
    OTHER_SUPERMARKETS,
)

COUNTY_2018 = (11_463_871.4, 41_546_318.27)         # 1146余万公斤, 4154余万元
POOR_VILLAGES_2018 = (6_503_926.8, 27_752_604.55)   # 650万余公斤, 2775余万元

AROUND_HUAFENG = ("140827203", "140827103", "140827204", "140827202")   # 华峰乡 and its neighbours
GAOLUO_PUZHANG = ("140827205", "140827200")                             # 皋落乡, 蒲掌乡


@dataclass(frozen=True)
class Origins:
    """Where a cell's products come from: poor villages or others, optionally some townships or one village."""

    poor: bool
    townships: tuple[str, ...] | None = None
    village: str | None = None


@dataclass(frozen=True)
class Cell:
    """A group of purchases sharing buyers, origins, suppliers and products, with its 2018 totals."""

    name: str
    buyers: tuple[str, ...]
    products: dict[str, float]
    origins: Origins
    suppliers: dict[str, float]
    rows: int
    weight_kg: float | None          # None: the filler that completes the county totals
    amount_yuan: float | None
    cover_buyers: bool = False
    fixed_suppliers: str | None = None   # a named list of suppliers every one of which sells
    tags: tuple[str, ...] = field(default=())


def _ids(prefix: str, names, start: int = 1) -> tuple[str, ...]:
    return tuple(f"{prefix}{i:02d}" for i in range(start, start + len(names)))


SUPERMARKETS_OTHER = _ids("S", OTHER_SUPERMARKETS, len(NAMED_SUPERMARKETS) + 1)
FOOD_ENTERPRISES_OTHER = _ids("F", OTHER_FOOD_ENTERPRISES, len(NAMED_FOOD_ENTERPRISES) + 1)
BASES_OTHER = _ids("J", OTHER_BASE_COMPANIES, len(NAMED_BASE_COMPANIES) + 1)
CATERING = tuple(f"C{i:03d}" for i in range(1, CATERING_COUNT + 1))
FILLER_BUYERS = (SUPERMARKETS_OTHER + FOOD_ENTERPRISES_OTHER + BASES_OTHER + _ids("T", CANTEENS)
                 + _ids("E", ECOMMERCE) + _ids("O", FAIRS))

VEGETABLES = {"白菜": 0.2, "土豆": 0.2, "辣椒": 0.1, "西红柿": 0.1, "黄瓜": 0.1, "萝卜": 0.1, "南瓜": 0.05,
              "香菇": 0.1, "土鸡蛋": 0.05}
SUPERMARKET_PRODUCE = {"白菜": 0.15, "土豆": 0.2, "西红柿": 0.12, "黄瓜": 0.12, "苹果": 0.18, "萝卜": 0.08, "辣椒": 0.1,
                       "南瓜": 0.05}
CHEAP_VEGETABLES = {"白菜": 0.5, "萝卜": 0.4, "南瓜": 0.1}
SHOP_PRODUCE = {"白菜": 0.1, "土豆": 0.1, "西红柿": 0.1, "黄瓜": 0.1, "苹果": 0.15, "猕猴桃": 0.1, "辣椒": 0.1,
                "土鸡蛋": 0.15, "小米": 0.05, "猪肉": 0.05}
SPECIALTIES = {"猪肉": 0.22, "土鸡蛋": 0.22, "蜂蜜": 0.09, "黑木耳": 0.07, "连翘": 0.07, "柴胡": 0.06, "山茱萸": 0.06,
               "花椒": 0.05, "羊肉": 0.05, "土鸡": 0.1, "柿饼": 0.07, "小米": 0.04}
EVERYDAY = {"白菜": 0.1, "土豆": 0.1, "萝卜": 0.05, "西红柿": 0.08, "黄瓜": 0.08, "辣椒": 0.07, "苹果": 0.12,
            "猕猴桃": 0.08, "红薯": 0.06, "土鸡蛋": 0.12, "小米": 0.06, "绿豆": 0.04, "猪肉": 0.04}
RAW_MATERIALS = {"玉米": 0.1, "小麦": 0.05, "绿豆": 0.3, "红薯": 0.15, "柿饼": 0.2, "苹果": 0.2}

FROM_POOR = {"poor_household": 0.35, "cooperative": 0.3, "village_collective": 0.15, "farmer": 0.2}
FROM_OTHER = {"farmer": 0.45, "cooperative": 0.25, "enterprise": 0.2, "village_collective": 0.1}


def report_cells() -> list[Cell]:
    """Every purchase cell; the named ones carry the report's figures."""
    poor, other = Origins(poor=True), Origins(poor=False)
    wheat = {"小麦": 1.0}
    return [
        # 企业带销: flour mills and the walnut company.
        Cell("金达·贫困村", ("F01",), wheat, poor, {"village_collective": 0.3, "cooperative": 0.3,
             "poor_household": 0.2, "farmer": 0.2}, 320, 2_602_140.0, 6_205_873.50),
        Cell("金达·其他", ("F01",), wheat, other, {"farmer": 0.5, "cooperative": 0.3, "enterprise": 0.2},
             80, 580_000.0, 1_392_000.00),
        Cell("三农·华峰周边贫困村", ("F02",), wheat, Origins(poor=True, townships=AROUND_HUAFENG),
             {"village_collective": 0.3, "cooperative": 0.3, "poor_household": 0.2, "farmer": 0.2},
             220, 1_701_385.0, 4_004_312.80),
        Cell("三农·其他", ("F02",), wheat, Origins(poor=False, townships=AROUND_HUAFENG),
             {"farmer": 0.6, "cooperative": 0.4}, 40, 260_000.0, 617_000.00),
        Cell("熠耀·合作社(贫困村)", ("F03",), {"核桃": 1.0}, poor, {"cooperative": 1.0}, 150,
             708_350.0, 6_253_114.00, fixed_suppliers="walnut_partners_poor"),
        Cell("熠耀·合作社(其他)", ("F03",), {"核桃": 1.0}, other, {"cooperative": 1.0}, 30,
             142_070.0, 1_253_112.40, fixed_suppliers="walnut_partners_other"),
        Cell("其他食品企业", FOOD_ENTERPRISES_OTHER, RAW_MATERIALS, other,
             {"cooperative": 0.3, "farmer": 0.4, "enterprise": 0.2, "village_collective": 0.1},
             900, 700_000.0, 2_150_000.00, cover_buyers=True),
        # 基地订销: poor households of villages not listed as poor.
        Cell("东山·西型马村基地", ("J01",), {"小米": 1.0}, Origins(poor=False, village="140827203216"),
             {"poor_household": 1.0}, 145, 50_180.0, 250_316.00, fixed_suppliers="xixingma_households"),
        Cell("沐风·皋落蒲掌基地", ("J02",), {"辣椒": 0.7, "香菇": 0.3}, Origins(poor=False, townships=GAOLUO_PUZHANG),
             {"poor_household": 1.0}, 300, 230_412.0, 405_608.30),
        Cell("墨玉·望仙村大麦基地", ("J03",), {"大麦": 1.0}, Origins(poor=False, village="140827101216"),
             {"poor_household": 1.0}, 20, 24_150.0, 62_790.00, fixed_suppliers="wangxian_households"),
        # 龙头带动: the named supermarkets, from poor villages and cooperatives, and the rest of their buying.
        Cell("万盛·贫困村", ("S01",), SUPERMARKET_PRODUCE, poor, {"cooperative": 0.5, "poor_household": 0.3,
             "village_collective": 0.2}, 60, 21_406.3, 36_518.60),
        Cell("万盛·合作社", ("S01",), SUPERMARKET_PRODUCE, other, {"cooperative": 1.0}, 400, 132_406.3, 221_495.70),
        Cell("客都·贫困村", ("S02",), SUPERMARKET_PRODUCE, poor, {"cooperative": 0.5, "poor_household": 0.5}, 20,
             4_212.5, 6_930.40),
        Cell("客都·合作社", ("S02",), SUPERMARKET_PRODUCE, other, {"cooperative": 1.0}, 110, 26_694.3, 42_082.10),
        Cell("全家福·贫困村", ("S03",), CHEAP_VEGETABLES, poor, {"cooperative": 0.6, "village_collective": 0.4},
             120, 61_834.0, 28_415.70),
        Cell("全家福·合作社", ("S03",), CHEAP_VEGETABLES, other, {"cooperative": 1.0}, 650, 411_868.4, 190_631.10),
        Cell("三家超市·其他", tuple(NAMED_SUPERMARKETS), SHOP_PRODUCE, other, {"farmer": 0.6, "enterprise": 0.4},
             1500, 165_000.0, 520_000.00),
        # 协会引领: the catering association's 500+ restaurants.
        Cell("餐饮·贫困村", CATERING, VEGETABLES, poor, {"poor_household": 0.4, "farmer": 0.3, "cooperative": 0.2,
             "village_collective": 0.1}, 2600, 906_118.5, 1_207_433.20, cover_buyers=True),
        Cell("餐饮·其他", CATERING, {**VEGETABLES, "猪肉": 0.18}, other, {"farmer": 0.6, "enterprise": 0.3,
             "cooperative": 0.1}, 3200, 380_000.0, 1_080_000.00),
        # Everyone else: other supermarkets, food enterprises, bases, canteens, e-commerce and fairs.
        Cell("其他采购·贫困村", FILLER_BUYERS, SPECIALTIES, poor, FROM_POOR, 2400, None, None, cover_buyers=True,
             tags=("filler",)),
        Cell("其他采购·其他", FILLER_BUYERS, EVERYDAY, other, FROM_OTHER, 6500, None, None, tags=("filler",)),
    ]


def with_fillers(cells: list[Cell]) -> list[Cell]:
    """The cells with both fillers' totals set so that the county and poor-village totals come out exactly."""
    done = []
    for cell in cells:
        if cell.weight_kg is not None:
            done.append(cell)
            continue
        total = POOR_VILLAGES_2018 if cell.origins.poor else tuple(c - p for c, p in zip(COUNTY_2018, POOR_VILLAGES_2018))
        same_side = [c for c in cells if c.weight_kg is not None and c.origins.poor == cell.origins.poor]
        weight = total[0] - sum(c.weight_kg for c in same_side)
        amount = total[1] - sum(c.amount_yuan for c in same_side)
        done.append(Cell(**{**cell.__dict__, "weight_kg": round(weight, 1), "amount_yuan": round(amount, 2)}))
    return done
