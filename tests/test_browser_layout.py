"""What a leader sees on a phone and a laptop, in a real browser: the overview's phone summary and the briefing HTML at
390×844 without horizontal scrolling, map labels that do not overlap as Chromium draws them, the 预警 list and the
map metric choice whole at 1366 px, and charts whose bars filter the page.

One Streamlit server over the demo (a data folder of its own) serves this module; screenshots go to
artifacts/screenshots/; with FUPIN_DOCS_SCREENSHOT=1 the phone and group views also rewrite docs/phone.png and
docs/group.png, README's pictures.
"""

import datetime as dt
import os
import re
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from browser import Visitor, assert_no_exception, capture, streamlit_server, tiles, wait_idle
from conftest import own_data_folder
from PIL import Image
from playwright.sync_api import expect

from fupin.query.filters import Filter
from fupin.report.tiles import tile
from fupin.settings import PROJECT_ROOT

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.slow]

AS_OF = dt.date(2018, 12, 29)
YUANQU, LIXIAN = ("140827",), "621226"
PHONE, LAPTOP, WIDE = {"width": 390, "height": 844}, {"width": 1366, "height": 768}, {"width": 1440, "height": 1000}
SCREENSHOTS = PROJECT_ROOT / "artifacts" / "screenshots"
DOCS = PROJECT_ROOT / "docs"

# Every map label Chromium shows (its background box), and the pairs that overlap or stick out of their map.
LABEL_BOXES_JS = """() => [...document.querySelectorAll('.js-plotly-plot')]
    .filter(g => g.layout && g.layout.meta && g.layout.meta.hide_when_narrow !== undefined)
    .map(g => {
        const frame = g.getBoundingClientRect();
        const boxes = [...g.querySelectorAll('g.annotation')]
            .filter(a => getComputedStyle(a).display !== 'none')
            .map(a => { const r = a.querySelector('rect.bg').getBoundingClientRect();
                        return {text: a.textContent, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom}; })
            .filter(b => b.x1 > b.x0);
        const overlaps = [];
        boxes.forEach((a, i) => boxes.slice(i + 1).forEach(b => {
            if (a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1) overlaps.push([a.text, b.text]);
        }));
        const outside = boxes.filter(b => b.x0 < frame.left - 0.5 || b.x1 > frame.right + 0.5).map(b => b.text);
        return {width: frame.width, labels: boxes.length, overlaps, outside};
    })"""
# Where to click the bar labelled `name` in the chart whose trace has that category (horizontal bars), or the bar
# at `index` of the first bar chart with dates (the trend): near its base, scrolled into view.
BAR_JS = """([name, index]) => {
    for (const gd of document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')) {
        const bars = (gd._fullData || []).filter(tr => tr.type === 'bar');
        if (!bars.length) continue;
        const at = name === null ? (bars[0].xaxis && gd._fullLayout.xaxis.type === 'date' ? index : -1)
                                 : [...(bars[0].y || [])].indexOf(name);
        if (at < 0) continue;
        const bar = gd.querySelectorAll('.barlayer .trace')[0].querySelectorAll('.point')[at];
        bar.scrollIntoView({block: 'center'});
        const r = bar.getBoundingClientRect();
        return {x: r.left + r.width / 2, y: r.bottom - Math.min(8, r.height / 2)};   // clear of the line over it
    }
    return null;
}"""
NO_SIDEWAYS_SCROLL_JS = "() => document.documentElement.scrollWidth"


@pytest.fixture(scope="module")
def app_url(demo_store, tmp_path_factory):
    folder = own_data_folder(demo_store, tmp_path_factory.mktemp("layout_data"))
    with streamlit_server(PROJECT_ROOT, folder, tmp_path_factory.mktemp("layout_log") / "streamlit.log") as url:
        yield url


@pytest.fixture
def visitor(chromium, app_url):
    """A new visitor at a viewport; afterwards none of them may have reached the internet or hit a script error."""
    visitors = []

    def make(viewport) -> Visitor:
        visitors.append(Visitor(chromium, app_url, viewport))
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


def assert_labels_clear(page, where: str) -> None:
    maps = page.evaluate(LABEL_BOXES_JS)
    assert maps, f"{where}: no map"
    for drawn in maps:
        assert drawn["labels"] >= 3, f"{where}: labels left {drawn}"
        assert drawn["overlaps"] == [] and drawn["outside"] == [], f"{where}: {drawn}"


def docs_picture(source, name: str) -> None:
    """Rewrite a README picture from a screenshot (FUPIN_DOCS_SCREENSHOT=1 only)."""
    if os.environ.get("FUPIN_DOCS_SCREENSHOT") == "1":
        with Image.open(source) as picture:
            picture.convert("RGB").save(DOCS / name, optimize=True)


def test_a_phone_gets_the_summary_and_a_briefing_without_sideways_scrolling(visitor, tmp_path):
    phone = visitor(PHONE)
    page = phone.open("/" + query(scope="samr", county=LIXIAN, to=AS_OF.isoformat()))
    assert page.evaluate(NO_SIDEWAYS_SCROLL_JS) <= PHONE["width"]
    summary = page.locator(".st-key-phone_summary")
    expect(summary).to_be_visible()
    expect(summary.locator("strong", has_text="采购金额")).to_be_visible()
    assert summary.get_by_role("button").count() == 5, "the first five lines of 需要关注"
    expect(summary.get_by_role("link", name=re.compile("滞销预警"))).to_be_visible()
    assert page.locator('[data-testid="stMetric"]').first.is_hidden(), "the tiles are the wide screen's"
    first_line = summary.locator("p").first.bounding_box()
    assert first_line["y"] < PHONE["height"], "the figures on the first screen"
    assert_labels_clear(page, "礼县 overview, 390 px")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "phone_first_screen.png"))
    docs_picture(SCREENSHOTS / "phone_first_screen.png", "phone.png")
    capture(page, SCREENSHOTS / "phone_overview.png")

    briefing = phone.open("/briefing" + query(scope="samr", county=LIXIAN, to=AS_OF.isoformat()))
    assert briefing.evaluate(NO_SIDEWAYS_SCROLL_JS) <= PHONE["width"]
    assert_labels_clear(briefing, "礼县 briefing page, 390 px")
    with briefing.expect_download() as info:
        briefing.get_by_role("button", name=re.compile("下载简报")).click()
    saved = tmp_path / "briefing.html"
    saved.write_bytes(info.value.path().read_bytes())
    sheet = phone.new_page()
    sheet.goto(saved.as_uri())
    expect(sheet.locator(".main-svg").first).to_be_visible()
    assert sheet.evaluate(NO_SIDEWAYS_SCROLL_JS) <= PHONE["width"], "one column as wide as the phone"
    columns = sheet.evaluate("() => getComputedStyle(document.querySelector('.tiles')).gridTemplateColumns")
    assert len(columns.split()) == 1, columns
    assert_labels_clear(sheet, "礼县 briefing HTML, 390 px")
    sheet.screenshot(path=str(SCREENSHOTS / "phone_briefing_download.png"), full_page=True)
    sheet.set_viewport_size({"width": 800, "height": 1200})   # the window Chromium prints the PDF from
    sheet.reload()
    expect(sheet.locator(".main-svg").first).to_be_visible()
    assert_labels_clear(sheet, "礼县 briefing HTML as printed")


def test_a_laptop_shows_the_lists_choices_and_map_labels_whole(visitor):
    laptop = visitor(LAPTOP)
    page = laptop.open("/" + query(scope="samr", county=LIXIAN, to=AS_OF.isoformat()))
    assert_labels_clear(page, "礼县 overview, 1366 px")
    expect(page.locator(".st-key-phone_summary")).to_be_hidden()
    choices = page.get_by_role("radiogroup", name="地图指标")
    options = choices.get_by_role("radio").all()
    assert len(options) == 7, "every map metric offered"
    column = page.locator(".st-key-" + page.evaluate(
        "() => [...document.querySelectorAll('[class*=st-key-box_map_]')][0].className.match(/st-key-(\\S+)/)[1]")
    ).bounding_box()
    for option in options:
        box = option.bounding_box()
        assert box["x"] + box["width"] <= column["x"] + column["width"] + 0.5, f"{option.inner_text()} past the edge"
    assert choices.evaluate("e => e.scrollWidth <= e.clientWidth"), "no hidden scrolling"
    cut = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stCaptionContainer"]')]
        .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)""")
    assert cut == [], f"captions cut: {cut}"

    warnings = laptop.open("/warnings" + query(to=AS_OF.isoformat()))
    listed = warnings.locator('[data-testid="stDataFrame"]').first   # the list, before the all-columns expander
    scroller = listed.locator(".dvn-scroller")
    assert scroller.evaluate("e => e.scrollWidth <= e.clientWidth"), "whom to call within 1366 px, no scrolling"
    note = warnings.locator('[data-testid="stCaptionContainer"]', has_text="非法定界线")
    expect(note).to_be_visible()
    assert note.evaluate("e => e.scrollWidth <= e.clientWidth"), "the map's note whole"
    assert_labels_clear(warnings, "垣曲县 warnings, 1366 px")
    capture(warnings, SCREENSHOTS / "warnings_1366.png")


def click_bar(page, name: str | None, index: int = 0) -> None:
    point = page.evaluate(BAR_JS, [name, index])
    assert point, f"no bar {name or index}"
    page.mouse.click(point["x"], point["y"])


def test_a_click_on_a_channel_bar_filters_the_page_and_its_chip_clears_it(visitor, demo_db):
    page = visitor(WIDE).open("/purchases" + query(to=AS_OF.isoformat()))
    year = Filter.year_to_date(AS_OF, counties=YUANQU)
    everything = demo_db.run_filtered("purchase_totals", year).iloc[0]["amount_yuan"]
    canteen = demo_db.run_filtered("purchase_totals", Filter.year_to_date(
        AS_OF, counties=YUANQU, channel="canteen")).iloc[0]["amount_yuan"]
    assert tiles(page)["采购金额"] == tile("purchase_amount_yuan", everything, "zh").value

    click_bar(page, "单位帮销")
    expect(page).to_have_url(re.compile(r"[?&]channel=canteen(&|$)"))
    wait_idle(page)
    assert_no_exception(page)
    assert tiles(page)["采购金额"] == tile("purchase_amount_yuan", canteen, "zh").value
    chip = page.locator(".st-key-chip_channel").get_by_role("button", name=re.compile("渠道：单位帮销"))
    expect(chip).to_be_visible()
    expect(page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name="渠道")).to_have_value("单位帮销")

    chip.click()
    expect(page).not_to_have_url(re.compile(r"channel="))
    wait_idle(page)
    assert tiles(page)["采购金额"] == tile("purchase_amount_yuan", everything, "zh").value
    expect(page.locator(".st-key-chip_channel")).to_have_count(0)

    click_bar(page, None, index=2)   # March on the trend
    expect(page).to_have_url(re.compile(r"[?&]from=2018-03-01(&|$)"))
    wait_idle(page)
    assert url_params(page)["to"] == "2018-03-31"
    march = demo_db.run_filtered("purchase_totals", Filter(dt.date(2018, 3, 1), dt.date(2018, 3, 31),
                                                           counties=YUANQU)).iloc[0]["amount_yuan"]
    assert tiles(page)["采购金额"] == tile("purchase_amount_yuan", march, "zh").value
    page.locator(".st-key-chip_dates").get_by_role("button", name=re.compile("日期：2018-03-01")).click()
    expect(page).not_to_have_url(re.compile(r"from="))
    wait_idle(page)
    assert_no_exception(page)


def test_the_group_view_for_the_readme(visitor):
    page = visitor(WIDE).open("/" + query(scope="samr", to=AS_OF.isoformat()))
    assert_labels_clear(page, "the group's counties")
    capture(page, SCREENSHOTS / "group_overview.png")
    docs_picture(SCREENSHOTS / "group_overview.png", "group.png")
