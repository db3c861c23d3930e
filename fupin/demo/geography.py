"""Demo geography on the real codes: villages with a synthetic 建档立卡贫困村 flag, and the 2018 -> 2020 code edition."""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import reference

POOR_SHARE = 0.45
URBAN_MARKERS = ("居委会", "社区")
# Villages the Yuanqu report names, on the 2018 codes.
XIXINGMA = "140827203216"   # 华峰乡 西型马村: 东山农业开发有限公司's base
WANGXIAN = "140827101216"   # 历山镇 望仙村: 墨玉植物蛋白有限公司's barley base
# Whose households the named base companies employ: poor households living in villages not listed as poor.
NOT_POOR = (XIXINGMA, WANGXIAN)
EDITION_2020_FROM = 2020


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


def _is_rural(names: pd.Series) -> pd.Series:
    return ~names.str.contains("|".join(URBAN_MARKERS))


def _stem(name: str) -> str:
    return name.replace("村委会", "").replace("居委会", "")


def _successors(villages: pd.DataFrame, townships: pd.DataFrame) -> dict[str, str]:
    """Map every 2018 village to the 2020 village it lies in: same code, else same township by name, else first."""
    in_2018 = villages[villages["editions"].str.contains("2018")]
    in_2020 = villages[villages["editions"].str.contains("2020")]
    renamed = dict(zip(townships["township_code"], townships["successor_code"]))
    mapping = {}
    for code, name, township in zip(in_2018["village_code"], in_2018["village_name"], in_2018["township_code"]):
        if code in set(in_2020["village_code"]):
            mapping[code] = code
            continue
        township_2020 = renamed.get(township) or township
        candidates = in_2020[(in_2020["township_code"] == township_2020) & _is_rural(in_2020["village_name"])]
        by_name = [c for c, n in zip(candidates["village_code"], candidates["village_name"])
                   if _stem(n) and _stem(n) in _stem(name)]
        mapping[code] = by_name[0] if by_name else candidates["village_code"].iloc[0]
    return mapping


def build_geography(rng: np.random.Generator) -> Geography:
    """Flag about 45% of rural villages as poor (never the two the report names) and map the editions."""
    villages = reference.villages()
    townships = reference.townships()
    rural = _is_rural(villages["village_name"])
    poor = rural & (rng.random(len(villages)) < POOR_SHARE) & ~villages["village_code"].isin(NOT_POOR)
    villages = villages.assign(is_poor_village=poor.to_numpy())
    successors = _successors(villages, townships)
    # A 2020 village that merged older ones keeps the status if any of them was a poor village.
    only_2020 = ~villages["editions"].str.contains("2018")
    flag = dict(zip(villages["village_code"], villages["is_poor_village"]))
    poor_2020 = {new for old, new in successors.items() if flag[old]}
    villages.loc[only_2020, "is_poor_village"] = villages.loc[only_2020, "village_code"].isin(poor_2020) & rural[only_2020]
    rural_2018 = villages[rural & villages["editions"].str.contains("2018")].reset_index(drop=True)
    return Geography(villages, rural_2018, successors)
