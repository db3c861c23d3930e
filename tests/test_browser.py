"""The dashboard in a real browser: what a person sees, clicks and downloads, with the network closed.

One Streamlit server runs `app.py` (the st.App) on a demo snapshot for this module; Chromium (Debian's, headless) visits it in
contexts that abort every request leaving the machine. Screenshots of every page go to artifacts/screenshots/.
With FUPIN_DOCS_SCREENSHOT=1 the overview test also rewrites docs/overview.png, the README's picture.
"""

import csv
import datetime as dt
import html
import io
import os
import re
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from browser import (
    Visitor,
    assert_no_exception,
    capture,
    choose,
    click_area,
    map_points,
    pdf_pages,
    selectbox,
    streamlit_server,
    tiles,
    wait_idle,
)
from conftest import read_tile
from oracle import headline
from PIL import Image
from playwright.sync_api import expect

from fupin.demo import build_demo
from fupin.query.db import SnapshotDB
from fupin.query.filters import Filter
from fupin.report import brief, labels, page_data
from fupin.report.metrics import metric
from fupin.settings import PROJECT_ROOT
from fupin.store.store import SnapshotStore
from fupin.text import fmt
from fupin.text.i18n import t

pytestmark = [pytest.mark.browser, pytest.mark.server]

YUANQU = ("140827",)

AS_OF = dt.date(2018, 12, 29)
YEAR_START = dt.date(2018, 1, 1)
HUAFENG, HUAFENG_NAME = "140827203", "华峰乡"
VIEWPORT = {"width": 1440, "height": 2600}
SCREENSHOTS = PROJECT_ROOT / "artifacts" / "screenshots"
DOCS_PICTURE = PROJECT_ROOT / "docs" / "overview.png"
DOCS_PICTURE_MAX_BYTES = 500 * 1024

# The 2018 figures of the Yuanqu report, as the overview's tiles show them on 2018-12-29.
SEED_TILES = {"采购金额": "4154.6万元", "采购数量": "1146.4万公斤", "其中贫困村": "2775.3万元",
              "抽样检验": "746批次", "快速检测": "606批次", "今年新增合作社": "134户"}
RECORD_HEADERS = ["采购编号", "采购日期", "采购单位", "采购单位类型", "渠道", "供货方类型", "供货方",
                  "供货方统一社会信用代码", "乡镇", "村", "是否贫困村", "产品类别", "产品", "数量(公斤)",
                  "金额(元)"]
NO_DATA = "当前筛选条件下没有数据"


# Everything lives as long as this module: the server's CPU is free for the tests that follow, and Playwright's
# sync API, which keeps an asyncio loop running in this thread, is gone before any test calls asyncio.run.
@pytest.fixture(scope="module")
def browser_store(tmp_path_factory) -> SnapshotStore:
    """垣曲县's demo snapshot, the server's own (so nothing else in the session can change what it shows); one county
    until the pages take a county scope (issue 10)."""
    store = SnapshotStore(tmp_path_factory.mktemp("browser_data"))
    build_demo(store)
    return store


@pytest.fixture(scope="module")
def db(browser_store) -> SnapshotDB:
    database = SnapshotDB(browser_store.current())
    yield database
    database.close()


@pytest.fixture(scope="module")
def app_url(browser_store, tmp_path_factory) -> str:
    log = tmp_path_factory.mktemp("streamlit_log") / "streamlit.log"
    with streamlit_server(PROJECT_ROOT, browser_store.root, log) as url:
        yield url


@pytest.fixture
def visitor(chromium, app_url):
    """Make a new visitor (browser context); afterwards, none of them may have tried to reach the internet."""
    visitors = []

    def make() -> Visitor:
        visitors.append(Visitor(chromium, app_url, VIEWPORT))
        return visitors[-1]

    yield make
    for one in visitors:
        one.context.close()
    assert [url for one in visitors for url in one.blocked] == [], "requests to the internet"
    assert [error for one in visitors for error in one.page_errors] == [], "script errors in the page"


def query(**params) -> str:
    return "?" + urlencode(params)


def url_params(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def expected_tiles(db: SnapshotDB, flt: Filter, lang: str = "zh") -> dict[str, str]:
    """The overview's six tiles for a filter, computed from the engine: the money tiles in one unit, chosen from the
    largest amount or target they show."""
    head = headline(db, flt)
    p, i, c = head.purchases, head.inspections, head.cooperatives
    shown = [p["amount_yuan"], p["poor_village_amount_yuan"],
             *(t.target for t in head.targets if t.metric in ("purchase_amount_yuan", "poor_village_amount_yuan"))]
    yuan = fmt.unit_for("yuan", shown)
    kg = fmt.unit_for("kg", [p["weight_kg"], *(t.target for t in head.targets if t.metric == "purchase_weight_kg")])
    return {
        t("purchase_amount", lang): yuan.text(p["amount_yuan"], lang),
        t("purchase_weight", lang): kg.text(p["weight_kg"], lang),
        t("poor_village_amount", lang): yuan.text(p["poor_village_amount_yuan"], lang),
        t("lab_batches", lang): counted("lab_batches", i["lab_batches"], lang),
        t("rapid_tests", lang): counted("rapid_test_batches", i["rapid_test_batches"], lang),
        t("new_cooperatives", lang): counted("new_cooperatives", c["cooperatives_new"], lang),
    }


def counted(name: str, value: float, lang: str) -> str:
    """A count tile as read: its number with the unit its heading names (none where the label says it: New
    cooperatives, not New cooperatives (cooperatives))."""
    number, unit = metric(name).parts(value, lang)
    return read_tile(metric(name).heading(unit, lang), number)[1]


# First on purpose: it is the fresh server's first visit. Streamlit runs a process's first run with its folder-based
# navigation when pages/ sits beside main.py, straight into the page script; the frame then restarts the run through
# st.navigation with the link's parameters, so the page, its filters and the next click all hold.
def test_a_deep_link_opened_first_on_a_fresh_server_lands_on_its_page(visitor, db):
    page = visitor().open("/purchases" + query(to=AS_OF.isoformat(), township=HUAFENG, buyer_type="supermarket"))
    expect(page.locator("h1")).to_have_text(f"垣曲县 · {HUAFENG_NAME} 采购")
    expect(selectbox(page, "采购单位类型")).to_have_value("商超")
    flt = Filter.year_to_date(AS_OF, counties=YUANQU, township=HUAFENG, buyer_type="supermarket")
    assert tiles(page)["采购金额"] == fmt.money(headline(db, flt).purchases["amount_yuan"])
    page.get_by_role("link", name="总览").click()
    expect(page.locator("h1")).to_have_text(f"垣曲县 · {HUAFENG_NAME} 总览")
    wait_idle(page)
    assert_no_exception(page)
    assert tiles(page) == expected_tiles(db, flt)
    params = url_params(page)
    assert (params.get("township"), params.get("buyer_type"), params.get("to")) == (
        HUAFENG, "supermarket", AS_OF.isoformat())


def test_a_new_visitor_sees_the_tiles_first_and_the_map_and_charts_follow_unasked(visitor, db):
    page = visitor().open("/" + query(to=AS_OF.isoformat()))
    seen = page.evaluate("() => window.__firstSeen")
    assert seen["tile"] < seen["chart"], "the tiles came in a run of their own, before plotly.js was needed"
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 3, "the map, the trend and the schedule"
    expect(page.get_by_text(t("overview_loading", "zh"))).to_have_count(0)
    assert tiles(page) == expected_tiles(db, Filter.year_to_date(AS_OF, counties=YUANQU))


def test_english_then_every_page_and_back_to_chinese(visitor):
    page = visitor().open("/" + query(to=AS_OF.isoformat(), township=HUAFENG))
    page.locator('[data-testid="stSidebar"]').get_by_role("radio", name="English").click()
    expect(page.locator("h1")).to_have_text(f"垣曲县 · {HUAFENG_NAME} Overview")
    for title, path in (("Purchases", "purchases"), ("Inspections", "inspections"), ("Cooperatives", "cooperatives"),
                        ("Warnings", "warnings"), ("Briefing", "briefing"), ("Import", "import"), ("Overview", "")):
        page.locator('[data-testid="stTopNavLink"]').filter(has=page.get_by_text(title, exact=True)).click()
        expect(page).to_have_url(re.compile(rf"/{path}\?(.*&)?lang=en"))   # written when the page's run ends
        wait_idle(page)
        assert_no_exception(page)
        expect(page.locator('[data-testid="stAlert"]', has_text="wrong")).to_have_count(0)
        assert url_params(page).get("township") == HUAFENG, title
    page.locator('[data-testid="stSidebar"]').get_by_role("radio", name="中文").click()
    expect(page.locator("h1")).to_have_text(f"垣曲县 · {HUAFENG_NAME} 总览")
    page.locator('[data-testid="stTopNavLink"]', has_text="采购").click()
    expect(page.locator("h1")).to_have_text(f"垣曲县 · {HUAFENG_NAME} 采购")
    expect(page).to_have_url(re.compile(r"/purchases\?.*to=2018-12-29"))
    wait_idle(page)
    assert_no_exception(page)
    assert url_params(page).get("to") == AS_OF.isoformat()


def test_a_bad_link_says_what_it_ignored(visitor):
    page = visitor().open("/purchases" + query(to="2018-02-30", page="²", township="999999999"))
    notice = page.locator('[data-testid="stAlert"]', has_text="已忽略")
    expect(notice).to_be_visible()
    for named in ("链接中的截至日期 2018-02-30", "链接中的页码 ² 超出范围", "链接中的乡镇代码 999999999 不在本县"):
        expect(notice).to_contain_text(named)
    expect(page.locator("h1")).to_have_text("垣曲县 采购")


def test_the_six_tiles_are_whole_on_an_office_laptop(chromium, app_url):
    guest = Visitor(chromium, app_url, {"width": 1366, "height": 768})
    try:
        page = guest.open("/" + query(to=AS_OF.isoformat()))
        metrics = page.locator('[data-testid="stMetric"]')
        expect(metrics).to_have_count(6)
        for metric in metrics.all():
            assert metric.is_visible()
            box = metric.bounding_box()
            assert box["y"] + box["height"] <= 768, "every tile on the first screen"
        cut = page.evaluate("""() => [...document.querySelectorAll(
                '[data-testid="stMetric"] *, [data-testid="stCaptionContainer"], [data-testid="stButtonGroup"] button,'
                + ' [data-testid="stSidebar"] [data-baseweb="select"] div')]
            .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflow !== 'visible')
            .map(e => e.textContent)""")
        assert cut == [], f"text cut at 1366 px: {cut}"
        headings = [m.locator('[data-testid="stMetricLabel"]').inner_text() for m in metrics.all()]
        assert headings == ["采购金额（万元）", "采购数量（万公斤）", "其中贫困村（万元）", "抽样检验（批次）",
                            "快速检测（批次）", "今年新增合作社（户）"], "each unit in its tile's heading"
        assert tiles(page) == SEED_TILES
        page.screenshot(path=str(SCREENSHOTS / "overview_1366x768.png"))
    finally:
        guest.context.close()
    assert guest.blocked == [] and guest.page_errors == []


def test_a_line_of_what_needs_attention_opens_the_view_that_shows_it(visitor):
    page = visitor().open("/" + query(to=AS_OF.isoformat()))
    panel = page.locator(".st-key-attention")
    tiles_box = page.locator(".st-key-tile_rapid_test_batches").bounding_box()
    box = panel.bounding_box()
    assert box["y"] + box["height"] <= tiles_box["y"] + tiles_box["height"] + 60, "no taller than the tiles"
    first = panel.locator("button").first
    expect(first).to_contain_text("王茅镇落后序时进度")
    first.click()
    expect(page.locator("h1")).to_have_text("垣曲县 · 王茅镇 总览")
    wait_idle(page)
    assert_no_exception(page)
    assert url_params(page).get("to") == AS_OF.isoformat()


def test_the_unsold_warnings_link_opens_the_list_it_counts(visitor, db):
    open_warnings = page_data.unsold_warnings(db, Filter(YEAR_START, AS_OF, counties=YUANQU))
    assert len(open_warnings) > 0, "the demo has open warnings on the report day"
    page = visitor().open("/" + query(to=AS_OF.isoformat()))
    link = page.locator(".st-key-attention a", has_text="滞销预警").first   # a link with help: two anchors
    expect(link).to_contain_text(f"滞销预警 {len(open_warnings)}")
    link.click()
    expect(page.locator("h1")).to_have_text("垣曲县 预警")
    wait_idle(page)
    assert_no_exception(page)
    expect(page.get_by_text(f"共 {len(open_warnings)} 条")).to_be_visible()
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 1, "the warnings map"
    assert url_params(page).get("to") == AS_OF.isoformat(), "the filters kept"


def test_clicking_a_township_on_the_map_drills_down(visitor, db):
    page = visitor().open("/" + query(to=AS_OF.isoformat(), metric="purchase_amount_yuan"))
    county = tiles(page)["采购金额"]
    points = map_points(page, HUAFENG_NAME)
    assert points, "no clickable point of 华峰乡 on the map"
    assert {p["code"] for p in points} == {HUAFENG}
    point = points[len(points) // 2]
    page.mouse.click(point["x"], point["y"])

    expect(page.locator("h1")).to_have_text(f"垣曲县 · {HUAFENG_NAME} 总览")
    wait_idle(page)
    assert_no_exception(page)
    expect(selectbox(page, "乡镇")).to_have_value(HUAFENG_NAME)
    params = url_params(page)
    assert params.get("township") == HUAFENG
    assert params.get("to") == AS_OF.isoformat() and "from" not in params
    amount = headline(db, Filter.year_to_date(AS_OF, counties=YUANQU, township=HUAFENG)).purchases["amount_yuan"]
    assert tiles(page)["采购金额"] == fmt.money(amount) != county
    expect(page.get_by_role("heading", name=f"{HUAFENG_NAME} · 各村采购")).to_be_visible()


SAMR = ("230881", "230883", "621226")
SAMR_NAME, LIXIAN = "市场监管总局定点帮扶县", "礼县"


def test_portfolio_map_drills_to_a_county_township_village_and_back(visitor, db):
    page = visitor().open("/" + query(to=AS_OF.isoformat(), scope="samr", metric="purchase_amount_yuan"))
    expect(page.locator("h1")).to_have_text(f"{SAMR_NAME} 总览")
    group = Filter.year_to_date(AS_OF, counties=SAMR)
    assert tiles(page) == expected_tiles(db, group), "the group's tiles are its counties' sums"
    with page.expect_download() as info:
        page.locator(".st-key-csv_ranking button").click()
    rows = list(csv.reader(io.StringIO(info.value.path().read_bytes().decode("utf-8-sig"), newline="")))
    ranked = page_data.ranking(page_data.county_summary(db, group).pipe(page_data.with_progress, group))
    assert [row[1] for row in rows[1:]] == list(ranked["county_name"]) and len(rows) == 4

    assert click_area(page, LIXIAN) == "621226"
    expect(page.locator("h1")).to_have_text(f"{SAMR_NAME} · {LIXIAN} 总览")
    wait_idle(page)
    assert_no_exception(page)
    county = Filter.year_to_date(AS_OF, counties=("621226",))
    assert tiles(page) == expected_tiles(db, county)
    towns = page_data.township_summary(db, county)
    town = towns[towns["amount_yuan"] > 0].iloc[0]
    assert click_area(page, town["township_name"]) == town["township_code"]
    expect(page.locator("h1")).to_have_text(f"{SAMR_NAME} · {LIXIAN} · {town['township_name']} 总览")
    wait_idle(page)
    township = Filter.year_to_date(AS_OF, counties=("621226",), township=town["township_code"])
    assert tiles(page) == expected_tiles(db, township)
    village = page_data.purchase_villages(db, township).iloc[0]
    choose(page, "村", village["village_name"])
    expect(page.get_by_role("heading", name=f"{village['village_name']} · 采购明细")).to_be_visible()
    wait_idle(page)
    assert_no_exception(page)
    capture(page, SCREENSHOTS / "portfolio_village.png")

    page.locator(".st-key-crumb_1 button").click()
    expect(page.locator("h1")).to_have_text(f"{SAMR_NAME} · {LIXIAN} 总览")
    wait_idle(page)
    page.locator(".st-key-crumb_0 button").click()
    expect(page.locator("h1")).to_have_text(f"{SAMR_NAME} 总览")
    wait_idle(page)
    assert_no_exception(page)
    assert url_params(page).get("scope") == "samr" and "county" not in url_params(page)
    capture(page, SCREENSHOTS / "portfolio.png")


def test_overview_tiles_show_the_seed_figures(visitor):
    page = visitor().open("/" + query(to=AS_OF.isoformat()))
    expect(page.locator("h1")).to_have_text("垣曲县 总览")
    assert tiles(page) == SEED_TILES


def test_map_draws_township_areas_and_names_offline(visitor):
    guest = visitor()
    page = guest.open("/" + query(to=AS_OF.isoformat()))
    plot = page.locator('[data-testid="stPlotlyChart"]').filter(
        has=page.locator(".annotation-text", has_text=HUAFENG_NAME))
    expect(plot).to_have_count(1)
    names = plot.locator(".annotation-text").all_text_contents()
    for name in ("华峰乡", "新城镇", "历山镇", "解峪乡", "英言乡"):
        assert any(text.startswith(name) for text in names), name
    expect(plot.locator(".annotation-text", has_text=HUAFENG_NAME)).to_be_visible()
    filled = plot.locator(".scatterlayer .trace .fills path")
    assert filled.count() >= 11, "township polygons"
    assert guest.blocked == []


def test_sidebar_choices_make_a_link_that_reopens_the_same_view(visitor, db):
    page = visitor().open("/" + query(to=AS_OF.isoformat()))
    choose(page, "乡镇", HUAFENG_NAME)
    expect(page.locator("h1")).to_have_text(f"垣曲县 · {HUAFENG_NAME} 总览")
    wait_idle(page)
    choose(page, "采购单位类型", "商超")
    expect(page).to_have_url(re.compile(r"[?&]buyer_type=supermarket(&|$)"))
    wait_idle(page)
    assert_no_exception(page)
    shown = tiles(page)
    flt = Filter.year_to_date(AS_OF, counties=YUANQU, township=HUAFENG, buyer_type="supermarket")
    assert shown == expected_tiles(db, flt)
    assert shown["采购金额"] != SEED_TILES["采购金额"]
    link = page.url
    params = url_params(page)
    assert params["township"] == HUAFENG and params["to"] == AS_OF.isoformat()

    again = visitor().open(link)
    expect(again.locator("h1")).to_have_text(f"垣曲县 · {HUAFENG_NAME} 总览")
    expect(selectbox(again, "采购单位类型")).to_have_value("商超")
    assert tiles(again) == shown


def test_purchase_records_csv_holds_every_record_of_the_filter(visitor, db):
    page = visitor().open("/purchases" + query(to=AS_OF.isoformat(), township=HUAFENG))
    with page.expect_download() as info:   # the app's download route streams it
        page.locator(".st-key-csv_records a", has_text="下载 CSV").click()
    download = info.value
    data = download.path().read_bytes()

    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == RECORD_HEADERS
    flt = Filter.year_to_date(AS_OF, counties=YUANQU, township=HUAFENG)
    totals = db.run_filtered("purchase_totals", flt).iloc[0]
    assert len(rows) - 1 == int(totals["records"]) == len(page_data.purchase_records(db, flt, rows=None))
    column = dict(zip(RECORD_HEADERS, range(len(RECORD_HEADERS))))
    assert {row[column["乡镇"]] for row in rows[1:]} == {HUAFENG_NAME}
    dates = [row[column["采购日期"]] for row in rows[1:]]
    assert min(dates) >= YEAR_START.isoformat() and max(dates) <= AS_OF.isoformat()
    assert sum(float(row[column["金额(元)"]]) for row in rows[1:]) == pytest.approx(totals["amount_yuan"], abs=1)
    assert re.fullmatch(r"采购明细_(垣曲县_)?华峰乡_2018-01-01_2018-12-29\.csv", download.suggested_filename)


def test_villages_csv_of_a_drilled_township(visitor, db):
    page = visitor().open("/" + query(to=AS_OF.isoformat(), township=HUAFENG))
    with page.expect_download() as info:
        page.locator(".st-key-csv_villages button").click()
    download = info.value
    data = download.path().read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    villages = page_data.purchase_villages(db, Filter.year_to_date(AS_OF, counties=YUANQU, township=HUAFENG))
    assert len(rows) - 1 == len(villages) > 0
    assert {"村代码", "村", "金额(元)"} <= set(rows[0])
    assert re.fullmatch(r"各村采购_(垣曲县_)?华峰乡_2018-01-01_2018-12-29\.csv", download.suggested_filename)


@pytest.mark.parametrize("path, charts", [("/purchases", 0), ("/", 1)], ids=["purchases", "overview"])
def test_empty_result_shows_the_plain_message_and_no_chart(visitor, db, path, charts):
    flt = Filter(dt.date(2018, 6, 1), dt.date(2018, 6, 3), counties=YUANQU, township=HUAFENG, product_category="蜂产品")
    assert db.run_filtered("purchase_totals", flt).iloc[0]["records"] == 0, "the demo data changed"
    page = visitor().open(path + query(**{"from": "2018-06-01", "to": "2018-06-03", "township": HUAFENG,
                                          "product_category": "蜂产品"}))
    expect(selectbox(page, "产品类别")).to_have_value("蜂产品")
    expect(page.locator('[data-testid="stAlert"]', has_text=NO_DATA).first).to_be_visible()
    # Only the overview's county map stays: it shows every township whatever the filter.
    expect(page.locator('[data-testid="stPlotlyChart"]')).to_have_count(charts)


def test_english_switch_labels_the_tiles_in_english(visitor, db):
    page = visitor().open("/" + query(to=AS_OF.isoformat(), lang="en"))
    expect(page.locator("h1")).to_have_text("垣曲县 Overview")
    shown = tiles(page)
    assert shown == expected_tiles(db, Filter.year_to_date(AS_OF, counties=YUANQU), lang="en")
    assert list(shown)[:3] == ["Purchases", "Purchase weight", "Poor villages"]
    assert not any(re.search(r"[\u4e00-\u9fff]", label) for label in shown)


def test_briefing_html_opens_offline_and_prints_on_a4(visitor, db, tmp_path):
    page = visitor().open("/briefing" + query(to=AS_OF.isoformat()))
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile("下载简报")).click()
    download = info.value
    assert download.suggested_filename == "简报_垣曲县_2018-12-29.html"
    document = download.path().read_bytes().decode("utf-8")
    assert document.lstrip().lower().startswith("<!doctype html>") and document.rstrip().endswith("</html>")
    text = brief.render_text(brief.build(db, Filter.year_to_date(AS_OF, counties=YUANQU), "140827", "垣曲县"))
    title, *lines = [re.sub(r"^\d+\. ", "", line) for line in text.splitlines() if line.strip()]
    assert title == "垣曲县消费帮扶工作简报（截至2018年12月29日）", "the page has its own title and dates"
    assert lines[0] == "一、需要关注的问题" and len(lines) > 5
    assert [line for line in lines if html.escape(line) not in document] == [], "every line of the text brief"
    assert re.search(r"plotly\.js v\d", document), "plotly.js is not inlined"
    assert not re.search(r"<script[^>]+src=", document), "a script loads from elsewhere"

    saved = tmp_path / "briefing.html"
    saved.write_text(document, encoding="utf-8")
    offline = visitor()
    sheet = offline.new_page()
    sheet.set_viewport_size({"width": 900, "height": 1200})
    sheet.goto(saved.as_uri())
    expect(sheet.locator(".plot-container")).to_have_count(2)
    expect(sheet.locator(".main-svg").first).to_be_visible()
    # 华峰乡 is small: on the briefing's 360 px high map its label may lose its 乡 (fupin.report.labels)
    named = re.compile(f"^{labels.short_name(HUAFENG_NAME)}")
    expect(sheet.locator(".annotation-text:visible", has_text=named)).to_have_count(1)
    capture_path = SCREENSHOTS / "briefing_download.png"
    capture_path.parent.mkdir(parents=True, exist_ok=True)
    sheet.screenshot(path=str(capture_path), full_page=True)
    pdf = sheet.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    (SCREENSHOTS.parent / "briefing.pdf").write_bytes(pdf)
    assert 1 <= pdf_pages(pdf) <= 2
    assert offline.blocked == []


# name, path, title, fewest charts the page draws
PAGES = [
    ("overview_county", "/" + query(to=AS_OF.isoformat()), "垣曲县 总览", 3),
    ("overview_township", "/" + query(to=AS_OF.isoformat(), township=HUAFENG), f"垣曲县 · {HUAFENG_NAME} 总览", 4),
    ("purchases", "/purchases" + query(to=AS_OF.isoformat()), "垣曲县 采购", 5),
    ("inspections", "/inspections" + query(to=AS_OF.isoformat()), "垣曲县 抽检", 4),
    ("cooperatives", "/cooperatives" + query(to=AS_OF.isoformat()), "垣曲县 合作社", 2),
    ("warnings", "/warnings" + query(to=AS_OF.isoformat()), "垣曲县 预警", 1),
    ("briefing", "/briefing" + query(to=AS_OF.isoformat()), "垣曲县消费帮扶工作简报", 2),
    ("import", "/import", "导入台账", 0),
]


@pytest.mark.parametrize("name, path, title, charts", PAGES, ids=[p[0] for p in PAGES])
def test_every_page_renders_and_is_captured(visitor, name, path, title, charts):
    page = visitor().open(path)
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator('[data-testid="stAlert"]', has_text=NO_DATA)).to_have_count(0)
    assert page.locator('[data-testid="stPlotlyChart"]').count() >= charts
    capture(page, SCREENSHOTS / f"{name}.png")
    if name == "overview_county" and os.environ.get("FUPIN_DOCS_SCREENSHOT") == "1":
        write_docs_picture(SCREENSHOTS / f"{name}.png")


def write_docs_picture(source) -> None:
    """The README's picture: the overview screenshot, recompressed."""
    DOCS_PICTURE.parent.mkdir(exist_ok=True)
    with Image.open(source) as picture:
        picture.convert("RGB").save(DOCS_PICTURE, optimize=True)


def test_readme_picture_is_a_small_overview_screenshot():
    assert f"![Overview page]({DOCS_PICTURE.relative_to(PROJECT_ROOT).as_posix()})" in (
        PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert DOCS_PICTURE.stat().st_size < DOCS_PICTURE_MAX_BYTES
    with Image.open(DOCS_PICTURE) as picture:
        assert picture.format == "PNG" and picture.width == VIEWPORT["width"]
