"""The boundary upload under the map (fupin.ui.maps.boundary_upload) through AppTest, on a view of the tiny snapshot."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from fupin.auth import accounts
from fupin.report import geo

CLERK = "测试员"   # the clerk page() signs in as (AppTest runs its source alone: spelt out there)


def page():
    """boundary_upload on its own, with the view the overview page would give it."""
    import datetime as dt
    import types

    from fupin import settings
    from fupin.query.db import SnapshotDB
    from fupin.store.store import SnapshotStore
    from fupin.text.i18n import t
    from fupin.ui import maps

    db = SnapshotDB(SnapshotStore(settings.data_dir()).current())
    view = types.SimpleNamespace(t=lambda key, **values: t(key, "zh", **values), db=db, may=lambda action: True,
                                 lang="zh", user=types.SimpleNamespace(name="测试员", scope="140827"),
                                 filter=types.SimpleNamespace(as_of=dt.date(2018, 12, 29), counties=("140827",)))
    maps.boundary_upload(view)


def square(code, x0, y0, size=0.05):
    ring = [[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]
    return {"type": "Feature", "properties": {"code": code}, "geometry": {"type": "Polygon", "coordinates": [ring]}}


def geojson(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


@pytest.fixture
def app(tiny_store, tmp_path, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    (data / "snapshots").symlink_to(tiny_store.snapshots_dir)
    (data / "CURRENT").write_text(tiny_store.current_id())
    accounts.add_user(data, CLERK, "clerk", "140827", "secret-pass-1")   # the buttons check who clicks
    monkeypatch.setenv("FUPIN_DATA", str(data))
    at = AppTest.from_function(page, default_timeout=60).run()
    assert not at.exception, at.exception
    return at, data


def upload(at, name, content):
    at.file_uploader(key="boundaries_file").set_value((name, content, "application/geo+json"))
    at.run()
    at.button(key="boundaries_apply").click().run()
    assert not at.exception, at.exception
    return at


def test_an_upload_is_checked_saved_and_missing_townships_listed(app):
    at, data = app
    upload(at, "新城镇.geojson", geojson(square("140827100", 111.65, 35.25)))
    assert any("已启用" in s.value for s in at.success)
    assert any("历山镇、华峰乡" in i.value and "示意边界代替" in i.value for i in at.info)
    assert geo.custom_path(data, "140827").is_file()


def test_a_hostile_upload_is_refused_with_the_reason_and_nothing_saved(app):
    at, data = app
    upload(at, "huge.geojson", geojson(square("140827100", -1e300, -1e300, 2e300)))
    assert any("边界文件未采用" in e.value and "超出本县范围" in e.value for e in at.error)
    assert not geo.custom_path(data, "140827").exists()


def test_a_broken_stored_file_is_named_and_earlier_boundaries_can_be_restored(app):
    at, data = app
    upload(at, "第一版.geojson", geojson(square("140827100", 111.65, 35.25)))
    upload(at, "第二版.geojson", geojson(square("140827203", 111.6, 35.1)))
    geo.custom_path(data, "140827").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"township_code": "140827100"},
         "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1e300, 0], [0, 1e300], [0, 0]]]}}]}))
    at.run()
    assert not at.exception
    assert any("自定义乡镇边界无法使用" in w.value for w in at.warning)
    versions = at.selectbox(key="boundaries_version")
    labels = list(versions.options)
    assert any("第一版.geojson" in label for label in labels)
    first = next(i for i, label in enumerate(labels) if "第一版.geojson" in label)
    versions.select_index(first).run()
    at.button(key="boundaries_restore").click().run()
    assert not at.exception
    restored = geo.load_boundaries(data, "140827")
    assert not restored.schematic and "140827100" not in restored.filled and not restored.notices
