"""Reference geography: 垣曲县's townships and villages of the 2018 and 2020 code editions, and the counties."""

import functools

import pandas as pd

from .settings import REFERENCE_DIR

EDITIONS = (2018, 2020)
COUNTY_OUTLINE = REFERENCE_DIR / "yuanqu_county_wgs84.geojson"


def townships() -> pd.DataFrame:
    """Every township-level unit seen 2016-2023, with years present, successor and seat."""
    raw = pd.read_csv(REFERENCE_DIR / "townships.csv", dtype=str)
    years = raw["years_present"].str.split().apply(lambda ys: [int(y) for y in ys])
    successor = raw["note"].str.extract(r"replaced by \S+ (\d{9})")[0]
    return pd.DataFrame({
        "township_code": raw["code"],
        "township_name": raw["name"],
        "first_year": years.apply(min).astype("int32"),
        "last_year": years.apply(max).astype("int32"),
        "successor_code": successor.astype(object).where(successor.notna(), None),
        "lng": pd.to_numeric(raw["lng_wgs84"]),
        "lat": pd.to_numeric(raw["lat_wgs84"]),
    })


def villages() -> pd.DataFrame:
    """Villages of the 2018 and 2020 editions, one row per code, latest name, editions listed."""
    frames = []
    for year in EDITIONS:
        edition = pd.read_csv(REFERENCE_DIR / f"villages_{year}.csv", dtype=str)
        frames.append(edition.assign(edition=str(year)))
    both = pd.concat(frames)
    grouped = both.groupby("code", sort=True).agg(
        village_name=("name", "last"),
        township_code=("township_code", "last"),
        editions=("edition", " ".join),
    )
    return grouped.reset_index().rename(columns={"code": "village_code"})


@functools.cache
def counties() -> pd.DataFrame:
    """Every county of the reference set (counties/counties.csv): code, name, city and province, years valid."""
    raw = pd.read_csv(REFERENCE_DIR / "counties" / "counties.csv", dtype=str)
    return raw[["county_code", "county_name", "city_code", "city_name", "province_code", "province_name",
                "first_year", "last_year", "related_code"]]
