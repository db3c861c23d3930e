"""Page logic through Streamlit's AppTest: seed figures on the tiles, filters, the URL, empty results, languages."""

import datetime as dt
import os
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from conftest import app_tiles, page_warnings, settled
from streamlit.testing.v1 import AppTest

from fupin.query.filters import Filter
from fupin.report import attention, brief, page_data
from fupin.settings import PROJECT_ROOT
from fupin.text import fmt
from fupin.text.i18n import t

YUANQU = ("140827",)

APP = str(PROJECT_ROOT / "tests" / "app_entry.py")
PAGES = ["overview", "purchases", "inspections", "cooperatives", "warnings", "briefing", "import"]
REPORT_DAY = dt.date(2018, 12, 29)
HUAFENG = "140827203"


@pytest.fixture
def app(demo_store, monkeypatch):
    """A fresh app session on the demo snapshot; set URL parameters on it before `run`."""
    monkeypatch.setenv("FUPIN_DATA", str(demo_store.root))
    return AppTest.from_file(APP, default_timeout=120)


def page(name: str) -> str:
    """A page file as AppTest wants it: relative to the entry script."""
    return os.path.relpath(PROJECT_ROOT / "pages" / f"{name}.py", Path(APP).parent)


def opened(app: AppTest, page_name: str | None = None, **params) -> AppTest:
    """The app opened on a link: a page (its URL path is its file name) and query parameters."""
    for key, value in params.items():
        app.query_params[key] = value
    if page_name:
        app.switch_page(page(page_name))
    settled(app.run())
    assert not app.exception, app.exception
    return app


def table(app: AppTest, column: str):
    """The first table on the page that has a column of this header."""
    return next(d.value for d in app.dataframe if column in d.value.columns)


def tiles(app: AppTest) -> dict[str, str]:
    return app_tiles(app)


def captions(app: AppTest) -> str:
    return " ".join(c.value for c in app.caption)


def warnings(app: AppTest) -> str:
    return " ".join(page_warnings(app))


@pytest.mark.parametrize("name", PAGES)
def test_every_page_runs(app, name):
    opened(app, name, to="2018-12-29")
    assert app.title, f"{name} shows no title"
    assert not app.error and not warnings(app), f"{name}: {[e.value for e in app.error]} {warnings(app)}"
    unlabelled = [box.label for box in app.selectbox if box.value is None and not box.placeholder]
    assert unlabelled == [], "an empty choice would read Streamlit's English 'Choose an option'"


def test_overview_tiles_show_the_seed_figures(app):
    shown = tiles(opened(app, to="2018-12-29"))
    assert shown["采购金额"] == "4154.6万元"
    assert shown["采购数量"] == "1146.4万公斤"
    assert shown["其中贫困村"] == "2775.3万元"
    assert shown["抽样检验"] == "746批次"
    assert shown["快速检测"] == "606批次"
    assert shown["今年新增合作社"] == "134户"
    assert "合作社总数 685户" in captions(app) and "同比 +55.8%" in captions(app)


def test_tiles_carry_target_and_schedule(app):
    opened(app, to="2018-12-29")
    amount = next(m for m in app.metric if m.label == "采购金额（万元）")
    assert (amount.value, amount.delta) == ("4154.6", "超序时4.4个百分点"), "the unit in the heading, the bare number"
    lab = next(m for m in app.metric if m.label == "抽样检验（批次）")
    assert lab.delta == "落后序时6.2个百分点", "lab sampling is behind schedule and must read as such"
    assert "目标 4000.0万元 · 完成 103.9%" in captions(app)
    assert "序时进度 99.5%（截至 2018-12-29 全年已过的比例）" in captions(app), "said once, under the tiles"


def test_county_name_comes_from_the_data(app):
    opened(app, to="2018-12-29")
    assert app.title[0].value.startswith("垣曲县")
    assert app.button(key="crumb_0").label == "垣曲县"


def test_township_filter_changes_every_number_consistently(app, demo_db):
    opened(app, to="2018-12-29")
    app.selectbox(key="township.zh").select(HUAFENG).run()
    assert not app.exception
    flt = Filter.year_to_date(REPORT_DAY, counties=YUANQU, township=HUAFENG)
    head = page_data.overview(demo_db, flt).headline
    shown = tiles(app)
    assert shown["采购金额"] == fmt.money(head.purchases["amount_yuan"])
    assert shown["其中贫困村"] == fmt.money(head.purchases["poor_village_amount_yuan"])
    assert shown["抽样检验"] == fmt.count(head.inspections["lab_batches"], "批次")
    assert shown["今年新增合作社"] == fmt.count(head.cooperatives["cooperatives_new"], "户")
    assert shown["采购金额"] != "4154.6万元"
    for name in ("purchases", "inspections", "briefing"):
        app.switch_page(page(name)).run()
        assert app.session_state["township"] == HUAFENG, f"{name} lost the township"
    assert tiles(app)["采购金额"] == fmt.money(head.purchases["amount_yuan"])


def test_the_link_sets_every_filter(app):
    params = {"from": "2018-03-01", "to": "2018-09-30", "township": HUAFENG, "village": "140827203216",
              "buyer_type": "base_company", "product_category": "杂粮", "lang": "en", "metric": "lab_batches"}
    opened(app, **params)
    state = app.session_state
    assert state["township"] == HUAFENG and state["village"] == "140827203216"
    assert state["custom_from"] is True and state["from"] == dt.date(2018, 3, 1)
    assert state["to"] == dt.date(2018, 9, 30) and state["year"] == 2018
    assert state["buyer_type"] == "base_company" and state["product_category"] == "杂粮"
    assert state["lang"] == "en" and state["metric"] == "lab_batches"
    assert not warnings(app)


@pytest.mark.parametrize("params, named", [
    ({"to": "2018-02-30"}, "链接中的截至日期 2018-02-30 不是有数据年份中的有效日期，已忽略"),
    ({"to": "2018-12-29", "township": "999999999"}, "链接中的乡镇代码 999999999 不在本县，已忽略"),
    ({"to": "2018-12-29", "buyer_type": "' OR '1'='1"}, "链接中的“采购单位类型” ' OR '1'='1 不是可选项，已忽略"),
    ({"to": "2018-12-29", "product_category": "x"}, "链接中的“产品类别” x 不是可选项，已忽略"),
    ({"to": "2018-12-29", "village": "140827203216"}, "链接中的村代码 140827203216 不在所选乡镇，已忽略"),   # no township
    ({"to": "2018-12-29", "colour": "red"}, "链接中的 colour=red 本页无法识别，已忽略"),
])
def test_a_bad_link_is_named_in_a_notice(app, params, named):
    """In words a clerk understands (链接中的乡镇代码 … 不在本县), never a parameter name and a code."""
    opened(app, **params)
    assert warnings(app).count(named) == 1, warnings(app)   # once, though the first screen's run read it too
    assert app.session_state["township"] is None and app.session_state["buyer_type"] is None


@pytest.mark.parametrize("value", ["²", "99999999999999999999999", "0", "-1", "abc"])
def test_an_impossible_page_number_is_ignored(app, value):
    opened(app, "purchases", to="2018-12-29", page=value)
    assert f"链接中的页码 {value} 超出范围，已忽略" in warnings(app)
    assert app.number_input(key="page").value == 1
    assert table(app, "采购日期").shape[0] == page_data.PAGE_ROWS


def test_the_notice_is_shown_once(app):
    opened(app, to="2018-02-30")
    assert warnings(app)
    app.selectbox(key="buyer_type.zh").select("supermarket").run()
    assert not warnings(app)


def test_year_change_moves_the_end_date_into_that_year(app):
    opened(app, to="2018-12-29")
    app.selectbox(key="year.zh").select(2019).run()
    assert app.session_state["to"] == dt.date(2019, 12, 31)
    assert tiles(app)["采购金额"] != "4154.6万元"


def test_renamed_township_carries_over_to_its_successor(app):
    opened(app, to="2019-12-31", township="140827201")
    app.selectbox(key="year.zh").select(2020).run()
    assert app.session_state["township"] == "140827105", "英言乡 became 英言镇 in 2020"


@pytest.mark.parametrize("name", ["overview", "purchases", "inspections"])
def test_an_empty_result_shows_the_message(app, name):
    opened(app, name, to="2016-01-01", township="140827202", product_category="中药材")
    messages = [i.value for i in app.info]
    assert any("当前筛选条件下没有数据" in m for m in messages), messages


def test_drill_down_reaches_the_village_records(app, demo_db):
    opened(app, to="2018-12-29", township=HUAFENG, codes="1")   # 显示代码 on
    village_table = table(app, "村代码")
    assert len(village_table) == len(page_data.purchase_villages(demo_db, Filter.year_to_date(REPORT_DAY, counties=YUANQU, township=HUAFENG)))
    app.selectbox(key="village.zh").select("140827203216").run()
    records = table(app, "采购编号")
    flt = Filter.year_to_date(REPORT_DAY, counties=YUANQU, township=HUAFENG, village="140827203216")
    assert list(records["采购编号"]) == list(page_data.purchase_records(demo_db, flt)["purchase_id"])
    app.button(key="crumb_1").click().run()
    assert app.session_state["village"] is None and app.session_state["township"] == HUAFENG
    app.button(key="crumb_0").click().run()
    assert app.session_state["township"] is None


def test_a_village_never_shows_township_inspections_as_its_own(app, demo_db):
    opened(app, to="2018-12-29", township=HUAFENG, village="140827203216")
    lab_caption = app.get("caption")
    shown = [c.value for c in app.caption if c.value.startswith("华峰乡（抽检无村级数据）")]
    assert len(shown) == 2, "both inspection tiles say they show the township"
    township_lab = page_data.inspections(demo_db, Filter.year_to_date(REPORT_DAY, counties=YUANQU, township=HUAFENG)).actuals["lab_batches"]
    assert tiles(app)["抽样检验"] == fmt.count(township_lab, "批次")
    assert lab_caption


@pytest.mark.parametrize("page_name, note", [(None, "overview_loading"), ("purchases", "charts_loading"),
                                             ("inspections", "charts_loading"), ("cooperatives", "charts_loading"),
                                             ("warnings", "warnings_loading")])
def test_a_new_session_gets_the_tiles_first_then_the_rest(app, page_name, note):
    note = t(note, "zh")
    app.query_params["to"] = "2018-12-29"
    if page_name:
        app.switch_page(page(page_name))
    first = app.run()
    assert not first.exception and first.metric, "the first screen: the tiles"
    assert note in [c.value for c in first.caption]
    assert not first.get("plotly_chart") and not first.dataframe, "nothing below the tiles yet"
    shown = tiles(first)
    rest = app.run()   # what the browser's timer asks for once the tiles are painted
    assert note not in [c.value for c in rest.caption]
    assert rest.get("plotly_chart") and tiles(rest) == shown
    if page_name is None:
        assert rest.session_state["metric"] == "pct_of_target" and len(rest.get("plotly_chart")) == 3
        rest.selectbox(key="township.zh").select(HUAFENG).run()
        assert note not in [c.value for c in rest.caption] and rest.get("plotly_chart"), "later runs draw it all"


@pytest.mark.parametrize("params, metric", [({"to": "2018-12-29"}, "pct_of_target"),
                                            ({"from": "2018-03-01", "to": "2018-09-30"}, "purchase_amount_yuan")])
def test_default_map_metric_is_the_share_of_target_when_targets_apply(app, params, metric):
    opened(app, **params)
    assert app.session_state["metric"] == metric


def test_english_labels(app):
    shown = tiles(opened(app, to="2018-12-29", lang="en"))
    assert shown["Purchases"] == fmt.money(41_546_318.27, lang="en")
    assert "Lab sampling" in shown and "采购金额" not in shown


def test_language_switch_then_every_page_and_back(app):
    opened(app, to="2018-12-29", township=HUAFENG)
    app.segmented_control(key="lang").set_value("en").run()
    for name in PAGES:
        app.switch_page(page(name)).run()
        assert not app.exception and not app.error, name
        assert app.session_state["lang"] == "en" and app.session_state["year"] == 2018
        assert app.session_state["township"] == HUAFENG
    app.segmented_control(key="lang").set_value("zh").run()
    app.switch_page(page("overview")).run()
    assert not app.exception and "采购金额" in tiles(app)
    assert app.session_state["to"] == REPORT_DAY


def test_english_page_has_no_chinese_placeholder(app):
    opened(app, "cooperatives", to="2018-12-29", lang="en")
    assert "例如" not in app.text_input(key="q").placeholder


def test_briefing_text_is_the_cli_brief(app, demo_db):
    opened(app, "briefing", to="2018-12-29")
    expected = brief.build(demo_db, Filter.year_to_date(REPORT_DAY, counties=YUANQU), "140827", "垣曲县")
    assert any(t.value == brief.progress_text(expected) for t in app.text), "the brief's 二、 as the CLI writes it"
    listed = "\n".join(m.value for m in app.markdown)
    assert all(line in listed for line in brief.attention_lines(expected) if line[0].isdigit()), "its 一、"


def test_briefing_lists_what_needs_attention_once(app, demo_db):
    opened(app, "briefing", to="2018-12-29")
    lines = brief.build(demo_db, Filter.year_to_date(REPORT_DAY, counties=YUANQU), "140827",
                        "垣曲县")["attention_lines"]["zh"]
    assert len(lines) > 5, "the demo county has a list to show"
    shown = [m.value for m in app.markdown] + [t.value for t in app.text] + [c.value for c in app.caption]
    assert {line: sum(text.count(line) for text in shown) for line in lines} == {line: 1 for line in lines}


def test_briefing_names_the_data_by_its_date_not_its_id(app, demo_store):
    opened(app, "briefing", to="2018-12-29")
    snapshot = demo_store.current()
    assert fmt.data_label(snapshot) in captions(app)
    assert snapshot.id not in captions(app)


def test_records_pages_through_the_purchases(app, demo_db):
    opened(app, "purchases", to="2018-12-29", township=HUAFENG, codes="1")
    first = table(app, "采购编号")
    app.number_input(key="page").set_value(2).run()
    second = table(app, "采购编号")
    flt = Filter.year_to_date(REPORT_DAY, counties=YUANQU, township=HUAFENG)
    assert list(second["采购编号"]) == list(page_data.purchase_records(demo_db, flt, page=1)["purchase_id"])
    assert not set(first["采购编号"]) & set(second["采购编号"])


def test_an_open_session_follows_a_new_current_snapshot(tmp_path, monkeypatch, tiny_tables_data):
    from conftest import write_snapshot

    from fupin.store.store import SnapshotStore
    store = SnapshotStore(tmp_path)
    first = write_snapshot(store, tiny_tables_data)
    monkeypatch.setenv("FUPIN_DATA", str(tmp_path))
    app = AppTest.from_file(APP, default_timeout=120)
    opened(app, to="2018-12-29")
    assert app.session_state["snap"] is None and app.selectbox(key="snap.zh").options[0] == "2018年12月29日数据（当前）"
    second = write_snapshot(store, tiny_tables_data, as_of=dt.date(2019, 1, 31))
    app.run()
    assert app.selectbox(key="snap.zh").options[0] == "2019年1月31日数据（当前）", \
        "an import moved CURRENT: the open view follows"
    assert app.session_state["to"] == dt.date(2018, 12, 29), "the dates chosen stay"
    app.selectbox(key="snap.zh").select(first.id).run()
    app.run()
    assert app.session_state["snap"] == first.id and second.id != first.id


def test_purchases_tiles_compare_with_last_year(app):
    opened(app, "purchases", to="2018-12-29")
    amount = next(m for m in app.metric if m.label == "采购金额（万元）")
    assert amount.value == "4154.6" and amount.delta == "同比+34.2%"


def test_inspections_list_the_failed_items(app, demo_db):
    opened(app, "inspections", to="2018-12-29")
    shown = table(app, "不合格项目")
    expected = demo_db.run_filtered("inspection_failed_items", Filter.year_to_date(REPORT_DAY, counties=YUANQU))
    assert shown["不合格批次"].sum() == expected["failed"].sum() == demo_db.run_filtered(
        "inspection_totals", Filter.year_to_date(REPORT_DAY, counties=YUANQU))["failed"].iloc[0]


@pytest.mark.slow
def test_first_start_on_an_empty_data_folder_generates_the_demo(tmp_path, monkeypatch):
    from fupin.store.store import SnapshotStore
    monkeypatch.setenv("FUPIN_DATA", str(tmp_path))
    app = opened(AppTest.from_file(APP, default_timeout=300), to="2018-12-29")
    assert SnapshotStore(tmp_path).current().manifest["source"]["kind"] == "demo"
    assert tiles(app)["采购金额"] == "4154.6万元"


def test_an_unexpected_error_shows_one_sentence(app, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")
    monkeypatch.setattr(page_data, "overview", broken)
    opened(app, to="2018-12-29")
    assert [e.value for e in app.error] == ["页面出现意外错误，已记录日志。请刷新页面或调整筛选条件后重试。"]
    assert "boom" not in " ".join(e.value for e in app.error)


def test_a_bad_setting_is_one_line_not_a_traceback(app, monkeypatch):
    monkeypatch.setenv("FUPIN_MAX_UPLOAD_MB", "abc")
    opened(app, to="2018-12-29")
    assert [e.value for e in app.error] == ["设置 FUPIN_MAX_UPLOAD_MB 无效：'abc'（应为 1 到 2000 之间的整数，单位 MB）"]
    assert tiles(app)["采购金额"] == "4154.6万元", "the dashboard does not need the upload limit"


def test_the_overview_lists_what_needs_attention_beside_the_tiles_each_opening_its_view(app, demo_db):
    opened(app, to="2018-12-29", buyer_type="supermarket")
    found = attention.build(demo_db, Filter.year_to_date(REPORT_DAY, counties=YUANQU, buyer_type="supermarket"),
                            "140827", "垣曲县")
    assert found.items, "the demo has townships behind schedule"
    shown = [b for b in app.button if b.key.startswith("attention_")]
    assert [b.label for b in shown] == found.texts("zh")
    button, link = next((b, items[0].link) for b, (_, items) in zip(shown, found.lines)
                        if items[0].link.startswith("/inspections"))
    button.click().run()
    params = dict(parse_qsl(link.partition("?")[2]))
    assert not app.exception and app.title[0].value.endswith(" 抽检")
    assert params.get("buyer_type") == "supermarket", "the line's view keeps the filters it was found under"
    assert app.session_state["township"] == params.get("township") and app.session_state["buyer_type"] == "supermarket"
    assert app.session_state["to"] == REPORT_DAY == dt.date.fromisoformat(params["to"])


def test_following_a_link_inside_the_app_shows_its_view_and_keeps_the_language(app):
    opened(app, to="2018-12-29", buyer_type="supermarket", lang="en")
    assert app.session_state["buyer_type"] == "supermarket"
    app.query_params.clear()
    app.query_params.update({"scope": "140827", "township": "140827103", "to": "2018-06-30"})
    app.run()
    assert not app.exception and not page_warnings(app)
    assert app.session_state["township"] == "140827103" and app.session_state["to"] == dt.date(2018, 6, 30)
    assert app.session_state["buyer_type"] is None, "what the link leaves out is at its default"
    assert app.title[0].value.endswith("Overview") and app.session_state["lang"] == "en"
    app.selectbox(key="township.en").select_index(2).run()
    chosen = app.session_state["township"]
    app.selectbox(key="buyer_type.en").select_index(1).run()
    assert chosen != "140827103" and app.session_state["township"] == chosen, "the URL the session wrote is no link"


def test_page_runs_freeze_what_lives_on_so_the_collector_after_each_run_stays_short(app, monkeypatch):
    """Streamlit collects every GC generation after each run: what the first page run left alive (modules,
    plotly's validators, caches), and every REFREEZE_RUNS runs what has been added since, is frozen out of the
    collector's sight."""
    import gc
    import itertools

    from fupin.ui import frame

    opened(app)
    assert gc.get_freeze_count() > 10_000
    kept = {"cached": ["a result that lives on"]}
    assert any(o is kept for o in gc.get_objects())
    monkeypatch.setattr(frame, "_page_runs", itertools.count(frame.REFREEZE_RUNS + 1))
    opened(app, to="2018-06-30")   # not a run that freezes
    assert any(o is kept for o in gc.get_objects())
    monkeypatch.setattr(frame, "_page_runs", itertools.count(2 * frame.REFREEZE_RUNS))
    opened(app, to="2018-05-31")
    assert not any(o is kept for o in gc.get_objects())


def test_a_phone_gets_the_tiles_as_lines_then_five_things_to_look_at_then_links(app):
    opened(app, to="2018-12-29")
    lines = next(m.value for m in app.markdown if m.value.startswith("**采购金额**")).split("  \n")
    assert lines[0] == "**采购金额** 4154.6万元 · 完成103.9% · :green[超序时4.4]"
    assert lines[3] == "**抽样检验** 746批次 · 完成93.2% · :red[落后序时6.2]"
    assert [line.split("** ")[1].split(" · ")[0] for line in lines] == list(tiles(app).values()), "the tiles' figures"
    phone_lines = [b for b in app.button if str(b.key).startswith("phone_attention_")]
    assert [b.label for b in phone_lines] == [b.label for b in app.button if str(b.key).startswith("attention_")][:5]
    assert [link.proto.page.rsplit("/", 1)[-1] for link in app.get("page_link")] == [
        "warnings", "briefing", "purchases", "inspections", "cooperatives", "warnings"], "then links (the last: wide)"
    phone_lines[0].click().run()
    settled(app)
    assert app.title[0].value == "垣曲县 · 王茅镇 总览", "a line opens the view that shows it"


def test_a_channel_in_the_link_narrows_the_purchases_and_its_chip_clears_it(app, demo_db):
    from fupin.report.tiles import tile

    opened(app, "purchases", to="2018-12-29", channel="canteen")
    canteen = demo_db.run_filtered("purchase_totals", Filter.year_to_date(REPORT_DAY, counties=YUANQU,
                                                                          channel="canteen")).iloc[0]
    everything = demo_db.run_filtered("purchase_totals", Filter.year_to_date(REPORT_DAY, counties=YUANQU)).iloc[0]
    assert 0 < canteen["amount_yuan"] < everything["amount_yuan"]
    assert tiles(app)["采购金额"] == tile("purchase_amount_yuan", canteen["amount_yuan"], "zh").value
    assert app.selectbox(key="channel.zh").value == "canteen" and app.query_params["channel"] == "canteen"
    chip = app.button(key="chip_channel")
    assert chip.label == "渠道：单位帮销"
    settled(chip.click().run())
    assert app.session_state["channel"] is None and "channel" not in app.query_params
    assert tiles(app)["采购金额"] == tile("purchase_amount_yuan", everything["amount_yuan"], "zh").value
    assert not [b for b in app.button if str(b.key).startswith("chip_")], "no filter left to clear"


def test_a_month_chosen_shows_a_chip_that_gives_back_the_year(app):
    opened(app, **{"from": "2018-03-01", "to": "2018-03-31"})
    chip = app.button(key="chip_dates")
    assert chip.label == "日期：2018-03-01 — 2018-03-31"
    settled(chip.click().run())
    assert "from" not in app.query_params and app.session_state["custom_from"] is False
    assert app.session_state["to"] == dt.date(2018, 12, 31), "the year's default end"
