"""Township areas: the shipped schematic cells, and a user's own GeoJSON checked before it replaces them."""

import json
import time

import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import Point

from fupin.report import geo
from fupin.store import reference


@pytest.fixture(scope="module")
def schematic():
    return geo.load_boundaries(geo.SCHEMATIC_PATH.parent / "no-custom-here", "140827")


def test_shipped_file_is_what_the_code_builds():
    shipped = json.loads(geo.SCHEMATIC_PATH.read_text(encoding="utf-8"))
    every = tuple(reference.counties()["county_code"])
    assert shipped == json.loads(json.dumps(geo.schematic_collection(reference.townships(every))))
    assert shipped["note"] == geo.SCHEMATIC_NOTE


def test_every_seated_township_has_a_cell_around_its_seat(schematic):
    seated = reference.townships().dropna(subset=["lng"])
    assert set(seated["township_code"]) == set(schematic.shapes)
    for row in seated.itertuples():
        assert schematic.shapes[row.township_code].buffer(1e-4).contains(Point(row.lng, row.lat)), row.township_name


def test_cells_tile_the_county_without_overlap(schematic):
    current = [c for c in schematic.shapes if c != "140827201"]   # 英言乡 shares 英言镇's cell
    area = sum(schematic.shapes[c].area for c in current)
    assert area == pytest.approx(schematic.county.area, rel=1e-3)
    assert schematic.schematic is True


def test_click_grid_points_lie_in_their_township(schematic):
    grid = schematic.click_grid(["140827203", "140827100"])
    assert set(grid["township_code"]) == {"140827203", "140827100"} and len(grid) > 20
    for row in grid.itertuples():
        assert schematic.shapes[row.township_code].contains(Point(row.lng, row.lat))


KNOWN = {"140827100", "140827203"}
SQUARE = {"type": "Polygon", "coordinates": [[[111.7, 35.1], [111.8, 35.1], [111.8, 35.2], [111.7, 35.1]]]}


def collection(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


@pytest.mark.parametrize("raw, reason", [
    (b"\x89PNG\r\n", "不是有效的 GeoJSON"),
    (b'{"type": "Feature"}', "FeatureCollection"),
    (collection({"type": "Feature", "properties": {"name": "x"}, "geometry": SQUARE}), "缺少乡镇代码"),
    (collection({"type": "Feature", "properties": {"code": "999999999"}, "geometry": SQUARE}), "不在本县乡镇名录"),
    (collection({"type": "Feature", "properties": {"code": "140827100"},
                 "geometry": {"type": "Point", "coordinates": [111.7, 35.1]}}), "不是面"),
    (collection(), "没有任何乡镇"),
])
def test_bad_user_geojson_is_refused_with_the_reason(raw, reason):
    with pytest.raises(geo.BoundaryError, match=reason):
        geo.parse_collection(raw, KNOWN, "140827")


def feature(code, geometry, **props) -> dict:
    return {"type": "Feature", "properties": {"code": code, **props}, "geometry": geometry}


def square(x0, y0, size) -> dict:
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size],
                                                [x0, y0]]]}


def deep(levels: int) -> bytes:
    return (b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"code": "140827100"}, '
            b'"geometry": {"type": "Polygon", "coordinates": ' + b"[" * levels + b"]" * levels + b"}}]}")


@pytest.mark.parametrize("raw, reason", [
    (collection(feature("140827100", square(-1e300, -1e300, 2e300))), "超出本县范围"),
    (collection(feature("140827100", square(116.3, 39.9, 0.1))), "超出本县范围"),
    (collection("abc"), "不是 GeoJSON 要素"),
    (collection(feature("140827100", SQUARE, ), 5), "不是 GeoJSON 要素"),
    (b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"code": "140827100"}, '
     b'"geometry": {"type": "Polygon", "coordinates": [[[111.7, 35.1], [Infinity, 35.1], [111.8, 35.2], '
     b'[111.7, 35.1]]]}}]}', "Infinity"),
    (b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"code": "140827100"}, '
     b'"geometry": {"type": "Polygon", "coordinates": [[[111.7, 35.1], [-1e999, 35.1], [111.8, 35.2], '
     b'[111.7, 35.1]]]}}]}', "非有限坐标"),
    (b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"code": "140827100"}, '
     b'"geometry": {"type": "Polygon", "coordinates": [[[111.7, NaN], [111.8, 35.1], [111.8, 35.2], '
     b'[111.7, 35.1]]]}}]}', "NaN"),
    (deep(100_000), "嵌套层数过深"),
    (deep(40), "嵌套层数过深"),
    (collection({"type": "Feature", "properties": ["code"], "geometry": SQUARE}), "properties 不是对象"),
])
def test_hostile_user_geojson_is_refused_with_the_reason(raw, reason):
    with pytest.raises(geo.BoundaryError, match=reason):
        geo.parse_collection(raw, KNOWN, "140827")


def ring(vertices: int, cx=111.75, cy=35.15, r=0.05) -> dict:
    """A circle-like polygon of this many vertices."""
    angles = np.linspace(0, 2 * np.pi, vertices, endpoint=False)
    points = [[cx + r * np.cos(a), cy + r * np.sin(a)] for a in angles]
    return {"type": "Polygon", "coordinates": [points + [points[0]]]}


def test_a_polygon_of_150k_vertices_is_simplified_within_the_budget():
    upload = geo.parse_upload(collection(feature("140827100", ring(150_000))), KNOWN, "140827")
    assert shapely.get_num_coordinates(upload.shapes["140827100"]) <= geo.MAX_VERTICES
    assert any("边界已简化" in note for note in upload.notes)
    assert upload.shapes["140827100"].area == pytest.approx(np.pi * 0.05 ** 2, rel=1e-3)


def test_a_16_mb_file_of_400k_vertices_is_refused_at_once_without_building_geometry(monkeypatch):
    noisy = np.random.default_rng(42).random(400_000)   # the hostile case: no tolerance simplifies it away cheaply
    points = ring(400_000)["coordinates"][0]
    jagged = [[x, y + 1e-3 * n] for (x, y), n in zip(points, noisy)]
    raw = collection(feature("140827100", {"type": "Polygon", "coordinates": [jagged + [jagged[0]]]}))
    assert len(raw) > 16_000_000
    monkeypatch.setattr(geo, "shape", lambda *_: pytest.fail("geometry was built"))
    started = time.thread_time()   # CPU time: what the refusal costs the server, whatever else the machine does
    with pytest.raises(geo.BoundaryError, match="顶点过多（400,001 个，最多 200,000 个）"):
        geo.parse_upload(raw, KNOWN, "140827")
    assert time.thread_time() - started < 2   # 56 s before vertices were counted while parsing


def test_vertices_of_every_feature_and_part_count_towards_the_limit(monkeypatch):
    monkeypatch.setattr(geo, "MAX_UPLOAD_VERTICES", 9)
    two_squares = {"type": "MultiPolygon", "coordinates": [square(111.7, 35.1, 0.01)["coordinates"],
                                                           square(111.8, 35.1, 0.01)["coordinates"]]}
    with pytest.raises(geo.BoundaryError, match="顶点过多（10 个，最多 9 个）"):
        geo.parse_upload(collection(feature("140827100", two_squares)), KNOWN, "140827")
    with pytest.raises(geo.BoundaryError, match="顶点过多（15 个"):
        geo.parse_upload(collection(feature("140827100", square(111.7, 35.1, 0.01)),
                                    feature("140827203", two_squares)), KNOWN, "140827")
    assert geo.parse_upload(collection(feature("140827100", SQUARE)), KNOWN, "140827").shapes


def test_vertices_beyond_any_simplification_are_refused(monkeypatch):
    monkeypatch.setattr(geo, "MAX_VERTICES", 3)
    with pytest.raises(geo.BoundaryError, match="顶点过多"):
        geo.parse_collection(collection(feature("140827100", ring(1000))), KNOWN, "140827")


def test_townships_left_out_are_listed_and_drawn_with_their_schematic_cell(tmp_path, schematic):
    names = {"140827100": "新城镇", "140827203": "华峰乡", "140827101": "历山镇"}
    upload = geo.parse_upload(collection(feature("140827100", SQUARE)), names, "140827")
    assert upload.notes == ("以下乡镇不在自定义边界文件中，地图上用示意边界代替：历山镇、华峰乡",)
    geo.save_custom(tmp_path, "140827", upload.shapes)
    loaded = geo.load_boundaries(tmp_path, "140827")
    assert loaded.schematic is False and "140827100" not in loaded.filled
    assert loaded.shapes["140827203"].equals(schematic.shapes["140827203"])
    assert set(loaded.shapes) == set(schematic.shapes)
    assert loaded.missing_note(names) == "以下乡镇不在自定义边界文件中，地图上用示意边界代替：历山镇、华峰乡"


def test_user_geojson_replaces_the_schematic_and_can_be_removed(tmp_path):
    shapes = geo.parse_collection(collection({"type": "Feature", "properties": {"乡镇代码": "140827203000"},
                                              "geometry": SQUARE}), KNOWN, "140827")
    geo.save_custom(tmp_path, "140827", shapes)
    loaded = geo.load_boundaries(tmp_path, "140827")
    assert loaded.schematic is False and loaded.shapes["140827203"].equals(shapes["140827203"])
    assert not list(tmp_path.glob(".*")), "no temporary file is left behind"
    geo.remove_custom(tmp_path, "140827")
    assert geo.load_boundaries(tmp_path, "140827").schematic is True


def test_a_stored_file_that_fails_the_checks_falls_back_to_the_schematic_with_a_notice(tmp_path):
    # As an earlier version accepted and saved it: a square at ±1e300 broke every visitor's map.
    geo.custom_path(tmp_path, "140827").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"township_code": "140827100"},
         "geometry": square(-1e300, -1e300, 2e300)}]}), encoding="utf-8")
    loaded = geo.load_boundaries(tmp_path, "140827")
    assert loaded.schematic is True
    assert len(loaded.notices) == 1 and loaded.notices[0].startswith("自定义乡镇边界无法使用")
    from fupin.report import charts
    summary = pd.DataFrame({"township_code": ["140827100"], "township_name": ["新城镇"], "v": [1.0]})
    charts.area_map(summary, [("", loaded)], "township_code", "township_name", "v", pd.Series(["1"]), "v")


def test_a_map_that_fails_to_draw_user_boundaries_falls_back_to_the_schematic(tmp_path):
    geo.save_custom(tmp_path, "140827", geo.parse_collection(collection(feature("140827100", SQUARE)), KNOWN, "140827"))
    custom = geo.load_boundaries(tmp_path, "140827")

    def draw(boundaries):
        if not boundaries.schematic:
            raise shapely.errors.GEOSException("TopologyException")
        return "drawn"

    assert geo.draw_or_schematic(draw, custom) == ("drawn", ["自定义乡镇边界无法使用（绘制失败：GEOSException），已改用示意边界"])
    with pytest.raises(RuntimeError):
        geo.draw_or_schematic(lambda b: (_ for _ in ()).throw(RuntimeError("schematic broken")),
                              geo.load_boundaries(tmp_path / "none", "140827"))


def test_earlier_boundaries_are_kept_as_versions_and_can_be_restored(tmp_path):
    first = geo.parse_collection(collection(feature("140827100", SQUARE)), KNOWN, "140827")
    second = geo.parse_collection(collection(feature("140827203", square(111.6, 35.2, 0.05))), KNOWN, "140827")
    geo.save_custom(tmp_path, "140827", first, source_name="乡镇边界2018.geojson")
    geo.save_custom(tmp_path, "140827", second, source_name="新边界.geojson")
    versions = geo.boundary_versions(tmp_path, "140827")
    assert [v.source_name for v in versions] == ["新边界.geojson", "乡镇边界2018.geojson"]
    assert [v.active for v in versions] == [True, False]
    geo.restore_version(tmp_path, "140827", versions[1].id)
    loaded = geo.load_boundaries(tmp_path, "140827")
    assert loaded.shapes["140827100"].equals(first["140827100"]) and "140827100" not in loaded.filled
    geo.remove_custom(tmp_path, "140827")
    assert geo.load_boundaries(tmp_path, "140827").schematic and len(geo.boundary_versions(tmp_path, "140827")) == 2
    geo.restore_version(tmp_path, "140827", versions[0].id)
    assert geo.load_boundaries(tmp_path, "140827").shapes["140827203"].equals(second["140827203"])
    for bad in ("../../etc/passwd", "", "20260101T000000000000Z"):
        with pytest.raises(geo.BoundaryError):
            geo.restore_version(tmp_path, "140827", bad)


def test_every_county_has_schematic_areas_of_its_own():
    for code in ("621226", "230883", "611002"):
        areas = geo.schematic(code)
        seated = reference.townships((code,)).dropna(subset=["lng"])
        assert set(areas.shapes) == set(seated["township_code"]) and areas.county_code == code
        assert all(areas.county.buffer(1e-4).contains(shape) for shape in areas.shapes.values())


def test_the_single_county_file_is_taken_over_by_its_county(tmp_path):
    geo.save_custom(tmp_path, "140827", geo.parse_collection(collection(feature("140827100", SQUARE)), KNOWN, "140827"))
    geo.custom_path(tmp_path, "140827").rename(tmp_path / "townships_custom.geojson")
    assert geo.load_boundaries(tmp_path, "140827").schematic is False
    assert geo.load_boundaries(tmp_path, "621226").schematic is True
