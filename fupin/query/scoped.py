"""A snapshot's database as one user may query it: every query's counties within the user's, and township staff's
queries bound to their own township. Pages receive this instead of the shared database, so no URL, page, CSV,
brief or map can read rows outside the user's scope; cached results are keyed by the bound values, scope included."""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pandas as pd

from .db import SnapshotDB, bound
from .filters import Filter
from .scope import Scope

# Queries that return names, codes, date ranges and settings only (no figures): township staff may list their county's.
WITHOUT_FIGURES = frozenset({"scope_options", "township_successors", "township_options", "product_category_options",
                             "data_date_range", "warning_rules"})


@dataclass(frozen=True)
class Allowed:
    """What a user may see in a snapshot: county codes (empty: nothing) and, for township staff, their township."""

    counties: tuple[str, ...]
    township: str | None = None

    def covers(self, chosen: Scope) -> bool:
        """Whether every county of a scope is allowed (the sidebar offers only such scopes)."""
        return bool(chosen.counties) and set(chosen.counties) <= set(self.counties)


class OutOfScope(Exception):
    """A query asked for rows outside the user's scope (a bug in the page, never shown as data)."""


class ScopedDB:
    """The queries of a SnapshotDB, each checked against what the user may see before it runs."""

    def __init__(self, db: SnapshotDB, allowed: Allowed):
        self.db = db
        self.allowed = allowed

    @property
    def snapshot(self):
        return self.db.snapshot

    def _check(self, name: str, params: dict) -> None:
        counties = params.get("counties")
        if counties is not None and not set(counties) <= set(self.allowed.counties):
            raise OutOfScope(f"{name}: counties {sorted(set(counties) - set(self.allowed.counties))}")
        own = self.allowed.township
        if own is None or name in WITHOUT_FIGURES:
            return
        if "township" not in params or params["township"] != own:
            raise OutOfScope(f"{name}: township {params.get('township')} is not {own}")

    def run(self, name: str, **params) -> pd.DataFrame:
        self._check(name, params)
        return self.db.run(name, **params)

    def run_filtered(self, name: str, flt: Filter, **extra) -> pd.DataFrame:
        return self.run(name, **bound(name, flt, extra))

    def run_many(self, calls: Sequence[tuple[str, dict]]) -> list[pd.DataFrame]:
        for name, params in calls:   # every one checked before any runs
            self._check(name, params)
        return self.db.run_many(calls)

    def batches(self, name: str, flt: Filter, rows: int = 50_000, **extra) -> Iterator[pd.DataFrame]:
        self._check(name, bound(name, flt, extra))
        return self.db.batches(name, flt, rows, **extra)
