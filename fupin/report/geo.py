"""Township areas for the map: schematic Voronoi cells of the seats, or a user's own GeoJSON keyed by township code."""

import contextlib
import datetime as dt
import functools
import hashlib
import json
import os
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPoint, Point, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

from ..auth.files import locked
from ..settings import PROJECT_ROOT
from ..store.reference import YUANQU, county_outlines, townships
from ..text.i18n import t

SCHEMATIC_PATH = PROJECT_ROOT / "data" / "townships_schematic.geojson"
CUSTOM_NAME = "townships_custom_{county}.geojson"
# The one file of user boundaries before there were several counties: 垣曲县's, taken over on first use.
LEGACY_CUSTOM = ("townships_custom.geojson", YUANQU)
VERSIONS_DIR = "boundaries"
LOCK_NAME = ".lock"   # in VERSIONS_DIR: held by every change of a county's boundaries, in every process
CODE_KEYS = ("township_code", "code", "adcode", "乡镇代码")
SCHEMATIC_NOTE = t("map_schematic")
MAX_GEOJSON_BYTES = 20 * 1024 * 1024
# How far (in degrees, about 5 km) a township may reach beyond the county outline: sources differ a little.
MARGIN_DEGREES = 0.05
# Vertices the map draws at most (the schematic areas have about 700); more are simplified away, within
# SIMPLIFY_TOLERANCES (degrees; 1e-3 is about 100 m); a file still above it is refused.
MAX_VERTICES = 20_000
SIMPLIFY_TOLERANCES = (1e-5, 3e-5, 1e-4, 3e-4, 1e-3)
# Vertices a file may hold at all, counted while its JSON is parsed, so more are refused before any geometry is
# built: simplifying grows faster than the vertices (a 400,000-vertex ring took ~50 s, a 200,000 one 1-17 s).
MAX_UPLOAD_VERTICES = 10 * MAX_VERTICES
TOO_MANY_VERTICES = "顶点过多（{count:,} 个，最多 {limit:,} 个）"
# JSON nesting a MultiPolygon FeatureCollection needs is 7; allow some room for nested properties.
MAX_DEPTH = 24
KEPT_VERSIONS = 20
VERSION_ID = re.compile(r"^\d{8}T\d{12}Z$")
CUSTOM_BROKEN = "自定义乡镇边界无法使用（{reason}），已改用示意边界"
FILLED_NOTE = "以下乡镇不在自定义边界文件中，地图上用示意边界代替：{names}"


class BoundaryError(ValueError):
    """A township GeoJSON that cannot be used, with the reason in Chinese."""


@dataclass(frozen=True)
class Boundaries:
    """Township polygons by code, the county outline, and whether they are schematic."""

    shapes: dict[str, BaseGeometry]
    county: BaseGeometry
    schematic: bool
    county_code: str = ""
    filled: frozenset[str] = frozenset()   # codes drawn with their schematic cell, missing from the user's file
    notices: tuple[str, ...] = ()          # what the map should say about these boundaries (Chinese)

    def missing_note(self, names: dict[str, str]) -> str | None:
        """Which of the shown townships (code -> name) use a schematic cell in user boundaries, or None."""
        shown = [names[code] for code in sorted(names) if code in self.filled]
        return FILLED_NOTE.format(names="、".join(shown)) if shown else None

    def label_point(self, code: str) -> tuple[float, float]:
        """The point deepest inside the township (its pole of inaccessibility), where its name goes."""
        return self._label_points[code][:2]

    def label_room(self, code: str) -> float:
        """How far the label point is from the township's edge (degrees): the room its label has."""
        return self._label_points[code][2]

    def outline_xy(self, code: str | None = None) -> tuple[np.ndarray, np.ndarray]:
        """A township's outer rings (the county's without a code) as x and y arrays, NaN between rings: what a map
        draws, computed once per boundaries."""
        return self._outlines[code]

    def click_grid(self, codes: list[str], spacing: float = 0.012) -> pd.DataFrame:
        """Evenly spaced points inside each township, so a click anywhere on it can select it."""
        if spacing not in self._grids:
            self._grids[spacing] = self._grid(spacing)
        grid = self._grids[spacing]
        return grid[grid["township_code"].isin(codes)].reset_index(drop=True)

    def _grid(self, spacing: float) -> pd.DataFrame:
        minx, miny, maxx, maxy = self.county.bounds
        xs, ys = np.meshgrid(np.arange(minx, maxx, spacing), np.arange(miny, maxy, spacing))
        points = shapely.points(xs.ravel(), ys.ravel())
        parts = []
        for code, shape_ in self.shapes.items():
            inside = shapely.contains(shape_, points)
            parts.append(pd.DataFrame({"township_code": code, "lng": xs.ravel()[inside], "lat": ys.ravel()[inside]}))
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["township_code", "lng", "lat"])

    @functools.cached_property
    def _grids(self) -> dict[float, pd.DataFrame]:
        return {}

    @functools.cached_property
    def _label_points(self) -> dict[str, tuple[float, float, float]]:
        points = {}
        for code, shape_ in self.shapes.items():
            largest = max(getattr(shape_, "geoms", [shape_]), key=lambda part: part.area)
            p = polylabel(largest, tolerance=1e-4)
            points[code] = (p.x, p.y, largest.exterior.distance(p))
        return points

    @functools.cached_property
    def _outlines(self) -> dict[str | None, tuple[np.ndarray, np.ndarray]]:
        return {code: _ring_xy(geometry) for code, geometry in [*self.shapes.items(), (None, self.county)]}


def _ring_xy(geometry: BaseGeometry) -> tuple[np.ndarray, np.ndarray]:
    polygons = [p for p in getattr(geometry, "geoms", [geometry]) if p.geom_type == "Polygon"]
    rings = [np.vstack([np.asarray(p.exterior.coords)[:, :2], [[np.nan, np.nan]]]) for p in polygons]
    xy = np.concatenate(rings) if rings else np.empty((0, 2))
    return np.ascontiguousarray(xy[:, 0]), np.ascontiguousarray(xy[:, 1])


def county_outline(county: str) -> BaseGeometry:
    """A county's polygon (WGS-84) from the reference folder."""
    return county_outlines()[county]


def _county_features(townships: pd.DataFrame, county: str) -> list[dict]:
    """Voronoi cells of one county's township seats clipped to its outline, as GeoJSON features.

    Townships sharing a seat (英言乡 and its successor 英言镇) share a cell; units without a seat get none.
    """
    outline = county_outline(county)
    seated = townships[townships["township_code"].str.startswith(county)].dropna(subset=["lng", "lat"])
    seats = {(row.lng, row.lat) for row in seated.itertuples()}
    if len(seats) < 2:
        return [{"type": "Feature", "properties": {"township_code": row.township_code,
                                                   "township_name": row.township_name, "schematic": True},
                 "geometry": mapping(shapely.set_precision(outline, 1e-5))} for row in seated.itertuples()]
    cells = shapely.voronoi_polygons(MultiPoint([Point(xy) for xy in sorted(seats)]), extend_to=outline.envelope)
    cell_of = {}
    for cell in cells.geoms:
        for xy in seats:
            if cell.contains(Point(xy)):
                cell_of[xy] = cell.intersection(outline)
    return [{
        "type": "Feature",
        "properties": {"township_code": row.township_code, "township_name": row.township_name, "schematic": True},
        "geometry": mapping(shapely.set_precision(cell_of[(row.lng, row.lat)], 1e-5)),
    } for row in seated.sort_values("township_code").itertuples()]


def schematic_collection(townships: pd.DataFrame) -> dict:
    """Schematic township areas of every county the townships belong to (Voronoi cells of the seats, clipped to
    the county), as one GeoJSON FeatureCollection: what `data/townships_schematic.geojson` holds."""
    codes = sorted(townships["township_code"].str[:6].unique())
    return {"type": "FeatureCollection", "note": SCHEMATIC_NOTE,
            "features": [f for code in codes for f in _county_features(townships, code)]}


def _refuse_constant(name: str):
    raise BoundaryError(f"含有非有限数值 {name}（坐标须为普通数字）")


def _depth(data) -> int:
    """How deeply lists and objects nest (iteratively, so hostile nesting cannot exhaust the stack)."""
    deepest, pending = 0, [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, (list, dict)):
            deepest = max(deepest, depth)
            if deepest > MAX_DEPTH:
                return deepest
            pending += [(v, depth + 1) for v in (value.values() if isinstance(value, dict) else value)]
    return deepest


def _positions(coordinates) -> int:
    """How many positions (vertices) a geometry's nested coordinate lists hold, counted a ring at a time."""
    count, pending = 0, [coordinates]
    while pending:
        value = pending.pop()
        if isinstance(value, list) and value:
            if isinstance(value[0], list) and value[0] and not isinstance(value[0][0], list):
                count += len(value)   # a ring: a list of positions
            else:
                pending += value
    return count


def _load_json(raw: bytes):
    """The parsed JSON, refused (BoundaryError) when it is no UTF-8 JSON, nests too deeply, or its geometries hold
    more than MAX_UPLOAD_VERTICES vertices (counted as each object is parsed)."""
    vertices = 0

    def count_vertices(obj: dict) -> dict:
        nonlocal vertices
        if "coordinates" in obj:
            vertices += _positions(obj["coordinates"])
        return obj

    try:
        data = json.loads(raw.decode("utf-8-sig"), parse_constant=_refuse_constant, object_hook=count_vertices)
    except RecursionError:
        raise BoundaryError(f"JSON 嵌套层数过深（最多 {MAX_DEPTH} 层）") from None
    except (UnicodeDecodeError, ValueError) as e:
        if isinstance(e, BoundaryError):
            raise
        raise BoundaryError("不是有效的 GeoJSON 文件（无法按 UTF-8 JSON 读取）") from None
    if vertices > MAX_UPLOAD_VERTICES:   # before walking the data for its depth, which takes longer than parsing
        raise BoundaryError(TOO_MANY_VERTICES.format(count=vertices, limit=MAX_UPLOAD_VERTICES))
    if _depth(data) > MAX_DEPTH:
        raise BoundaryError(f"JSON 嵌套层数过深（最多 {MAX_DEPTH} 层）")
    return data


def _allowed_area(county_code: str) -> tuple[tuple[float, float, float, float], BaseGeometry]:
    county = county_outline(county_code)
    minx, miny, maxx, maxy = county.bounds
    box = (minx - MARGIN_DEGREES, miny - MARGIN_DEGREES, maxx + MARGIN_DEGREES, maxy + MARGIN_DEGREES)
    return box, county.buffer(MARGIN_DEGREES)


def _geometry(feature: dict, where: str, box) -> BaseGeometry:
    """One feature's polygon, checked: finite coordinates inside the county's box; BoundaryError otherwise."""
    try:
        geometry = shape(feature.get("geometry"))
    except Exception:
        raise BoundaryError(f"{where}的几何无效") from None
    if geometry.geom_type not in ("Polygon", "MultiPolygon") or geometry.is_empty:
        raise BoundaryError(f"{where}不是面（Polygon / MultiPolygon）")
    coords = shapely.get_coordinates(geometry)
    if not np.isfinite(coords).all():
        raise BoundaryError(f"{where}含有非有限坐标")
    minx, miny, maxx, maxy = box
    if (coords[:, 0].min() < minx or coords[:, 0].max() > maxx or coords[:, 1].min() < miny
            or coords[:, 1].max() > maxy):
        raise BoundaryError(f"{where}的坐标超出本县范围（应为 WGS-84 经纬度，在县界外 {MARGIN_DEGREES}° 以内）")
    return geometry


def _vertices(shapes: dict[str, BaseGeometry]) -> int:
    return int(sum(shapely.get_num_coordinates(g) for g in shapes.values()))


def _within_budget(shapes: dict[str, BaseGeometry]) -> tuple[dict[str, BaseGeometry], str | None]:
    """The shapes simplified just enough to have at most MAX_VERTICES, and a note saying so; BoundaryError when
    even the coarsest tolerance leaves too many."""
    before = _vertices(shapes)
    if before <= MAX_VERTICES:
        return shapes, None
    if before > MAX_UPLOAD_VERTICES:   # merged parts can gain vertices where they cross
        raise BoundaryError(TOO_MANY_VERTICES.format(count=before, limit=MAX_UPLOAD_VERTICES))
    for tolerance in SIMPLIFY_TOLERANCES:
        simpler = {code: shapely.simplify(g, tolerance, preserve_topology=True) for code, g in shapes.items()}
        after = _vertices(simpler)
        if after <= MAX_VERTICES:
            metres = round(tolerance * 111_000)
            return simpler, f"边界已简化：顶点 {before:,} → {after:,} 个（容差约 {max(metres, 1)} 米）"
    raise BoundaryError(f"顶点过多（{before:,} 个），简化到约 100 米精度后仍超过 {MAX_VERTICES:,} 个")


@dataclass(frozen=True)
class Upload:
    """A checked user GeoJSON: township polygons by code, and notes for the user (simplified, townships missing)."""

    shapes: dict[str, BaseGeometry]
    notes: tuple[str, ...] = ()


def parse_upload(raw: bytes, known: dict[str, str] | set[str], county: str) -> Upload:
    """Check a user's GeoJSON against the county (its code) and the townships `known` (code -> name, or codes).

    Refused with BoundaryError and a Chinese reason: not JSON, Infinity/NaN, deep nesting, a feature that is not
    an object, no or unknown township code, not a polygon, coordinates outside the county (with a margin), more
    than MAX_UPLOAD_VERTICES vertices (refused before any geometry is built), or too many even after simplification.
    Townships of `known` left out are listed in the notes: the map draws their schematic cells.
    """
    names = known if isinstance(known, dict) else {code: code for code in known}
    if len(raw) > MAX_GEOJSON_BYTES:
        raise BoundaryError(f"文件超过 {MAX_GEOJSON_BYTES // 1024 // 1024} MB")
    data = _load_json(raw)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(data.get("features"), list):
        raise BoundaryError("GeoJSON 顶层必须是 FeatureCollection")
    box, area = _allowed_area(county)
    parts: dict[str, list[BaseGeometry]] = {}
    for i, feature in enumerate(data["features"], start=1):
        if not isinstance(feature, dict):
            raise BoundaryError(f"第 {i} 个要素不是 GeoJSON 要素（应为对象）")
        props = feature.get("properties") or {}
        if not isinstance(props, dict):
            raise BoundaryError(f"第 {i} 个要素的 properties 不是对象")
        code = next((str(props[k]) for k in CODE_KEYS if props.get(k) is not None), None)
        if code is None:
            raise BoundaryError(f"第 {i} 个要素缺少乡镇代码属性（{' / '.join(CODE_KEYS)}）")
        code = code[:9]
        if code not in names:
            raise BoundaryError(f"第 {i} 个要素的乡镇代码 {code} 不在本县乡镇名录中")
        parts.setdefault(code, []).append(_geometry(feature, f"第 {i} 个要素（{code}）", box))
    if not parts:
        raise BoundaryError("GeoJSON 中没有任何乡镇")
    shapes = {code: shapely.union_all(geoms) if len(geoms) > 1 else geoms[0] for code, geoms in parts.items()}
    shapes, simplified = _within_budget(shapes)
    shapes = {code: shapely.make_valid(g) for code, g in shapes.items()}
    outside = [names[code] for code, g in sorted(shapes.items()) if not area.contains(g)]
    if outside:
        raise BoundaryError(f"超出县界（{MARGIN_DEGREES}° 以外）的乡镇：{'、'.join(outside)}")
    notes = [simplified] if simplified else []
    missing = [names[code] for code in sorted(names) if code not in shapes]
    if missing:
        notes.append(FILLED_NOTE.format(names="、".join(missing)))
    return Upload(shapes, tuple(notes))


def parse_collection(raw: bytes, known_codes: dict[str, str] | set[str], county: str) -> dict[str, BaseGeometry]:
    """Township polygons of a user's GeoJSON by code, or BoundaryError saying what is wrong (see parse_upload)."""
    return parse_upload(raw, known_codes, county).shapes


@functools.cache
def _schematic_shapes() -> dict[str, BaseGeometry]:
    collection = json.loads(SCHEMATIC_PATH.read_text(encoding="utf-8"))
    return {f["properties"]["township_code"]: shape(f["geometry"]) for f in collection["features"]}


def schematic(county: str) -> Boundaries:
    """A county's schematic township areas, shipped in `data/townships_schematic.geojson`."""
    shapes = {code: geometry for code, geometry in _schematic_shapes().items() if code.startswith(county)}
    return Boundaries(shapes, county_outline(county), schematic=True, county_code=county)


def _stored_shapes(path: Path, county: str) -> dict[str, BaseGeometry]:
    """A saved boundary file, checked again as strictly as an upload (it may predate the checks)."""
    return parse_upload(path.read_bytes(), set(townships((county,))["township_code"]), county).shapes


def custom_path(data_dir: Path, county: str) -> Path:
    """Where a county's own boundaries are kept (the file of the single-county version is taken over)."""
    target = Path(data_dir) / CUSTOM_NAME.format(county=county)
    legacy, legacy_county = LEGACY_CUSTOM
    if county == legacy_county and not target.exists() and (Path(data_dir) / legacy).is_file():
        os.replace(Path(data_dir) / legacy, target)
    return target


def load_boundaries(data_dir: Path, county: str) -> Boundaries:
    """A county's own boundaries if a usable file is in the data folder (townships it lacks drawn with their
    schematic cells), else the schematic ones; a stored file that fails the checks gives the schematic ones and a
    notice."""
    custom = custom_path(data_dir, county)
    drawn = schematic(county)
    if not custom.is_file():
        return drawn
    try:
        shapes = _stored_shapes(custom, county)
    except (BoundaryError, OSError, KeyError, TypeError, AttributeError) as e:
        return replace(drawn, notices=(CUSTOM_BROKEN.format(reason=e),))
    filled = frozenset(drawn.shapes) - set(shapes)
    return Boundaries({**{c: drawn.shapes[c] for c in filled}, **shapes}, drawn.county, schematic=False,
                      county_code=county, filled=filled)


def draw_or_schematic(draw: Callable[[Boundaries], object], boundaries: Boundaries):
    """Draw with the given boundaries; if drawing user boundaries fails, draw the schematic ones instead.

    Returns (what `draw` returned, notices to show). A failure with the schematic boundaries is raised as is.
    """
    try:
        return draw(boundaries), list(boundaries.notices)
    except Exception as e:   # any drawing error of user geometry: never a traceback, fall back
        if boundaries.schematic:
            raise
        return draw(schematic(boundaries.county_code)), [*boundaries.notices,
                                                         CUSTOM_BROKEN.format(reason=f"绘制失败：{type(e).__name__}")]


def _atomic_write(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}")
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


@dataclass(frozen=True)
class Version:
    """A boundary file kept in `data/boundaries/`: its id (UTC time saved), the uploaded file's name, townships."""

    id: str
    saved_at: str
    source_name: str
    townships: int
    active: bool = False


def _versions_dir(data_dir: Path, county: str) -> Path:
    return Path(data_dir) / VERSIONS_DIR / county


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _keep_version(data_dir: Path, county: str, text: str, source_name: str) -> None:
    """Store a boundary file among the county's versions (unless the same content is there), dropping the oldest."""
    folder = _versions_dir(data_dir, county)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if folder.is_dir() and any(_digest(p) == digest for p in folder.glob("*.geojson")):
        return
    version_id = f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S%f}Z"
    _atomic_write(folder / f"{version_id}.geojson", text)
    (folder / f"{version_id}.json").write_text(json.dumps({"source_name": source_name}, ensure_ascii=False),
                                                encoding="utf-8")
    for old in sorted(folder.glob("*.geojson"))[:-KEPT_VERSIONS]:
        old.unlink(missing_ok=True)
        old.with_suffix(".json").unlink(missing_ok=True)


def _archive_active(data_dir: Path, county: str) -> None:
    """Keep the boundaries in use as a version before they are replaced or removed."""
    custom = custom_path(data_dir, county)
    if custom.is_file():
        _keep_version(data_dir, county, custom.read_text(encoding="utf-8", errors="replace"), "")


@contextlib.contextmanager
def _changing(data_dir: Path, recheck: Callable[[], object] | None):
    """Hold the boundary lock, and run `recheck` (who makes the change, read again; it raises to refuse) under it."""
    with locked(Path(data_dir) / VERSIONS_DIR, LOCK_NAME):
        if recheck is not None:
            recheck()
        yield


def save_custom(data_dir: Path, county: str, shapes: dict[str, BaseGeometry], source_name: str = "",
                recheck: Callable[[], object] | None = None) -> Path:
    """Write validated user boundaries atomically into the data folder (normalised to township_code keys); the
    boundaries used before stay restorable as a version, and so do these. `recheck` runs under the boundary lock
    first and refuses by raising."""
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"township_code": code}, "geometry": mapping(geom)}
        for code, geom in sorted(shapes.items())]}
    text = json.dumps(collection, ensure_ascii=False)
    with _changing(data_dir, recheck):
        _archive_active(data_dir, county)
        _keep_version(data_dir, county, text, source_name)
        target = custom_path(data_dir, county)
        _atomic_write(target, text)
    return target


def remove_custom(data_dir: Path, county: str, recheck: Callable[[], object] | None = None) -> None:
    """Go back to the county's schematic boundaries (the user's stay restorable as a version); `recheck` as for
    `save_custom`."""
    with _changing(data_dir, recheck):
        _archive_active(data_dir, county)
        custom_path(data_dir, county).unlink(missing_ok=True)


def boundary_versions(data_dir: Path, county: str) -> list[Version]:
    """The county's kept boundary files, newest first; `active` marks the one in use."""
    folder = _versions_dir(data_dir, county)
    custom = custom_path(data_dir, county)
    active = _digest(custom) if custom.is_file() else None
    found = []
    for path in sorted(folder.glob("*.geojson"), reverse=True) if folder.is_dir() else []:
        if not VERSION_ID.match(path.stem):
            continue
        try:
            features = json.loads(path.read_text(encoding="utf-8")).get("features", [])
            meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8")) if path.with_suffix(
                ".json").is_file() else {}
        except (OSError, ValueError, AttributeError):
            continue
        saved = dt.datetime.strptime(path.stem, "%Y%m%dT%H%M%S%fZ").replace(tzinfo=dt.UTC)
        found.append(Version(path.stem, saved.isoformat(timespec="seconds"), str(meta.get("source_name", "")),
                             len(features), active=_digest(path) == active))
    return found


def restore_version(data_dir: Path, county: str, version_id: str,
                    recheck: Callable[[], object] | None = None) -> Path:
    """Use a kept boundary file again, after checking it as strictly as an upload; BoundaryError if it fails;
    `recheck` as for `save_custom`."""
    if not VERSION_ID.match(version_id or ""):
        raise BoundaryError(f"边界版本编号无效: {version_id}")
    path = _versions_dir(data_dir, county) / f"{version_id}.geojson"
    if not path.is_file():
        raise BoundaryError(f"边界版本不存在: {version_id}")
    _stored_shapes(path, county)
    with _changing(data_dir, recheck):
        _archive_active(data_dir, county)
        target = custom_path(data_dir, county)
        _atomic_write(target, path.read_text(encoding="utf-8"))
    return target
