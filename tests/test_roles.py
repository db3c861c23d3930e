"""Roles and scope: each role sees and may do exactly its row of the table, township staff get no row of another
township through any page, download, map, briefing or link, and sessions of different townships never mix."""

import datetime as dt
import threading

import pytest
from conftest import app_tiles, own_data_folder, page_warnings, settled, sign_in
from streamlit.testing.v1 import AppTest

from fupin.query import scope
from fupin.query.db import named_queries
from fupin.query.filters import Filter
from fupin.query.scoped import Allowed, OutOfScope, ScopedDB
from fupin.report import briefing, page_data
from fupin.settings import PROJECT_ROOT
from fupin.text import fmt

APP = str(PROJECT_ROOT / "tests" / "app_entry.py")
REPORT_DAY = dt.date(2018, 12, 29)
HUAFENG, XINCHENG = "140827203", "140827100"
YUANQU = ("140827",)


@pytest.fixture(scope="module")
def data_dir(demo_store, tmp_path_factory):
    """The demo snapshots in a data folder of its own, where the tests create accounts (sign-in on)."""
    return own_data_folder(demo_store, tmp_path_factory.mktemp("roles"))


@pytest.fixture
def app(data_dir, monkeypatch):
    monkeypatch.setenv("FUPIN_DATA", str(data_dir))

    def open_as(role: str, scope_code: str | None, page: str | None = None, **params) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=120)
        sign_in(at, data_dir, role, scope_code, name=f"{role}-{scope_code}")
        for key, value in {"to": REPORT_DAY.isoformat(), **params}.items():
            at.query_params[key] = value
        settled(at.run())
        if page:
            at.switch_page(f"../pages/{page}.py").run()
        assert not at.exception, at.exception
        return at
    return open_as


def keys(at: AppTest) -> set[str]:
    """The keys of the page's buttons and downloads, and its subheadings."""
    return ({e.key for e in (*at.button, *at.get("download_button")) if getattr(e, "key", None)}
            | {h.value for h in at.subheader})


# role, scope, what the import page offers: import, history, switching CURRENT, audit log
ROLES = [
    ("leader", "140827", False, False, False, False),
    ("township", HUAFENG, True, False, False, False),
    ("clerk", "140827", True, True, True, True),
    ("admin", None, True, True, True, True),
]


@pytest.mark.parametrize("role, scope_code, imports, history, switch, audit", ROLES, ids=[r[0] for r in ROLES])
def test_each_role_may_do_exactly_its_row(app, role, scope_code, imports, history, switch, audit):
    at = app(role, scope_code, "import")
    shown = keys(at)
    assert ("import_preview" in shown) == imports
    assert ("快照历史" in shown) == history
    assert ("import_set_current" in shown) == switch
    assert ("审计日志" in shown and "audit_csv" in shown) == audit
    overview = app(role, scope_code)
    assert any(f"{role}-{scope_code}" in t.value for t in overview.text), "the sidebar names the user"
    expanders = [e.label for e in overview.expander]
    assert any("乡镇边界" in label for label in expanders) == (role in ("clerk", "admin"))


def test_a_leader_of_a_group_sees_only_its_scopes(app):
    at = app("leader", "samr")
    offered = set(at.selectbox(key="scope.zh").options)
    assert offered == {"市场监管总局定点帮扶县（组）", "佳木斯市（市）", "礼县", "抚远市", "同江市"}
    assert at.title[0].value.startswith("市场监管总局定点帮扶县")


def test_township_staff_see_their_township_on_every_page(app, demo_db):
    for page in ("overview", "purchases", "inspections", "cooperatives", "warnings", "briefing"):
        at = app("township", HUAFENG, page)
        assert at.session_state["township"] == HUAFENG, page
        assert at.selectbox(key="township.zh").options == ["华峰乡"], page
        assert not at.error, (page, [e.value for e in at.error])
    purchases = app("township", HUAFENG, "purchases")
    records = next(d.value for d in purchases.dataframe if "采购日期" in d.value.columns)
    assert set(records["乡镇"]) == {"华峰乡"}
    flt = Filter.year_to_date(REPORT_DAY, counties=YUANQU, township=HUAFENG)
    expected = fmt.money(page_data.purchases(demo_db, flt).actuals["purchase_amount_yuan"])
    assert app_tiles(purchases)["采购金额"] == expected


def test_a_township_in_the_link_that_is_not_theirs_is_refused_with_a_notice(app):
    at = app("township", HUAFENG, township=XINCHENG)
    assert at.session_state["township"] == HUAFENG
    assert f"链接中的乡镇代码 {XINCHENG} 不是您账号的乡镇，已忽略" in page_warnings(at)


def test_the_guard_refuses_other_townships_and_other_counties(demo_db):
    own = ScopedDB(demo_db, Allowed(YUANQU, HUAFENG))
    other = Filter.year_to_date(REPORT_DAY, counties=YUANQU, township=XINCHENG)
    with pytest.raises(OutOfScope):
        own.run_filtered("purchase_totals", other)
    with pytest.raises(OutOfScope):
        own.run_filtered("purchase_totals", Filter.year_to_date(REPORT_DAY, counties=YUANQU))
    with pytest.raises(OutOfScope):
        ScopedDB(demo_db, Allowed(YUANQU)).run_filtered(
            "purchase_totals", Filter.year_to_date(REPORT_DAY, counties=("621226",)))
    with pytest.raises(ValueError, match="只能查看本乡镇"):
        Filter.year_to_date(REPORT_DAY, counties=YUANQU, township=XINCHENG, township_lock=HUAFENG)


def locked() -> Filter:
    return Filter.year_to_date(REPORT_DAY, counties=YUANQU, township=HUAFENG, township_lock=HUAFENG)


@pytest.mark.parametrize("name", sorted(n for n, q in named_queries().items() if "township" in q.params))
def test_every_query_township_staff_can_run_returns_only_their_township(demo_db, name):
    own = ScopedDB(demo_db, Allowed(YUANQU, HUAFENG))
    extra = {k: v for k, v in {"limit": None, "offset": 0, "per_type": 5, "only_failed": False, "search": None,
                               "metric": "purchase_amount_yuan", "year": 2018, "last_from": dt.date(2017, 1, 1),
                               "last_to": dt.date(2017, 12, 29), "within_days": 60, "idle_days": 30, "after_days": 60,
                               "under_pct": 50.0, "outlet": "140827-GUAN-01"}.items()
             if k in named_queries()[name].params}
    frame = own.run_filtered(name, locked(), **extra)
    if name in LISTING_EVERY_TOWNSHIP:   # the others' names, without figures
        others = frame[frame["township_code"].notna() & (frame["township_code"] != HUAFENG)]
        assert len(others) >= 10 and not others.select_dtypes("number").fillna(0).any().any(), name
        frame = frame.drop(others.index)
    if "township_code" in frame:
        assert set(frame["township_code"].dropna()) <= {HUAFENG}, name
    if "township_name" in frame:
        assert set(frame["township_name"].dropna()) <= {"华峰乡"}, name


# Queries that list every township of the county for the map (the others with zeros).
LISTING_EVERY_TOWNSHIP = ("purchase_by_township", "purchase_figures", "township_summary", "products_by_township")


def test_the_map_draws_other_townships_without_figures(demo_db):
    summary, level = page_data.areas(ScopedDB(demo_db, Allowed(YUANQU, HUAFENG)), locked())
    others = summary[summary["township_code"] != HUAFENG]
    assert level == "township" and len(others) >= 10
    assert others.drop(columns=["township_code", "township_name"]).isna().all().all()
    assert summary.loc[summary["township_code"] == HUAFENG, "amount_yuan"].iloc[0] > 0


def test_the_briefing_of_township_staff_names_no_other_township(demo_db):
    shown = briefing.build(ScopedDB(demo_db, Allowed(YUANQU, HUAFENG)), locked(), HUAFENG, "华峰乡",
                           county_names=scope.county_names(demo_db), township_name="华峰乡")
    others = [name for name in page_data.township_summary(demo_db, Filter.year_to_date(REPORT_DAY, counties=YUANQU))[
        "township_name"] if name != "华峰乡"]
    html = shown.html()
    text = shown.text + "\n".join(shown.attention)
    assert "华峰乡" in text and not [name for name in others if name in text]
    assert not [name for name in others if f"<b>{name}</b><br>" in html and "万元" in html.split(name, 1)[1][:40]]


def test_sessions_of_different_townships_never_see_each_others_rows(demo_db):
    towns = demo_db.run("township_options", year=2018, counties=list(YUANQU))["township_code"].tolist()
    assert len(towns) >= 8
    names = dict(demo_db.run("township_options", year=2018, counties=list(YUANQU))[["township_code", "township_name"]].values)
    start, failures, seen = threading.Barrier(len(towns)), [], {}

    def session(code: str) -> None:
        try:
            guard = ScopedDB(demo_db, Allowed(YUANQU, code))
            flt = Filter.year_to_date(REPORT_DAY, counties=YUANQU, township=code, township_lock=code)
            start.wait(timeout=60)
            for _ in range(3):
                records = page_data.purchase_records(guard, flt, rows=200)
                villages = page_data.purchase_villages(guard, flt)
                summary, _ = page_data.areas(guard, flt)
                seen.setdefault(code, []).append((set(records["township_name"].dropna()),
                                                  set(villages["township_code"]),
                                                  set(summary.dropna(subset=["amount_yuan"])["township_code"])))
        except BaseException as e:
            failures.append(e)

    threads = [threading.Thread(target=session, args=(code,)) for code in towns]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not failures, failures
    for code, runs in seen.items():
        for record_towns, village_towns, mapped in runs:
            assert record_towns <= {names[code]} and village_towns <= {code} and mapped <= {code}
