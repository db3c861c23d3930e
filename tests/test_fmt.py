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


@pytest.mark.parametrize("label, metric, lang, expected", [
    ("purchase_amount", "amount_yuan", "zh", "采购金额（万元）"),
    ("purchase_amount", "amount_yuan", "en", "Purchase amount (×10k yuan)"),
    ("purchase_weight", "weight_kg", "en", "Purchase weight (×10k kg)"),
    ("lab_batches", "lab_batches", "en", "Lab sampling"),
])
def test_titles_carry_the_unit_of_their_values(label, metric, lang, expected):
    assert fmt.titled(t(label, lang), fmt.unit_of(metric, lang), lang) == expected


def test_unit_labels_are_the_i18n_words():
    assert fmt.unit_of("purchase_amount_yuan", "en") == t("unit_wan_yuan", "en") == "×10k yuan"
    assert fmt.unit_of("purchase_weight_kg", "zh") == t("unit_wan_kg", "zh") == "万公斤"


def test_english_chart_target_and_hover_read_as_number_then_unit():
    schedule = {"date": [dt.date(2018, 1, 31)], "cumulative": [3_000_000.0], "expected": [3_400_000.0]}
    fig = charts.schedule_path(pd.DataFrame(schedule), 40_000_000.0, dt.date(2018, 1, 31),
                               t("unit_wan_yuan", "en"), "en")
    texts = [a.text for a in fig.layout.annotations]
    assert "Target 4,000.0 ×10k yuan" in texts, texts
    assert all(" ×10k yuan" in trace.hovertemplate for trace in fig.data)
    assert fig.layout.yaxis.title.text == "×10k yuan"
    zh = charts.schedule_path(pd.DataFrame(schedule), 40_000_000.0, dt.date(2018, 1, 31), "万元")
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
