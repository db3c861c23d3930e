"""The data behind each page for one filter, from named queries only, so pages, CSV files and the brief agree."""

from collections.abc import Iterator
from dataclasses import dataclass, replace

import pandas as pd

from . import kpi
from .db import SnapshotDB
from .filters import Filter
from .headline import Headline, headline

TOP_BUYERS = 20
PAGE_ROWS = 50


def county_wide(flt: Filter) -> Filter:
    """The same filter for the whole county: the map always shows every township."""
    return replace(flt, township=None, village=None)


def township_summary(db: SnapshotDB, flt: Filter) -> pd.DataFrame:
    """One row per township of the as-of year's edition: purchases, inspections, cooperatives and this year's
    targets, for the map; a township with any figure has a row, so the rows add up to the county."""
    whole = county_wide(flt)
    frame = db.run_filtered("purchase_by_township", whole)
    inspections = db.run_filtered("inspection_by_township", whole)[["township_code", "township_name", "lab_batches",
                                                                    "rapid_test_batches", "failed"]]
    cooperatives = db.run_filtered("cooperative_by_township", whole)[["township_code", "township_name",
                                                                      "cooperatives_total", "cooperatives_new"]]
    for part in (inspections, cooperatives):
        frame = frame.merge(part, on="township_code", how="outer", suffixes=("", "_other"))
        frame["township_name"] = frame["township_name"].fillna(frame.pop("township_name_other"))
    for metric in ("purchase_amount_yuan", "poor_village_amount_yuan", "new_cooperatives"):
        targets = db.run("targets_by_township", year=flt.as_of.year, metric=metric)
        frame = frame.merge(targets.rename(columns={"target_value": f"target_{metric}"}), on="township_code", how="left")
    counts = ["lab_batches", "rapid_test_batches", "failed", "cooperatives_total", "cooperatives_new"]
    frame[counts] = frame[counts].fillna(0).astype("int64")
    sums = ["weight_kg", "amount_yuan", "poor_village_amount_yuan"]
    frame[sums] = frame[sums].fillna(0.0)
    return frame.sort_values("township_code", ignore_index=True)


def monthly_with_last_year(db: SnapshotDB, flt: Filter) -> pd.DataFrame:
    """Purchases per month of the filter beside the same month one year earlier (`*_last_year` columns)."""
    this = db.run_filtered("purchase_monthly", flt)
    last = db.run_filtered("purchase_monthly", flt.same_period_last_year())
    this["month"] = pd.to_datetime(this["month"])
    last["month"] = pd.to_datetime(last["month"]) + pd.DateOffset(years=1)
    merged = this.merge(last, on="month", how="outer", suffixes=("", "_last_year")).sort_values("month")
    merged["month"] = merged["month"].dt.date
    return merged.fillna(0.0).reset_index(drop=True)


def schedule(monthly: pd.DataFrame, target: float, as_of) -> pd.DataFrame:
    """Cumulative purchase amount at each month end against the amount the schedule expects by then."""
    rows = kpi.schedule_series(list(zip(monthly["month"], monthly["amount_yuan"])), target, as_of)
    return pd.DataFrame(rows, columns=["date", "cumulative", "expected"])


@dataclass(frozen=True)
class Overview:
    """KPI tiles, the map's values, the monthly trend and, with a target, the schedule path."""

    headline: Headline
    townships: pd.DataFrame
    monthly: pd.DataFrame
    amount_target: float | None
    schedule: pd.DataFrame | None


def overview(db: SnapshotDB, flt: Filter) -> Overview:
    """Everything the overview page shows for a filter."""
    head = headline(db, flt)
    monthly = monthly_with_last_year(db, flt)
    target = next((p.target for p in head.targets if p.metric == "purchase_amount_yuan"), None)
    return Overview(
        headline=head,
        townships=township_summary(db, flt),
        monthly=monthly,
        amount_target=target,
        schedule=schedule(monthly, target, flt.as_of) if target else None,
    )


@dataclass(frozen=True)
class Purchases:
    """The purchases page: totals and last year's, breakdowns, trend, leaderboard and one page of records."""

    totals: pd.Series
    totals_last_year: pd.Series
    by_channel: pd.DataFrame
    by_buyer_type: pd.DataFrame
    top_buyers: pd.DataFrame
    by_product: pd.DataFrame
    by_township: pd.DataFrame
    by_village: pd.DataFrame
    monthly: pd.DataFrame
    records: pd.DataFrame


def purchases(db: SnapshotDB, flt: Filter, page: int = 0) -> Purchases:
    """Everything the purchases page shows for a filter; `page` picks the records page (0 = newest)."""
    return Purchases(
        totals=db.run_filtered("purchase_totals", flt).iloc[0],
        totals_last_year=db.run_filtered("purchase_totals", flt.same_period_last_year()).iloc[0],
        by_channel=db.run_filtered("purchase_by_channel", flt),
        by_buyer_type=db.run_filtered("purchase_by_buyer_type", flt),
        top_buyers=db.run_filtered("purchase_top_buyers", flt, limit=TOP_BUYERS),
        by_product=db.run_filtered("purchase_by_product", flt),
        by_township=db.run_filtered("purchase_by_township", flt),
        by_village=db.run_filtered("purchase_by_village", flt),
        monthly=monthly_with_last_year(db, flt),
        records=purchase_records(db, flt, page),
    )


def purchase_villages(db: SnapshotDB, flt: Filter) -> pd.DataFrame:
    """Purchases per origin village of a filter (the drill-down below a township)."""
    return db.run_filtered("purchase_by_village", flt)


def purchase_records(db: SnapshotDB, flt: Filter, page: int = 0, rows: int | None = PAGE_ROWS) -> pd.DataFrame:
    """One page of a filter's purchase records, newest first; `rows=None` gives all of them."""
    return db.run_filtered("purchase_records", flt, limit=rows, offset=page * (rows or 0))


def purchase_record_batches(db: SnapshotDB, flt: Filter) -> Iterator[pd.DataFrame]:
    """Every purchase record of a filter, newest first, a chunk at a time (for the CSV export)."""
    return db.batches("purchase_records", flt, limit=None, offset=0)


def target_table(progress: list[kpi.TargetProgress]) -> pd.DataFrame:
    """Planned vs done for some metrics: target, actual, % done, schedule and points ahead."""
    return pd.DataFrame([{"metric": p.metric, "target_value": p.target, "actual": p.actual,
                          "pct_done": round(p.pct_done, 1), "schedule_pct": round(p.schedule_pct, 1),
                          "ahead_pp": round(p.ahead_pp, 1)} for p in progress],
                        columns=["metric", "target_value", "actual", "pct_done", "schedule_pct", "ahead_pp"])


@dataclass(frozen=True)
class Inspections:
    """The inspections page: batches by category, township and venue, monthly, and the records."""

    totals: pd.Series
    by_category: pd.DataFrame
    by_township: pd.DataFrame
    by_venue: pd.DataFrame
    monthly: pd.DataFrame
    failed_items: pd.DataFrame
    records: pd.DataFrame


def inspections(db: SnapshotDB, flt: Filter, only_failed: bool = False, page: int = 0) -> Inspections:
    """Everything the inspections page shows for a filter."""
    return Inspections(
        totals=db.run_filtered("inspection_totals", flt).iloc[0],
        by_category=db.run_filtered("inspection_by_category", flt),
        by_township=db.run_filtered("inspection_by_township", flt),
        by_venue=db.run_filtered("inspection_by_venue", flt),
        monthly=db.run_filtered("inspection_monthly", flt),
        failed_items=db.run_filtered("inspection_failed_items", flt),
        records=inspection_records(db, flt, only_failed, page),
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
    """The cooperatives page: totals, registrations per year, per township, and the register."""

    totals: pd.Series
    previous: pd.Series
    by_year: pd.DataFrame
    by_township: pd.DataFrame
    register: pd.DataFrame


def cooperatives(db: SnapshotDB, flt: Filter, search: str | None = None, page: int = 0) -> Cooperatives:
    """Everything the cooperatives page shows for a filter."""
    return Cooperatives(
        totals=db.run_filtered("cooperative_totals", flt).iloc[0],
        previous=db.run_filtered("cooperative_totals", flt.same_period_last_year()).iloc[0],
        by_year=db.run_filtered("cooperative_by_year", flt),
        by_township=db.run_filtered("cooperative_by_township", flt),
        register=cooperative_register(db, flt, search, page),
    )


def cooperative_register_batches(db: SnapshotDB, flt: Filter, search: str | None = None) -> Iterator[pd.DataFrame]:
    """The whole cooperative register of a filter, a chunk at a time (for the CSV export)."""
    return db.batches("cooperative_register", flt, search=search or None, limit=None, offset=0)


def cooperative_register(db: SnapshotDB, flt: Filter, search: str | None = None, page: int = 0,
                         rows: int | None = PAGE_ROWS) -> pd.DataFrame:
    """One page of the cooperative register as of the filter's end date, optionally searched."""
    return db.run_filtered("cooperative_register", flt, search=search or None, limit=rows,
                           offset=page * (rows or 0))
