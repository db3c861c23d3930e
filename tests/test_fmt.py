"""Numbers as users read them: one unit convention per language (万元 / 万公斤; ×10k yuan / ×10k kg in English)."""

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from fupin.ledger import history
from fupin.report import charts
from fupin.store.snapshot import Snapshot
from fupin.text import fmt
from fupin.text.i18n import t


@pytest.mark.parametrize("value, lang, expected", [
    (41_546_318.27, "zh", "4154.6万元"),
    (41_546_318.27, "en", "4,154.6 ×10k yuan"),
    (40_000_000.0, "en", "4,000.0 ×10k yuan"),
    (123_456_789.0, "zh", "1.23亿元"),
    (123_456_789.0, "en", "1.23 ×100M yuan"),
    (None, "en", "—"),
])
def test_money_in_wan_in_both_languages(value, lang, expected):
    assert fmt.money(value, lang=lang) == expected


@pytest.mark.parametrize("value, lang, expected", [
    (11_462_000.0, "zh", "1146.2万公斤"),
    (11_462_000.0, "en", "1,146.2 ×10k kg"),
    (153_800.0, "en", "15.4 ×10k kg"),
])
def test_weight_in_wan_kg_in_both_languages(value, lang, expected):
    assert fmt.weight(value, lang=lang) == expected


def test_english_numbers_equal_the_chinese_ones():
    for value in (41_546_318.27, 258_000.0, 5_760_000_000.0):
        zh, en = fmt.money(value), fmt.money(value, lang="en")
        assert zh.removesuffix("万元").removesuffix("亿元") == en.split(" ")[0].replace(",", "")


@pytest.mark.parametrize("label, kind, values, lang, expected", [
    ("purchase_amount", "yuan", [41_546_318.27], "zh", "采购金额（万元）"),
    ("purchase_amount", "yuan", [41_546_318.27], "en", "Purchases (×10k yuan)"),
    ("purchase_weight", "kg", [11_462_000.0], "en", "Purchase weight (×10k kg)"),
    ("purchase_weight", "kg", [4_800.0], "zh", "采购数量（吨）"),
])
def test_titles_carry_the_unit_of_their_values(label, kind, values, lang, expected):
    assert fmt.titled(t(label, lang), fmt.unit_for(kind, values).label(lang), lang) == expected


def test_a_title_that_names_its_unit_keeps_it_once():
    assert fmt.titled(t("new_cooperatives", "en"), t("unit_households", "en"), "en") == "New cooperatives"
    assert fmt.titled(t("lab_batches", "en"), t("unit_batches", "en"), "en") == "Lab sampling (batches)"
    assert fmt.titled(t("new_cooperatives", "zh"), t("unit_households", "zh"), "zh") == "今年新增合作社（户）"


@pytest.mark.parametrize("kind, values, unit", [
    ("yuan", [183_000_000.0, 95_745_000.0], "亿元"),       # 礼县: 1.83亿元 beside 0.96亿元, never 9574.5万元
    ("yuan", [99_999_999.0, 2_000.0], "万元"),
    ("yuan", [None, float("nan")], "万元"),
    ("kg", [11_462_000.0, 2_000.0], "万公斤"),
    ("kg", [9_999.0, 4_766.6], "吨"),
    ("kg", [10_000.0], "万公斤"),
])
def test_one_unit_from_the_largest_value_shown(kind, values, unit):
    assert fmt.unit_for(kind, values).label("zh") == unit


def test_a_row_of_money_reads_in_one_unit():
    unit = fmt.unit_for("yuan", [183_170_000.0, 95_745_000.0])
    assert [unit.number(v) for v in (183_170_000.0, 95_745_000.0)] == ["1.83", "0.96"]
    assert unit.text(95_745_000.0, "en") == "0.96 ×100M yuan"


@pytest.mark.parametrize("column, kind", [("amount_yuan", "yuan"), ("poor_village_amount_yuan_last_year", "yuan"),
                                          ("cumulative", "yuan"), ("unsold_kg", "kg"), ("weight_kg", "kg"),
                                          ("price_yuan_per_kg", None), ("batches", None)])
def test_money_and_weight_columns_are_told_by_their_names(column, kind):
    assert fmt.kind_of(column) == kind


@pytest.mark.parametrize("month, lang, one_year, expected", [
    (dt.date(2018, 1, 1), "zh", True, "1月"), (dt.date(2018, 12, 1), "zh", True, "12月"),
    (dt.date(2018, 1, 1), "zh", False, "2018年1月"), (dt.date(2018, 1, 1), "en", True, "2018-01"),
    (dt.date(2018, 1, 1), "en", False, "2018-01"),
])
def test_months_are_written_one_way(month, lang, one_year, expected):
    assert fmt.month_label(month, lang, one_year) == expected


@pytest.mark.parametrize("n, lang, expected", [(1, "en", "1 warning"), (2, "en", "2 warnings"),
                                               (0, "en", "0 warnings"), (1, "zh", "1条")])
def test_counts_take_the_plural_their_number_needs(n, lang, expected):
    assert fmt.count(n, t("unit_warnings", lang), lang) == expected


def test_sentences_take_the_plural_their_number_needs():
    assert t("rows_total", "en", n=1) == "1 row" and t("rows_total", "en", n=3) == "3 rows"
    assert t("attention_unsold_warning", "en", level="Warning", place="X", product="Y", kg="4.8 t", days=1) \
        == "Warning: X Y, 4.8 t unsold, 1 day left"


def test_english_chart_target_and_hover_read_as_number_then_unit():
    schedule = {"date": [dt.date(2018, 1, 31)], "cumulative": [3_000_000.0], "expected": [3_400_000.0]}
    fig = charts.schedule_path(pd.DataFrame(schedule), 40_000_000.0, dt.date(2018, 1, 31), "en")
    texts = [a.text for a in fig.layout.annotations]
    assert "Target 4,000.0 ×10k yuan" in texts, texts
    assert all(" ×10k yuan" in trace.hovertemplate for trace in fig.data)
    assert fig.layout.yaxis.title.text == "×10k yuan"
    zh = charts.schedule_path(pd.DataFrame(schedule), 40_000_000.0, dt.date(2018, 1, 31))
    assert "目标 4000.0万元" in [a.text for a in zh.layout.annotations]


SNAPSHOT = Snapshot("2020-12-31_20261201T180250024762Z", Path("."),
                    {"as_of": "2020-12-31", "created_at": "2026-12-01T18:02:50+00:00"})


@pytest.mark.parametrize("lang, expected", [
    ("zh", "数据截至 2020-12-31，更新于 2026-12-02 02:02 北京时间"),
    ("en", "Data as of 2020-12-31, updated 2026-12-02 02:02 Beijing time"),
])
def test_data_label_names_the_as_of_and_the_beijing_time_of_the_update(lang, expected):
    assert fmt.data_label(SNAPSHOT, lang) == expected


def test_beijing_time_is_the_one_clock_of_imports_too():
    assert history.beijing_time("2026-12-01T18:02:50+00:00") == fmt.beijing_time("2026-12-01T18:02:50+00:00")


@pytest.mark.parametrize("lang, expected", [("zh", "2020年12月31日数据（12月2日 02:02 更新）"),
                                            ("en", "Data of 31 Dec 2020 (updated 2 Dec 02:02)")])
def test_a_snapshot_is_named_by_its_dates_never_its_id(lang, expected):
    assert fmt.snapshot_name(SNAPSHOT, lang) == expected
