"""What a leader and a clerk read (issue 23): one unit per kind of figure shown together, tables in that unit with
their decimals and %, months written one way, the 合作社 chart's second axis, names rather than codes, notices and
settings in words, English counts and glosses, the brief's wording, the import page's own words, and the files
that must never be committed. Page logic through AppTest on the demo; the browser's view is in
test_browser_presentation.py."""

import datetime as dt
import json
import subprocess

import pandas as pd
import pytest
from conftest import own_data_folder, page_warnings, settled, sign_in
from streamlit.testing.v1 import AppTest

from fupin.query.filters import Filter
from fupin.report import attention, charts, page_data
from fupin.report.tiles import headline_tiles
from fupin.settings import PROJECT_ROOT
from fupin.text import fmt
from fupin.text.tables import on_screen

APP = str(PROJECT_ROOT / "tests" / "app_entry.py")
REPORT_DAY = dt.date(2018, 12, 29)
YUANQU = ("140827",)
SAMR = ("230881", "230883", "621226")   # 同江市, 抚远市, 礼县
HUAFENG = "140827203"


def opened(monkeypatch, demo_store, page: str | None = None, **params) -> AppTest:
    """The app on the demo opened on a link (a page of pages/, query parameters), as a person sees it settled."""
    monkeypatch.setenv("FUPIN_DATA", str(demo_store.root))
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in {"to": REPORT_DAY.isoformat(), **params}.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(f"../pages/{page}.py")
    settled(at.run())
    assert not at.exception, at.exception
    return at


def table(at: AppTest, column: str):
    """The first table on the page with a column of this header: its frame and each column's display format."""
    found = next(d for d in at.dataframe if column in d.value.columns)
    config = json.loads(found.proto.columns or "{}")
    return found.value, {name: c.get("type_config", {}).get("format") for name, c in config.items()}


# Row 2: a row of tiles reads in one unit.

def test_a_row_of_money_tiles_shares_one_unit_chosen_from_the_largest(demo_db):
    head = page_data.headline(demo_db, Filter.year_to_date(REPORT_DAY, counties=SAMR))
    assert head.actuals["purchase_amount_yuan"] >= fmt.YI > head.actuals["poor_village_amount_yuan"], \
        "the demo group: more than one 亿 bought, less than one from poor villages"
    tiles = {t.key: t for t in headline_tiles(head, "zh")}
    amount, poor = tiles["purchase_amount_yuan"], tiles["poor_village_amount_yuan"]
    assert amount.heading == "采购金额（亿元）" and poor.heading == "其中贫困村（亿元）", "never 亿元 beside 万元"
    assert poor.number == fmt.number(head.actuals["poor_village_amount_yuan"] / fmt.YI, 2)
    assert "目标 0.74亿元" in poor.caption


def test_the_group_overview_shows_its_money_tiles_in_one_unit(monkeypatch, demo_store):
    at = opened(monkeypatch, demo_store, scope="samr")
    money = [m.label for m in at.metric if m.label.startswith(("采购金额", "其中贫困村"))]
    assert money == ["采购金额（亿元）", "其中贫困村（亿元）"]


# Row 3: tables in the tiles' units, with fixed decimals and percentages with their %.

def test_a_summary_table_reads_in_one_unit_with_fixed_decimals(demo_db):
    top = page_data.purchases(demo_db, Filter.year_to_date(REPORT_DAY, counties=YUANQU)).top_buyers
    shown = on_screen(top, "zh")
    assert {"金额(万元)", "数量(万公斤)", "贫困村金额(万元)"} <= set(shown.frame.columns)
    assert shown.frame["金额(万元)"].iloc[0] == pytest.approx(top["amount_yuan"].iloc[0] / fmt.WAN)
    assert shown.formats["金额(万元)"] == shown.formats["贫困村金额(万元)"] == "%.2f", "7,597,873.5 beside 2,317,138.19"
    assert on_screen(top, "en").formats["Amount (×10k yuan)"] == "%,.2f"
    ledger = on_screen(top, "zh", ledger=True)
    assert "金额(元)" in ledger.frame.columns and ledger.formats["金额(元)"] == "%.2f", "a ledger's rows: 元 to the fen"


def test_the_ranking_reads_in_yi_when_a_county_passes_one_yi(demo_db):
    flt = Filter.year_to_date(REPORT_DAY, counties=SAMR)
    ranked = page_data.ranking(page_data.areas(demo_db, flt)[0])[page_data.RANKING_COLUMNS]
    shown = on_screen(ranked, "zh")
    assert {"金额(亿元)", "采购金额目标(亿元)", "贫困村金额(亿元)"} <= set(shown.frame.columns)
    assert shown.formats["金额(亿元)"] == "%.4f" and shown.formats["完成目标"] == "%.1f%%"


def test_the_plan_table_shows_its_percentages_with_their_percent_sign(monkeypatch, demo_store):
    at = opened(monkeypatch, demo_store, "inspections")
    frame, formats = table(at, "完成目标")
    assert "完成目标(%)" not in frame.columns and formats["完成目标"] == "%.1f%%", "101 where the tile says 101.0%"
    assert formats["较序时进度(百分点)"] == "%+.1f" and formats["目标"] == "%d"


# Row 4: chart axes in the figures' unit, never "25k", months written one way, no second January.

def test_the_cumulative_chart_of_a_group_reads_in_yi_without_k_and_ends_with_the_year(demo_db):
    data = page_data.overview(demo_db, Filter.year_to_date(REPORT_DAY, counties=SAMR))
    fig = charts.schedule_path(data.schedule, data.amount_target, REPORT_DAY)
    assert fig.layout.yaxis.title.text == "亿元" and fig.layout.yaxis.exponentformat == "none"
    assert max(fig.data[0].y) == pytest.approx(data.headline.actuals["purchase_amount_yuan"] / fmt.YI)
    assert list(fig.layout.xaxis.ticktext) == ["1月", "4月", "7月", "10月"]
    assert max(fig.layout.xaxis.tickvals) <= dt.date(2018, 12, 31), "no 01月 of the next year at the axis' end"


@pytest.mark.parametrize("lang, months, expected", [
    ("zh", ["2018-01-01", "2018-02-01"], ["1月", "2月"]),
    ("zh", ["2017-12-01", "2018-01-01"], ["2017年12月", "2018年1月"]),
    ("en", ["2018-01-01", "2018-02-01"], ["2018-01", "2018-02"]),
])
def test_month_ticks_are_written_one_way_on_every_chart(lang, months, expected):
    monthly = pd.DataFrame({"month": pd.to_datetime(months), "amount_yuan": [1.0e6, 2.0e6],
                            "amount_yuan_last_year": [0.5e6, 1.0e6]})
    trend = charts.monthly_trend(monthly, "amount_yuan", lang)
    assert list(trend.layout.xaxis.ticktext) == expected
    counts = pd.DataFrame({"month": [m[:7] for m in months], "lab_batches": [3, 4]})
    assert list(charts.stacked_bars(counts, "month", {"lab_batches": "x"}, "t", "批次", lang).data[0].x) == expected


# Row 5: the 合作社 chart's second axis.

def test_the_cooperatives_chart_titles_its_right_axis_and_ticks_it_in_whole_numbers():
    years = pd.DataFrame({"year": [2016, 2017, 2018], "registered": [60, 86, 134], "stock": [465, 551, 685]})
    fig = charts.bars_and_line(years, "year", "registered", "stock", "新登记", "年末存量", "历年登记与存量", "户")
    right = fig.layout.yaxis2
    assert right.title.text == "年末存量（户）" and fig.layout.yaxis.title.text == "新登记（户）"
    assert right.tickmode == "auto" and right.tickformat == "d", "not the left axis' grid: 104, 207, 311…"


# Row 6: names, not codes.

def test_tables_show_names_and_codes_only_when_asked(monkeypatch, demo_store):
    at = opened(monkeypatch, demo_store, scope="samr")
    ranking, _ = table(at, "县（区）")
    assert "县（区）代码" not in ranking.columns
    at = opened(monkeypatch, demo_store, township=HUAFENG)
    villages, _ = table(at, "村")
    assert not {"乡镇代码", "村代码"} & set(villages.columns), "乡镇代码 repeated on every village row"
    assert at.toggle(key="codes").value is False
    at.toggle(key="codes").set_value(True).run()
    villages, _ = table(at, "村")
    assert {"乡镇代码", "村代码"} <= set(villages.columns)
    assert at.query_params["codes"] in ("1", ["1"]), "the choice is kept in the link"


def test_a_village_unknown_to_the_reference_is_still_told_apart():
    frame = pd.DataFrame({"village_code": ["140827203216", "140827203999"], "village_name": ["西型马村委会", None],
                          "amount_yuan": [1.0, 2.0]})
    assert list(on_screen(frame).frame["村"]) == ["西型马村委会", "140827203999"]


def test_snapshots_are_named_by_their_dates_never_their_ids(monkeypatch, demo_store):
    snapshot = demo_store.current()
    at = opened(monkeypatch, demo_store)
    assert at.selectbox(key="snap.zh").options[0] == f"{fmt.day(snapshot.as_of)}数据（当前）"
    at.switch_page("../pages/import.py").run()
    shown = " ".join(str(v) for d in at.dataframe for v in d.value.to_numpy().ravel())
    assert snapshot.id not in shown and fmt.snapshot_name(snapshot) in shown
    assert snapshot.id not in " ".join(at.selectbox(key="import_snapshot").options)


def test_the_rules_source_is_named_as_settings_not_a_path(monkeypatch, demo_store):
    at = opened(monkeypatch, demo_store, "warnings")
    labels = [e.label for e in at.expander]
    assert "预警规则（系统设置，由管理员维护）" in labels and not any("data/" in label for label in labels)
    assert not any(".csv" in c.value for c in at.caption)


# Row 9: English counts, and Chinese words of the ledgers in English.

def test_english_counts_are_singular_for_one(monkeypatch, demo_store):
    at = opened(monkeypatch, demo_store, "warnings", lang="en")
    values = {m.label: m.value for m in at.metric}
    assert values["Warning"] == "1 warning" and values["Watch"] == "4 warnings", values
    assert "1 warnings" not in " ".join(c.value for c in at.caption)


def test_english_tables_put_the_ledgers_chinese_words_in_english(monkeypatch, demo_store):
    at = opened(monkeypatch, demo_store, "inspections", lang="en")
    failed, _ = table(at, "Failed item")
    assert {"Enrofloxacin", "Lead (as Pb)"} <= set(failed["Failed item"])
    assert "Edible farm products" in set(failed["Food category"])
    records, _ = table(at, "Venue type")
    assert set(records["Venue type"]) <= {"Supermarket", "Farmers' market", "Food producer", "Farm base", "Restaurant"}
    assert {"Download CSV", "Download Excel"} <= {b.label for b in at.get("download_button")}


def test_english_attention_lines_gloss_failed_items(demo_db):
    found = attention.build(demo_db, Filter.year_to_date(REPORT_DAY, counties=YUANQU), "140827", "垣曲县")
    failed = [i.reason["en"] for i in found.items if i.kind == "failed_inspections"]
    assert failed and not any("恩诺沙星" in line for line in failed)
    assert any(line.startswith("Failed inspections: Enrofloxacin, 7 batches") for line in failed), failed


# Row 11: the brief's wording.

def test_group_warning_lines_name_the_county_and_share_one_weight_unit(demo_db):
    flt = Filter.year_to_date(REPORT_DAY, counties=SAMR)
    names = {"621226": "礼县", "230883": "抚远市", "230881": "同江市"}
    found = attention.build(demo_db, flt, "samr", "市场监管总局定点帮扶县", names)
    unsold = [i for i in found.items if i.kind == "unsold_warning"]
    assert unsold, "the demo group has open 滞销/预警 warnings"
    for item in unsold:
        county = names[item.link.split("county=")[1][:6]]
        place = item.reason["zh"].split("：", 1)[1]
        assert place.startswith(county + item.scope_name), item.reason["zh"]
    units = {("万公斤" if "万公斤" in i.reason["zh"] else "吨" if "吨" in i.reason["zh"] else "公斤") for i in unsold}
    assert len(units) == 1, [i.reason["zh"] for i in unsold]


def test_county_and_group_warning_lines_follow_the_same_weight_rule(demo_db):
    for counties in (YUANQU, SAMR):
        flt = Filter.year_to_date(REPORT_DAY, counties=counties)
        rows = page_data.unsold_warnings(demo_db, flt)
        rows = rows[rows["warning_level"].isin(attention.ATTENTION_LEVELS)]
        unit = fmt.unit_for("kg", rows["unsold_kg"])
        items = [i for i in attention.build(demo_db, flt, counties[0], "x").items if i.kind == "unsold_warning"]
        assert [f"未售{unit.text(kg)}" in i.reason["zh"] for i, kg in zip(items, rows["unsold_kg"])] == \
            [True] * len(rows) != []


# Row 13: the import page's own words carry the meaning of Streamlit's English ones.

def test_the_import_page_explains_the_uploaders_english_and_says_when_the_log_is_empty(monkeypatch, demo_store,
                                                                                         tmp_path):
    data_dir = own_data_folder(demo_store, tmp_path)
    monkeypatch.setenv("FUPIN_DATA", str(data_dir))
    at = sign_in(AppTest.from_file(APP, default_timeout=120), data_dir, "clerk")
    at.run()
    at.switch_page("../pages/import.py").run()
    assert not at.exception, at.exception
    uploader = at.get("file_uploader")[0]
    assert "每个文件不超过 50 MB" in uploader.proto.label
    assert any("Upload 即“选择文件”" in c.value and "50MB per file" in c.value for c in at.caption)
    assert not [d for d in at.dataframe if "操作人" in d.value.columns], "an empty table says Streamlit's 'empty'"
    assert any(c.value.startswith("还没有记录") for c in at.caption)
    assert not page_warnings(at)


# Row 14: what the app writes about people is never committed.

@pytest.mark.parametrize("path", ["data/accounts.json", "data/sessions/abc.json", "data/sessions.json",
                                  "data/signin_lockout.json", "data/audit.jsonl", "data/.signin-0a.lock",
                                  "data/.auth.lock", ".streamlit/secrets.toml"])
def test_sign_in_and_audit_files_are_ignored_by_git(path):
    found = subprocess.run(["git", "check-ignore", "--no-index", "-q", path], cwd=PROJECT_ROOT)
    assert found.returncode == 0, f"{path} would be committed by git add -A"


@pytest.mark.parametrize("path", ["data/reference/groups.csv", "data/townships_schematic.geojson",
                                  ".streamlit/config.toml"])
def test_the_repository_still_tracks_its_own_data(path):
    found = subprocess.run(["git", "check-ignore", "--no-index", "-q", path], cwd=PROJECT_ROOT)
    assert found.returncode == 1, f"{path}: reference data and the app's config stay in the repository"
