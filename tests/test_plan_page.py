"""The 任务与投入 page through AppTest: the seeds' figures on its tiles and tables, filters kept in the URL, a task's
text on click, a group's counties side by side, English, and township staff seeing their own township only."""

import datetime as dt

import pytest
from conftest import app_tiles, own_data_folder, page_warnings, settled, sign_in
from streamlit.testing.v1 import AppTest

from fupin.query.filters import Filter
from fupin.report import tasks_inputs
from fupin.settings import PROJECT_ROOT

APP = str(PROJECT_ROOT / "tests" / "app_entry.py")
TIEXI, PINGXI = "220302", "220302200"
END_2020 = dt.date(2020, 12, 31)


@pytest.fixture
def app(demo_store, monkeypatch):
    monkeypatch.setenv("FUPIN_DATA", str(demo_store.root))
    return AppTest.from_file(APP, default_timeout=120)


def opened(app: AppTest, **params) -> AppTest:
    """The page opened on a link with these query parameters, drawn whole."""
    for key, value in params.items():
        app.query_params[key] = value
    app.run()
    app.switch_page("../pages/plan.py")
    settled(app.run())
    assert not app.exception, app.exception
    assert not app.error and not page_warnings(app), ([e.value for e in app.error], page_warnings(app))
    return app


# A column each table has and no other table on the page has.
TABLE_COLUMNS = {"table_tasks": "任务内容", "table_task_units": "逾期任务序号", "table_counties": "结对乡镇",
                 "table_pairings": "结对方式", "table_unit_years": "活动(次)", "table_industries": "覆盖村数"}


def frame(app: AppTest, key: str):
    """The table of this widget key (AppTest gives tables no key): the one with its column."""
    column = TABLE_COLUMNS[key]
    return next(d.value for d in app.dataframe if column in d.value.columns)


@pytest.mark.parametrize("scope_code, day", [(TIEXI, "2020-12-31"), ("samr", "2020-12-31"), ("611002", "2019-12-31"),
                                              ("140827", "2018-12-29")])
def test_the_page_runs_for_every_kind_of_scope(app, scope_code, day):
    at = opened(app, scope=scope_code, to=day)
    assert at.title[0].value.endswith("任务与投入")


def test_tiexis_tasks_on_the_tiles_and_in_the_tables(app, demo_db):
    at = opened(app, scope=TIEXI, to="2020-12-31")
    counts = tasks_inputs.tasks(demo_db, Filter.year_to_date(END_2020, counties=(TIEXI,))).counts()
    tiles = app_tiles(at)
    assert tiles["任务总数"] == "47项" and tiles["逾期未完成"] == f"{counts['overdue']}项"
    assert tiles["已完成任务"] == f"{counts['done']}项"
    assert len(frame(at, "table_tasks")) == 47
    units = frame(at, "table_task_units")
    assert list(units["逾期未完成"]) == sorted(units["逾期未完成"], reverse=True)
    assert [s.value for s in at.subheader][:1] == ["任务督办"]


def test_the_task_filters_are_in_the_url_and_a_click_shows_the_task(app, demo_db):
    at = opened(app, scope=TIEXI, to="2020-12-31", tasks="overdue", unit="区商务局")
    listed = frame(at, "table_tasks")
    rows = tasks_inputs.tasks(demo_db, Filter.year_to_date(END_2020, counties=(TIEXI,))).rows
    expected = rows[rows["overdue"] & rows["lead_units"].str.split("、").map(lambda u: "区商务局" in u)]
    assert sorted(listed["任务序号"]) == sorted(expected["task_no"]) and len(listed) > 0
    assert at.query_params["tasks"] == "overdue" and at.query_params["unit"] == "区商务局"
    at.session_state["table_tasks"] = {"selection": {"rows": [0], "columns": []}}
    at.run()
    first = int(listed["任务序号"].iloc[0])
    assert at.query_params["task"] == f"{TIEXI}-{first}"
    detail = " ".join(m.value for m in at.markdown)
    assert f"第{first}项任务" in detail
    assert rows.set_index("task_no").at[first, "task_text"] in [m.value for m in at.markdown]


def test_a_task_in_the_link_opens_its_text(app):
    at = opened(app, scope=TIEXI, to="2020-12-31", task=f"{TIEXI}-17")
    texts = [m.value for m in at.markdown]
    assert any(text.startswith("建立贫困村农产品滞销预警机制") for text in texts)
    assert any("滞销预警机制" in text and "进展情况" in text for text in texts)


def test_a_group_sees_its_counties_side_by_side_and_the_seed_figures(app):
    at = opened(app, scope="samr", to="2020-12-31")
    counties = frame(at, "table_counties")
    assert set(counties["县（区）"]) == {"礼县", "抚远市", "同江市"}
    assert counties["结对乡镇"].sum() == 49
    assert len(frame(at, "table_pairings")) == 68
    assert frame(at, "table_unit_years")["活动(次)"].sum() == 114
    assert app_tiles(at)["结对乡镇"] == "49个"
    cumulative = app_tiles(at)["帮扶资金"]
    period = opened(AppTest.from_file(APP, default_timeout=120), scope="samr", to="2020-12-31", span="period")
    assert app_tiles(period)["帮扶资金"] != cumulative


def test_the_unvisited_pairings_are_one_click_from_the_attention_list(app, demo_db):
    at = opened(app, scope="samr", county="621226", to="2020-12-31", pairs="unvisited")
    listed = frame(at, "table_pairings")
    towns = demo_db.run("pairing_townships", counties=["621226"], township=None, date_to=END_2020)
    waiting = towns[(towns["paired_units"] > 0) & (towns["visits_this_year"] == 0)]
    assert set(listed["乡镇"]) == set(waiting["township_name"]) and len(listed) > 0


def test_shangzhous_industries(app):
    at = opened(app, scope="611002", to="2019-12-31")
    industries = frame(at, "table_industries").set_index("行业")
    assert industries.at["光伏", "贫困户数"] == 20547 and industries.at["食用菌", "贫困户数"] == 16322
    assert industries.at["光伏", "覆盖村数"] == 124 and "62.7 MW" in industries.at["光伏", "规模"]
    assert app_tiles(at)["帮扶资金"] == "8.40亿元"


def test_english(app):
    at = opened(app, scope=TIEXI, to="2020-12-31", lang="en")
    assert at.title[0].value.endswith("Plan and inputs")
    assert "Task supervision" in [s.value for s in at.subheader]
    assert app_tiles(at)["Tasks"] == "47", "an English count tile: the short label says what is counted (issue 23)"
    assert "Status" in next(d.value for d in at.dataframe if "Task text" in d.value.columns).columns


def test_township_staff_see_the_tasks_naming_their_township(demo_store, demo_db, tmp_path, monkeypatch):
    data_dir = own_data_folder(demo_store, tmp_path)
    monkeypatch.setenv("FUPIN_DATA", str(data_dir))
    at = AppTest.from_file(APP, default_timeout=120)
    sign_in(at, data_dir, "township", PINGXI, name="pingxi")
    at.query_params["to"] = "2020-12-31"
    settled(at.run())
    at.switch_page("../pages/plan.py")
    settled(at.run())
    assert not at.exception and not at.error, [e.value for e in at.error]
    listed = frame(at, "table_tasks")
    own = tasks_inputs.tasks(demo_db, Filter.year_to_date(END_2020, counties=(TIEXI,), township=PINGXI)).rows
    assert sorted(listed["任务序号"]) == sorted(own["task_no"]) and 0 < len(own) < 47
    assert all("平西乡" in f"{lead}{support}" for lead, support in zip(own["lead_units"], own["support_units"]))


def test_an_overdue_line_of_the_overview_opens_the_units_overdue_tasks(app, demo_db):
    for key, value in {"scope": TIEXI, "to": "2020-12-31"}.items():
        app.query_params[key] = value
    settled(app.run())
    lines = [b for b in app.button if b.key.startswith("attention_") and "逾期未完成任务" in b.label]
    assert lines, [b.label for b in app.button]
    unit = lines[0].label.split("逾期未完成任务")[0]
    lines[0].click().run()
    settled(app)
    assert not app.exception and app.title[0].value.endswith("任务与投入")
    assert app.session_state["tasks"] == "overdue" and app.session_state["unit"] == unit
    listed = frame(app, "table_tasks")
    rows = tasks_inputs.tasks(demo_db, Filter.year_to_date(END_2020, counties=(TIEXI,))).rows
    mine = rows[rows["overdue"] & rows["lead_units"].str.split("、").map(lambda units: unit in units)]
    assert sorted(listed["任务序号"]) == sorted(mine["task_no"])
