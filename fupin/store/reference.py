"""Reference geography: counties, their townships and villages of the 2018 and 2020 code editions, county outlines
and named groups of counties.

垣曲县's detailed files are in `data/reference/`; the other counties' in `data/reference/counties/` (see SOURCES.md
in each). Every frame here has the columns of its snapshot table (fupin.store.schema).
"""

import functools
import json

import pandas as pd
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from ..settings import REFERENCE_DIR, SettingsError
from .schema import WARNING_LEVELS

EDITIONS = (2018, 2020)
YUANQU = "140827"
COUNTY_OUTLINE = REFERENCE_DIR / "yuanqu_county_wgs84.geojson"
COUNTIES_DIR = REFERENCE_DIR / "counties"
SUCCESSOR_NOTE = r"replaced by \S+ (\d{9})"
WARNING_RULES = REFERENCE_DIR / "warning_rules.csv"


def _years(raw: pd.DataFrame) -> pd.Series:
    return raw["years_present"].str.split().apply(lambda years: [int(y) for y in years])


def _township_rows(raw: pd.DataFrame) -> pd.DataFrame:
    years = _years(raw)
    successor = raw["note"].fillna("").str.extract(SUCCESSOR_NOTE)[0]
    return pd.DataFrame({
        "township_code": raw["code"],
        "township_name": raw["name"],
        "county_code": raw["code"].str[:6],
        "first_year": years.apply(min).astype("int32"),
        "last_year": years.apply(max).astype("int32"),
        "successor_code": successor.astype(object).where(successor.notna(), None),
        "lng": pd.to_numeric(raw["lng_wgs84"]),
        "lat": pd.to_numeric(raw["lat_wgs84"]),
    })


@functools.cache
def _all_townships() -> pd.DataFrame:
    own = pd.read_csv(REFERENCE_DIR / "townships.csv", dtype=str)
    others = pd.read_csv(COUNTIES_DIR / "townships.csv", dtype=str)
    return pd.concat([_township_rows(own), _township_rows(others)], ignore_index=True)


def townships(counties: tuple[str, ...] = (YUANQU,)) -> pd.DataFrame:
    """Every township-level unit of the counties seen 2016-2023, with years present, successor and seat."""
    frame = _all_townships()
    return frame[frame["county_code"].isin(counties)].reset_index(drop=True)


@functools.cache
def _all_villages() -> pd.DataFrame:
    frames = []
    for year in EDITIONS:
        for path in (REFERENCE_DIR / f"villages_{year}.csv", COUNTIES_DIR / f"villages_{year}.csv"):
            frames.append(pd.read_csv(path, dtype=str)[["code", "name", "township_code"]].assign(edition=str(year)))
    grouped = pd.concat(frames).groupby("code", sort=True).agg(
        village_name=("name", "last"),
        township_code=("township_code", "last"),
        editions=("edition", " ".join),
    ).reset_index().rename(columns={"code": "village_code"})
    return grouped.assign(county_code=grouped["village_code"].str[:6])


def villages(counties: tuple[str, ...] = (YUANQU,)) -> pd.DataFrame:
    """Villages of the counties in the 2018 and 2020 editions, one row per code, latest name, editions listed."""
    frame = _all_villages()
    return frame[frame["county_code"].isin(counties)].reset_index(drop=True)


@functools.cache
def _all_counties() -> pd.DataFrame:
    raw = pd.read_csv(COUNTIES_DIR / "counties.csv", dtype=str)
    later = raw["related_code"].map(dict(zip(raw["county_code"], raw["first_year"])))
    successor = raw["related_code"].where(later.astype(float) > raw["last_year"].astype(float))
    return pd.DataFrame({
        "county_code": raw["county_code"], "county_name": raw["county_name"],
        "city_code": raw["city_code"], "city_name": raw["city_name"],
        "province_code": raw["province_code"], "province_name": raw["province_name"],
        "first_year": raw["first_year"].astype("int32"), "last_year": raw["last_year"].astype("int32"),
        "successor_code": successor.astype(object).where(successor.notna(), None),
        "lng": pd.to_numeric(raw["lng_wgs84"]), "lat": pd.to_numeric(raw["lat_wgs84"]),
    })


def counties(codes: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The counties of the reference set (all, or those of `codes`): name, city, province, years valid, seat."""
    frame = _all_counties()
    return frame if codes is None else frame[frame["county_code"].isin(codes)].reset_index(drop=True)


def groups(counties_present: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Named groups of counties (e.g. samr, 市场监管总局定点帮扶县): one row per member county."""
    frame = pd.read_csv(REFERENCE_DIR / "groups.csv", dtype=str)[["group_code", "group_name", "county_code"]]
    if counties_present is not None:
        frame = frame[frame["county_code"].isin(counties_present)]
    return frame.reset_index(drop=True)


@functools.cache
def county_outlines() -> dict[str, BaseGeometry]:
    """County outlines (WGS-84) by code: 垣曲 from its own file, the others from counties/outlines_wgs84.geojson
    (旬阳's outline also under its later code 610981)."""
    outlines = {YUANQU: shape(json.loads(COUNTY_OUTLINE.read_text(encoding="utf-8"))["features"][0]["geometry"])}
    for feature in json.loads((COUNTIES_DIR / "outlines_wgs84.geojson").read_text(encoding="utf-8"))["features"]:
        geometry = shape(feature["geometry"])
        for code in [feature["properties"]["county_code"], *feature["properties"].get("other_codes", [])]:
            outlines[code] = geometry
    return outlines


def warning_rules(path=WARNING_RULES) -> pd.DataFrame:
    """The unsold-product warning levels (warning_level, severity, max_time_left_pct, min_unsold_pct) of the settings
    file; SettingsError in one line when it is not one row per level with percentages from 0 to 100 and a
    distinct severity each."""
    problem = f"预警规则文件 {path} 无效：应有 warning_level、severity、max_time_left_pct、min_unsold_pct 四列，" \
              f"{'、'.join(WARNING_LEVELS)} 各一行，百分比在0到100之间，severity 为不同的整数"
    try:
        raw = pd.read_csv(path, dtype=str)
        frame = pd.DataFrame({
            "warning_level": raw["warning_level"].str.strip(),
            "severity": pd.to_numeric(raw["severity"]).astype("int32"),
            "max_time_left_pct": pd.to_numeric(raw["max_time_left_pct"]).astype(float),
            "min_unsold_pct": pd.to_numeric(raw["min_unsold_pct"]).astype(float),
        })
    except (OSError, KeyError, ValueError, TypeError):
        raise SettingsError(problem) from None
    percentages = frame[["max_time_left_pct", "min_unsold_pct"]]
    if (sorted(frame["warning_level"]) != sorted(WARNING_LEVELS) or frame["severity"].duplicated().any()
            or not percentages.apply(lambda c: c.between(0, 100)).all().all()):
        raise SettingsError(problem)
    return frame.sort_values("severity", ignore_index=True)
