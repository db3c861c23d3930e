"""Help funds, pairings and pairing visits of the demo, calibrated to seed 001 (the market regulator and its three
designated counties, 2018-2020) and seed 004 (商州区's 64 support items of the provincial departments).

Seed 001: 4459万元 put in directly and 26807万元 of social funds brought in; 1.23亿元 donated in money and goods by
nearly 400 enterprises and organisations (398 here); 68 departments and units paired with the 49 townships (乡 and 镇)
of the three counties from 2019, 二对一 or 一对一, and 114 pairing visits; two industry projects brought in (礼县's
中药材产业园, 3亿元, 2019; 抚远's cloud data centre, 4亿元 from 华为 beside 2亿元 of the city's own, 2020).
The rows (which unit, which township, which day, which donor) are the demo's.
"""

import datetime as dt

import numpy as np
import pandas as pd

from ..store.credit_code import check_character
from .purchases import scale_to

STREAM = 25_001
WAN = 10_000
YI = 100_000_000
LIXIAN, FUYUAN, TONGJIANG, SHANGZHOU = "621226", "230883", "230881", "611002"
SAMR_COUNTIES = (LIXIAN, FUYUAN, TONGJIANG)
# Seed 001's totals, to the precision it gives them.
DIRECT_WAN = 4459
RAISED_WAN = 26807
DONATED_YI = 1.23
DONORS = 398
PAIRED_UNITS = 68
VISITS = 114
# Seed 004: "省级有关部门64个支持事项，累计扶持资金达8.4亿元".
SHANGZHOU_ITEMS = 64
SHANGZHOU_YUAN = 840_000_000
YEARS = (2018, 2019, 2020)
# How the money is spread over the years (the regulator was formed in March 2018) and the visits (from 2019; the
# spring of 2020 had none to speak of).
YEAR_SHARES = {2018: 0.24, 2019: 0.35, 2020: 0.41}
VISITS_BY_YEAR = {2019: 61, 2020: 53}
NO_VISIT_MONTHS_2020 = (2, 3, 4)

# The regulator's departments and directly affiliated units whose Party organisations paired with the townships.
UNITS = (
    "办公厅", "综合规划司", "法规司", "执法稽查局", "登记注册局", "信用监督管理司", "竞争政策协调司", "反垄断局",
    "价格监督检查和反不正当竞争局", "网络交易监督管理司", "广告监督管理司", "质量发展局", "产品质量安全监督管理司",
    "食品安全协调司", "食品生产安全监督管理司", "食品经营安全监督管理司", "特殊食品安全监督管理司",
    "食品安全抽检监测司", "特种设备安全监察局", "计量司", "标准技术管理司", "标准创新管理司", "认证监督管理司",
    "认可与检验检测监督管理司", "新闻宣传司", "科技和财务司", "人事司", "国际合作司", "机关党委", "离退休干部办公室",
    "机关服务中心", "信息中心", "发展研究中心", "中国计量科学研究院", "中国标准化研究院", "中国检验检疫科学研究院",
    "中国特种设备检测研究院", "中国质量认证中心", "中国合格评定国家认可中心", "认证认可技术研究中心",
    "缺陷产品管理中心", "食品审评中心", "国家标准技术审评中心", "干部学院", "中国市场监管报社", "中国质量报刊社",
    "中国标准出版社", "中国计量测试学会", "中国消费者协会", "中国个体劳动者协会", "中国质量检验协会",
    "中国认证认可协会", "中国计量协会", "中国标准化协会", "中国特种设备安全与节能促进会", "中国质量万里行促进会",
    "中国食品工业协会", "中国广告协会", "中国商标协会", "中国品牌建设促进会", "中国合格评定国家认可委员会秘书处",
    "国家认证认可监督管理委员会秘书处", "国家标准化管理委员会秘书处", "国家计量科学数据中心", "市场监管信息中心",
    "全国标准信息公共服务平台", "特种设备事故调查处理中心", "质量基础设施研究中心",
)
DIRECT_SOURCES = ("国家市场监督管理总局", "中国计量科学研究院", "中国标准化研究院", "中国检验检疫科学研究院",
                  "中国特种设备检测研究院", "中国质量认证中心", "中国合格评定国家认可中心", "机关服务中心")
# The purposes seed 001 names, with the weight each gets of each kind's money.
PURPOSES = {
    "direct": {"industry": 0.35, "basic_needs": 0.2, "drinking_water": 0.15, "education": 0.1, "medical": 0.1,
               "infrastructure": 0.1},
    "raised": {"industry": 0.4, "basic_needs": 0.15, "drinking_water": 0.1, "education": 0.1, "medical": 0.1,
               "employment": 0.1, "consumption": 0.05},
    "donated_money": {"basic_needs": 0.25, "education": 0.3, "medical": 0.25, "drinking_water": 0.1, "industry": 0.1},
    "donated_goods": {"basic_needs": 0.4, "education": 0.3, "medical": 0.3},
}
ROWS = {"direct": 42, "raised": 64}
# Donor names: a place, a trade name, a trade; foundations and associations have credit codes of their own kind.
DONOR_PLACES = (("北京", "110105"), ("北京", "110108"), ("上海", "310115"), ("深圳", "440300"), ("广州", "440106"),
                ("杭州", "330106"), ("南京", "320105"), ("天津", "120116"), ("成都", "510107"), ("兰州", "620102"),
                ("哈尔滨", "230103"), ("西安", "610113"), ("济南", "370102"), ("武汉", "420106"))
DONOR_WORDS = ("恒信", "瑞丰", "金穗", "华康", "博远", "中诚", "安泰", "嘉禾", "鼎盛", "汇通", "启航", "宏达", "永和",
               "信诚", "福泰", "润泽", "天宇", "新元", "凯达", "同创", "正和", "德源", "惠民", "万通")
DONOR_TRADES = ("检测技术有限公司", "认证有限公司", "计量仪器有限公司", "食品有限公司", "医药有限公司",
                "电子商务有限公司", "标准技术服务有限公司", "仪器仪表有限公司", "质量技术服务有限公司",
                "电梯有限公司", "锅炉有限公司", "包装材料有限公司", "乳业有限公司", "粮油有限公司")
DONOR_GROUPS = ("公益基金会", "慈善基金会", "行业协会", "商会", "促进会")
RAISED_SOURCES = ("国家电网有限公司", "中国移动通信集团有限公司", "中国农业银行", "中国建设银行", "招商银行",
                  "中国邮政集团有限公司", "中国平安保险（集团）股份有限公司", "中国中化集团有限公司",
                  "中国检验认证集团有限公司", "中国建筑集团有限公司")
VISIT_NOTES = {"research": "调研产业发展和脱贫攻坚工作", "condolence": "走访慰问贫困户", "donation": "捐赠物资和帮扶资金",
               "training": "开展食品安全、标准化生产培训", "consumption": "对接农产品销售，开展消费帮扶",
               "party": "开展党建共建活动"}
VISIT_KINDS = {"research": 0.3, "condolence": 0.25, "donation": 0.1, "training": 0.15, "consumption": 0.1,
               "party": 0.1}
# 商州: the provincial departments behind the 64 support items and what they went to.
PROVINCIAL = ("陕西省发展和改革委员会", "陕西省财政厅", "陕西省农业农村厅", "陕西省扶贫开发办公室", "陕西省交通运输厅",
              "陕西省水利厅", "陕西省教育厅", "陕西省卫生健康委员会", "陕西省住房和城乡建设厅", "陕西省商务厅",
              "陕西省人力资源和社会保障厅", "陕西省林业局")
SHANGZHOU_PROJECTS = {"industry": ("光伏扶贫电站建设", "食用菌产业园建设", "菊芋种植基地", "产业扶贫贴息"),
                      "infrastructure": ("通村道路建设", "易地搬迁配套设施"),
                      "drinking_water": ("农村安全饮水巩固提升",),
                      "education": ("农村学校改善办学条件",),
                      "medical": ("镇村卫生室标准化建设",),
                      "employment": ("社区工厂和就业培训",)}


def townships_paired(townships: pd.DataFrame) -> pd.DataFrame:
    """The townships seed 001 pairs: the 乡 and 镇 (codes 100-399) of the designated counties in force in 2019."""
    codes = townships["township_code"]
    kind = codes.str[6:].astype(int)
    alive = (townships["first_year"] <= 2019) & (townships["last_year"] >= 2019)
    chosen = townships[codes.str[:6].isin(SAMR_COUNTIES) & kind.between(100, 399) & alive]
    return chosen.sort_values("township_code").reset_index(drop=True)


def _day(rng: np.random.Generator, year: int, months: tuple[int, ...] | None = None) -> dt.date:
    month = int(rng.choice(months)) if months else int(rng.integers(1, 13))
    start = dt.date(year, month, 1)
    days = ((start.replace(year=year + month // 12, month=month % 12 + 1)) - start).days
    return start + dt.timedelta(days=int(rng.integers(days)))


def _credit_code(rng: np.random.Generator, prefix: str, region: str) -> str:
    """A valid unified social credit code of a registration kind (91 enterprise, 53 foundation, 51 association)."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = prefix + region + "".join(alphabet[int(i)] for i in rng.integers(len(alphabet), size=9))
    return body + check_character(body)


def _donors(rng: np.random.Generator) -> list[tuple[str, str | None]]:
    """DONORS distinct donors with their credit codes (the staff's own donations have none)."""
    donors: dict[str, str | None] = {"总局机关党员干部（爱心捐款）": None}
    while len(donors) < DONORS:
        city, region = DONOR_PLACES[int(rng.integers(len(DONOR_PLACES)))]
        word = DONOR_WORDS[int(rng.integers(len(DONOR_WORDS)))]
        if rng.random() < 0.12:
            group = DONOR_GROUPS[int(rng.integers(len(DONOR_GROUPS)))]
            name, prefix = f"{city}{word}{group}", "53" if "基金会" in group else "51"
        else:
            name, prefix = f"{city}{word}{DONOR_TRADES[int(rng.integers(len(DONOR_TRADES)))]}", "91"
        if name not in donors:
            donors[name] = _credit_code(rng, prefix, region)
    return list(donors.items())


def _county_weights(rng: np.random.Generator, sizes: dict[str, int]) -> dict[str, float]:
    weights = {c: n * rng.lognormal(0.0, 0.15) for c, n in sizes.items()}
    return {c: w / sum(weights.values()) for c, w in weights.items()}


def _spread(rng: np.random.Generator, kind: str, total: float, rows: int, counties: dict[str, float],
            sources: list[tuple[str, str | None]], townships: pd.DataFrame) -> list[dict]:
    """`rows` rows of one kind adding up to `total` yuan to the fen, spread over years, counties and purposes; about
    half name a township."""
    amounts = scale_to(rng.lognormal(0.0, 0.8, size=rows), total, 2)
    years = rng.choice(YEARS, size=rows, p=list(YEAR_SHARES.values()))
    where = rng.choice(list(counties), size=rows, p=list(counties.values()))
    purposes = PURPOSES[kind]
    chosen = rng.choice(list(purposes), size=rows, p=list(purposes.values()))
    found = []
    for i in range(rows):
        county = str(where[i])
        towns = townships.loc[townships["township_code"].str.startswith(county), "township_code"].tolist()
        source, code = sources[i % len(sources)]
        found.append({"fund_date": _day(rng, int(years[i])), "county_code": county,
                      "township_code": towns[int(rng.integers(len(towns)))] if rng.random() < 0.5 else None,
                      "fund_kind": kind, "source_name": source, "source_credit_code": code,
                      "purpose": str(chosen[i]), "project": None, "amount_yuan": float(amounts[i])})
    return found


def _near(rng: np.random.Generator, value: float, half_width: float) -> float:
    """A total that rounds to `value` at the seed's precision: within `half_width` of it, to the fen."""
    return round(value + rng.uniform(-half_width, half_width), 2)


def samr_funds(seed: int, townships: pd.DataFrame, sizes: dict[str, int]) -> pd.DataFrame:
    """The designated counties' help funds, 2018-2020, adding up to seed 001's totals (`sizes`: rural villages per
    county, how the money is split)."""
    rng = np.random.default_rng([seed, STREAM, 1])
    counties = _county_weights(rng, sizes)
    townships = townships_paired(townships)
    direct_sources = [(name, None) for name in DIRECT_SOURCES]
    raised_sources = [(name, None) for name in RAISED_SOURCES]
    rows = _spread(rng, "direct", _near(rng, DIRECT_WAN * WAN, 0.45 * WAN), ROWS["direct"], counties, direct_sources,
                   townships)
    rows += _spread(rng, "raised", _near(rng, RAISED_WAN * WAN, 0.45 * WAN), ROWS["raised"], counties, raised_sources,
                    townships)
    donors = _donors(rng)
    donated = _near(rng, DONATED_YI * YI, 0.004 * YI)
    gifts = len(donors) + int(len(donors) * 0.2)   # every donor gives once, a fifth twice
    in_goods = rng.random(gifts) < 0.3
    amounts = scale_to(rng.lognormal(0.0, 1.0, size=gifts), donated, 2)
    money = _spread(rng, "donated_money", float(amounts[~in_goods].sum()), int((~in_goods).sum()), counties, donors,
                    townships)
    goods = _spread(rng, "donated_goods", float(amounts[in_goods].sum()), int(in_goods.sum()), counties,
                    donors[int((~in_goods).sum()) % len(donors):] + donors, townships)
    rows += money + goods
    rows += [
        {"fund_date": dt.date(2019, 9, 20), "county_code": LIXIAN, "township_code": None,
         "fund_kind": "industry_investment", "source_name": "中药控股公司", "source_credit_code": None,
         "purpose": "industry", "project": "礼县中药材产业园（占地236亩，带动中药材种植合作社120个）",
         "amount_yuan": 3 * YI},
        {"fund_date": dt.date(2020, 10, 28), "county_code": FUYUAN, "township_code": None,
         "fund_kind": "industry_investment", "source_name": "华为技术有限公司", "source_credit_code": None,
         "purpose": "industry", "project": "抚远市华为云计算大数据中心（抚远出资2亿元共建）", "amount_yuan": 4 * YI},
    ]
    return pd.DataFrame(rows)


def pairings(seed: int, townships: pd.DataFrame) -> pd.DataFrame:
    """PAIRED_UNITS units paired with the designated counties' 乡 and 镇 from 2019: one unit each, and a second unit for
    as many townships as it takes (二对一)."""
    rng = np.random.default_rng([seed, STREAM, 2])
    towns = townships_paired(townships)["township_code"].tolist()
    units = list(rng.permutation(UNITS))
    doubled = set(rng.choice(towns, size=PAIRED_UNITS - len(towns), replace=False).tolist())
    slots = [t for t in towns for _ in range(2 if t in doubled else 1)]
    return pd.DataFrame([{"county_code": t[:6], "township_code": t, "unit_name": str(unit),
                          "paired_since": _day(rng, 2019, (3, 4, 5)),
                          "pairing_mode": "two_to_one" if t in doubled else "one_to_one"}
                         for t, unit in zip(slots, units)])


def visits(seed: int, paired: pd.DataFrame) -> pd.DataFrame:
    """VISITS pairing visits of the paired units to their townships, 2019-2020, after each pairing began."""
    rng = np.random.default_rng([seed, STREAM, 3])
    kinds = list(VISIT_KINDS)
    rows = []
    for year, count in VISITS_BY_YEAR.items():
        months = tuple(m for m in range(1, 13) if not (year == 2020 and m in NO_VISIT_MONTHS_2020))
        for _ in range(count):
            pairing = paired.iloc[int(rng.integers(len(paired)))]
            day = _day(rng, year, months if year == 2020 else tuple(range(6, 13)))
            kind = str(rng.choice(kinds, p=list(VISIT_KINDS.values())))
            rows.append({"visit_date": max(day, pairing["paired_since"] + dt.timedelta(days=30)),
                         "county_code": pairing["county_code"], "township_code": pairing["township_code"],
                         "unit_name": pairing["unit_name"], "visit_kind": kind, "people": int(rng.integers(2, 9)),
                         "note": VISIT_NOTES[kind]})
    return pd.DataFrame(rows).sort_values("visit_date", kind="stable").reset_index(drop=True)


def shangzhou_funds(seed: int) -> pd.DataFrame:
    """商州区's 64 support items of the provincial departments, 2018-2019, adding up to 8.4亿元 exactly."""
    rng = np.random.default_rng([seed, STREAM, 4])
    amounts = scale_to(rng.lognormal(0.0, 0.9, size=SHANGZHOU_ITEMS), SHANGZHOU_YUAN, 2)
    purposes = list(SHANGZHOU_PROJECTS)
    rows = []
    for i, amount in enumerate(amounts):
        purpose = purposes[int(rng.choice(len(purposes), p=[0.5, 0.15, 0.1, 0.1, 0.07, 0.08]))]
        projects = SHANGZHOU_PROJECTS[purpose]
        rows.append({"fund_date": _day(rng, 2018 + i % 2), "county_code": SHANGZHOU, "township_code": None,
                     "fund_kind": "direct", "source_name": PROVINCIAL[int(rng.integers(len(PROVINCIAL)))],
                     "source_credit_code": None, "purpose": purpose,
                     "project": f"省级部门支持事项：{projects[int(rng.integers(len(projects)))]}",
                     "amount_yuan": float(amount)})
    return pd.DataFrame(rows)
