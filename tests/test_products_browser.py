"""The 产品与渠道 page in a real browser with the network closed: 安康市 on the article's day shows seed 003's tiles,
its charts and both maps, and a click on an outlet of the map opens that outlet's monthly sales. Screenshots go to
artifacts/screenshots/."""

import datetime as dt
import math

import pytest
from browser import Visitor, capture, streamlit_server, tiles, wait_idle

from fupin.query.db import SnapshotDB
from fupin.query.filters import Filter
from fupin.report import channels
from fupin.settings import PROJECT_ROOT

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.slow]

SCREENSHOTS = PROJECT_ROOT / "artifacts" / "screenshots"
VIEWPORT = {"width": 1440, "height": 2200}
ANKANG = ("610902", "610921", "610922", "610923", "610924", "610925", "610926", "610927", "610928", "610929")
ARTICLE_DAY = dt.date(2020, 11, 13)
LAPTOP = {"width": 1366, "height": 2200}
# The events' tables: the grids whose headers include 活动名称 and 签约金额 (the short one, and all columns).
EVENT_GRIDS = """[...document.querySelectorAll('[data-testid="stDataFrame"]')]
    .filter(e => e.textContent.includes('活动名称') && e.textContent.includes('签约金额'))"""
# One of them is drawn and as wide as its columns, or wider.
EVENTS_WHOLE_JS = f"""() => {EVENT_GRIDS}
    .some(e => {{ const s = e.querySelector('.dvn-scroller'); return s && s.clientWidth > 0 && s.scrollWidth <= s.clientWidth; }})"""
EVENTS_TEXT_JS = f"() => {EVENT_GRIDS}[0].textContent"
# Where on the screen plotly draws a point whose customdata names the outlet (its second field).
POINT_JS = """([name]) => {
    for (const gd of document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')) {
        const layout = gd._fullLayout, box = gd.getBoundingClientRect();
        for (const trace of gd._fullData) {
            if (!trace.customdata || trace.mode !== 'markers') continue;
            for (let i = 0; i < trace.x.length; i++) {
                if (!trace.customdata[i] || trace.customdata[i][1] !== name) continue;
                const xa = layout[trace.xaxis.replace('x', 'xaxis')], ya = layout[trace.yaxis.replace('y', 'yaxis')];
                return {x: box.left + xa._offset + xa.l2p(trace.x[i]), y: box.top + ya._offset + ya.l2p(trace.y[i])};
            }
        }
    }
    return null;
}"""


@pytest.fixture(scope="module")
def app_url(demo_all_store, tmp_path_factory) -> str:
    log = tmp_path_factory.mktemp("products_browser") / "streamlit.log"
    with streamlit_server(PROJECT_ROOT, demo_all_store.root, log) as url:
        yield url


def chart_titles(page) -> list[str]:
    """The titles plotly drew on the page's charts (SVG text)."""
    return page.locator(".gtitle").evaluate_all("titles => titles.map(title => title.textContent)")


def loneliest_outlet(store) -> tuple[str, str]:
    """The id and name of the located outlet in service farthest from any other: a click on it hits it alone."""
    db = SnapshotDB(store.current())
    try:
        points = channels.page(db, Filter.year_to_date(ARTICLE_DAY, counties=ANKANG)).outlet_points
    finally:
        db.close()
    points = points[points["located"]].reset_index(drop=True)

    def nearest(i: int) -> float:
        return min(math.dist((points.lng[i], points.lat[i]), (points.lng[j], points.lat[j]))
                   for j in range(len(points)) if j != i)

    alone = max(range(len(points)), key=nearest)
    return points.outlet_id[alone], points.outlet_name[alone]


def test_ankang_on_the_article_day_and_a_click_on_an_outlet(chromium, app_url, demo_all_store):
    visitor = Visitor(chromium, app_url, VIEWPORT)
    page = visitor.open("/products?scope=610900&to=2020-11-13")
    shown = tiles(page)
    assert (shown["认定产品"], shown["产品价值"], shown["销售金额"]) == ("810种", "65.02亿元", "3.60亿元")
    assert (shown["专柜"], shown["专区"], shown["专馆"], shown["展销活动"]) == ("111个", "14个", "19个", "14场")
    titles = chart_titles(page)
    assert {"智能专柜进展：意向 → 签约 → 落地", "三专网点分布", "销售按渠道"} <= set(titles)
    assert page.locator('[data-testid="stPlotlyChart"]').count() >= 7
    capture(page, SCREENSHOTS / "products_ankang.png")

    outlet_id, name = loneliest_outlet(demo_all_store)
    point = page.evaluate(POINT_JS, [name])
    assert point, f"{name} is not on the map"
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url(f"**outlet={outlet_id}**")
    wait_idle(page)
    assert f"{name} · 各月销售" in chart_titles(page)
    capture(page, SCREENSHOTS / "products_ankang_outlet.png")
    assert not visitor.blocked and not visitor.page_errors
    visitor.context.close()

    laptop = Visitor(chromium, app_url, LAPTOP)
    page = laptop.open("/products?scope=610900&to=2020-11-13")
    page.wait_for_function(EVENTS_WHOLE_JS, timeout=30_000)   # the events' columns read without scrolling on a laptop
    capture(page, SCREENSHOTS / "products_ankang_1366.png")
    cells = page.evaluate(EVENTS_TEXT_JS)
    assert "全省消费扶贫“三专”建设现场培训班" in cells and "None" not in cells, "an event without a signing reads —"
    laptop.context.close()
