"""The data behind each page for one filter, from named queries only, so pages, CSV files and the brief agree."""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ..query.db import SnapshotDB, call
from ..query.filters import Filter
from . import kpi
from .headline import (
    Headline,
    assemble,
    cooperative_actuals,
    first_row,
    inspection_actuals,
    purchase_actuals,
    target_progress,
    targets_query,
)

TOP_BUYERS = 20
PAGE_ROWS = 50
EXPORT_BATCH_ROWS = 20_000   # rows an export turns into CSV at a time


def scope_wide(flt: Filter) -> Filter:
    """The same filter for the whole scope a map shows: every township (or county) of it, or township staff's own
    township only (the map draws the others without figures)."""
    return replace(flt, township=flt.township_lock, village=None)


def last_year(flt: Filter) -> dict:
    """The dates of the same period one year earlier, as the fused queries bind them."""
    last = flt.same_period_last_year()
    return {"last_from": last.date_from, "last_to": last.date_to}


SUMMARY_COUNTS = ["lab_batches", "rapid_test_batches", "batches", "failed", "cooperatives_total", "cooperatives_new",
                  "unsold_warnings"]


def summary_query(flt: Filter) -> tuple[str, dict]:
    """The query of the map's areas of a filter (counties for a scope of several, else townships) and its parameters:
    the whole scope, every township of it or township staff's own (the map draws the others without figures)."""
    if len(flt.counties) > 1:
        return call("county_summary", scope_wide(flt))
    return call("township_summary", scope_wide(flt))


def summary_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A summary query's rows with its counts as whole numbers."""
    counts = [c for c in SUMMARY_COUNTS if c in frame.columns]
    return frame.astype({c: "int64" for c in counts})


def township_summary(db: SnapshotDB, flt: Filter) -> pd.DataFrame:
    """One row per township of the as-of year's edition: purchases, inspections, cooperatives, open unsold warnings
    and this year's targets, for the map; a township with any figure has a row, so the rows add up to the county."""
    return summary_frame(db.run_filtered("township_summary", scope_wide(flt)))


def county_summary(db: SnapshotDB, flt: Filter) -> pd.DataFrame:
    """One row per county of the scope: purchases, inspections, cooperatives, open unsold warnings and this year's
    targets, for the portfolio's map and ranking; the rows add up to the scope."""
    return summary_frame(db.run_filtered("county_summary", scope_wide(flt)))


# The columns of each part of `purchase_figures` (as the queries of one figure each return them) and its order.
FIGURE_PARTS = {
    "total": ["records", "buyers", "weight_kg", "amount_yuan", "poor_village_weight_kg", "poor_village_amount_yuan",
              "poor_or_coop_weight_kg", "poor_or_coop_amount_yuan"],
    "month": ["month", "weight_kg", "amount_yuan", "poor_village_amount_yuan"],
    "channel": ["channel", "weight_kg", "amount_yuan", "poor_village_amount_yuan"],
    "buyer_type": ["buyer_type", "buyers", "weight_kg", "amount_yuan", "poor_village_weight_kg",
                   "poor_village_amount_yuan"],
    "township": ["township_code", "township_name", "weight_kg", "amount_yuan", "poor_village_amount_yuan"],
}
FIGURE_ORDER = {"month": ("month", True), "channel": ("amount_yuan", False), "buyer_type": ("amount_yuan", False),
                "township": ("township_code", True)}


def purchase_figures(db: SnapshotDB, flt: Filter) -> dict:
    """The fused purchase figures of a filter and of the same period last year, split (see split_figures)."""
    return split_figures(db.run_filtered("purchase_figures", flt, **last_year(flt)))


def split_figures(figures: pd.DataFrame) -> dict[tuple[str, str], pd.DataFrame]:
    """`purchase_figures` rows by (part, period), each part with its columns (FIGURE_PARTS) in its order; split once
    per result, from its columns as arrays (pandas' own masks and casts cost more than the query on a few rows)."""
    counts = {"records", "buyers"}
    columns = {c: figures[c].to_numpy(dtype="int64", na_value=0) if c in counts else figures[c].to_numpy()
               for c in figures.columns}
    parts = {}
    for (part, period), at in figures.groupby(["part", "period"], sort=False).indices.items():
        if part in FIGURE_ORDER:
            column, ascending = FIGURE_ORDER[part]
            values = columns[column][at]
            at = at[np.argsort(values if ascending else -values, kind="stable")]
        parts[(part, period)] = pd.DataFrame({c: columns[c][at] for c in FIGURE_PARTS[part]})
    parts["empty"] = figures.iloc[:0]
    return parts


def figure_part(parts: dict, part: str, period: str = "now") -> pd.DataFrame:
    """One part of the split `purchase_figures` (FIGURE_PARTS) of one period (now, last); no rows when it has none."""
    found = parts.get((part, period))
    return found.copy() if found is not None else parts["empty"][FIGURE_PARTS[part]].reset_index(drop=True)


def monthly_with_last_year(parts: dict) -> pd.DataFrame:
    """Purchases per month of the filter beside the same month one year earlier (`*_last_year` columns), from its
    split `purchase_figures`; zeros where a month has none, and the year before absent (NaN) when it has no purchase
    at all: a period before the data begins is unknown, not zero."""
    sums = ["weight_kg", "amount_yuan", "poor_village_amount_yuan"]
    this, last = figure_part(parts, "month"), figure_part(parts, "month", "last")
    now = {pd.Timestamp(m).date(): values for m, *values in this[["month", *sums]].itertuples(index=False)}
    before = {pd.Timestamp(m).date().replace(year=pd.Timestamp(m).year + 1): values   # first days: no 29 February
              for m, *values in last[["month", *sums]].itertuples(index=False)}
    months = sorted(now.keys() | before.keys())
    zeros = [0.0] * len(sums)
    none_before = zeros if before else [float("nan")] * len(sums)
    return pd.DataFrame([[m, *now.get(m, zeros), *before.get(m, none_before)] for m in months],
                        columns=["month", *sums, *(f"{c}_last_year" for c in sums)])


def schedule(monthly: pd.DataFrame, target: float, as_of) -> pd.DataFrame:
    """Cumulative purchase amount at each month end against the amount the schedule expects by then."""
    rows = kpi.schedule_series(list(zip(monthly["month"], monthly["amount_yuan"])), target, as_of)
    return pd.DataFrame(rows, columns=["date", "cumulative", "expected"])


@dataclass(frozen=True)
class Overview:
    """KPI tiles, the map's areas (the counties of a scope of several, else the townships of the county), the
    monthly trend and, with a target, the schedule path."""

    headline: Headline
    areas: pd.DataFrame
    area_level: str            # county | township
    monthly: pd.DataFrame
    amount_target: float | None
    schedule: pd.DataFrame | None


def with_progress(summary: pd.DataFrame, flt: Filter) -> pd.DataFrame:
    """Each area's purchase amount as a percentage of its yearly target (missing without one), and the points it
    stands ahead of (+) or behind (-) 序时进度 on the filter's end date."""
    target = summary["target_purchase_amount_yuan"]
    pct = summary["amount_yuan"] / target.where(target > 0) * 100
    return summary.assign(pct_of_target=pct, ahead_pp=pct - kpi.schedule_share(flt.as_of) * 100)


def areas(db: SnapshotDB, flt: Filter) -> tuple[pd.DataFrame, str]:
    """The map's areas of a filter and their level (see area_rows)."""
    name, params = summary_query(flt)
    return area_rows(db.run(name, **params), flt)


def area_rows(summary: pd.DataFrame, flt: Filter) -> tuple[pd.DataFrame, str]:
    """The map's areas of a filter from its summary (`summary_query`) and their level: counties for a scope of
    several, townships of one county (for township staff the other townships are there, without figures)."""
    summary = with_progress(summary_frame(summary), flt)
    if len(flt.counties) > 1:
        return summary, "county"
    if flt.township_lock:
        figures = [c for c in summary.columns if c not in ("township_code", "township_name")]
        summary[figures] = summary[figures].astype(float)
        summary.loc[summary["township_code"] != flt.township_lock, figures] = float("nan")
    return summary, "township"


RANKING_COLUMNS = ["county_code", "county_name", "amount_yuan", "target_purchase_amount_yuan", "pct_of_target",
                   "ahead_pp", "poor_village_amount_yuan", "lab_batches", "cooperatives_total"]


def ranking(summary: pd.DataFrame) -> pd.DataFrame:
    """Areas ranked by their share of the yearly purchase target (those without a target last), shares and points
    to one decimal as they are read."""
    ranked = summary.sort_values(["pct_of_target", "amount_yuan"], ascending=False, na_position="last",
                                 ignore_index=True)
    return ranked.assign(pct_of_target=ranked["pct_of_target"].round(1), ahead_pp=ranked["ahead_pp"].round(1))


INSPECTION_COLUMNS = ("lab_batches", "lab_failed", "rapid_test_batches", "rapid_failed", "batches", "failed")


def _totals(parts: dict, counts: pd.DataFrame, period: str) -> tuple[dict, dict, dict]:
    """A period's purchase, inspection and cooperative totals from the fused queries, as the headline takes them."""
    both = first_row(counts[counts["period"] == period].drop(columns="period"))
    inspections = {k: v for k, v in both.items() if k in INSPECTION_COLUMNS}
    cooperatives = {k: v for k, v in both.items() if k not in INSPECTION_COLUMNS}
    return first_row(figure_part(parts, "total", period)), inspections, cooperatives


def headline_calls(flt: Filter) -> list[tuple[str, dict]]:
    """The fused queries of a filter's headline: purchase figures and inspection and cooperative totals (each with
    last year's), then its targets where they apply."""
    targets = targets_query(flt)
    return [call("purchase_figures", flt, **last_year(flt)),
            call("inspection_cooperative_totals", flt, **last_year(flt)), *([targets] if targets else [])]


def _headline(flt: Filter, parts: dict, counts: pd.DataFrame, targets: list[pd.DataFrame]) -> Headline:
    """A filter's headline from its split `purchase_figures`, its `inspection_cooperative_totals` and its targets."""
    return assemble(flt, _totals(parts, counts, "now"), _totals(parts, counts, "last"), targets[0] if targets else None)


def headline(db: SnapshotDB, flt: Filter) -> Headline:
    """Every headline figure of a filter (actuals, last year's and progress against its targets): the overview's
    fused queries, so the brief and the attention list read the figures the tiles show."""
    figures, counts, *targets = db.run_many(headline_calls(flt))
    return _headline(flt, split_figures(figures), counts, targets)


def overview(db: SnapshotDB, flt: Filter) -> Overview:
    """Everything the overview page (and the briefing) shows for a filter, from four queries run side by side."""
    figures, counts, *targets, summary = db.run_many([*headline_calls(flt), summary_query(flt)])
    parts = split_figures(figures)
    head = _headline(flt, parts, counts, targets)
    monthly = monthly_with_last_year(parts)
    amount = head.progress("purchase_amount_yuan")
    target = amount.target if amount else None
    summary, level = area_rows(summary, flt)
    return Overview(
        headline=head,
        areas=summary,
        area_level=level,
        monthly=monthly,
        amount_target=target,
        schedule=schedule(monthly, target, flt.as_of) if target else None,
    )


@dataclass(frozen=True)
class Purchases:
    """The purchases page: totals and last year's, breakdowns, trend, leaderboard and the first page of records (the
    others come per page)."""

    records: int
    actuals: dict
    previous: dict
    by_channel: pd.DataFrame
    by_buyer_type: pd.DataFrame
    top_buyers: pd.DataFrame
    by_product: pd.DataFrame
    by_township: pd.DataFrame
    by_village: pd.DataFrame
    monthly: pd.DataFrame
    first_page: pd.DataFrame

    @property
    def pages(self) -> int:
        """How many pages of PAGE_ROWS records the filter has (at least one)."""
        return page_count(self.records)


def page_count(rows: int) -> int:
    """Pages of PAGE_ROWS rows needed for `rows` rows (at least one)."""
    return max(1, -(-int(rows) // PAGE_ROWS))


def purchases(db: SnapshotDB, flt: Filter) -> Purchases:
    """Everything the purchases page shows for a filter with the first page of its records (the others:
    `purchase_records`), from five queries run side by side."""
    figures, by_product, by_village, top_buyers, first_page = db.run_many([
        call("purchase_figures", flt, **last_year(flt)), call("purchase_by_product", flt),
        call("purchase_by_village", flt), call("purchase_top_buyers", flt, limit=TOP_BUYERS),
        call("purchase_records", flt, limit=PAGE_ROWS, offset=0)])
    figures = split_figures(figures)
    totals = first_row(figure_part(figures, "total"))
    by_township = figure_part(figures, "township")
    return Purchases(
        records=totals["records"],
        actuals=purchase_actuals(totals),
        previous=purchase_actuals(first_row(figure_part(figures, "total", "last"))),
        by_channel=figure_part(figures, "channel"),
        by_buyer_type=figure_part(figures, "buyer_type"),
        top_buyers=top_buyers,
        by_product=by_product,
        by_township=by_township[by_township["amount_yuan"] > 0],
        by_village=village_labels(by_village),
        monthly=monthly_with_last_year(figures),
        first_page=first_page,
    )


def village_labels(frame: pd.DataFrame) -> pd.DataFrame:
    """`purchase_by_village` rows with `village_label`: the name or, for a code missing from the reference, the
    code."""
    return frame.assign(village_label=frame["village_name"].fillna(frame["village_code"]))


def purchase_villages(db: SnapshotDB, flt: Filter) -> pd.DataFrame:
    """Purchases per origin village of a filter (the drill-down below a township), with `village_label`."""
    return village_labels(db.run_filtered("purchase_by_village", flt))


def purchase_records(db: SnapshotDB, flt: Filter, page: int = 0, rows: int | None = PAGE_ROWS) -> pd.DataFrame:
    """One page of a filter's purchase records, newest first; `rows=None` gives all of them."""
    return db.run_filtered("purchase_records", flt, limit=rows, offset=page * (rows or 0))


def purchase_record_batches(db: SnapshotDB, flt: Filter) -> Iterator[pd.DataFrame]:
    """Every purchase record of a filter, newest first, a chunk at a time (for the CSV and Excel exports).

    Read a week at a time from the newest, so that sorting newest first holds one week's rows in memory rather than
    the whole export's (a township-year at 100M rows is millions; a month of a county at 10M, 200k rows, took DuckDB
    450 MB to sort, a week 220 MB); the first chunk may be empty, so a consumer always sees the columns."""
    for n, (start, end) in enumerate(reversed(week_windows(flt.date_from, flt.date_to))):
        chunks = db.batches("purchase_records", replace(flt, date_from=start, date_to=end), EXPORT_BATCH_ROWS,
                            limit=None, offset=0)
        if n:
            next(chunks)   # each week's empty head: the first week's has given the columns
        yield from chunks


def week_windows(date_from: dt.date, date_to: dt.date) -> list[tuple[dt.date, dt.date]]:
    """[date_from, date_to] cut into 7-day windows counted back from date_to, oldest first (the first may be
    shorter)."""
    windows, end = [], date_to
    while end >= date_from:
        start = max(date_from, end - dt.timedelta(days=6))
        windows.append((start, end))
        end = start - dt.timedelta(days=1)
    return windows[::-1]


def target_table(progress: list[kpi.TargetProgress]) -> pd.DataFrame:
    """Planned vs done for some metrics: target, actual, % done and points ahead of 序时进度 (the schedule's own
    share is the same for every row: the page says it once)."""
    return pd.DataFrame([{"metric": p.metric, "target_value": p.target, "actual": p.actual,
                          "pct_done": round(p.pct_done, 1), "ahead_pp": round(p.ahead_pp, 1)} for p in progress],
                        columns=["metric", "target_value", "actual", "pct_done", "ahead_pp"])


@dataclass(frozen=True)
class Inspections:
    """The inspections page: batches with targets and pass rate, by category (lab and rapid side by side),
    township and venue, monthly, the failed items and planned vs done (records come per page)."""

    batches: int
    actuals: dict
    targets: list[kpi.TargetProgress]
    by_category: pd.DataFrame
    category_batches: pd.DataFrame
    by_township: pd.DataFrame
    by_venue: pd.DataFrame
    monthly: pd.DataFrame
    failed_items: pd.DataFrame
    plan: pd.DataFrame

    def progress(self, metric: str) -> kpi.TargetProgress | None:
        return next((p for p in self.targets if p.metric == metric), None)


def inspections(db: SnapshotDB, flt: Filter) -> Inspections:
    """Everything the inspections page shows for a filter, but the records (`inspection_records`, one page)."""
    totals = first_row(db.run_filtered("inspection_totals", flt))
    actuals = inspection_actuals(totals)
    actuals["pass_rate_pct"] = (1 - totals["failed"] / totals["batches"]) * 100 if totals["batches"] else None
    targets = target_progress(db, flt, actuals)
    by_category = db.run_filtered("inspection_by_category", flt)
    monthly = db.run_filtered("inspection_monthly", flt)
    return Inspections(
        batches=totals["batches"],
        actuals=actuals,
        targets=targets,
        by_category=by_category,
        category_batches=by_category.pivot_table(index="food_category", columns="inspection_type",
                                                 values="batches", aggfunc="sum", fill_value=0).reset_index(),
        by_township=db.run_filtered("inspection_by_township", flt),
        by_venue=db.run_filtered("inspection_by_venue", flt),
        monthly=monthly.assign(month=monthly["month"].astype(str).str[:7]),   # one bar per month, as text
        failed_items=db.run_filtered("inspection_failed_items", flt),
        plan=target_table(targets),
    )


def inspection_record_batches(db: SnapshotDB, flt: Filter, only_failed: bool = False) -> Iterator[pd.DataFrame]:
    """Every inspection record of a filter, a chunk at a time (for the CSV export)."""
    return db.batches("inspection_records", flt, only_failed=only_failed, limit=None, offset=0)


def inspection_records(db: SnapshotDB, flt: Filter, only_failed: bool = False, page: int = 0,
                       rows: int | None = PAGE_ROWS) -> pd.DataFrame:
    """One page of a filter's inspection records (all of them with `rows=None`)."""
    return db.run_filtered("inspection_records", flt, only_failed=only_failed, limit=rows,
                           offset=page * (rows or 0))


@dataclass(frozen=True)
class Cooperatives:
    """The cooperatives page: totals and last year's, registrations per year, per township."""

    actuals: dict
    previous: dict
    by_year: pd.DataFrame
    by_township: pd.DataFrame

    @property
    def empty(self) -> bool:
        """No cooperative in business or new in the filter."""
        return self.by_year.empty or self.actuals["cooperatives_total"] + self.actuals["new_cooperatives"] == 0


def cooperatives(db: SnapshotDB, flt: Filter) -> Cooperatives:
    """Everything the cooperatives page shows for a filter, but the register (`cooperative_register`)."""
    return Cooperatives(
        actuals=cooperative_actuals(first_row(db.run_filtered("cooperative_totals", flt))),
        previous=cooperative_actuals(first_row(db.run_filtered("cooperative_totals", flt.same_period_last_year()))),
        by_year=db.run_filtered("cooperative_by_year", flt),
        by_township=db.run_filtered("cooperative_by_township", flt),
    )


def cooperative_register_batches(db: SnapshotDB, flt: Filter, search: str | None = None) -> Iterator[pd.DataFrame]:
    """The whole cooperative register of a filter, a chunk at a time (for the CSV export)."""
    return db.batches("cooperative_register", flt, search=search or None, limit=None, offset=0)


def cooperative_register(db: SnapshotDB, flt: Filter, search: str | None = None, page: int = 0,
                         rows: int | None = PAGE_ROWS) -> pd.DataFrame:
    """One page of the cooperative register as of the filter's end date, optionally searched."""
    return db.run_filtered("cooperative_register", flt, search=search or None, limit=rows,
                           offset=page * (rows or 0))


# The columns of the 预警 list as the page downloads it, in its order; the first WARNING_SHOWN are what the list
# shows at a glance (what, where, how bad, whom to call), the rest are under it on demand.
WARNING_COLUMNS = ["warning_level", "township_name", "village_name", "product_name", "unsold_kg", "days_left",
                   "supplier_name", "contact_name", "contact_phone", "quantity_kg", "bought_kg", "unsold_pct",
                   "time_left_pct", "unsold_value_yuan", "harvest_from", "harvest_to", "sell_by", "village_code"]
WARNING_SHOWN = 9


def unsold_warnings(db: SnapshotDB, flt: Filter) -> pd.DataFrame:
    """The open unsold-product warnings of a filter on its end date (its start date, buyer type and the village's
    township aside), most severe first, then the fewest days left: the 预警 page, the overview's count and the
    attention list read the same rows."""
    return db.run_filtered("unsold_warnings", flt)


@dataclass(frozen=True)
class Warnings:
    """The 预警 page: the open warnings, the map's areas with their counts, and the rules the levels follow."""

    warnings: pd.DataFrame
    areas: pd.DataFrame
    area_level: str            # county | township
    rules: pd.DataFrame

    def counts(self) -> dict[str, int]:
        """Warnings per level, the most severe first."""
        found = self.warnings["warning_level"].value_counts()
        return {level: int(found.get(level, 0)) for level in reversed(self.rules["warning_level"].tolist())}


def warnings(db: SnapshotDB, flt: Filter) -> Warnings:
    """Everything the 预警 page shows for a filter."""
    areas_, level = areas(db, flt)
    return Warnings(unsold_warnings(db, flt), areas_, level, db.run("warning_rules"))
