"""What needs attention for a filter: areas behind 序时进度, failed inspections, open unsold-product warnings,
deregistered cooperatives, large drops year on year, overdue and stale tasks and paired townships without a visit this
year, each with a one-line reason and a link to the view that shows it.

Every kind is one builder in KINDS (Context -> items, most severe first); the list keeps the first TOP_PER_KIND
lines of each kind in KINDS order.
"""

import calendar
import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from fractions import Fraction
from urllib.parse import urlencode

import pandas as pd

from ..query.db import SnapshotDB
from ..query.filters import Filter
from ..store.schema import METRICS, WARNING_LEVELS, label
from ..text import fmt
from ..text.i18n import LANGS, t, value_label
from . import channels, page_data, tasks_inputs
from .headline import Headline, target_progress
from .kpi import TargetProgress, yoy_pct

# Lines per kind at most (a line is one item, or for behind_schedule one area's metrics behind).
TOP_PER_KIND = 5
# A purchase amount more than this many percent below the same period last year is a large drop.
YOY_DROP_PCT = 20.0
YOY_METRIC = "purchase_amount_yuan"
# Where to see a metric behind schedule: the page's URL path and its own parameters.
METRIC_VIEWS = {
    "purchase_amount_yuan": ("/", {"metric": "pct_of_target"}),
    "purchase_weight_kg": ("/", {"metric": "purchase_weight_kg"}),
    "poor_village_amount_yuan": ("/", {"metric": "poor_village_amount_yuan"}),
    "lab_batches": ("/inspections", {}),
    "rapid_test_batches": ("/inspections", {}),
    "new_cooperatives": ("/cooperatives", {}),
}
# Target metric -> its column in the per-area summaries (page_data.township_summary, page_data.county_summary).
AREA_COLUMNS = {"purchase_amount_yuan": "amount_yuan", "purchase_weight_kg": "weight_kg",
                "poor_village_amount_yuan": "poor_village_amount_yuan", "lab_batches": "lab_batches",
                "rapid_test_batches": "rapid_test_batches", "new_cooperatives": "cooperatives_new"}
# How many places a reason names before it says "等N个".
WHERE_NAMED = 3
# The unsold-product warning levels the list names (关注 stays on the 预警 page).
ATTENTION_LEVELS = ("unsold", "warning")


@dataclass(frozen=True)
class Item:
    """One thing that needs attention: where, which figure, how far past its target or threshold, why, and the
    link (URL path and query) of the view that shows it. `gap` is in `unit`: pp behind schedule (negative),
    % change year on year, or a count."""

    kind: str
    scope_code: str
    scope_name: str
    metric: str
    value: float
    target: float | None
    threshold: float | None
    gap: float
    unit: str
    reason: dict[str, str]
    link: str
    details: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        """The item as the brief's JSON holds it (reason in Chinese, reason_en in English)."""
        return {"kind": self.kind, "scope_code": self.scope_code, "scope_name": self.scope_name,
                "metric": self.metric, "value": self.value, "target": self.target, "threshold": self.threshold,
                "gap": self.gap, "unit": self.unit, "reason": self.reason["zh"], "reason_en": self.reason["en"],
                "link": self.link, "details": self.details}


@dataclass(frozen=True)
class Area:
    """A place the list speaks of: the filter's own (a scope, county or township) or one of its counties or
    townships, with its filter and the link parameters that open it."""

    level: str                 # scope | county | township
    code: str
    name: str
    filter: Filter
    params: dict[str, str]


@dataclass(frozen=True)
class Context:
    """What every builder gets: the database, the filter's place and its areas, the headline figures."""

    db: SnapshotDB
    place: Area
    areas: list[Area]
    head: Headline

    @property
    def filter(self) -> Filter:
        return self.place.filter

    @functools.cached_property
    def summary(self) -> pd.DataFrame:
        """The areas' figures (page_data.county_summary or township_summary), one row per area code."""
        if not self.areas:
            return pd.DataFrame()
        level = self.areas[0].level
        frame = (page_data.county_summary if level == "county" else page_data.township_summary)(self.db, self.filter)
        return frame.set_index(f"{level}_code")

    def link(self, path: str, area: Area | None = None, **extra) -> str:
        """The URL (path and query) of a page showing `area` (default the place) in the filter's dates."""
        flt = self.filter
        dates = {"from": flt.date_from.isoformat()} if (flt.date_from.month, flt.date_from.day) != (1, 1) else {}
        choices = {k: v for k, v in (("buyer_type", flt.buyer_type), ("product_category", flt.product_category),
                                     ("channel", flt.channel)) if v}
        params = {**(area or self.place).params, **dates, "to": flt.as_of.isoformat(), **choices, **extra}
        return f"{path}?{urlencode(params)}"


def _reason(template: Callable[[str], str]) -> dict[str, str]:
    """A reason in every language."""
    return {lang: template(lang) for lang in LANGS}


def behind(progress: TargetProgress, as_of: dt.date) -> bool:
    """Whether an actual is below its yearly target times the share of the year elapsed, in exact arithmetic on
    the actual to the fen (an area exactly on the schedule line is not behind)."""
    days = 366 if calendar.isleap(as_of.year) else 365
    day = as_of.timetuple().tm_yday
    return Fraction(round(progress.actual, 2)) * days < Fraction(progress.target) * day


def behind_schedule(ctx: Context) -> list[Item]:
    """The place and its areas behind 序时进度 on each target metric, most behind first."""
    summary = ctx.summary
    progress = [(ctx.place, ctx.head.targets)]
    for area in ctx.areas:
        if area.code in summary.index:
            row = summary.loc[area.code]
            actuals = {metric: float(row[column]) for metric, column in AREA_COLUMNS.items()}
            progress.append((area, target_progress(ctx.db, area.filter, actuals)))
    items = [_behind_item(ctx, area, p) for area, targets in progress for p in targets
             if p.pct_done is not None and behind(p, ctx.filter.as_of)]
    return sorted(items, key=lambda item: item.gap)


def _behind_item(ctx: Context, area: Area, p: TargetProgress) -> Item:
    path, extra = METRIC_VIEWS[p.metric]
    return Item("behind_schedule", area.code, area.name, p.metric, p.actual, p.target, None, p.ahead_pp, "pp",
                _reason(lambda lang: t("attention_behind_schedule", lang, place=area.name,
                                       metric=label(METRICS, p.metric, lang), pct=fmt.pct(p.pct_done),
                                       gap=f"{abs(p.ahead_pp):.1f}")),
                ctx.link(path, area, **extra))


def _where(places: list[tuple[str, str, int]], lang: str) -> str:
    """The first places (code, name, failed) with their counts: 华峰乡3批次、新城镇2批次等5处."""
    named = t("list_separator", lang).join(
        t("attention_where", lang, name=name, count=fmt.count(n, t("unit_batches", lang), lang))
        for _, name, n in places[:WHERE_NAMED])
    return named + (t("attention_and_more", lang, n=len(places)) if len(places) > WHERE_NAMED else "")


def failed_inspections(ctx: Context) -> list[Item]:
    """Failed inspection batches of the period, one item per failed item, with where they were found (counties of
    a scope of several, else townships)."""
    rows = ctx.db.run_filtered("attention_failed_inspections", ctx.filter)
    if len(ctx.filter.counties) > 1:
        names = {a.code: a.name for a in ctx.areas}
        codes = rows["county_code"].tolist()
        places = [names.get(c, c) for c in codes]
    else:
        codes = rows["township_code"].tolist()
        places = rows["township_name"].fillna(rows["township_code"]).tolist()
    failed: dict[str, dict[tuple[str, str], int]] = {}   # failed item -> (code, name) -> batches, in row order
    for failed_item, code, name, n in zip(rows["failed_item"].fillna("").tolist(), codes, places,
                                          rows["failed"].tolist()):
        counts = failed.setdefault(failed_item, {})
        counts[(code, name)] = counts.get((code, name), 0) + int(n)
    items = []
    for failed_item, counts in failed.items():
        where = sorted(((code, name, n) for (code, name), n in counts.items()), key=lambda p: (-p[2], p[0]))
        total = sum(n for _, _, n in where)

        def reason(lang: str, failed_item=failed_item, where=where, total=total) -> str:
            item = value_label("failed_item", failed_item, lang) if failed_item else t("attention_item_unknown", lang)
            return t("attention_failed_inspections", lang, item=item,
                     n=fmt.count(total, t("unit_batches", lang), lang), where=_where(where, lang))

        items.append(Item("failed_inspections", ctx.place.code, ctx.place.name, "failed_batches", total, None, 0,
                          total, "batches", _reason(reason), ctx.link("/inspections", failed="failed"),
                          [{"failed_item": failed_item or None, "code": c, "name": n, "batches": b}
                           for c, n, b in where]))
    return sorted(items, key=lambda item: -item.value)


def unsold_warnings(ctx: Context) -> list[Item]:
    """Open 滞销 and 预警 warnings on the end date, one item per offer (most severe first, then the fewest days
    left), each linking to the 预警 page of its village; the unsold weights all in one unit (fmt.unit_for), and in a
    scope of several counties each place opens with its county (礼县中坝镇…)."""
    rows = page_data.unsold_warnings(ctx.db, ctx.filter)
    rows = rows[rows["warning_level"].isin(ATTENTION_LEVELS)]
    several = len(ctx.filter.counties) > 1
    counties = {a.code: a.name for a in ctx.areas} if several else {}
    unit = fmt.unit_for("kg", rows["unsold_kg"])
    items = []
    for r in rows.to_dict("records"):
        place = (f"{counties.get(r['county_code'], '')}{r['township_name'] or ''}"
                 f"{r['village_name'] or r['village_code']}")

        def reason(lang: str, r=r, place=place) -> str:
            return t("attention_unsold_warning", lang, level=label(WARNING_LEVELS, r["warning_level"], lang),
                     place=place, product=r["product_name"], kg=unit.text(r["unsold_kg"], lang),
                     days=int(r["days_left"]))

        where = {"county": r["county_code"]} if several else {}
        items.append(Item("unsold_warning", r["township_code"], r["township_name"] or r["township_code"], "unsold_kg",
                          float(r["unsold_kg"]), float(r["quantity_kg"]), None, int(r["days_left"]), "days",
                          _reason(reason),
                          ctx.link("/warnings", **where, township=r["township_code"], village=r["village_code"]),
                          [{"offer_id": int(r["offer_id"]), "warning_level": r["warning_level"],
                            "village_code": r["village_code"], "village_name": r["village_name"],
                            "product_name": r["product_name"], "unsold_kg": float(r["unsold_kg"]),
                            "unsold_pct": float(r["unsold_pct"]), "days_left": int(r["days_left"]),
                            "sell_by": str(r["sell_by"])[:10], "supplier_name": r["supplier_name"],
                            "contact_name": r["contact_name"], "contact_phone": r["contact_phone"]}]))
    return items


def deregistered_cooperatives(ctx: Context) -> list[Item]:
    """Cooperatives deregistered in the period, one item per area (county or township) that lost any."""
    rows = ctx.db.run_filtered("attention_deregistered_cooperatives", ctx.filter)
    by_code = {a.code: a for a in ctx.areas} or {ctx.place.code: ctx.place}
    key = "county_code" if ctx.areas and ctx.areas[0].level == "county" else "township_code"
    items = []
    for code, part in rows.groupby(key, sort=False):
        area = by_code.get(code) or ctx.place
        names = list(part["cooperative_name"])
        extra = {"q": part["credit_code"].iloc[0]} if len(part) == 1 else {}

        def reason(lang: str, names=names, area=area) -> str:
            shown = t("list_separator", lang).join(names[:WHERE_NAMED])
            more = t("attention_and_more_cooperatives", lang, n=len(names)) if len(names) > WHERE_NAMED else ""
            return t("attention_deregistered_cooperatives", lang, place=area.name,
                     n=fmt.count(len(names), t("unit_households", lang), lang), names=shown + more)

        items.append(Item("deregistered_cooperatives", area.code, area.name, "cooperatives_deregistered",
                          len(part), None, 0, len(part), "households", _reason(reason),
                          ctx.link("/cooperatives", area, **extra),
                          [{"credit_code": r["credit_code"], "name": r["cooperative_name"],
                            "deregistered_date": str(r["deregistered_date"])[:10],
                            "poor_household_members": int(r["poor_household_members"])}
                           for r in part.to_dict("records")]))
    return sorted(items, key=lambda item: -item.value)


def _last_year(ctx: Context) -> dict[str, float]:
    """Each area's purchase amount in the same period last year, on this year's codes (英言乡 -> 英言镇)."""
    if not ctx.areas:
        return {}
    level = ctx.areas[0].level
    last = page_data.scope_wide(ctx.filter).same_period_last_year()
    frame = ctx.db.run_filtered("purchase_by_county" if level == "county" else "purchase_by_township", last)
    if level == "township":
        successors = dict(ctx.db.run("township_successors").itertuples(index=False))
        current = {a.code for a in ctx.areas}
        frame = frame.assign(township_code=[code if code in current else successors.get(code, code)
                                            for code in frame["township_code"]])
    return frame.groupby(f"{level}_code")["amount_yuan"].sum().to_dict()


def dropped(value: float, previous: float | None) -> bool:
    """Whether a value fell more than YOY_DROP_PCT below last year's, in exact arithmetic on fen (a drop of
    exactly the threshold is not large)."""
    if not previous:
        return False
    kept = 1 - Fraction(YOY_DROP_PCT) / 100
    return Fraction(round(value, 2)) < Fraction(round(previous, 2)) * kept


def yoy_drop(ctx: Context) -> list[Item]:
    """The place and its areas whose purchase amount fell more than YOY_DROP_PCT against last year."""
    summary = ctx.summary
    last = _last_year(ctx)
    pairs = [(ctx.place, ctx.head.actuals[YOY_METRIC], ctx.head.previous.get(YOY_METRIC))]
    pairs += [(a, float(summary.loc[a.code, "amount_yuan"]) if a.code in summary.index else 0.0, last.get(a.code))
              for a in ctx.areas]
    items = []
    for area, value, previous in pairs:
        if not dropped(value, previous):
            continue
        change = yoy_pct(value, previous)

        def reason(lang: str, area=area, value=value, change=change) -> str:
            return t("attention_yoy_drop", lang, place=area.name, metric=label(METRICS, YOY_METRIC, lang),
                     value=fmt.money(value, lang=lang), drop=fmt.pct(-change), threshold=f"{YOY_DROP_PCT:g}")

        items.append(Item("yoy_drop", area.code, area.name, YOY_METRIC, value, None, -YOY_DROP_PCT, change, "pct",
                          _reason(reason), ctx.link("/", area, metric=YOY_METRIC),
                          [{"previous": previous}]))
    return sorted(items, key=lambda item: item.gap)


def _where_params(ctx: Context, county: str) -> dict[str, str]:
    """A link's county parameter for an item of a scope of several counties (none for one county)."""
    return {"county": county} if len(ctx.filter.counties) > 1 else {}


def _place_name(township_name: str | None, county_code: str, ctx: Context) -> str:
    """Where an item is: its township, after its county's name in a scope of several."""
    county = next((a.name for a in ctx.areas if a.level == "county" and a.code == county_code), "")
    return f"{county}{township_name or ''}" if len(ctx.filter.counties) > 1 else township_name or ""


def expiring_certifications(ctx: Context) -> list[Item]:
    """Certified products whose certification ends within channels.EXPIRING_WITHIN_DAYS days of the end date, the
    soonest first, each opening its row of the register."""
    items = []
    for r in channels.expiring_certifications(ctx.db, ctx.filter).to_dict("records"):
        place = _place_name(r["township_name"], r["county_code"], ctx)

        def reason(lang: str, r=r, place=place) -> str:
            return t("attention_expiring_certification", lang, place=place, product=r["product_name"],
                     supplier=r["supplier_name"], day=str(r["valid_until"])[:10], days=int(r["days_left"]))

        items.append(Item("expiring_certification", r["township_code"], r["township_name"] or r["township_code"],
                          "days_left", int(r["days_left"]), None, channels.EXPIRING_WITHIN_DAYS, int(r["days_left"]),
                          "days", _reason(reason),
                          ctx.link("/products", **_where_params(ctx, r["county_code"]), register="products",
                                   rq=r["product_id"]),
                          [{"product_id": r["product_id"], "product_name": r["product_name"],
                            "supplier_name": r["supplier_name"], "valid_until": str(r["valid_until"])[:10]}]))
    return items


def idle_outlets(ctx: Context) -> list[Item]:
    """三专 outlets in service without a sale made in the channels.IDLE_DAYS days to the end date, the longest idle
    first, each opening the outlet's sales."""
    items = []
    for r in channels.idle_outlets(ctx.db, ctx.filter).to_dict("records"):
        place = _place_name(r["township_name"], r["county_code"], ctx)

        def reason(lang: str, r=r, place=place) -> str:
            return t("attention_idle_outlet", lang, days=int(r["idle_days"]), place=place, outlet=r["outlet_name"])

        items.append(Item("idle_outlet", r["township_code"], r["township_name"] or r["township_code"], "idle_days",
                          int(r["idle_days"]), None, channels.IDLE_DAYS, int(r["idle_days"]), "days",
                          _reason(reason),
                          ctx.link("/products", **_where_params(ctx, r["county_code"]), outlet=r["outlet_id"]),
                          [{"outlet_id": r["outlet_id"], "outlet_name": r["outlet_name"], "kind": r["kind"],
                            "last_sale_date": None if pd.isna(r["last_sale_date"]) else str(r["last_sale_date"])[:10]}]))
    return items


def events_under_half(ctx: Context) -> list[Item]:
    """Events whose sales made by channels.EVENT_DUE_DAYS days after them are under channels.EVENT_UNDER_PCT percent
    of what they signed (that day in the filter's dates), the furthest short first."""
    items = []
    for r in channels.events_under_half(ctx.db, ctx.filter).to_dict("records"):
        def reason(lang: str, r=r) -> str:
            return t("attention_event_under_half", lang, event=r["event_name"],
                     signed=fmt.money(r["signed_amount_yuan"], lang=lang), made=fmt.money(r["realised_yuan"], lang=lang),
                     pct=fmt.pct(r["realised_pct"]))

        items.append(Item("event_under_half", r["township_code"], r["township_name"] or r["township_code"],
                          "realised_pct", float(r["realised_pct"]), float(r["signed_amount_yuan"]),
                          channels.EVENT_UNDER_PCT, float(r["realised_pct"]) - channels.EVENT_UNDER_PCT, "pct",
                          _reason(reason),
                          ctx.link("/products", **_where_params(ctx, r["county_code"]), register="events"),
                          [{"event_id": r["event_id"], "event_name": r["event_name"],
                            "end_date": str(r["end_date"])[:10], "signed_amount_yuan": float(r["signed_amount_yuan"]),
                            "realised_yuan": float(r["realised_yuan"])}]))
    return items
def _task_numbers(numbers: list[int], lang: str) -> str:
    """第14、15、40项 (tasks 14, 15, 40), the first WHERE_NAMED + 2 of them."""
    shown = numbers[:WHERE_NAMED + 2]
    more = t("attention_and_more_tasks", lang, n=len(numbers)) if len(numbers) > len(shown) else ""
    return t("attention_task_numbers", lang, numbers=t("list_separator", lang).join(map(str, shown))) + more


def _county_area(ctx: Context, county: str) -> Area | None:
    """The area of a county in a scope of several (None: the place is the county or a township)."""
    return next((a for a in ctx.areas if a.level == "county" and a.code == county), None)


def overdue_tasks(ctx: Context) -> list[Item]:
    """Tasks past their deadline and not done on the end date, one item per lead unit: the units with the most
    first, then the longest overdue."""
    rows = tasks_inputs.tasks(ctx.db, ctx.filter).rows
    late = rows[rows["overdue"]]
    if late.empty:
        return []
    led = late.assign(unit=late["lead_units"].str.split(tasks_inputs.UNIT_SEPARATOR)).explode("unit")
    items = []
    for unit, part in led.groupby("unit", sort=False):
        part = part.sort_values("task_no")
        numbers = [int(n) for n in part["task_no"]]
        longest = int(part["days_overdue"].max())

        def reason(lang: str, unit=unit, numbers=numbers, longest=longest) -> str:
            return t("attention_overdue_tasks", lang, unit=unit, n=fmt.count(len(numbers), t("unit_tasks", lang), lang),
                     tasks=_task_numbers(numbers, lang), days=longest)

        items.append(Item("overdue_tasks", ctx.place.code, ctx.place.name, "overdue_tasks", len(numbers), None, 0,
                          longest, "days", _reason(reason), ctx.link("/plan", tasks="overdue", unit=unit),
                          [{"county_code": r["county_code"], "task_no": int(r["task_no"]), "lead_units": r["lead_units"],
                            "due_on": str(r["due_on"])[:10], "days_overdue": int(r["days_overdue"]),
                            "status": r["status"]} for r in part.to_dict("records")]))
    return sorted(items, key=lambda item: (-item.value, -item.gap, item.details[0]["task_no"]))


def stale_tasks(ctx: Context) -> list[Item]:
    """Tasks not done and not updated for more than STALE_DAYS days on the end date, one item per county."""
    rows = tasks_inputs.tasks(ctx.db, ctx.filter).rows
    items = []
    for county, part in rows[rows["stale"]].groupby("county_code", sort=True):
        area = _county_area(ctx, county)
        numbers = [int(n) for n in part.sort_values("task_no")["task_no"]]
        place = area.name if area else ctx.place.name

        def reason(lang: str, numbers=numbers, place=place) -> str:
            return t("attention_stale_tasks", lang, place=place, n=fmt.count(len(numbers), t("unit_tasks", lang), lang),
                     days=tasks_inputs.STALE_DAYS, tasks=_task_numbers(numbers, lang))

        items.append(Item("stale_tasks", area.code if area else ctx.place.code, place, "stale_tasks", len(numbers),
                          None, tasks_inputs.STALE_DAYS, len(numbers), "tasks", _reason(reason),
                          ctx.link("/plan", area, tasks="stale"),
                          [{"task_no": int(r["task_no"]), "lead_units": r["lead_units"],
                            "update_date": str(r["update_date"])[:10], "days_since_update": int(r["days_since_update"])}
                           for r in part.sort_values("task_no").to_dict("records")]))
    return sorted(items, key=lambda item: -item.value)


def unvisited_townships(ctx: Context) -> list[Item]:
    """Paired townships without a pairing visit from 1 January of the end date's year, one item per county."""
    towns = ctx.db.run_filtered("pairing_townships", ctx.filter)
    waiting = towns[(towns["paired_units"] > 0) & (towns["visits_this_year"] == 0)]
    items = []
    for county, part in waiting.groupby("county_code", sort=True):
        area = _county_area(ctx, county)
        place = area.name if area else ctx.place.name
        names = part["township_name"].tolist()

        def reason(lang: str, names=names, place=place) -> str:
            shown = t("list_separator", lang).join(names[:WHERE_NAMED])
            more = t("attention_and_more", lang, n=len(names)) if len(names) > WHERE_NAMED else ""
            return t("attention_unvisited_townships", lang, place=place,
                     n=fmt.count(len(names), t("unit_townships", lang), lang), names=shown + more)

        items.append(Item("unvisited_townships", area.code if area else ctx.place.code, place, "unvisited_townships",
                          len(names), None, 0, len(names), "townships", _reason(reason),
                          ctx.link("/plan", area, pairs="unvisited"),
                          [{"township_code": r["township_code"], "township_name": r["township_name"],
                            "unit_names": r["unit_names"], "visits_total": int(r["visits_total"])}
                           for r in part.to_dict("records")]))
    return sorted(items, key=lambda item: -item.value)


def _one_line(items: list[Item], lang: str) -> str:
    return items[0].reason[lang]


def _behind_line(items: list[Item], lang: str) -> str:
    """One area's metrics behind schedule in one line: 华峰乡落后序时进度：采购数量5.5、…个百分点."""
    if len(items) == 1:
        return items[0].reason[lang]
    parts = t("list_separator", lang).join(
        t("attention_behind_part", lang, metric=label(METRICS, i.metric, lang), gap=f"{abs(i.gap):.1f}")
        for i in items)
    return t("attention_behind_area", lang, place=items[0].scope_name, parts=parts)


@dataclass(frozen=True)
class Kind:
    """One kind of item: its builder, which items share a line (`line_key`) and how a line reads."""

    name: str
    build: Callable[[Context], list[Item]]
    line_key: Callable[[Item], object] = id
    line: Callable[[list[Item], str], str] = _one_line


# In the order the list reads them.
KINDS: tuple[Kind, ...] = (
    Kind("behind_schedule", behind_schedule, lambda item: item.scope_code, _behind_line),
    Kind("failed_inspections", failed_inspections),
    Kind("unsold_warning", unsold_warnings),
    Kind("deregistered_cooperatives", deregistered_cooperatives),
    Kind("yoy_drop", yoy_drop),
    Kind("expiring_certification", expiring_certifications),
    Kind("idle_outlet", idle_outlets),
    Kind("event_under_half", events_under_half),
    Kind("overdue_tasks", overdue_tasks),
    Kind("stale_tasks", stale_tasks),
    Kind("unvisited_townships", unvisited_townships),
)


@dataclass(frozen=True)
class Attention:
    """The list as lines (kind, items): kinds in KINDS order, most severe first within a kind; how many lines of
    each kind were left out (TOP_PER_KIND)."""

    lines: list[tuple[Kind, list[Item]]]
    omitted: dict[str, int]

    @property
    def items(self) -> list[Item]:
        return [item for _, items in self.lines for item in items]

    def texts(self, lang: str = "zh") -> list[str]:
        """One short line each."""
        return [kind.line(items, lang) for kind, items in self.lines]

    def notes(self, lang: str = "zh") -> list[str]:
        """A line for each kind with lines left out, saying how many."""
        return [t(f"attention_omitted_{name}", lang, n=n) for name, n in self.omitted.items() if n]

    def to_list(self) -> list[dict]:
        """The items as the brief's JSON holds them."""
        return [item.to_dict() for item in self.items]


def _places(db: SnapshotDB, flt: Filter, scope_code: str, scope_name: str,
            county_names: dict[str, str]) -> tuple[Area, list[Area]]:
    """The filter's place and its areas: a scope's counties, a county's townships, or none for a township."""
    if flt.township:
        county = flt.counties[0]
        return Area("township", flt.township, scope_name, flt, {"scope": county, "township": flt.township}), []
    if len(flt.counties) > 1:
        place = Area("scope", scope_code, scope_name, flt, {"scope": scope_code})
        return place, [Area("county", c, county_names.get(c, c), replace(flt, counties=(c,)),
                            {"scope": scope_code, "county": c}) for c in flt.counties]
    county = flt.counties[0]
    towns = db.run("township_options", year=flt.as_of.year, counties=[county])
    place = Area("county", county, scope_name, flt, {"scope": county})
    return place, [Area("township", code, name, replace(flt, township=code), {"scope": county, "township": code})
                   for code, name in zip(towns["township_code"], towns["township_name"])]


def build(db: SnapshotDB, flt: Filter, scope_code: str, scope_name: str, county_names: dict[str, str] | None = None,
          head: Headline | None = None, kinds: tuple[Kind, ...] = KINDS) -> Attention:
    """What needs attention in a filter (a group, city, county or township, named `scope_code`, `scope_name`; a
    village is read as its township); `county_names` name a scope's counties, `head` is the filter's headline
    when the caller has it."""
    flt = replace(flt, village=None)
    head = head if head is not None and head.filter == flt else page_data.headline(db, flt)
    place, areas = _places(db, flt, scope_code, scope_name, county_names or {})
    ctx = Context(db, place, areas, head)
    lines, omitted = [], {}
    for kind in kinds:
        grouped: dict = {}
        for item in kind.build(ctx):
            grouped.setdefault(kind.line_key(item), []).append(item)
        lines += [(kind, items) for items in list(grouped.values())[:TOP_PER_KIND]]
        omitted[kind.name] = max(0, len(grouped) - TOP_PER_KIND)
    return Attention(lines, omitted)
