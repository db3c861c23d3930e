"""Township areas for the map: schematic Voronoi cells of the seats, or a user's own GeoJSON keyed by township code."""

import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPoint, Point, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

from .i18n import t
from .reference import COUNTY_OUTLINE
from .settings import PROJECT_ROOT

SCHEMATIC_PATH = PROJECT_ROOT / "data" / "townships_schematic.geojson"
CUSTOM_NAME = "townships_custom.geojson"
CODE_KEYS = ("township_code", "code", "adcode", "乡镇代码")
SCHEMATIC_NOTE = t("map_schematic")
MAX_GEOJSON_BYTES = 20 * 1024 * 1024


class BoundaryError(ValueError):
    """A township GeoJSON that cannot be used, with the reason in Chinese."""


@dataclass(frozen=True)
class Boundaries:
    """Township polygons by code, the county outline, and whether they are schematic."""

    shapes: dict[str, BaseGeometry]
    county: BaseGeometry
    schematic: bool

    def label_point(self, code: str) -> tuple[float, float]:
        """The point deepest inside the township (its pole of inaccessibility), where its name goes."""
        shape_ = self.shapes[code]
        largest = max(getattr(shape_, "geoms", [shape_]), key=lambda part: part.area)
        p = polylabel(largest, tolerance=1e-4)
        return p.x, p.y

    def click_grid(self, codes: list[str], spacing: float = 0.012) -> pd.DataFrame:
        """Evenly spaced points inside each township, so a click anywhere on it can select it."""
        minx, miny, maxx, maxy = self.county.bounds
        xs, ys = np.meshgrid(np.arange(minx, maxx, spacing), np.arange(miny, maxy, spacing))
        points = shapely.points(xs.ravel(), ys.ravel())
        rows = []
        for code in codes:
            inside = shapely.contains(self.shapes[code], points)
            rows += [(code, x, y) for x, y in zip(xs.ravel()[inside], ys.ravel()[inside])]
        return pd.DataFrame(rows, columns=["township_code", "lng", "lat"])


def county_outline() -> BaseGeometry:
    """The county polygon (WGS-84) from the reference folder."""
    features = json.loads(COUNTY_OUTLINE.read_text(encoding="utf-8"))["features"]
    return shape(features[0]["geometry"])


def schematic_collection(townships: pd.DataFrame) -> dict:
    """Voronoi cells of the township seats clipped to the county, as a GeoJSON FeatureCollection.

    Townships sharing a seat (英言乡 and its successor 英言镇) share a cell; units without a seat get none.
    """
    county = county_outline()
    seated = townships.dropna(subset=["lng", "lat"])
    seats = {(row.lng, row.lat) for row in seated.itertuples()}
    cells = shapely.voronoi_polygons(MultiPoint([Point(xy) for xy in sorted(seats)]), extend_to=county.envelope)
    cell_of = {}
    for cell in cells.geoms:
        for xy in seats:
            if cell.contains(Point(xy)):
                cell_of[xy] = cell.intersection(county)
    features = [{
        "type": "Feature",
        "properties": {"township_code": row.township_code, "township_name": row.township_name, "schematic": True},
        "geometry": mapping(shapely.set_precision(cell_of[(row.lng, row.lat)], 1e-5)),
    } for row in seated.sort_values("township_code").itertuples()]
    return {"type": "FeatureCollection", "note": SCHEMATIC_NOTE, "features": features}


def parse_collection(raw: bytes, known_codes: set[str]) -> dict[str, BaseGeometry]:
    """Township polygons of a user's GeoJSON by code, or BoundaryError saying what is wrong."""
    if len(raw) > MAX_GEOJSON_BYTES:
        raise BoundaryError(f"文件超过 {MAX_GEOJSON_BYTES // 1024 // 1024} MB")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise BoundaryError("不是有效的 GeoJSON 文件（无法按 UTF-8 JSON 读取）") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(data.get("features"), list):
        raise BoundaryError("GeoJSON 顶层必须是 FeatureCollection")
    shapes: dict[str, BaseGeometry] = {}
    for i, feature in enumerate(data["features"], start=1):
        props = (feature or {}).get("properties") or {}
        code = next((str(props[k]) for k in CODE_KEYS if props.get(k) is not None), None)
        if code is None:
            raise BoundaryError(f"第 {i} 个要素缺少乡镇代码属性（{' / '.join(CODE_KEYS)}）")
        code = code[:9]
        if code not in known_codes:
            raise BoundaryError(f"第 {i} 个要素的乡镇代码 {code} 不在本县乡镇名录中")
        try:
            geometry = shape(feature["geometry"])
        except Exception:
            raise BoundaryError(f"第 {i} 个要素（{code}）的几何无效") from None
        if geometry.geom_type not in ("Polygon", "MultiPolygon") or geometry.is_empty:
            raise BoundaryError(f"第 {i} 个要素（{code}）不是面（Polygon / MultiPolygon）")
        shapes[code] = shapely.make_valid(geometry)
    if not shapes:
        raise BoundaryError("GeoJSON 中没有任何乡镇")
    return shapes


def load_boundaries(data_dir: Path) -> Boundaries:
    """The user's boundaries if a valid file is in the data folder, else the schematic ones."""
    custom = Path(data_dir) / CUSTOM_NAME
    county = county_outline()
    if custom.is_file():
        collection = json.loads(custom.read_text(encoding="utf-8"))
        shapes = {f["properties"]["township_code"]: shape(f["geometry"]) for f in collection["features"]}
        return Boundaries(shapes, county, schematic=False)
    collection = json.loads(SCHEMATIC_PATH.read_text(encoding="utf-8"))
    return Boundaries({f["properties"]["township_code"]: shape(f["geometry"]) for f in collection["features"]},
                      county, schematic=True)


def save_custom(data_dir: Path, shapes: dict[str, BaseGeometry]) -> Path:
    """Write validated user boundaries atomically into the data folder (normalised to township_code keys)."""
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"township_code": code}, "geometry": mapping(geom)}
        for code, geom in sorted(shapes.items())]}
    target = Path(data_dir) / CUSTOM_NAME
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{CUSTOM_NAME}.{uuid.uuid4().hex}")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(collection, f, ensure_ascii=False)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, target)
    return target


def remove_custom(data_dir: Path) -> None:
    """Go back to the schematic boundaries."""
    (Path(data_dir) / CUSTOM_NAME).unlink(missing_ok=True)
