"""The plan behind the figures for one filter (任务与投入): a plan's tasks as they stood on the end date, help funds,
pairings and visits, and the industries that carry households; for the page, the brief and the attention list."""

import datetime as dt
from dataclasses import dataclass, replace

import pandas as pd

from ..query.db import SnapshotDB, call
from ..query.filters import Filter
from ..store.plan_tables import DONATION_KINDS, FUND_KINDS, TASK_STATUSES
from .page_data import scope_wide

# A span of help funds "累计" (to the end date) starts here: before any register can hold a row.
EARLIEST = dt.date(1990, 1, 1)
# task_status.sql calls a task stale after this many days without an update (said on the page and in the brief).
STALE_DAYS = 30
UNIT_SEPARATOR = "、"
FUND_SUMS = {"direct": "direct_yuan", "raised": "raised_yuan", "donated_money": "donated_money_yuan",
             "donated_goods": "donated_goods_yuan", "industry_investment": "industry_investment_yuan"}


def span(flt: Filter, cumulative: bool) -> Filter:
    """The filter whose dates the help funds and visits are counted in: from the first record to the end date
    (累计), or the filter's own dates."""
    return replace(flt, date_from=EARLIEST) if cumulative else flt


@dataclass(frozen=True)
class Tasks:
    """The tasks of the plans in the filter's counties as they stood on its end date (task_status.sql)."""

    rows: pd.DataFrame

    @property
    def empty(self) -> bool:
        return self.rows.empty

    def counts(self) -> dict:
        """How many tasks in all, per status, done (and of those late), overdue, stale and long-term."""
        rows = self.rows
        by_status = rows["status"].value_counts()
        return {"total": len(rows), "by_status": {code: int(by_status.get(code, 0)) for code in TASK_STATUSES},
                "done": int((rows["status"] == "done").sum()), "done_late": int(rows["done_late"].sum()),
                "overdue": int(rows["overdue"].sum()), "stale": int(rows["stale"].sum()),
                "long_term": int(rows["long_term"].sum())}

    def by_unit(self) -> pd.DataFrame:
        """Per lead unit: its tasks, done, overdue and stale; units with the most overdue tasks first."""
        columns = ["unit", "tasks", "done", "overdue", "stale", "overdue_tasks"]
        if self.rows.empty:
            return pd.DataFrame(columns=columns)
        led = self.rows.assign(unit=self.rows["lead_units"].str.split(UNIT_SEPARATOR)).explode("unit")
        led = led.assign(done=led["status"] == "done", task_no=led["task_no"].astype(int))
        grouped = led.groupby("unit", sort=False)
        frame = pd.DataFrame({
            "tasks": grouped.size(), "done": grouped["done"].sum(), "overdue": grouped["overdue"].sum(),
            "stale": grouped["stale"].sum(),
            "overdue_tasks": grouped.apply(lambda g: UNIT_SEPARATOR.join(map(str, g.loc[g["overdue"], "task_no"])),
                                           include_groups=False),
        }).reset_index()
        frame = frame.astype({c: "int64" for c in ("tasks", "done", "overdue", "stale")})
        return frame.sort_values(["overdue", "stale", "tasks", "unit"], ascending=[False, False, False, True],
                                 ignore_index=True)[columns]

    def plans(self) -> list[dict]:
        """Each plan: its county, name, issuing body, date and number of tasks."""
        if self.rows.empty:
            return []
        keys = ["county_code", "plan_name", "plan_issuer", "plan_issued_on"]
        grouped = self.rows.groupby(keys, dropna=False, sort=True).size().reset_index(name="tasks")
        return [{"county_code": r["county_code"], "plan_name": r["plan_name"], "plan_issuer": _text(r["plan_issuer"]),
                 "plan_issued_on": _day(r["plan_issued_on"]), "tasks": int(r["tasks"])}
                for r in grouped.to_dict("records")]


def _text(value) -> str | None:
    """A text cell, or None for a missing one."""
    return value if isinstance(value, str) else None


def _plain(frame: pd.DataFrame) -> list[dict]:
    """Rows as plain Python values (JSON)."""
    return [{k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()} for row in frame.to_dict("records")]


def _day(value) -> str | None:
    """A date cell as 2020-12-31, or None."""
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def tasks(db: SnapshotDB, flt: Filter) -> Tasks:
    """The filter's tasks on its end date."""
    return Tasks(db.run_filtered("task_status", flt))


@dataclass(frozen=True)
class Funds:
    """Help funds of a span (see `span`): totals per kind and in all, and per county, kind, purpose and month."""

    totals: pd.DataFrame       # fund_totals.sql
    breakdown: pd.DataFrame    # fund_breakdown.sql
    date_from: dt.date
    date_to: dt.date

    @property
    def empty(self) -> bool:
        return self.breakdown.empty

    def sums(self) -> dict:
        """Yuan per kind (direct_yuan, raised_yuan, ...), donations in money and goods, all, donors and items."""
        kinds = self.totals.dropna(subset=["fund_kind"]).set_index("fund_kind")["amount_yuan"]
        found = {name: float(kinds.get(kind, 0.0)) for kind, name in FUND_SUMS.items()}
        everything = self.totals[self.totals["fund_kind"].isna()]
        found["donations_yuan"] = sum(float(kinds.get(kind, 0.0)) for kind in DONATION_KINDS)
        found["total_yuan"] = float(everything["amount_yuan"].fillna(0).sum())
        found["donors"] = int(everything["donors"].fillna(0).sum())
        found["items"] = int(everything["items"].fillna(0).sum())
        return found

    def by(self, column: str) -> pd.DataFrame:
        """Yuan and items per kind, purpose or county, largest first."""
        frame = self.breakdown.groupby(column, as_index=False)[["amount_yuan", "items"]].sum()
        return frame.sort_values("amount_yuan", ascending=False, ignore_index=True)

    def monthly(self) -> pd.DataFrame:
        """Yuan per month and kind (a column per kind), months in order."""
        if self.breakdown.empty:
            return pd.DataFrame(columns=["month"])
        frame = self.breakdown.pivot_table(index="month", columns="fund_kind", values="amount_yuan", aggfunc="sum",
                                           fill_value=0.0)
        return frame.reindex(columns=[k for k in FUND_KINDS if k in frame.columns]).reset_index()


def fund_calls(flt: Filter, cumulative: bool) -> list[tuple[str, dict]]:
    """The help funds' queries of a filter's span (see `span`)."""
    counted = span(flt, cumulative)
    return [call("fund_totals", counted), call("fund_breakdown", counted)]


def funds(db: SnapshotDB, flt: Filter, cumulative: bool = True) -> Funds:
    """The filter's help funds from the first record to its end date (cumulative) or within its dates."""
    totals, breakdown = db.run_many(fund_calls(flt, cumulative))
    return Funds(totals, breakdown, span(flt, cumulative).date_from, flt.date_to)


@dataclass(frozen=True)
class Pairings:
    """Townships of the end date's year with the units paired with them and their visits; the pairings in force;
    visits per unit and year (pairing_townships.sql, pairing_list.sql, visit_by_unit_year.sql)."""

    townships: pd.DataFrame    # of the whole scope (the map's)
    pairings: pd.DataFrame
    visits_by_unit_year: pd.DataFrame
    township: str | None = None   # the filter's township: what the summary covers

    @property
    def empty(self) -> bool:
        return self.pairings.empty and self.visits_by_unit_year.empty

    def summary(self) -> dict:
        """Units paired, townships paired out of those in force, by mode; visits in all and this year (of the
        filter's township, when it has one)."""
        towns, pairs = self.townships, self.pairings
        if self.township:
            towns = towns[towns["township_code"] == self.township]
        paired = towns[towns["paired_units"] > 0]
        modes = paired["pairing_mode"].value_counts()
        return {"units": int(pairs["unit_name"].nunique()), "townships": len(paired), "townships_total": len(towns),
                "one_to_one": int(modes.get("one_to_one", 0)), "two_to_one": int(modes.get("two_to_one", 0)),
                "townships_unpaired": towns.loc[towns["paired_units"] == 0, "township_name"].tolist(),
                "visits": int(towns["visits_total"].sum()), "visits_this_year": int(towns["visits_this_year"].sum()),
                "townships_without_visit_this_year": paired.loc[paired["visits_this_year"] == 0,
                                                                "township_name"].tolist()}

    def visits_by_year(self) -> dict[int, int]:
        frame = self.visits_by_unit_year
        return {int(y): int(n) for y, n in frame.groupby("year")["visits"].sum().items()} if len(frame) else {}

    def unit_years(self) -> pd.DataFrame:
        """Visits per unit (rows) and year (columns), with the total; most visits first."""
        frame = self.visits_by_unit_year
        if frame.empty:
            return pd.DataFrame(columns=["unit_name", "visits"])
        table = frame.pivot_table(index="unit_name", columns="year", values="visits", aggfunc="sum", fill_value=0)
        table.columns = [str(c) for c in table.columns]
        table["visits"] = table.sum(axis=1)
        return table.sort_values("visits", ascending=False).reset_index()


def pairing_calls(flt: Filter) -> list[tuple[str, dict]]:
    """The pairings' queries: the townships of the whole scope (the map's), the pairings and visits of the filter."""
    return [call("pairing_townships", scope_wide(flt)), call("pairing_list", flt), call("visit_by_unit_year", flt)]


@dataclass(frozen=True)
class Industries:
    """The industries of the end date's year: per county and industry, their scales, per township."""

    totals: pd.DataFrame
    scales: pd.DataFrame
    by_township: pd.DataFrame
    year: int

    @property
    def empty(self) -> bool:
        return self.totals.empty

    def per_industry(self) -> dict[str, dict]:
        """Per industry (summed over the counties): rows, facilities, villages, poor villages among them, townships,
        households carried, farm households, people employed, investment and scale per unit; a figure no row gives
        is None."""
        found = {}
        for industry, part in self.totals.groupby("industry", sort=False):
            figures = {"year": self.year, "counties": sorted(part["county_code"].tolist())}
            for column in ("rows", "facilities", "villages", "poor_villages", "townships", "poor_households",
                           "farm_households", "people_employed", "investment_yuan"):
                values = part[column].dropna()
                total = values.sum() if len(values) else None
                figures[column] = None if total is None else (float(total) if column == "investment_yuan"
                                                                else int(total))
            scales = self.scales[self.scales["industry"] == industry].groupby("scale_unit")["scale"].sum()
            figures["scale"] = {unit: round(float(v), 6) for unit, v in scales.items()}
            found[str(industry)] = figures
        return found

    def table(self) -> pd.DataFrame:
        """Per industry: households carried and the rest, with its scales written out (62.7 MW；60个)."""
        rows = [{"industry": name, "poor_households": f["poor_households"], "farm_households": f["farm_households"],
                 "people_employed": f["people_employed"], "facilities": f["facilities"], "villages": f["villages"],
                 "townships": f["townships"],
                 "scale_text": "；".join(f"{v:,.6g} {u}" for u, v in f["scale"].items()) or None}
                for name, f in self.per_industry().items()]
        return pd.DataFrame(rows, columns=["industry", "poor_households", "farm_households", "people_employed",
                                           "facilities", "villages", "townships", "scale_text"])


def industry_calls(flt: Filter) -> list[tuple[str, dict]]:
    """The industries' queries: per county and industry, their scales, and per township of the whole scope."""
    return [call("industry_totals", flt), call("industry_scales", flt), call("industry_by_township", scope_wide(flt))]


@dataclass(frozen=True)
class PlanInputs:
    """Everything the 任务与投入 page shows for a filter."""

    tasks: Tasks
    funds: Funds
    pairings: Pairings
    industries: Industries

    @property
    def empty(self) -> bool:
        return self.tasks.empty and self.funds.empty and self.pairings.empty and self.industries.empty


def plan_inputs(db: SnapshotDB, flt: Filter, cumulative: bool = True) -> PlanInputs:
    """The page's figures for a filter, from its queries run side by side."""
    calls = [call("task_status", flt), *fund_calls(flt, cumulative), *pairing_calls(flt), *industry_calls(flt)]
    task_rows, totals, breakdown, towns, pairs, unit_years, ind_totals, scales, by_township = db.run_many(calls)
    return PlanInputs(Tasks(task_rows), Funds(totals, breakdown, span(flt, cumulative).date_from, flt.date_to),
                      Pairings(towns, pairs, unit_years, flt.township), Industries(ind_totals, scales, by_township, flt.as_of.year))


@dataclass(frozen=True)
class Areas:
    """The map's areas of one metric (a county's townships, or a scope's counties) and their level."""

    areas: pd.DataFrame
    area_level: str


def map_areas(data: PlanInputs, names: dict[str, str], several: bool) -> Areas:
    """Per township (a county's view) or county (a scope of several): units paired and poor households carried."""
    towns = data.pairings.townships[["county_code", "township_code", "township_name", "paired_units"]]
    carried = data.industries.by_township[["township_code", "poor_households"]]
    frame = towns.merge(carried, on="township_code", how="outer")
    if not several:
        return Areas(frame.drop(columns="county_code").fillna({"paired_units": 0, "poor_households": 0}), "township")
    units = data.pairings.pairings.groupby("county_code")["unit_name"].nunique()
    households = data.industries.totals.groupby("county_code")["poor_households"].sum()
    counties = pd.DataFrame({"county_code": list(names)}).assign(
        county_name=lambda f: f["county_code"].map(names),
        paired_units=lambda f: f["county_code"].map(units).fillna(0).astype("int64"),
        poor_households=lambda f: f["county_code"].map(households).fillna(0).astype("int64"))
    return Areas(counties, "county")


def side_by_side(data: PlanInputs, names: dict[str, str]) -> pd.DataFrame:
    """One row per county of a scope of several: its tasks, help funds, pairings and households carried (the
    columns of a register the scope has no rows of are left out rather than shown as zeros)."""
    rows = []
    for code, name in names.items():
        row = {"county_code": code, "county_name": name}
        if not data.tasks.empty:
            counted = Tasks(data.tasks.rows[data.tasks.rows["county_code"] == code]).counts()
            row |= {"tasks_total": counted["total"], "tasks_done": counted["done"], "tasks_overdue": counted["overdue"]}
        if not data.funds.empty:
            money = data.funds.breakdown[data.funds.breakdown["county_code"] == code]
            row["help_funds_yuan"] = float(money["amount_yuan"].sum())
        if not data.pairings.empty:
            towns = data.pairings.townships[data.pairings.townships["county_code"] == code]
            row |= {"paired_townships": int((towns["paired_units"] > 0).sum()), "townships": len(towns),
                    "visits_this_year": int(towns["visits_this_year"].sum())}
        if not data.industries.empty:
            carried = data.industries.totals[data.industries.totals["county_code"] == code]["poor_households"]
            row["industry_poor_households"] = int(carried.sum()) if carried.notna().any() else None
        rows.append(row)
    return pd.DataFrame(rows)


def brief_figures(db: SnapshotDB, flt: Filter) -> dict:
    """The brief's `tasks`, `help_funds`, `pairings`, `visits` and `industries` of a filter's place on its end date
    (funds and visits from the first record on; industries of the end date's year); None for what it has no rows
    of."""
    place = replace(flt, village=None, buyer_type=None, product_category=None)
    data = plan_inputs(db, place, cumulative=True)
    this_year = funds(db, replace(place, date_from=dt.date(flt.as_of.year, 1, 1)), cumulative=False)
    tasks_part = None
    if not data.tasks.empty:
        overdue = data.tasks.rows[data.tasks.rows["overdue"]].sort_values("days_overdue", ascending=False)
        tasks_part = {**data.tasks.counts(), "plans": data.tasks.plans(),
                      "overdue_tasks": [{"county_code": r["county_code"], "task_no": int(r["task_no"]),
                                         "lead_units": r["lead_units"], "due_on": _day(r["due_on"]),
                                         "days_overdue": int(r["days_overdue"]), "status": r["status"]}
                                        for r in overdue.to_dict("records")],
                      "by_unit": _plain(data.tasks.by_unit())}
    funds_part = None
    if not data.funds.empty:
        funds_part = {**data.funds.sums(), "first_month": str(data.funds.breakdown["month"].min())[:7],
                      "this_year": this_year.sums(),
                      **{f"by_{name}": _plain(data.funds.by(column))
                         for name, column in (("kind", "fund_kind"), ("purpose", "purpose"), ("county", "county_code"))}}
    pairing_part = None if data.pairings.empty else {**data.pairings.summary(),
                                                     "visits_by_year": data.pairings.visits_by_year()}
    return {"tasks": tasks_part, "help_funds": funds_part, "pairings": pairing_part,
            "visits": None if pairing_part is None else pairing_part["visits"],
            "industries": None if data.industries.empty else data.industries.per_industry()}
