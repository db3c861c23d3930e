"""The farm products of the demo: category, price per kg in 2018, typical lot and harvest season."""

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Product:
    """One farm product as the county's buyers purchase it."""

    name: str
    category: str
    price_yuan_per_kg: float
    lot_kg: float
    peak_months: tuple[int, ...]


PRODUCTS = {p.name: p for p in (
    Product("小麦", "粮食", 2.38, 6000, (6, 7, 8)),
    Product("玉米", "粮食", 1.75, 4000, (9, 10, 11)),
    Product("大麦", "粮食", 2.60, 1200, (6, 7)),
    Product("小米", "杂粮", 5.00, 300, (9, 10, 11)),
    Product("绿豆", "杂粮", 8.50, 150, (8, 9)),
    Product("红薯", "蔬菜", 1.50, 400, (9, 10, 11)),
    Product("辣椒", "蔬菜", 1.65, 500, (7, 8, 9, 10)),
    Product("白菜", "蔬菜", 0.60, 600, (10, 11, 12, 1)),
    Product("土豆", "蔬菜", 1.20, 500, (7, 8, 9, 10)),
    Product("萝卜", "蔬菜", 0.55, 500, (10, 11, 12)),
    Product("西红柿", "蔬菜", 2.40, 200, (6, 7, 8)),
    Product("黄瓜", "蔬菜", 2.10, 200, (5, 6, 7, 8)),
    Product("南瓜", "蔬菜", 1.10, 300, (8, 9, 10)),
    Product("香菇", "食用菌", 3.80, 250, (3, 4, 10, 11)),
    Product("黑木耳", "食用菌", 52.0, 30, (5, 6, 9)),
    Product("核桃", "干鲜果品", 8.80, 2500, (9, 10)),
    Product("猕猴桃", "干鲜果品", 6.00, 300, (10, 11)),
    Product("苹果", "干鲜果品", 3.40, 400, (9, 10, 11)),
    Product("柿饼", "干鲜果品", 12.0, 80, (11, 12, 1)),
    Product("花椒", "干鲜果品", 58.0, 20, (7, 8)),
    Product("猪肉", "畜禽蛋", 24.0, 150, (1, 2, 12)),
    Product("土鸡", "畜禽蛋", 30.0, 40, (1, 2, 9)),
    Product("羊肉", "畜禽蛋", 56.0, 30, (1, 11, 12)),
    Product("土鸡蛋", "畜禽蛋", 11.0, 80, (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)),
    Product("蜂蜜", "蜂产品", 48.0, 40, (6, 7, 8, 9)),
    Product("连翘", "中药材", 36.0, 60, (8, 9)),
    Product("柴胡", "中药材", 27.0, 50, (10, 11)),
    Product("山茱萸", "中药材", 30.0, 50, (10, 11)),
    # 三江平原 (抚远, 同江): paddy rice, soybeans, wild berries and the Amur's fish.
    Product("大米", "粮食", 6.20, 1500, (10, 11)),
    Product("大豆", "粮食", 3.70, 2500, (9, 10, 11)),
    Product("蓝莓", "干鲜果品", 32.0, 60, (8, 9)),
    Product("鲟鳇鱼", "水产品", 96.0, 40, (8, 9, 10)),
    Product("大马哈鱼", "水产品", 44.0, 120, (9, 10)),
    # 陇南 (礼县): apples, pepper, walnuts and 道地 medicinal roots.
    Product("大黄", "中药材", 8.50, 400, (10, 11)),
    Product("党参", "中药材", 42.0, 80, (10, 11)),
    # 秦巴山区 (商州, 安康): selenium-rich tea and rice, konjac, chestnuts and the counties' named specialties.
    Product("茶叶", "茶叶", 200.0, 10, (3, 4, 5)),
    Product("绞股蓝", "茶叶", 110.0, 12, (7, 8)),
    Product("富硒大米", "粮食", 7.60, 800, (9, 10)),
    Product("魔芋", "蔬菜", 3.00, 1500, (10, 11, 12)),
    Product("菊芋", "蔬菜", 1.60, 1500, (10, 11, 12)),
    Product("板栗", "干鲜果品", 8.00, 400, (9, 10)),
    Product("狮头柑", "干鲜果品", 4.00, 400, (11, 12, 1)),
    Product("木瓜", "干鲜果品", 2.40, 500, (9, 10)),
    Product("腊肉", "肉制品", 70.0, 30, (12, 1, 2)),
)}

# A product sells all year, but two to three times as much in its harvest months.
PEAK_FACTOR = 2.5
# Spring Festival buying lifts January and February for everything.
FESTIVAL_FACTOR = {1: 1.25, 2: 1.15}


def month_weights(product: Product) -> np.ndarray:
    """Relative purchase volume of a product in each month, January first."""
    weights = np.ones(12)
    for month in product.peak_months:
        weights[month - 1] = PEAK_FACTOR
    for month, factor in FESTIVAL_FACTOR.items():
        weights[month - 1] *= factor
    return weights / weights.sum()
