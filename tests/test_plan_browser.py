"""The 任务与投入 page in a real browser with the network closed: 铁西区's tasks, a task's text on a click of its row,
the tasks CSV, the page in English, and the regulator's group with its pairing map. Screenshots go to
artifacts/screenshots/."""

import csv
import io
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from browser import Visitor, capture, streamlit_server, tiles, wait_idle
from conftest import own_data_folder
from playwright.sync_api import expect

from fupin.settings import PROJECT_ROOT

pytestmark = [pytest.mark.browser, pytest.mark.server]

VIEWPORT = {"width": 1440, "height": 2200}
SCREENSHOTS = PROJECT_ROOT / "artifacts" / "screenshots"
ROW_PX = 35   # a table row's height, and its header's


@pytest.fixture(scope="module")
def app_url(demo_store, tmp_path_factory):
    data_dir = own_data_folder(demo_store, tmp_path_factory.mktemp("plan_browser"))
    log = tmp_path_factory.mktemp("plan_browser_log") / "streamlit.log"
    with streamlit_server(PROJECT_ROOT, data_dir, log) as url:
        yield url


@pytest.fixture
def visitor(chromium, app_url):
    one = Visitor(chromium, app_url, VIEWPORT)
    yield one
    one.context.close()
    assert one.blocked == [], "requests to the internet"
    assert one.page_errors == [], "script errors in the page"


def test_tiexis_tasks_a_click_opens_a_task_and_the_page_reads_in_english(visitor):
    page = visitor.open("/plan?" + urlencode({"scope": "220302", "to": "2020-12-31", "tasks": "overdue"}))
    expect(page.locator("h1")).to_have_text("铁西区 任务与投入")
    shown = tiles(page)
    assert shown["任务总数"] == "47项" and int(shown["逾期未完成"].rstrip("项")) > 0
    table = page.locator(".st-key-table_tasks")
    box = table.bounding_box()
    page.mouse.click(box["x"] + 15, box["y"] + ROW_PX * 1.5)   # the first row's selection box
    wait_idle(page)
    task = parse_qs(urlparse(page.url).query)["task"][0]
    detail = page.locator(".st-key-task_detail")
    expect(detail).to_contain_text(f"第{task.split('-')[1]}项任务")
    expect(detail).to_contain_text("牵头单位")
    capture(page, SCREENSHOTS / "plan_tiexi.png")

    with page.expect_download() as info:
        page.locator(".st-key-csv_tasks button").click()
    rows = list(csv.reader(io.StringIO(info.value.path().read_bytes().decode("utf-8-sig"), newline="")))
    overdue = int(shown["逾期未完成"].rstrip("项"))
    assert rows[0][:3] == ["方案名称", "印发单位", "印发日期"] and len(rows) - 1 == overdue

    english = visitor.open("/plan?" + urlencode({"scope": "220302", "to": "2020-12-31", "lang": "en"}))
    expect(english.locator("h1")).to_have_text("铁西区 Plan and inputs")
    expect(english.get_by_text("Task supervision", exact=True)).to_be_visible()
    assert tiles(english)["Tasks"] == "47", "a count tile in English: its short label says what is counted"
    capture(english, SCREENSHOTS / "plan_tiexi_en.png")


def test_the_regulators_group_side_by_side_with_its_pairing_map(visitor):
    page = visitor.open("/plan?" + urlencode({"scope": "samr", "to": "2020-12-31"}))
    expect(page.locator("h1")).to_have_text("市场监管总局定点帮扶县 任务与投入")
    assert tiles(page)["结对乡镇"] == "49个"
    expect(page.get_by_text("各县（区）并列", exact=True)).to_be_visible()
    assert page.locator('[data-testid="stPlotlyChart"]').count() >= 4
    capture(page, SCREENSHOTS / "plan_samr.png")
    county = visitor.open("/plan?" + urlencode({"scope": "samr", "county": "621226", "to": "2020-12-31"}))
    expect(county.locator("h1")).to_have_text("市场监管总局定点帮扶县 · 礼县 任务与投入")
    capture(county, SCREENSHOTS / "plan_lixian.png")
