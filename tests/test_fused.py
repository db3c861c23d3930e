"""The fused page queries equal the queries of one figure each (and the rows), on many filters: counts exactly, sums
to 1e-9 relative."""

import datetime as dt
from dataclasses import replace
from pathlib import Path

import oracle
import pandas as pd
import pytest
from test_rollup import DATE_CASES, SCOPES

from fupin.query.db import SnapshotDB
from fupin.query.filters import Filter
from fupin.report import attention, brief, page_data

YUANQU = ("140827",)
HUAFENG = "140827203"
CASES = [Filter(a, b, counties=YUANQU, **scope) for a, b in DATE_CASES for scope in SCOPES]
# Township staff: the filter bound to their own township.
CASES += [Filter(a, b, counties=YUANQU, township=HUAFENG, township_lock=HUAFENG) for a, b in DATE_CASES[:4]]
RTOL = 1e-9


def same(got: pd.DataFrame, want: pd.DataFrame) -> None:
    """Equal frames: whole numbers exactly, sums to RTOL."""
    got, want = got.reset_index(drop=True), want.reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want[got.columns], check_exact=False, rtol=RTOL, check_dtype=False)


def rows(db: SnapshotDB, flt: Filter, key: str) -> pd.DataFrame:
    """Purchase sums per `key` straight from the rows of a filter."""
    with db._con.cursor() as cur:
        return cur.execute(
            f"select {key}, sum(weight_kg) as weight_kg, sum(amount_yuan) as amount_yuan, "
            "coalesce(sum(amount_yuan) filter (where from_poor_village), 0) as poor_village_amount_yuan "
            "from filtered_purchases($date_from, $date_to, $counties, $township, $village, $buyer_type, "
            f"$product_category, $channel) group by all order by all", flt.params()).df()


@pytest.mark.parametrize("flt", CASES, ids=str)
def test_purchase_figures_equal_the_queries_of_one_figure(tiny_db, flt):
    figures = page_data.purchase_figures(tiny_db, flt)
    for period, one in (("now", flt), ("last", flt.same_period_last_year())):
        same(page_data.figure_part(figures, "total", period), tiny_db.run_filtered("purchase_totals", one))
        months = page_data.figure_part(figures, "month", period)
        same(months.assign(month=pd.to_datetime(months["month"])),
             rows(tiny_db, one, "date_trunc('month', purchase_date)::date as month").assign(
                 month=lambda f: pd.to_datetime(f["month"])))
    same(page_data.figure_part(figures, "channel").sort_values("channel"), rows(tiny_db, flt, "channel"))
    same(page_data.figure_part(figures, "buyer_type").sort_values("buyer_type"),
         tiny_db.run_filtered("purchase_by_buyer_type", flt).sort_values("buyer_type"))
    same(page_data.figure_part(figures, "township"), tiny_db.run_filtered("purchase_by_township", flt))


@pytest.mark.parametrize("flt", CASES, ids=str)
def test_inspection_and_cooperative_totals_equal_their_own_queries(tiny_db, flt):
    both = tiny_db.run_filtered("inspection_cooperative_totals", flt, **page_data.last_year(flt)).set_index("period")
    for period, one in (("now", flt), ("last", flt.same_period_last_year())):
        want = pd.concat([tiny_db.run_filtered("inspection_totals", one),
                          tiny_db.run_filtered("cooperative_totals", one)], axis=1)
        same(both.loc[[period], want.columns], want)


@pytest.mark.parametrize("flt", [f for f in CASES if f.village is None], ids=str)
def test_township_summary_equals_the_queries_per_township(tiny_db, flt):
    summary = page_data.township_summary(tiny_db, flt).set_index("township_code")
    whole = page_data.scope_wide(flt)
    purchases = tiny_db.run_filtered("purchase_by_township", whole).set_index("township_code")
    same(summary.loc[purchases.index, ["weight_kg", "amount_yuan", "poor_village_amount_yuan"]], purchases[
        ["weight_kg", "amount_yuan", "poor_village_amount_yuan"]])
    for name, columns in (("inspection_by_township", ["lab_batches", "rapid_test_batches", "failed"]),
                          ("cooperative_by_township", ["cooperatives_total", "cooperatives_new"])):
        part = tiny_db.run_filtered(name, whole).set_index("township_code")[columns]
        same(summary.loc[part.index, columns], part)
        others = summary.drop(index=part.index)[columns]
        assert (others == 0).all().all(), name
    warned = page_data.unsold_warnings(tiny_db, whole).groupby("township_code").size()
    assert summary["unsold_warnings"].sum() == warned.sum()
    assert (summary.loc[warned.index, "unsold_warnings"] == warned).all()
    targets = tiny_db.run("targets_for_scope", year=flt.as_of.year, counties=list(flt.counties),
                          township=HUAFENG).set_index("metric")["target_value"]
    if "purchase_amount_yuan" in targets.index:
        assert summary.loc[HUAFENG, "target_purchase_amount_yuan"] == pytest.approx(
            targets["purchase_amount_yuan"], rel=RTOL)


def test_county_summary_equals_the_queries_per_county(demo_db):
    flt = Filter.year_to_date(dt.date(2019, 10, 31), counties=demo_counties(demo_db))
    summary = page_data.county_summary(demo_db, flt).set_index("county_code")
    purchases = demo_db.run_filtered("purchase_by_county", flt).set_index("county_code")
    same(summary[purchases.columns], purchases)
    for code in flt.counties:
        one = replace(flt, counties=(code,))
        inspections = demo_db.run_filtered("inspection_totals", one).iloc[0]
        cooperatives = demo_db.run_filtered("cooperative_totals", one).iloc[0]
        assert summary.loc[code, "batches"] == inspections["batches"]
        assert summary.loc[code, "failed"] == inspections["failed"]
        assert summary.loc[code, "cooperatives_total"] == cooperatives["cooperatives_total"]
        assert summary.loc[code, "cooperatives_new"] == cooperatives["cooperatives_new"]


def demo_counties(db: SnapshotDB) -> tuple[str, ...]:
    """Every county of the demo snapshot."""
    with db._con.cursor() as cur:
        return tuple(r[0] for r in cur.execute("select county_code from counties order by 1").fetchall())


@pytest.mark.parametrize("flt", CASES, ids=str)
def test_the_headline_the_pages_and_the_brief_read_equals_the_one_figure_per_query_oracle(tiny_db, flt):
    got, want = page_data.headline(tiny_db, flt), oracle.headline(tiny_db, flt)
    assert got.actuals == pytest.approx(want.actuals, rel=RTOL) and got.previous == pytest.approx(want.previous, rel=RTOL)
    assert got.targets == want.targets


def test_the_brief_and_the_attention_list_take_the_headline_from_the_page_data():
    for module in (brief, attention):
        assert not hasattr(module, "headline"), f"{module.__name__} computes a headline of its own"
        assert "purchase_totals" not in Path(module.__file__).read_text(encoding="utf-8")
