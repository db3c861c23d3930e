"""The data behind each page for one filter, from named queries only, so pages, CSV files and the brief agree."""

from collections.abc import Iterator
from dataclasses import dataclass, replace

import pandas as pd

from . import kpi
from .db import SnapshotDB
from .filters import Filter
from .headline import (
    Headline,
    cooperative_actuals,
    first_row,
    headline,
    inspection_actuals,
    purchase_actuals,
    target_progress,
)

TOP_BUYERS = 20
PAGE_ROWS = 50


def scope_wide(flt: Filter) -> Filter:
    """The same filter for the whole scope a map shows: every township (or county) of it, or township staff's own
    township only (the map draws the others without figures)."""
    return replace(flt, township=flt.township_lock, village=None)


def township_summary(db: SnapshotDB, flt: Filter) -> pd.DataFrame:
    """One row per township of the as-of year's edition: purchases, inspections, cooperatives, open unsold warnings
    and this year's targets, for the map; a township with any figure has a row, so the rows add up to the county."""
    whole = scope_wide(flt)
    frame = db.run_filtered("purchase_by_township", whole)
    inspections = db.run_filtered("inspection_by_township", whole)[["township_code", "township_name", "lab_batches",
                                                                    "rapid_test_batches", "failed"]]
    cooperatives = db.run_filtered("cooperative_by_township", whole)[["township_code", "township_name",
                                                                      "cooperatives_total", "cooperatives_new"]]
    for part in (inspections, cooperatives):
        frame = frame.merge(part, on="township_code", how="outer", suffixes=("", "_other"))
        frame["township_name"] = frame["township_name"].fillna(frame.pop("township_name_other"))
    for metric in ("purchase_amount_yuan", "poor_village_amount_yuan", "new_cooperatives"):
        targets = db.run("targets_by_township", year=flt.as_of.year, counties=list(flt.counties),
                         township=flt.township_lock, metric=metric)
        frame = frame.merge(targets.rename(columns={"target_value": f"target_{metric}"}), on="township_code", how="left")
    warned = db.run_filtered("offer_warnings_by_township", whole)[["township_code", "unsold_warnings"]]
    frame = frame.merge(warned, on="township_code", how="left")
    counts = ["lab_batches", "rapid_test_batches", "failed", "cooperatives_total", "cooperatives_new", "unsold_warnings"]
    frame[counts] = frame[counts].fillna(0).astype("int64")
    sums = ["weight_kg", "amount_yuan", "poor_village_amount_yuan"]
    frame[sums] = frame[sums].fillna(0.0)
    return frame.sort_values("township_code", ignore_index=True)


def county_summary(db: SnapshotDB, flt: Filter) -> pd.DataFrame:
    """One row per county of the scope: purchases, inspections, cooperatives, open unsold warnings and this year's
    targets, for the portfolio's map and ranking; the rows add up to the scope."""
    whole = scope_wide(flt)
    frame = db.run_filtered("purchase_by_county", whole)
    for part in (db.run_filtered("inspection_by_county", whole), db.run_filtered("cooperative_by_county", whole),
                 db.run_filtered("offer_warnings_by_county", whole)[["county_code", "unsold_warnings"]]):
        frame = frame.merge(part, on="county_code", how="left")
    for metric in ("purchase_amount_yuan", "poor_village_amount_yuan", "new_cooperatives"):
        targets = db.run("targets_by_county", year=flt.as_of.year, counties=list(flt.counties), metric=metric)
        frame = frame.merge(targets.rename(columns={"target_value": f"target_{metric}"}), on="county_code", how="left")
    counts = ["lab_batches", "rapid_test_batches", "batches", "failed", "cooperatives_total", "cooperatives_new",
              "unsold_warnings"]
    frame[counts] = frame[counts].fillna(0).astype("int64")
    return frame


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
    """The map's areas of a filter and their level: counties for a scope of several, townships of one county
    (for township staff the other townships are there, without figures)."""
    if len(flt.counties) > 1:
        return with_progress(county_summary(db, flt), flt), "county"
    summary = with_progress(township_summary(db, flt), flt)
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


def overview(db: SnapshotDB, flt: Filter, head: Headline | None = None) -> Overview:
    """Everything the overview page (and the briefing) shows for a filter; `head` if already computed."""
    head = head or headline(db, flt)
    monthly = monthly_with_last_year(db, flt)
    amount = head.progress("purchase_amount_yuan")
    target = amount.target if amount else None
    summary, level = areas(db, flt)
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
    """The purchases page: totals and last year's, breakdowns, trend and leaderboard (records come per page)."""

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

    @property
    def pages(self) -> int:
        """How many pages of PAGE_ROWS records the filter has (at least one)."""
        return page_count(self.records)


def page_count(rows: int) -> int:
    """Pages of PAGE_ROWS rows needed for `rows` rows (at least one)."""
    return max(1, -(-int(rows) // PAGE_ROWS))


def purchases(db: SnapshotDB, flt: Filter) -> Purchases:
    """Everything the purchases page shows for a filter, but the records (`purchase_records`, one page)."""
    totals = first_row(db.run_filtered("purchase_totals", flt))
    last = first_row(db.run_filtered("purchase_totals", flt.same_period_last_year()))
    by_township = db.run_filtered("purchase_by_township", flt)
    return Purchases(
        records=totals["records"],
        actuals=purchase_actuals(totals),
        previous=purchase_actuals(last),
        by_channel=db.run_filtered("purchase_by_channel", flt),
        by_buyer_type=db.run_filtered("purchase_by_buyer_type", flt),
        top_buyers=db.run_filtered("purchase_top_buyers", flt, limit=TOP_BUYERS),
        by_product=db.run_filtered("purchase_by_product", flt),
        by_township=by_township[by_township["amount_yuan"] > 0],
        by_village=purchase_villages(db, flt),
        monthly=monthly_with_last_year(db, flt),
    )


def purchase_villages(db: SnapshotDB, flt: Filter) -> pd.DataFrame:
    """Purchases per origin village of a filter (the drill-down below a township), `village_label` the name or,
    for a code missing from the reference, the code."""
    frame = db.run_filtered("purchase_by_village", flt)
    return frame.assign(village_label=frame["village_name"].fillna(frame["village_code"]))


def purchase_records(db: SnapshotDB, flt: Filter, page: int = 0, rows: int | None = PAGE_ROWS) -> pd.DataFrame:
    """One page of a filter's purchase records, newest first; `rows=None` gives all of them."""
    return db.run_filtered("purchase_records", flt, limit=rows, offset=page * (rows or 0))


def purchase_record_batches(db: SnapshotDB, flt: Filter) -> Iterator[pd.DataFrame]:
    """Every purchase record of a filter, newest first, a chunk at a time (for the CSV export)."""
    return db.batches("purchase_records", flt, limit=None, offset=0)


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


# The columns of the 预警 list as the page shows and downloads it, in its order.
WARNING_COLUMNS = ["warning_level", "township_name", "village_name", "product_name", "unsold_kg", "days_left",
                   "supplier_name", "contact_name", "contact_phone", "quantity_kg", "bought_kg", "unsold_pct",
                   "time_left_pct", "unsold_value_yuan", "harvest_from", "harvest_to", "sell_by", "village_code"]


def unsold_warnings(db: SnapshotDB, flt: Filter) -> pd.DataFrame:
    """The open unsold-product warnings of a filter on its end date (its start date, buyer type and the village's
    township aside), most severe first, then the fewest days left: the 预警 page, the overview's count and the
    attention list read the same rows."""
    return db.run_filtered("offer_warnings", flt)


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
