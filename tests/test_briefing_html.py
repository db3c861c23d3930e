"""The briefing download: one self-contained HTML page with the brief's numbers, text and figures."""

import datetime as dt

import plotly.graph_objects as go
import pytest

from fupin.query.filters import Filter
from fupin.report import brief, charts, page_data
from fupin.report.briefing_html import briefing_html, meta_line
from fupin.report.tiles import Tile, headline_tiles
from fupin.text import fmt

YUANQU = ("140827",)

REPORT_DAY = dt.date(2018, 12, 29)


@pytest.fixture(scope="module")
def demo_brief(demo_db):
    db = demo_db
    data = page_data.overview(db, Filter.year_to_date(REPORT_DAY, counties=YUANQU))
    result = brief.build(db, data.headline.filter, "140827", "垣曲县", head=data.headline)
    figure = charts.schedule_path(data.schedule, data.amount_target, REPORT_DAY)
    return result, figure, db.snapshot, data.headline


def test_tiles_carry_the_seed_figures_and_schedule(demo_brief):
    tiles = {t.label: t for t in headline_tiles(demo_brief[3], "zh")}
    assert tiles["采购金额"].value == "4154.6万元" and tiles["抽样检验"].value == "746批次"
    assert tiles["采购金额"].ahead_pp == pytest.approx(4.4, abs=0.05)
    assert tiles["今年新增合作社"].caption.endswith("合作社总数 685户")


def test_page_is_self_contained_and_printable(demo_brief):
    result, figure, _, head = demo_brief
    text = brief.render_text(result)
    page = briefing_html("垣曲县消费帮扶工作简报", "2018-01-01 — 2018-12-29", headline_tiles(head, "zh"), text,
                         [figure])
    assert page.startswith("<!DOCTYPE html>") and page.endswith("</html>")
    assert "@page { size: A4" in page and text in page
    assert "https://cdn" not in page.split("<script", 1)[0], "no stylesheet or font from the web"
    assert page.count("Plotly.newPlot") == 1 and len(page) > 1_000_000, "plotly.js itself is inlined"
    assert '<div class="value">4154.6万元</div>' in page
    assert ".text { white-space: pre-line;" in page, "the brief's paragraphs stay paragraphs"


def test_english_brief_has_the_same_figures(demo_brief):
    result = demo_brief[0]
    text = brief.render_text_en(result)
    assert text.startswith("垣曲县: consumption assistance briefing (as of 29 December 2018)\n"
                           "I. What needs attention\n1. 王茅镇 behind schedule: Purchase weight 24.7")
    assert "\n3. 垣曲县: Lab sampling batches at 93.2% of the yearly target, 6.2 points behind schedule\n" in text
    assert "\nII. Progress of 垣曲县 by 29 December 2018\nPurchases: buyers in 垣曲县 purchased 1,146.4 ×10k kg" in text
    assert "134 new this year (+55.8% year on year)" in text and "746 batches" in text


@pytest.mark.browser
def test_schedule_notes_are_red_behind_and_green_ahead(chromium):
    tiles = [Tile("lab_batches", "抽样检验", "746", "批次", "抽样检验（批次）", -6.2, "落后序时6.2个百分点", "down", "完成 93.3%"),
             Tile("purchase_amount_yuan", "采购金额", "4154.6", "万元", "采购金额（万元）", 4.4, "超序时4.4个百分点", "up", "")]
    page = briefing_html("简报", "2018-01-01 — 2018-12-29", tiles, "文字", [])
    tab = chromium.new_page()
    try:
        tab.set_content(page)
        colour = "(e) => getComputedStyle(e).color"
        behind, ahead = tab.eval_on_selector(".behind", colour), tab.eval_on_selector(".ahead", colour)
        plain = tab.eval_on_selector_all(".tile .note:not(.ahead):not(.behind)", f"es => es.map({colour})")
    finally:
        tab.close()
    assert behind == "rgb(198, 40, 40)" and ahead == "rgb(46, 125, 50)"
    assert plain == ["rgb(85, 85, 85)"], "the other notes stay grey"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_names_the_data_by_its_label_not_its_id(demo_brief, lang):
    result, _, snapshot, head = demo_brief
    meta = meta_line(result, snapshot, lang)
    assert meta == f"2018-01-01 — 2018-12-29 · {fmt.data_label(snapshot, lang)}"
    page = briefing_html("简报", meta, headline_tiles(head, lang), "文字", [], lang)
    assert fmt.data_label(snapshot, lang) in page and snapshot.id not in page
    assert result["data_label"] == fmt.data_label(snapshot)


def test_attention_comes_above_the_tiles_and_the_map_on_the_first_page():
    tiles = [Tile("lab_batches", "抽样检验", "746", "批次", "抽样检验（批次）", -6.2, "落后序时6.2个百分点", "down", "")]
    figures = [go.Figure(go.Scatter(x=[1], y=[1], name="甲图")), go.Figure(go.Scatter(x=[1], y=[2], name="乙图"))]
    page = briefing_html("简报", "日期", tiles, "二、垣曲县工作进展\n采购：…", figures,
                         attention=["华峰乡采购金额落后<序时进度>", "抽检不合格：毒死蜱3批次"], notes=["另有1个地区未列出"])
    order = [page.index(marker) for marker in ("一、需要关注的问题", "<li>华峰乡采购金额落后&lt;序时进度&gt;</li>",
                                               "另有1个地区未列出", '<div class="tiles">', "甲图",
                                               '<div class="rest">', "二、垣曲县工作进展", "乙图")]
    assert order == sorted(order), "attention, tiles, map, then (on a new page) the text and the other figures"
    assert page.count("<li>") == 2 and ".rest { break-before: page; }" in page
    assert "print-color-adjust: exact" in page, "red and green survive printing"


@pytest.mark.parametrize("lang, heading, none", [("zh", "一、需要关注的问题", "暂无需要关注的问题。"),
                                                 ("en", "I. What needs attention", "Nothing needs attention.")])
def test_an_empty_attention_list_says_so(lang, heading, none):
    page = briefing_html("简报", "日期", [], "文字", [], lang, attention=[])
    assert heading in page and none in page and "<ol>" not in page
    legacy = briefing_html("简报", "日期", [], "文字", [])
    assert "需要关注" not in legacy and '<div class="flow">' in legacy, "no section, no page break without a list"


def test_a_phone_gets_one_column_as_wide_as_its_screen(demo_brief):
    result, figure, _, head = demo_brief
    page = briefing_html("垣曲县消费帮扶工作简报", "2018-01-01 — 2018-12-29", headline_tiles(head, "zh"),
                         brief.render_text(result), [figure])
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page, "not laid out 980 px wide"
    phone = page.split("@media screen and (max-width: 639.98px) {", 1)[1].split("\n}", 1)[0]
    assert ".tiles { grid-template-columns: 1fr; }" in phone
    assert 'style="height:360px; width:100%;"' in page, "the figures as wide as the page, not 680 px"
