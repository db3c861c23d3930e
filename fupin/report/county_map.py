"""The counties of a scope as map panels: neighbouring counties share a panel at their true positions, counties far
apart (礼县 in Gansu; 抚远 and 同江 on the Amur) get panels of their own, so none shrinks to a dot."""

import math

import pandas as pd
from shapely.ops import unary_union

from ..store import reference
from .geo import Boundaries

NEIGHBOURS_KM = 400


def _km(a, b) -> float:
    """Distance between two (lng, lat) points in km (equirectangular: exact enough at county scale)."""
    mean_lat = math.radians((a[1] + b[1]) / 2)
    return math.hypot((a[0] - b[0]) * math.cos(mean_lat), a[1] - b[1]) * 111.2


def _clusters(centres: dict[str, tuple[float, float]]) -> list[list[str]]:
    """Groups of counties linked by a chain of neighbours less than NEIGHBOURS_KM apart, in code order."""
    groups: list[list[str]] = []
    for code in sorted(centres):
        linked = [g for g in groups if any(_km(centres[code], centres[other]) < NEIGHBOURS_KM for other in g)]
        merged = [code] + [c for g in linked for c in g]
        groups = [g for g in groups if g not in linked] + [sorted(merged)]
    return sorted(groups)


def panels(counties: pd.DataFrame) -> list[tuple[str, Boundaries]]:
    """Map panels of the counties (rows of the `counties` table) that have an outline: the panel's title (its
    provinces and cities) and the counties' outlines."""
    outlines = reference.county_outlines()
    shown = counties[counties["county_code"].isin(outlines)].set_index("county_code")
    centres = {code: outlines[code].representative_point().coords[0] for code in shown.index}
    result = []
    for group in _clusters(centres):
        places = shown.loc[group]
        title = "、".join(dict.fromkeys(places["province_name"] + places["city_name"]))
        shapes = {code: outlines[code] for code in group}
        result.append((title, Boundaries(shapes, unary_union(list(shapes.values())), schematic=False)))
    return result

