"""Demo geography on the real codes: villages with a synthetic 建档立卡贫困村 flag, and the 2018 -> 2020 code edition."""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..store import reference
from ..store.schema import COUNTY_CODE

POOR_SHARE = 0.45
# Residents' committees, urban communities and state-farm living quarters; "XX社区村民委员会" is a village.
URBAN = "居委会|居民委员会|居委|生活区|社区(?!.*村)"
# Only administrative villages (村) were listed as 建档立卡贫困村, never state-farm districts or teams.
VILLAGE = "村"
# Villages the Yuanqu report names, on the 2018 codes.
XIXINGMA = "140827203216"   # 华峰乡 西型马村: 东山农业开发有限公司's base
WANGXIAN = "140827101216"   # 历山镇 望仙村: 墨玉植物蛋白有限公司's barley base
# Whose households the named base companies employ: poor households living in villages not listed as poor.
NOT_POOR = (XIXINGMA, WANGXIAN)


@dataclass(frozen=True)
class Geography:
    """Villages of both editions with their flags, and where each 2018 village lies in the 2020 edition."""

    villages: pd.DataFrame          # reference table with is_poor_village
    rural_2018: pd.DataFrame        # purchase origins: rural villages of the 2018 edition
    successor_2020: dict[str, str]  # 2018 village code -> 2020 village code

    def pool(self, poor: bool, townships: tuple[str, ...] | None = None) -> np.ndarray:
        """Positions in `rural_2018` of the poor (or other) villages, optionally of some townships."""
        rural = self.rural_2018
        mask = rural["is_poor_village"].to_numpy() == poor
        if townships:
            mask &= rural["township_code"].isin(townships).to_numpy()
        return np.flatnonzero(mask)

    def position(self, village_code: str) -> int:
        """Position of one 2018 village in `rural_2018`."""
        return int(np.flatnonzero(self.rural_2018["village_code"].to_numpy() == village_code)[0])


def is_rural(names: pd.Series) -> pd.Series:
    """Whether each village-level unit is rural, by its name."""
    return ~names.str.contains(URBAN)


def village_short_names(names: pd.Series) -> pd.Series:
    """Village names as firms and cooperatives use them: 西型马村委会 and 王塬村村民委员会 -> 西型马村, 王塬村."""
    stems = names.str.replace(r"(村民委员会|村委会)$", "", regex=True)
    return stems.where((stems == names) | stems.str.endswith(("村", "社区")), stems + "村")


def _stem(name: str) -> str:
    return name.replace("村委会", "").replace("居委会", "")


def _successors(villages: pd.DataFrame, townships: pd.DataFrame) -> dict[str, str]:
    """Map every 2018 village to the 2020 village it lies in: same code, else same township (or its successor)
    by name, else the township's first rural village."""
    in_2018 = villages[villages["editions"].str.contains("2018")]
    in_2020 = villages[villages["editions"].str.contains("2020")]
    codes_2020 = set(in_2020["village_code"])
    rural_2020 = in_2020[is_rural(in_2020["village_name"])]
    candidates = {township: list(zip(group["village_code"], group["village_name"]))
                  for township, group in rural_2020.groupby("township_code", sort=False)}
    renamed = dict(zip(townships["township_code"], townships["successor_code"]))
    mapping = {}
    for code, name, township in zip(in_2018["village_code"], in_2018["village_name"], in_2018["township_code"]):
        if code in codes_2020:
            mapping[code] = code
            continue
        here = candidates[renamed.get(township) or township]
        by_name = [c for c, n in here if _stem(n) and _stem(n) in _stem(name)]
        mapping[code] = by_name[0] if by_name else here[0][0]
    return mapping


def build_geography(rng: np.random.Generator, county_code: str = COUNTY_CODE,
                    poor_share: float = POOR_SHARE) -> Geography:
    """Flag about `poor_share` of a county's rural villages as poor (never the two the Yuanqu report names) and
    map the editions."""
    villages = reference.villages((county_code,))
    townships = reference.townships((county_code,))
    rural = is_rural(villages["village_name"])
    eligible = rural & villages["village_name"].str.contains(VILLAGE)
    poor = eligible & (rng.random(len(villages)) < poor_share) & ~villages["village_code"].isin(NOT_POOR)
    villages = villages.assign(is_poor_village=poor.to_numpy())
    successors = _successors(villages, townships)
    # A 2020 village that merged older ones keeps the status if any of them was a poor village.
    only_2020 = ~villages["editions"].str.contains("2018")
    flag = dict(zip(villages["village_code"], villages["is_poor_village"]))
    poor_2020 = {new for old, new in successors.items() if flag[old]}
    villages.loc[only_2020, "is_poor_village"] = villages.loc[only_2020, "village_code"].isin(poor_2020) & rural[only_2020]
    rural_2018 = villages[rural & villages["editions"].str.contains("2018")].reset_index(drop=True)
    return Geography(villages, rural_2018, successors)
