"""What a replace removes, shown before it happens, and the count a clerk must type back to confirm it."""

import pandas as pd

from ..store.snapshot import Snapshot, SnapshotError
from .columns import TABLE_LABELS
from .existing import Existing

REPLACED_QUERIES = {"purchases": "replaced_purchases", "inspections": "replaced_inspections",
                    "cooperatives": "replaced_cooperatives", "targets": "replaced_targets",
                    "offers": "replaced_offers", "tasks": "replaced_tasks", "help_funds": "replaced_help_funds",
                    "pairings": "replaced_pairings", "visits": "replaced_visits", "industries": "replaced_industries",
                    "certified_products": "replaced_certified_products", "outlets": "replaced_outlets",
                    "channel_sales": "replaced_channel_sales", "events": "replaced_events"}
LABELS = {"year": "年度", "township_code": "乡镇代码", "township_name": "乡镇", "rows": "将删除的行数"}


class ReplaceNotConfirmed(SnapshotError):
    """A replace whose confirmed row count is missing or no longer what the table holds."""


def rows_to_remove(snapshot: Snapshot, table: str, counties: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The rows of `table` a replace would remove (of `counties`, default all), per year and township (named), as
    Chinese-headed columns."""
    with Existing(snapshot, table) as existing:
        counts = existing.run_check(REPLACED_QUERIES[table], counties=list(counties) if counties else None)
        names = {r["township_code"]: r["township_name"] for r in existing.register("townships")}
        names |= {r["county_code"]: r["county_name"] for r in existing.register("counties")}
    counts["township_name"] = counts["township_code"].map(names).fillna("")
    counts["rows"] = counts["rows"].astype("int64")
    return counts[list(LABELS)].rename(columns=LABELS)


def rows_in_table(snapshot: Snapshot, table: str, counties: tuple[str, ...] | None = None) -> int:
    """How many rows a replace of `table` removes: all of them, or all of those counties' (from the manifest)."""
    if counties is None:
        return snapshot.rows(table)
    partitions = snapshot.manifest["tables"].get(table, {}).get("partitions", [])
    return sum(p["rows"] for p in partitions if p["county_code"] in counties)


def check_confirmation(snapshot: Snapshot, table: str, confirmed: int | None,
                       counties: tuple[str, ...] | None = None) -> None:
    """Raise ReplaceNotConfirmed unless `confirmed` is the number of rows the replace removes from `snapshot`."""
    removed = rows_in_table(snapshot, table, counties)
    if confirmed is None:
        raise ReplaceNotConfirmed(f"替换将删除{TABLE_LABELS[table]}现有的全部 {removed:,} 行，需要先确认这个行数")
    if confirmed != removed:
        raise ReplaceNotConfirmed(f"确认的行数 {confirmed:,} 与{TABLE_LABELS[table]}现有的 {removed:,} 行不符"
                                  "（数据可能刚被另一个导入改变），没有做任何更改，请重新确认")
