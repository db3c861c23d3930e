"""Rows already there: repeated in the ledger, identical to the snapshot's, or updating a register entry by its key."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from ..store.plan_tables import PLAN_TABLES
from .existing import Existing

# Registers hold one row per key; a ledger row with a known key replaces the registered one. A help fund has no key
# but the whole row (as purchases: a row identical to one already there is a duplicate).
REGISTER_KEYS = {"cooperatives": ("credit_code",), "targets": ("year", "scope_code", "metric"),
                 "tasks": ("county_code", "plan_name", "task_no", "update_date"),
                 "help_funds": tuple(PLAN_TABLES["help_funds"].names),
                 "pairings": ("township_code", "unit_name"),
                 "visits": ("visit_date", "township_code", "unit_name"),
                 "industries": ("year", "township_code", "village_code", "industry", "project"),
                 "certified_products": ("product_id",), "outlets": ("outlet_id",), "events": ("event_id",)}
CONFLICT_COLUMNS = {"cooperatives": "credit_code", "targets": "target_value", "tasks": "status",
                    "help_funds": "amount_yuan", "pairings": "pairing_mode", "visits": "visit_kind",
                    "industries": "industry", "certified_products": "product_id", "outlets": "outlet_id",
                    "events": "event_id"}
ALREADY_THERE = "与快照中已有的一行完全相同，已跳过"
UPDATES = {"cooperatives": "信用代码已登记，按台账更新登记信息",
           "targets": "该年度、范围和指标已有目标，按台账替换",
           "tasks": "该任务在这一更新日期已有记录，按台账替换",
           "pairings": "该单位与该乡镇已结对，按台账更新",
           "visits": "该单位当天在该乡镇已有活动记录，按台账更新",
           "industries": "该年度、地点、产业和项目已有记录，按台账替换",
           "certified_products": "认定编号已登记，按台账更新（如状态、有效期）",
           "outlets": "网点编号已登记，按台账更新（如阶段、台数）",
           "events": "活动编号已登记，按台账更新"}
CONFLICTS = {"cooperatives": "同一信用代码在台账中出现多次且内容不同",
             "targets": "同一年度、范围和指标在台账中出现多次且目标值不同",
             "tasks": "同一方案、任务序号和更新日期在台账中出现多次且内容不同",
             "pairings": "同一单位与同一乡镇的结对在台账中出现多次且内容不同",
             "visits": "同一单位同一天在同一乡镇的活动在台账中出现多次且内容不同",
             "industries": "同一年度、地点、产业和项目在台账中出现多次且内容不同",
             "certified_products": "同一认定编号在台账中出现多次且内容不同",
             "outlets": "同一网点编号在台账中出现多次且内容不同",
             "events": "同一活动编号在台账中出现多次且内容不同"}


@dataclass
class Sorting:
    """What becomes of each checked row (by position); rows in none of these are new."""

    duplicates: dict = field(default_factory=dict)   # position -> reason
    conflicts: dict = field(default_factory=dict)    # position -> (column, reason)
    updates: dict = field(default_factory=dict)      # position -> reason
    replaced_keys: set = field(default_factory=set)  # register keys whose snapshot rows the ledger replaces


def _same(a, b) -> bool:
    return a == b or (a is None and b is None)


def sort_rows(rows: pd.DataFrame, table: str, mode: str, existing: Existing, where: Callable[[int], str]) -> Sorting:
    """Sort checked rows of a register (cooperatives, targets: small tables) into duplicates, conflicts and updates;
    `where(position)` names a row for messages. Fact tables are sorted in DuckDB (existing.Existing)."""
    sorting = Sorting()
    first_of: dict[int, int] = {}
    groups = rows.groupby(list(rows.columns), dropna=False, sort=False).ngroup() if len(rows) else pd.Series()
    for position, group in groups.items():
        if group in first_of:
            sorting.duplicates[position] = f"与{where(first_of[group])}完全相同，只计一次"
        else:
            first_of[group] = position
    _sort_register(rows.drop(index=list(sorting.duplicates)), table, mode, existing, where, sorting)
    return sorting


def _sort_register(rows: pd.DataFrame, table: str, mode: str, existing: Existing, where, sorting: Sorting) -> None:
    keys = REGISTER_KEYS[table]
    positions = defaultdict(list)
    for position, key in zip(rows.index, zip(*(rows[k] for k in keys))):
        positions[key].append(position)
    for found in positions.values():
        if len(found) > 1:
            for position in found:
                others = "、".join(where(p) for p in found if p != position)
                sorting.conflicts[position] = (CONFLICT_COLUMNS[table], f"{CONFLICTS[table]}（另见{others}）")
    if mode != "append":
        return
    registered = {tuple(r[k] for k in keys): r for r in existing.register(table)}
    for key, found in positions.items():
        old = registered.get(key)
        if old is None or len(found) > 1:
            continue
        position = found[0]
        if all(_same(old[c], rows.at[position, c]) for c in rows.columns):
            sorting.duplicates[position] = ALREADY_THERE
        else:
            sorting.updates[position] = UPDATES[table]
            sorting.replaced_keys.add(key)
