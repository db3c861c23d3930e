"""Rules across the columns of a register behind the figures: each check takes a row's cell texts and returns the
reason it fails for, or None (a value unreadable on its own column is reported there, not here)."""

from collections.abc import Callable, Iterable

from .values import KINDS, ValueProblem

DUE_BEFORE_PLAN = "完成时限早于方案印发日期"
UPDATE_BEFORE_PLAN = "更新日期早于方案印发日期"
AMOUNT_NOT_POSITIVE = "金额应大于0"
PEOPLE_NOT_POSITIVE = "参加人数应至少1人"
SCALE_WITHOUT_UNIT = "填写了规模，须同时填写规模单位"
POOR_OVER_FARM = "带动贫困户数大于带动农户数"
UNIT_NOT_PAIRED = "帮扶单位不在该县的结对帮扶台账中（请先导入结对帮扶台账，或核对单位名称）"


def readable(kind: str, text: str | None):
    """The value of a cell of this kind, or None when it is empty or unreadable."""
    if text is None:
        return None
    try:
        return KINDS[kind].parse(text)
    except ValueProblem:
        return None


def due_before_plan(issued: str | None, due: str | None) -> str | None:
    """A task's deadline is not before the plan that set it."""
    start, end = readable("date", issued), readable("due", due)
    return DUE_BEFORE_PLAN if start and end and end < start else None


def update_before_plan(issued: str | None, updated: str | None) -> str | None:
    """A task is not reported on before its plan was issued."""
    start, end = readable("date", issued), readable("date", updated)
    return UPDATE_BEFORE_PLAN if start and end and end < start else None


def not_positive(kind: str, reason: str) -> Callable[[str | None], str | None]:
    """A check that a number of this kind, when readable, is above 0."""
    def check(text: str | None) -> str | None:
        value = readable(kind, text)
        return reason if value is not None and value <= 0 else None
    return check


def scale_without_unit(scale: str | None, unit: str | None) -> str | None:
    """A scale means nothing without its unit (MW, 万袋, 亩)."""
    return SCALE_WITHOUT_UNIT if readable("quantity", scale) is not None and unit is None else None


def poor_over_farm(poor: str | None, farm: str | None) -> str | None:
    """Poor households carried are among the farm households carried."""
    p, f = readable("count", poor), readable("count", farm)
    return POOR_OVER_FARM if p is not None and f is not None and p > f else None


def paired_unit(units: dict[str, set[str]], county_of: Callable[..., str | None]) -> Callable[..., str | None]:
    """A check that a visit's unit is paired with some township of the row's county (`county_of` finds the county
    from the row's date, county and township cells; None when those are wrong, reported on their own)."""
    def check(day: str | None, county: str | None, township: str | None, unit: str | None) -> str | None:
        code = county_of(day, county, township)
        if code is None or unit is None:
            return None
        return None if unit in units.get(code, set()) else UNIT_NOT_PAIRED
    return check


def paired_units(pairings: Iterable[dict]) -> dict[str, set[str]]:
    """The units of a snapshot's pairings by county."""
    found: dict[str, set[str]] = {}
    for row in pairings:
        found.setdefault(row["county_code"], set()).add(row["unit_name"])
    return found

