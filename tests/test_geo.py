"""Township areas: the shipped schematic cells, and a user's own GeoJSON checked before it replaces them."""

import json

import pytest
from shapely.geometry import Point

from fupin import geo, reference


@pytest.fixture(scope="module")
def schematic():
    return geo.load_boundaries(geo.SCHEMATIC_PATH.parent / "no-custom-here")


def test_shipped_file_is_what_the_code_builds():
    shipped = json.loads(geo.SCHEMATIC_PATH.read_text(encoding="utf-8"))
    assert shipped == json.loads(json.dumps(geo.schematic_collection(reference.townships())))
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
        geo.parse_collection(raw, KNOWN)


def test_user_geojson_replaces_the_schematic_and_can_be_removed(tmp_path):
    shapes = geo.parse_collection(collection({"type": "Feature", "properties": {"乡镇代码": "140827203000"},
                                              "geometry": SQUARE}), KNOWN)
    geo.save_custom(tmp_path, shapes)
    loaded = geo.load_boundaries(tmp_path)
    assert loaded.schematic is False and set(loaded.shapes) == {"140827203"}
    assert not list(tmp_path.glob(".*")), "no temporary file is left behind"
    geo.remove_custom(tmp_path)
    assert geo.load_boundaries(tmp_path).schematic is True
