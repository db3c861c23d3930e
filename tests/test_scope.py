"""Scopes above the county: a group's or city's figures are its counties' sums, every county's townships add up to
it, the brief names each county, and a county's query reads only that county's rows."""

import datetime as dt
import json

import pytest
from conftest import run_cli
from oracle import headline

from fupin.query import scope
from fupin.query.filters import Filter
from fupin.report import brief, page_data
from fupin.report.metrics import HEADLINE

SAMR = ("230881", "230883", "621226")
DEFAULT = ("140827", "220302", "230881", "230883", "611002", "621226")


def test_the_snapshot_offers_the_group_its_cities_and_counties(demo_db):
    offered = {(s.kind, s.code): s.counties for s in scope.scopes(demo_db)}
    assert offered[("group", "samr")] == SAMR
    assert offered[("city", "230800")] == ("230881", "230883"), "佳木斯市 holds two of the demo's counties"
    assert {code for kind, code in offered if kind == "county"} == set(DEFAULT)
    assert scope.default(demo_db).code == "140827", "existing links keep meaning 垣曲县"


@pytest.mark.parametrize("year", [2018, 2019, 2020])
def test_a_groups_figures_are_its_counties_sums(demo_db, year):
    day = dt.date(year, 12, 31)
    group = headline(demo_db, Filter.year_to_date(day, counties=SAMR))
    parts = [headline(demo_db, Filter.year_to_date(day, counties=(code,))) for code in SAMR]
    for name in (*HEADLINE, "cooperatives_total", "poor_village_weight_kg", "failed_batches"):
        assert group.actuals[name] == pytest.approx(sum(p.actuals[name] for p in parts)), name
    for progress in group.targets:
        assert progress.target == pytest.approx(sum(p.progress(progress.metric).target for p in parts)), progress.metric
    summary = page_data.county_summary(demo_db, Filter.year_to_date(day, counties=SAMR))
    assert summary["amount_yuan"].sum() == pytest.approx(group.actuals["purchase_amount_yuan"])
    assert summary["lab_batches"].sum() == group.actuals["lab_batches"]


@pytest.mark.parametrize("county", DEFAULT)
@pytest.mark.parametrize("year", [2018, 2020])
def test_every_countys_townships_add_up_to_the_county(demo_db, county, year):
    flt = Filter.year_to_date(dt.date(year, 12, 31), counties=(county,))
    towns = page_data.township_summary(demo_db, flt)
    whole = headline(demo_db, flt).actuals
    assert towns["amount_yuan"].sum() == pytest.approx(whole["purchase_amount_yuan"])
    assert towns["lab_batches"].sum() == whole["lab_batches"]
    assert towns["cooperatives_total"].sum() == whole["cooperatives_total"]
    assert set(towns["township_code"].str[:6]) == {county}


def test_the_group_brief_lists_each_county_and_they_add_up(demo_db):
    flt = Filter.year_to_date(dt.date(2019, 12, 31), counties=SAMR)
    result = brief.build(demo_db, flt, "samr", "市场监管总局定点帮扶县", county_names=scope.county_names(demo_db))
    assert [c["county_code"] for c in result["counties"]] == list(SAMR)
    for name in ("purchase_amount_yuan", "lab_batches", "new_cooperatives"):
        key = {"purchase_amount_yuan": "purchase_amount_yuan", "lab_batches": "lab_batches",
               "new_cooperatives": "cooperatives_new"}[name]
        assert sum(c[name] for c in result["counties"]) == pytest.approx(result[key]), name
    text = brief.render_text(result)
    assert "各县（区）：" in text and all(name in text for name in ("礼县", "抚远市", "同江市"))


def test_brief_scope_on_the_command_line(demo_store):
    def run(*args):
        return run_cli("brief", *args, data=demo_store.root)
    done = run("--scope", "samr", "--as-of", "2020-12-31", "--format", "json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["scope"] == "samr" and len(result["counties"]) == 3
    assert round(sum(c["purchase_amount_yuan"] for c in result["counties"]), 2) == result["purchase_amount_yuan"]
    unknown = run("--scope", "999999")
    assert unknown.returncode == 2 and unknown.stderr.count("\n") == 1 and "未知的范围" in unknown.stderr


def test_a_county_query_reads_only_that_countys_rows(demo_db):
    one = demo_db.run_filtered("purchase_totals", Filter.year_to_date(dt.date(2018, 12, 31), counties=("230883",)))
    every = demo_db.run_filtered("purchase_totals", Filter.year_to_date(dt.date(2018, 12, 31), counties=DEFAULT))
    assert 0 < one["amount_yuan"].iloc[0] < every["amount_yuan"].iloc[0] / 5
