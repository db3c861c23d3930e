"""The headline figures of a filter: actuals of every KPI, their YoY and their progress against targets."""

from dataclasses import dataclass

from .db import SnapshotDB
from .filters import Filter
from .kpi import TargetProgress, progress, yoy_pct
from .schema import COUNTY_CODE, METRICS

PURCHASE_METRICS = ("purchase_amount_yuan", "purchase_weight_kg", "poor_village_amount_yuan")


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


def _first_row(frame) -> dict:
    return {k: (v.item() if hasattr(v, "item") else v) for k, v in frame.to_dict("records")[0].items()}


def _actuals(db: SnapshotDB, flt: Filter) -> tuple[dict, dict, dict, dict]:
    purchases = _first_row(db.run_filtered("purchase_totals", flt))
    inspections = _first_row(db.run_filtered("inspection_totals", flt))
    cooperatives = _first_row(db.run_filtered("cooperative_totals", flt))
    actuals = {
        "purchase_amount_yuan": purchases["amount_yuan"],
        "purchase_weight_kg": purchases["weight_kg"],
        "poor_village_amount_yuan": purchases["poor_village_amount_yuan"],
        "poor_village_weight_kg": purchases["poor_village_weight_kg"],
        "lab_batches": inspections["lab_batches"],
        "rapid_test_batches": inspections["rapid_test_batches"],
        "new_cooperatives": cooperatives["cooperatives_new"],
        "cooperatives_total": cooperatives["cooperatives_total"],
    }
    return purchases, inspections, cooperatives, actuals


def targets_apply(flt: Filter) -> bool:
    """Yearly targets compare only with a year-to-date view of a whole county, township or village."""
    return flt.date_from.month == 1 and flt.date_from.day == 1 and flt.date_from.year == flt.date_to.year


def headline(db: SnapshotDB, flt: Filter) -> Headline:
    """Compute every headline figure of a filter."""
    purchases, inspections, cooperatives, actuals = _actuals(db, flt)
    previous = _actuals(db, flt.same_period_last_year())[3]
    targets = []
    if targets_apply(flt) and not flt.village:
        scope = flt.township or COUNTY_CODE
        frame = db.run("targets_for_scope", year=flt.as_of.year, scope_code=scope)
        narrowed = flt.buyer_type is not None or flt.product_category is not None
        by_metric = dict(zip(frame["metric"], frame["target_value"]))
        for metric in METRICS:   # in the order briefings read them
            if metric not in by_metric or (narrowed and metric in PURCHASE_METRICS):
                continue
            targets.append(progress(metric, float(actuals[metric]), float(by_metric[metric]), flt.as_of))
    return Headline(flt, purchases, inspections, cooperatives, actuals, previous, targets)
