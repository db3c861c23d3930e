"""The 预警 page through AppTest on the demo: the list by level, the sidebar's filters and the level choice narrow it,
its CSV is the list, township staff see only their township's warnings, and the overview's 滞销预警 N and 需关注 lines
agree with it."""

import datetime as dt
import io

import pandas as pd
import pytest
from conftest import own_data_folder, page_warnings, settled, sign_in
from streamlit.testing.v1 import AppTest

from fupin.query.filters import Filter
from fupin.report import brief, page_data
from fupin.settings import PROJECT_ROOT
from fupin.text.export import csv_bytes, readable
from fupin.text.tables import on_screen

APP = str(PROJECT_ROOT / "tests" / "app_entry.py")
REPORT_DAY = dt.date(2018, 12, 29)
YUANQU = ("140827",)
HUAFENG = "140827203"


@pytest.fixture(scope="module")
def data_dir(demo_store, tmp_path_factory):
    """The demo snapshots in a data folder of its own, where accounts can be made (sign-in on)."""
    return own_data_folder(demo_store, tmp_path_factory.mktemp("warnings_page"))


def open_app(monkeypatch, data, page: str | None = "warnings", role: str | None = None, scope: str | None = None,
             **params) -> AppTest:
    """The app on the demo at the report day, on a page, with link parameters; signed in as `role` if given."""
    monkeypatch.setenv("FUPIN_DATA", str(data))
    at = AppTest.from_file(APP, default_timeout=120)
    if role:
        sign_in(at, data, role, scope, name=f"{role}-{scope}")
    for key, value in {"to": REPORT_DAY.isoformat(), **params}.items():
        at.query_params[key] = value
    if page:   # the link opens the page itself, so its own parameters (level) are read
        at.switch_page(f"../pages/{page}.py")
    settled(at.run())
    assert not at.exception, at.exception
    assert not at.error and not page_warnings(at), ([e.value for e in at.error], page_warnings(at))
    return at


def table(at: AppTest, column: str) -> pd.DataFrame:
    """The first table on the page with a column of this header."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def listed(at: AppTest) -> pd.DataFrame:
    """The page's warnings table as shown."""
    return table(at, "联系电话")


def expected(demo_db, **choices) -> pd.DataFrame:
    return page_data.unsold_warnings(demo_db, Filter.year_to_date(REPORT_DAY, counties=YUANQU, **choices))


def test_the_page_lists_the_warnings_by_level_with_whom_to_call(monkeypatch, demo_store, demo_db):
    at = open_app(monkeypatch, demo_store.root)
    want = expected(demo_db)
    shown = listed(at)
    assert len(shown) == len(want) >= 3
    assert list(shown.columns[:9]) == ["预警级别", "乡镇", "村", "产品", "未售数量(公斤)", "剩余天数", "供货方", "联系人", "联系电话"]
    assert list(shown["村"]) == list(want["village_name"]) and list(shown["联系电话"]) == list(want["contact_phone"])
    assert list(shown["预警级别"]) == [{"unsold": "滞销", "warning": "预警", "watch": "关注"}[w]
                                    for w in want["warning_level"]]
    tiles = {m.label: m.value for m in at.metric}
    assert tiles == {"滞销": f"{(want['warning_level'] == 'unsold').sum()}条",
                     "预警": f"{(want['warning_level'] == 'warning').sum()}条",
                     "关注": f"{(want['warning_level'] == 'watch').sum()}条"}
    rules = table(at, "未售比例不低于")   # its values carry their %: no (%) in the header
    assert rules.values.tolist() == [["关注", 50.0, 30.0], ["预警", 30.0, 50.0], ["滞销", 10.0, 70.0]]
    assert at.get("download_button")   # CSV and Excel under the list and the map


@pytest.mark.parametrize("params, choices", [
    ({"township": HUAFENG}, {"township": HUAFENG}),
    ({"product_category": "粮食"}, {"product_category": "粮食"}),
])
def test_the_sidebar_filters_narrow_the_list(monkeypatch, demo_store, demo_db, params, choices):
    at = open_app(monkeypatch, demo_store.root, **params)
    want, everything = expected(demo_db, **choices), expected(demo_db)
    shown = listed(at)
    assert 0 < len(shown) == len(want) < len(everything)
    assert list(shown["村"]) == list(want["village_name"])
    if "township" in choices:
        assert set(shown["乡镇"]) == {"华峰乡"}


def test_the_level_choice_narrows_the_list_and_is_kept_in_the_link(monkeypatch, demo_store, demo_db):
    at = open_app(monkeypatch, demo_store.root, level="watch")
    want = expected(demo_db)
    assert len(listed(at)) == (want["warning_level"] == "watch").sum() < len(want)
    assert set(listed(at)["预警级别"]) == {"关注"}
    assert at.query_params["level"] == "watch"


def test_the_csv_download_is_the_list(demo_db):
    """The page downloads exactly the frame it shows (page_data.WARNING_COLUMNS of the filter's warnings)."""
    shown = expected(demo_db)[page_data.WARNING_COLUMNS]
    parsed = pd.read_csv(io.BytesIO(csv_bytes(shown)), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(parsed.columns) == list(readable(shown).columns)
    assert list(parsed["村"]) == list(shown["village_name"])
    assert list(parsed["联系电话"]) == [f'="{p}"' for p in shown["contact_phone"]]   # Excel keeps it as text
    assert [float(v) for v in parsed["未售数量(公斤)"]] == pytest.approx(list(shown["unsold_kg"]))
    assert [int(v) for v in parsed["剩余天数"]] == list(shown["days_left"])


def test_township_staff_see_only_their_townships_warnings(monkeypatch, data_dir, demo_db):
    at = open_app(monkeypatch, data_dir, role="township", scope=HUAFENG)
    assert at.session_state["township"] == HUAFENG
    shown = listed(at)
    assert len(shown) == len(expected(demo_db, township=HUAFENG)) > 0 and set(shown["乡镇"]) == {"华峰乡"}
    assert sum(int(m.value.rstrip("条")) for m in at.metric) == len(shown)


def test_the_overview_links_to_the_page_with_its_count(monkeypatch, demo_store, demo_db):
    overview = open_app(monkeypatch, demo_store.root, page=None)
    links = [link for link in overview.get("page_link") if link.proto.page.endswith("warnings")]
    assert [link.proto.label for link in links] == [f"滞销预警 {len(expected(demo_db))}"] * 2, "phone and wide"
    assert len(overview.metric) == 6                                 # the six headline tiles, as before
    page = open_app(monkeypatch, demo_store.root)
    assert f"滞销预警 {len(listed(page))}" == links[0].proto.label


def test_the_overview_names_open_warnings_in_its_attention_list(monkeypatch, demo_store, demo_db):
    overview = open_app(monkeypatch, demo_store.root, page=None)
    want = expected(demo_db)
    serious = want[want["warning_level"].isin(["warning", "unsold"])]
    assert len(serious) >= 1
    first = serious.iloc[0]
    lines = [b for b in overview.button if b.key.startswith("attention_") and "未售" in b.label]
    assert len(lines) == min(len(serious), 5)
    assert f"{first['village_name']}{first['product_name']}未售" in lines[0].label
    lines[0].click().run()
    assert not overview.exception and overview.title[0].value.endswith(" 预警")
    assert overview.session_state["township"] == first["township_code"]
    assert overview.session_state["village"] == first["village_code"]
    result = brief.build(demo_db, Filter.year_to_date(REPORT_DAY, counties=YUANQU), "140827", "垣曲县")
    kinds = [item["kind"] for item in result["attention"]]
    assert kinds.count("unsold_warning") == len(lines)


def test_the_list_shows_what_and_whom_to_call_and_the_rest_on_demand(monkeypatch, demo_store, demo_db):
    at = open_app(monkeypatch, demo_store.root)
    shown = listed(at)
    assert list(shown.columns) == ["预警级别", "乡镇", "村", "产品", "未售数量(公斤)", "剩余天数", "供货方", "联系人",
                                   "联系电话"], "nine columns: what fits a 1366 px laptop"
    everything = table(at, "可售截止日期")
    every_column = on_screen(expected(demo_db)[page_data.WARNING_COLUMNS], ledger=True).frame   # codes off
    assert list(everything.columns) == list(every_column.columns) and "村代码" not in everything
    assert list(everything["村"]) == list(shown["村"])
