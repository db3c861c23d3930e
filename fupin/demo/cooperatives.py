"""The demo's farmer cooperative register: 685 in business on 2018-12-29, 134 new in 2018 and 86 in 2017."""

import datetime as dt

import numpy as np
import pandas as pd

from ..store.credit_code import ALPHABET, make_cooperative_code
from ..store.schema import COUNTY_CODE
from .geography import Geography

# Registrations per year; 2017 and 2018 fall on or before 29 December, the report's date.
REGISTRATIONS = {2008: 14, 2009: 23, 2010: 35, 2011: 47, 2012: 60, 2013: 68, 2014: 74, 2015: 79, 2016: 85,
                 2017: 86, 2018: 134, 2019: 118, 2020: 96}
REPORT_DAY = (12, 29)
DEREGISTERED_BY_REPORT = 20     # 705 registered by the report's date - 20 = 685 in business
DEREGISTERED_LATER = 11         # closed in 2019-2020
WALNUT_PARTNERS = 6             # 熠耀农林's contracted cooperatives, five of them in poor villages
INDUSTRIES = ["核桃种植", "花椒种植", "蔬菜种植", "食用菌种植", "中药材种植", "粮食种植", "果品种植", "生猪养殖",
              "蛋鸡养殖", "肉牛养殖", "蜜蜂养殖", "农机服务"]
BRANDS = ["鑫源", "丰禾", "绿野", "康农", "兴旺", "富民", "金穗", "山韵"]


def _registration_dates(rng: np.random.Generator) -> list[dt.date]:
    dates = []
    for year, count in REGISTRATIONS.items():
        last = dt.date(year, *REPORT_DAY) if year in (2017, 2018) else dt.date(year, 12, 31)
        span = (last - dt.date(year, 1, 1)).days + 1
        dates += [dt.date(year, 1, 1) + dt.timedelta(days=int(d)) for d in np.sort(rng.integers(span, size=count))]
    return dates


def _serials(rng: np.random.Generator, count: int) -> list[str]:
    """`count` distinct organisation serials in random order (a dict, not a set: its order is the draws')."""
    seen: dict[str, None] = {}
    while len(seen) < count:
        seen["MA0" + "".join(ALPHABET[i] for i in rng.integers(len(ALPHABET), size=6))] = None
    return sorted(seen, key=lambda s: rng.random())


def _deregistrations(rng: np.random.Generator, registered: list[dt.date], keep: set[int]) -> list[dt.date | None]:
    report = dt.date(2018, *REPORT_DAY)
    closed: list[dt.date | None] = [None] * len(registered)
    early = [i for i, d in enumerate(registered) if d.year <= 2015 and i not in keep]
    late = [i for i, d in enumerate(registered) if d <= report and i not in keep]
    for i in rng.choice(early, size=DEREGISTERED_BY_REPORT, replace=False):
        first = registered[i] + dt.timedelta(days=365)
        closed[i] = first + dt.timedelta(days=int(rng.integers((report - first).days)))
    later = [i for i in late if closed[i] is None]
    for i in rng.choice(later, size=DEREGISTERED_LATER, replace=False):
        closed[i] = dt.date(2019, 1, 1) + dt.timedelta(days=int(rng.integers(730)))
    return closed


def build_cooperatives(rng: np.random.Generator, geo: Geography) -> tuple[pd.DataFrame, list[str]]:
    """The register on the real village codes (2020 registrations on the 2020 edition), and the walnut partners' codes."""
    registered = _registration_dates(rng)
    count = len(registered)
    rural = geo.rural_2018
    villages = rng.integers(len(rural), size=count)
    industries = rng.integers(len(INDUSTRIES), size=count)
    # The walnut partners: early registrations in five poor villages and one other.
    partners = [i for i, d in enumerate(registered) if 2010 <= d.year <= 2014][::9][:WALNUT_PARTNERS]
    poor, other = geo.pool(True), geo.pool(False)
    for n, i in enumerate(partners):
        villages[i] = rng.choice(poor if n < WALNUT_PARTNERS - 1 else other)
        industries[i] = INDUSTRIES.index("核桃种植")
    deregistered = _deregistrations(rng, registered, set(partners))
    names, seen = [], set()
    for v, ind in zip(villages, industries):
        base = rural["village_name"].iloc[v].replace("村委会", "村")
        name = f"垣曲县{base}{INDUSTRIES[ind]}专业合作社"
        brand = 0
        while name in seen:
            name = f"垣曲县{base}{BRANDS[brand % len(BRANDS)]}{INDUSTRIES[ind]}专业合作社"
            brand += 1
        seen.add(name)
        names.append(name)
    members = np.maximum(5, rng.lognormal(3.0, 0.7, size=count).astype(int))
    village_codes = rural["village_code"].to_numpy()[villages]
    in_2020 = np.array([d.year >= 2020 for d in registered])
    village_codes = np.where(in_2020, [geo.successor_2020[c] for c in village_codes], village_codes)
    township_of = dict(zip(geo.villages["village_code"], geo.villages["township_code"]))
    frame = pd.DataFrame({
        "credit_code": [make_cooperative_code(COUNTY_CODE, s) for s in _serials(rng, count)],
        "cooperative_name": names,
        "township_code": [township_of[c] for c in village_codes],
        "village_code": village_codes,
        "industry": [INDUSTRIES[i] for i in industries],
        "registered_date": registered,
        "deregistered_date": deregistered,
        "members": members.astype("int32"),
        "poor_household_members": rng.binomial(members, 0.3).astype("int32"),
    })
    return frame, frame["credit_code"].iloc[partners].tolist()
