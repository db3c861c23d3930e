"""Page logic through Streamlit's AppTest: seed figures on the tiles, filters, the URL, empty results, languages."""

import datetime as dt
import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from fupin import brief, fmt, views
from fupin.db import SnapshotDB
from fupin.filters import Filter
from fupin.settings import PROJECT_ROOT

APP = str(PROJECT_ROOT / "tests" / "app_entry.py")
PAGES = ["overview", "purchases", "inspections", "cooperatives", "briefing", "import_ledgers"]
REPORT_DAY = dt.date(2018, 12, 29)
HUAFENG = "140827203"


@pytest.fixture(scope="module")
def demo_db(demo_store):
    db = SnapshotDB(demo_store.current())
    yield db
    db.close()


@pytest.fixture
def app(demo_store, monkeypatch):
    """A fresh app session on the demo snapshot; set URL parameters on it before `run`."""
    monkeypatch.setenv("FUPIN_DATA", str(demo_store.root))
    return AppTest.from_file(APP, default_timeout=120)


def page(name: str) -> str:
    """A page file as AppTest wants it: relative to the entry script."""
    return os.path.relpath(PROJECT_ROOT / "pages" / f"{name}.py", Path(APP).parent)


def opened(app: AppTest, page_name: str | None = None, **params) -> AppTest:
    for key, value in params.items():
        app.query_params[key] = value
    app.run()
    if page_name:
        app.switch_page(page(page_name))
        app.run()
    assert not app.exception, app.exception
    return app


def table(app: AppTest, column: str):
    """The first table on the page that has a column of this header."""
    return next(d.value for d in app.dataframe if column in d.value.columns)


def tiles(app: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


@pytest.mark.parametrize("name", PAGES)
def test_every_page_runs(app, name):
    opened(app, name, to="2018-12-29")
    assert app.title, f"{name} shows no title"


def test_overview_tiles_show_the_seed_figures(app):
    shown = tiles(opened(app, to="2018-12-29"))
    assert shown["采购金额"] == "4154.6万元"
    assert shown["采购数量"] == "1146.4万公斤"
    assert shown["其中贫困村"] == "2775.3万元"
    assert shown["抽样检验"] == "746批次"
    assert shown["快速检测"] == "606批次"
    assert shown["今年新增合作社"] == "134户"
    captions = " ".join(c.value for c in app.caption)
    assert "合作社总数 685户" in captions and "同比 +55.8%" in captions


def test_tiles_carry_target_and_schedule(app):
    opened(app, to="2018-12-29")
    amount = next(m for m in app.metric if m.label == "采购金额")
    assert amount.delta == "+4.4个百分点"
    lab = next(m for m in app.metric if m.label == "抽样检验")
    assert lab.delta.startswith("-"), "lab sampling is behind schedule and must read as such"
    assert "目标 4000.0万元 · 完成 103.9% · 序时进度 99.5%" in " ".join(c.value for c in app.caption)


def test_township_filter_changes_every_number_consistently(app, demo_db):
    opened(app, to="2018-12-29")
    app.selectbox(key="w_township").select(HUAFENG).run()
    assert not app.exception
    flt = Filter.year_to_date(REPORT_DAY, township=HUAFENG)
    head = views.overview(demo_db, flt).headline
    shown = tiles(app)
    assert shown["采购金额"] == fmt.money(head.purchases["amount_yuan"])
    assert shown["其中贫困村"] == fmt.money(head.purchases["poor_village_amount_yuan"])
    assert shown["抽样检验"] == fmt.count(head.inspections["lab_batches"], "批次")
    assert shown["今年新增合作社"] == fmt.count(head.cooperatives["cooperatives_new"], "户")
    assert shown["采购金额"] != "4154.6万元"
    assert app.query_params["township"] == HUAFENG
    app.switch_page(page("purchases")).run()
    assert tiles(app)["采购金额"] == fmt.money(head.purchases["amount_yuan"])
    app.switch_page(page("inspections")).run()
    assert tiles(app)["抽样检验"] == fmt.count(head.inspections["lab_batches"], "批次")
    app.switch_page(page("briefing")).run()
    assert tiles(app)["采购金额"] == fmt.money(head.purchases["amount_yuan"])


def test_url_round_trips_the_filters(app):
    params = {"from": "2018-03-01", "to": "2018-09-30", "township": HUAFENG, "village": "140827203216",
              "buyer_type": "base_company", "product_category": "杂粮", "lang": "en", "metric": "lab_batches"}
    opened(app, **params)
    assert app.session_state["w_township"] == HUAFENG and app.session_state["w_village"] == "140827203216"
    assert app.session_state["w_custom_from"] is True and app.session_state["w_from"] == dt.date(2018, 3, 1)
    assert dict(app.query_params) == params
    app.selectbox(key="w_buyer_type").select("supermarket").run()
    assert app.query_params["buyer_type"] == "supermarket"
    assert app.query_params["township"] == HUAFENG


def test_defaults_stay_out_of_the_url(app):
    opened(app)
    assert dict(app.query_params) == {"from": "2020-01-01", "to": "2020-12-31"}


def test_unknown_url_values_are_ignored(app):
    opened(app, to="2018-12-29", township="999999999", buyer_type="' OR '1'='1", product_category="x")
    assert app.session_state["w_township"] is None and app.session_state["w_buyer_type"] is None
    assert tiles(app)["采购金额"] == "4154.6万元"


def test_year_change_moves_the_end_date_into_that_year(app):
    opened(app, to="2018-12-29")
    app.selectbox(key="w_year").select(2019).run()
    assert app.session_state["w_to"] == dt.date(2019, 12, 31)
    assert app.query_params["to"] == "2019-12-31" and app.query_params["from"] == "2019-01-01"


def test_renamed_township_carries_over_to_its_successor(app):
    opened(app, to="2019-12-31", township="140827201")
    app.selectbox(key="w_year").select(2020).run()
    assert app.session_state["w_township"] == "140827105", "英言乡 became 英言镇 in 2020"


@pytest.mark.parametrize("name", ["overview", "purchases", "inspections"])
def test_an_empty_result_shows_the_message(app, name):
    opened(app, name, to="2016-01-01", township="140827202", product_category="中药材")
    messages = [i.value for i in app.info]
    assert any("当前筛选条件下没有数据" in m for m in messages), messages


def test_drill_down_reaches_the_village_records(app, demo_db):
    opened(app, to="2018-12-29", township=HUAFENG)
    village_table = table(app, "村代码")
    assert len(village_table) == len(views.purchase_villages(demo_db, Filter.year_to_date(REPORT_DAY, township=HUAFENG)))
    app.selectbox(key="w_village").select("140827203216").run()
    records = table(app, "采购编号")
    flt = Filter.year_to_date(REPORT_DAY, township=HUAFENG, village="140827203216")
    assert list(records["采购编号"]) == list(views.purchase_records(demo_db, flt)["purchase_id"])
    app.button(key="crumb_1").click().run()
    assert app.session_state["w_village"] is None and app.session_state["w_township"] == HUAFENG
    app.button(key="crumb_0").click().run()
    assert app.session_state["w_township"] is None


def test_english_labels(app):
    shown = tiles(opened(app, to="2018-12-29", lang="en"))
    assert shown["Purchase amount"] == fmt.money(41_546_318.27, lang="en")
    assert "Lab sampling" in shown and "采购金额" not in shown


def test_briefing_text_is_the_cli_brief(app, demo_db):
    opened(app, "briefing", to="2018-12-29")
    expected = brief.render_text(brief.build(demo_db, REPORT_DAY))
    assert any(t.value == expected for t in app.text)


def test_records_pages_through_the_purchases(app, demo_db):
    opened(app, "purchases", to="2018-12-29", township=HUAFENG)
    first = table(app, "采购编号")
    app.number_input(key="w_page").set_value(2).run()
    second = table(app, "采购编号")
    flt = Filter.year_to_date(REPORT_DAY, township=HUAFENG)
    assert list(second["采购编号"]) == list(views.purchase_records(demo_db, flt, page=1)["purchase_id"])
    assert not set(first["采购编号"]) & set(second["采购编号"])
    assert app.query_params["page"] == "2"


def test_an_open_session_follows_a_new_current_snapshot(tmp_path, monkeypatch, tiny_tables_data):
    from conftest import write_snapshot
    from fupin.snapshots import SnapshotStore
    store = SnapshotStore(tmp_path)
    first = write_snapshot(store, tiny_tables_data)
    monkeypatch.setenv("FUPIN_DATA", str(tmp_path))
    app = AppTest.from_file(APP, default_timeout=120)
    opened(app, to="2018-12-29")
    assert app.session_state["w_snap"] == first.id
    second = write_snapshot(store, tiny_tables_data, as_of=dt.date(2019, 1, 31))
    app.run()
    assert app.session_state["w_snap"] == second.id, "an import moved CURRENT: the open view moves with it"
    app.selectbox(key="w_snap").select(first.id).run()
    app.run()
    assert app.session_state["w_snap"] == first.id and app.query_params["snap"] == first.id


def test_purchases_tiles_compare_with_last_year(app):
    opened(app, "purchases", to="2018-12-29")
    amount = next(m for m in app.metric if m.label == "采购金额")
    assert amount.value == "4154.6万元" and amount.delta == "+34.2%"


def test_inspections_list_the_failed_items(app, demo_db):
    opened(app, "inspections", to="2018-12-29")
    shown = table(app, "不合格项目")
    expected = demo_db.run_filtered("inspection_failed_items", Filter.year_to_date(REPORT_DAY))
    assert shown["不合格批次"].sum() == expected["failed"].sum() == demo_db.run_filtered(
        "inspection_totals", Filter.year_to_date(REPORT_DAY))["failed"].iloc[0]


def test_first_start_on_an_empty_data_folder_generates_the_demo(tmp_path, monkeypatch):
    from fupin.snapshots import SnapshotStore
    monkeypatch.setenv("FUPIN_DATA", str(tmp_path))
    app = opened(AppTest.from_file(APP, default_timeout=300), to="2018-12-29")
    assert SnapshotStore(tmp_path).current().manifest["source"]["kind"] == "demo"
    assert tiles(app)["采购金额"] == "4154.6万元"
