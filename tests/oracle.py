"""The headline computed one figure per query (`purchase_totals`, `inspection_totals`, `cooperative_totals`): the
oracle the fused figures that the pages, the brief and the attention list read are tested against."""

from fupin.query.db import SnapshotDB
from fupin.query.filters import Filter
from fupin.report.headline import Headline, assemble, first_row, targets_query


def totals(db: SnapshotDB, flt: Filter) -> tuple[dict, dict, dict]:
    """A filter's purchase, inspection and cooperative totals, one query each."""
    return tuple(first_row(db.run_filtered(name, flt))
                 for name in ("purchase_totals", "inspection_totals", "cooperative_totals"))


def headline(db: SnapshotDB, flt: Filter) -> Headline:
    """Every headline figure of a filter, one figure per query."""
    query = targets_query(flt)
    return assemble(flt, totals(db, flt), totals(db, flt.same_period_last_year()),
                    db.run(query[0], **query[1]) if query else None)
