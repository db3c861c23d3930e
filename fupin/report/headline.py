"""The headline figures of a filter: actuals of every KPI, their YoY and their progress against targets."""

from dataclasses import dataclass

import pandas as pd

from ..query.db import SnapshotDB, call
from ..query.filters import Filter
from .kpi import TargetProgress, progress, yoy_pct
from .metrics import PURCHASE_METRICS, TARGET_METRICS


@dataclass(frozen=True)
class Headline:
    """Actuals, same-period-last-year values and target progress for one filter."""

    filter: Filter
    purchases: dict
    inspections: dict
    cooperatives: dict
    actuals: dict
    previous: dict
    targets: list[TargetProgress]

    def yoy(self, metric: str) -> float | None:
        return yoy_pct(self.actuals[metric], self.previous.get(metric))

    def progress(self, metric: str) -> TargetProgress | None:
        """How a metric stands against its yearly target, or None when it has none here."""
        return next((p for p in self.targets if p.metric == metric), None)

    @property
    def poor_village_share_pct(self) -> float | None:
        """The part of the purchase amount bought from poor villages, in percent."""
        amount = self.actuals["purchase_amount_yuan"]
        return self.actuals["poor_village_amount_yuan"] / amount * 100 if amount else None

    def pass_rate_pct(self, inspection_type: str) -> float | None:
        """The share of batches of `inspection_type` (lab or rapid) that passed, in percent."""
        batches = self.inspections["lab_batches" if inspection_type == "lab" else "rapid_test_batches"]
        failed = self.inspections[f"{inspection_type}_failed"]
        return (1 - failed / batches) * 100 if batches else None


def first_row(frame) -> dict:
    """The first row of a result as plain Python values."""
    values = ((k, frame[k].iat[0]) for k in frame.columns)   # per column: a row would upcast counts to floats
    return {k: (v.item() if hasattr(v, "item") else v) for k, v in values}


def purchase_actuals(totals: dict) -> dict:
    """The purchase metrics of a `purchase_totals` row, by metric name."""
    return {"purchase_amount_yuan": totals["amount_yuan"], "purchase_weight_kg": totals["weight_kg"],
            "poor_village_amount_yuan": totals["poor_village_amount_yuan"],
            "poor_village_weight_kg": totals["poor_village_weight_kg"], "buyers": totals["buyers"]}


def inspection_actuals(totals: dict) -> dict:
    """The inspection metrics of an `inspection_totals` row, by metric name."""
    return {"lab_batches": totals["lab_batches"], "rapid_test_batches": totals["rapid_test_batches"],
            "failed_batches": totals["failed"]}


def cooperative_actuals(totals: dict) -> dict:
    """The cooperative metrics of a `cooperative_totals` row, by metric name."""
    return {"new_cooperatives": totals["cooperatives_new"], "cooperatives_total": totals["cooperatives_total"],
            "members": totals["members"], "poor_household_members": totals["poor_household_members"]}


def targets_apply(flt: Filter) -> bool:
    """Yearly targets compare only with a year-to-date view of a whole county, township or village."""
    return flt.date_from.month == 1 and flt.date_from.day == 1 and flt.date_from.year == flt.date_to.year


def targets_query(flt: Filter) -> tuple[str, dict] | None:
    """The query of the yearly targets of the filter's scope and its parameters, or None for a view that targets do
    not apply to (part of a year, a village)."""
    if not targets_apply(flt) or flt.village:
        return None
    return call("targets_for_scope", None, year=flt.as_of.year, counties=list(flt.counties), township=flt.township)


def progress_against(flt: Filter, targets: pd.DataFrame | None, actuals: dict) -> list[TargetProgress]:
    """Progress against the yearly targets (`targets_for_scope` rows, None where targets do not apply) for the
    metrics in `actuals`; none for purchases narrowed to one buyer type, product category or channel."""
    if targets is None:
        return []
    narrowed = flt.buyer_type is not None or flt.product_category is not None or flt.channel is not None
    by_metric = dict(zip(targets["metric"], targets["target_value"]))
    return [progress(metric, float(actuals[metric]), float(by_metric[metric]), flt.as_of)
            for metric in TARGET_METRICS   # in the order briefings read them
            if metric in by_metric and metric in actuals and not (narrowed and metric in PURCHASE_METRICS)]


def target_progress(db: SnapshotDB, flt: Filter, actuals: dict) -> list[TargetProgress]:
    """Progress against the yearly targets of the filter's scope, for the metrics in `actuals` (see
    progress_against)."""
    query = targets_query(flt)
    return progress_against(flt, db.run(query[0], **query[1]) if query else None, actuals)


def assemble(flt: Filter, now: tuple[dict, dict, dict], last: tuple[dict, dict, dict],
             targets: pd.DataFrame | None) -> Headline:
    """A filter's headline from its purchase, inspection and cooperative totals (`purchase_totals`,
    `inspection_totals`, `cooperative_totals` rows), last year's, and its targets (see progress_against)."""
    actuals = purchase_actuals(now[0]) | inspection_actuals(now[1]) | cooperative_actuals(now[2])
    previous = purchase_actuals(last[0]) | inspection_actuals(last[1]) | cooperative_actuals(last[2])
    return Headline(flt, *now, actuals, previous, progress_against(flt, targets, actuals))

