"""Record exports: every row of a filter as CSV or Excel, served by the app's download route rather than held in a
page's memory. A page describes the export (`RecordExport`); the route streams its rows from the same named queries,
scope-checked, and names the file as the page's buttons always have."""

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field

import pandas as pd

from ..query.filters import Filter
from ..text.export import file_name
from . import page_data
from .export_xlsx import xlsx_name

DATASETS = ("purchases", "inspections")
KINDS = ("csv", "xlsx")
ROUTE = "/download"   # under the app's base URL path: /download/csv?t=TOKEN
_FILTER_FIELDS = ("township", "village", "buyer_type", "product_category", "township_lock")


@dataclass(frozen=True)
class RecordExport:
    """What a records download holds: the dataset (purchases, inspections: `only_failed` for failures alone), the
    snapshot, the filter, and the language, title and place names the file name and Excel note are made of."""

    dataset: str
    snapshot: str
    filter: Filter
    lang: str
    what: str
    place: tuple[str, ...] = field(default=())
    only_failed: bool = False

    def __post_init__(self):
        if self.dataset not in DATASETS:
            raise ValueError(f"unknown export dataset {self.dataset!r}")

    def text(self) -> str:
        """The export as compact JSON (what a download link carries, signed)."""
        flt = self.filter
        return json.dumps({"dataset": self.dataset, "snapshot": self.snapshot, "lang": self.lang, "what": self.what,
                           "place": list(self.place), "only_failed": self.only_failed,
                           "from": flt.date_from.isoformat(), "to": flt.date_to.isoformat(),
                           "counties": list(flt.counties), **{k: getattr(flt, k) for k in _FILTER_FIELDS}},
                          ensure_ascii=False, separators=(",", ":"), sort_keys=True)

    @classmethod
    def from_text(cls, text: str) -> "RecordExport":
        """The export `text` describes; ValueError when it is not one (the filter is checked as a page's is)."""
        try:
            found = json.loads(text)
            flt = Filter(dt.date.fromisoformat(found["from"]), dt.date.fromisoformat(found["to"]),
                         counties=tuple(found["counties"]), **{k: found[k] for k in _FILTER_FIELDS})
            return cls(found["dataset"], found["snapshot"], flt, found["lang"], found["what"],
                       tuple(found["place"]), bool(found["only_failed"]))
        except (KeyError, TypeError, AttributeError) as e:
            raise ValueError(f"not an export: {e}") from None

    def batches(self, db) -> Iterator[pd.DataFrame]:
        """Every record, a chunk at a time, through `db` (a ScopedDB: rows outside the user's scope are refused)."""
        if self.dataset == "purchases":
            return page_data.purchase_record_batches(db, self.filter)
        return page_data.inspection_record_batches(db, self.filter, self.only_failed)

    def file_name(self, kind: str) -> str:
        """The file's name, as the page's download buttons name it: 采购明细_垣曲县_2018-01-01_2018-12-29.csv."""
        name = file_name if kind == "csv" else xlsx_name
        return name(self.what, list(self.place), self.filter.date_from, self.filter.date_to)


def link(base_path: str, kind: str, token: str) -> str:
    """The URL of a download link (fupin.service.downloads serves it): /dashboard/download/csv?t=TOKEN."""
    return f"{base_path}{ROUTE}/{kind}?t={token}"
