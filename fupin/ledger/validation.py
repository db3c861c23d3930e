"""Every rule a ledger row must pass, as one pandera schema per table, checked lazily so one run finds every problem."""

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

# pandera imports pyspark.pandas whenever pyspark is installed (it is, for the Spark example), which warns about
# pandas 3 on stderr: a CLI failure must stay one line.
warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
import pandera.pandas as pa  # noqa: E402
from pandera.errors import SchemaErrors

from . import plan_checks
from .buyers import BUYER_TYPE_CONFLICT, BUYER_TYPE_INCONSISTENT, BUYER_UNKNOWN, Buyers
from .channel_rules import Registers, row_checks
from .columns import LEDGERS
from .places import (
    COUNTY_OUTSIDE,
    COUNTY_UNKNOWN,
    TOWNSHIP_AMBIGUOUS,
    TOWNSHIP_IN_SEVERAL_COUNTIES,
    TOWNSHIP_NOT_IN_YEAR,
    TOWNSHIP_OUTSIDE,
    TOWNSHIP_UNKNOWN,
    VILLAGE_AMBIGUOUS,
    VILLAGE_MISPLACED,
    VILLAGE_UNKNOWN,
    WHOLE_COUNTY_UNPLACED,
    Places,
)
from .values import (
    KINDS,
    ValueProblem,
    parse_cooperative_code,
    parse_credit_code,
    parse_date,
    parse_harvest_date,
    parse_year,
    problem,
)

REQUIRED = "必填项为空"
SCOPE_UNKNOWN = "范围应为县名称或6位代码、全县、乡镇名称或9位代码"
COOPERATIVE_SUPPLIER_CODE = "供货方是合作社时，信用代码应为合作社的代码（以93开头）"
DEREGISTERED_EARLY = "注销日期早于登记日期"
POOR_OVER_MEMBERS = "贫困户成员数大于成员数"
COOPERATIVE_CODE_MISSING = "供货方是合作社时，须填写合作社的统一社会信用代码（以93开头）"
HARVEST_ENDS_EARLY = "采收结束日期早于采收开始日期"
QUANTITY_NOT_POSITIVE = "待销数量应大于0"
KEEPS_TOO_SHORT = "保鲜期应至少1天"
COUNTY_NEEDED = "须填写“县”列（本次导入的范围不止一个县）"
# The column that dates a row: township and village codes are those in force in its year.
DATED_BY = {"purchases": "purchase_date", "inspections": "sample_date", "cooperatives": "registered_date",
            "targets": "year", "offers": "harvest_from", "certified_products": "certified_date",
            "outlets": "stage_date", "channel_sales": "sale_date", "events": "start_date", "tasks": "update_date",
            "help_funds": "fund_date", "pairings": "paired_since", "visits": "visit_date", "industries": "year"}


@dataclass(frozen=True)
class Context:
    """What rows are checked against: the snapshot's places, buyers, (sales) the registers they name, (visits) the paired
    units."""

    places: Places
    buyers: Buyers | None
    registers: Registers | None = None
    units: dict[str, set[str]] | None = None   # visits: the paired units of each county (plan_checks.paired_units)


@dataclass(frozen=True)
class Rule:
    """A rule across columns: a reason (or None) per row, blamed on one column."""

    column: str
    reasons: tuple[str, ...]
    apply: Callable[[pd.DataFrame], list]


def _or_none(fn: Callable, *args):
    """fn(*args), or None when a value it needs is missing or unreadable (already reported on its own column)."""
    if any(a is None for a in args):
        return None
    try:
        return fn(*args)
    except ValueProblem:
        return None


def _reason(fn: Callable, *args) -> str | None:
    """The reason fn(*args) fails for, or None when it passes."""
    try:
        fn(*args)
    except ValueProblem as e:
        return str(e)
    return None


def year_of(table: str, text: str | None) -> int | None:
    """The year a row belongs to, from its dating column, or None when unreadable."""
    if DATED_BY[table] == "year":
        return _or_none(parse_year, text)
    day = _or_none(parse_harvest_date if table == "offers" else parse_date, text)
    return day.year if day else None


def _row_rule(column: str, reasons: tuple[str, ...], inputs: tuple[str, ...], check: Callable) -> Rule:
    """A rule that checks one row at a time on the named columns; `check` returns a reason or None."""
    def apply(frame: pd.DataFrame) -> list:
        return [check(*values) for values in zip(*(frame[name] for name in inputs))]
    return Rule(column, reasons, apply)


def row_township(places: Places, table: str, day, county_text, text) -> str | None:
    """The township code a row names (within its county), or None when anything it needs is missing or wrong (that
    is reported on its own column)."""
    year = year_of(table, day)
    if year is None or text is None or (county_text is not None and not places.knows_county(county_text)):
        return None
    county = _or_none(places.county, county_text) if county_text is not None else None
    if county_text is not None and county is None:
        return None
    try:
        return places.township(text, year, county)
    except ValueProblem:
        return None


def sole_county(places: Places) -> str | None:
    """The one county an import may write into (of its scope, else of the snapshot), or None when there are
    several."""
    codes = places.allowed if places.allowed is not None else set(places.counties.values())
    return next(iter(codes)) if len(codes) == 1 else None


def row_county(places: Places, table: str, day, county_text, township_text) -> str | None:
    """The county a register's row belongs to: its 县 column's, else its township's, else the import's only county
    (None when what it needs is wrong, which is reported on its own column)."""
    if county_text is not None:
        return _or_none(places.county, county_text)
    if township_text is not None:
        code = row_township(places, table, day, None, township_text)
        return code[:6] if code else None
    return sole_county(places)


def _plan_rules(table: str, ctx: Context) -> list[Rule]:
    """The cross-column rules of the registers behind the figures (fupin/ledger/plan_checks.py)."""
    places, dated = ctx.places, DATED_BY[table]

    def county_needed(county_text, township_text=None):
        return COUNTY_NEEDED if county_text is None and township_text is None and sole_county(places) is None else None

    if table == "tasks":
        return [_row_rule("county", (COUNTY_NEEDED,), ("county",), county_needed),
                _row_rule("due_on", (plan_checks.DUE_BEFORE_PLAN,), ("plan_issued_on", "due_on"),
                          plan_checks.due_before_plan),
                _row_rule("update_date", (plan_checks.UPDATE_BEFORE_PLAN,), ("plan_issued_on", "update_date"),
                          plan_checks.update_before_plan)]
    if table == "help_funds":
        return [_row_rule("county", (COUNTY_NEEDED,), ("county", "township"), county_needed),
                _row_rule("amount_yuan", (plan_checks.AMOUNT_NOT_POSITIVE,), ("amount_yuan",),
                          plan_checks.not_positive("quantity", plan_checks.AMOUNT_NOT_POSITIVE))]
    if table == "visits":
        def county_of(day, county_text, township_text):
            return row_county(places, table, day, county_text, township_text)
        return [_row_rule("unit_name", (plan_checks.UNIT_NOT_PAIRED,), (dated, "county", "township", "unit_name"),
                          plan_checks.paired_unit(ctx.units or {}, county_of)),
                _row_rule("people", (plan_checks.PEOPLE_NOT_POSITIVE,), ("people",),
                          plan_checks.not_positive("count", plan_checks.PEOPLE_NOT_POSITIVE))]
    if table == "industries":
        return [_row_rule("scale_unit", (plan_checks.SCALE_WITHOUT_UNIT,), ("scale", "scale_unit"),
                          plan_checks.scale_without_unit),
                _row_rule("poor_households", (plan_checks.POOR_OVER_FARM,), ("poor_households", "farm_households"),
                          plan_checks.poor_over_farm)]
    return []


def _place_rules(table: str, ctx: Context) -> list[Rule]:
    places, dated = ctx.places, DATED_BY[table]

    def county_code(text):
        return _or_none(places.county, text)

    def township(day, county_text, text):
        year = year_of(table, day)
        if year is None or text is None or not places.knows_township(text):
            return None
        if county_text is not None and county_code(county_text) is None:
            return None
        return _reason(places.township, text, year, county_code(county_text) if county_text else None)

    def village(day, county_text, township_text, text):
        year = year_of(table, day)
        code = row_township(places, table, day, county_text, township_text)
        if code is None or text is None or not places.knows_village(text):
            return None
        return _reason(places.village, text, code, year)

    def scope(year_text, county_text, text):
        year = year_of(table, year_text)
        if year is None or text is None or not places.knows_scope(text):
            return None
        if county_text is not None and county_code(county_text) is None:
            return None
        return _reason(places.scope, text, year, county_code(county_text) if county_text else None)

    names = {c.name for c in LEDGERS[table]}
    township_reasons = (TOWNSHIP_OUTSIDE, TOWNSHIP_NOT_IN_YEAR, TOWNSHIP_AMBIGUOUS, TOWNSHIP_IN_SEVERAL_COUNTIES)
    rules = []
    if "township" in names:
        rules.append(_row_rule("township", township_reasons, (dated, "county", "township"), township))
    if "village" in names:
        rules.append(_row_rule("village", (VILLAGE_MISPLACED, VILLAGE_AMBIGUOUS), (dated, "county", "township", "village"),
                               village))
    if "scope" in names:
        rules.append(_row_rule("scope", (*township_reasons, COUNTY_OUTSIDE, WHOLE_COUNTY_UNPLACED),
                               (dated, "county", "scope"), scope))
    return rules


def _cooperative_supplier(supplier_type, code):
    if _or_none(KINDS["supplier_type"].parse, supplier_type) != "cooperative" or _or_none(parse_credit_code, code) is None:
        return None
    return COOPERATIVE_SUPPLIER_CODE if _reason(parse_cooperative_code, code) else None


def _offer_cooperative_code(supplier_type, code):
    """A cooperative offering produce names its cooperative code."""
    if _or_none(KINDS["offer_supplier_type"].parse, supplier_type) != "cooperative":
        return None
    if code is None:
        return COOPERATIVE_CODE_MISSING
    return _cooperative_supplier(supplier_type, code)


def _harvest_ends_early(start_text, end_text):
    start, end = _or_none(parse_harvest_date, start_text), _or_none(parse_harvest_date, end_text)
    return HARVEST_ENDS_EARLY if start and end and end < start else None


def _not_positive(kind: str, reason: str) -> Callable:
    """A check that a number of this kind, when readable, is above 0."""
    def check(text):
        value = _or_none(KINDS[kind].parse, text)
        return reason if value is not None and value <= 0 else None
    return check


def _deregistered_early(registered, deregistered):
    start, end = _or_none(parse_date, registered), _or_none(parse_date, deregistered)
    return DEREGISTERED_EARLY if start and end and end < start else None


def _poor_over_members(members, poor):
    total, poor = _or_none(KINDS["count"].parse, members), _or_none(KINDS["count"].parse, poor)
    return POOR_OVER_MEMBERS if total is not None and poor is not None and poor > total else None


def row_counties(places: Places, frame: pd.DataFrame) -> list[str | None]:
    """Each purchase row's county: that of its township (None when the township cannot be found)."""
    codes = [row_township(places, "purchases", *values)
             for values in zip(frame["purchase_date"], frame["county"], frame["township"])]
    return [code[:6] if code else None for code in codes]


def rules(table: str, ctx: Context) -> list[Rule]:
    """The cross-column rules of a table."""
    found = _place_rules(table, ctx)
    if table == "purchases":
        found.append(Rule("buyer_name", (BUYER_UNKNOWN, BUYER_TYPE_CONFLICT, BUYER_TYPE_INCONSISTENT),
                          lambda frame: ctx.buyers.problems(frame["buyer_name"], frame["buyer_type"],
                                                            row_counties(ctx.places, frame))))
        found.append(_row_rule("supplier_credit_code", (COOPERATIVE_SUPPLIER_CODE,),
                               ("supplier_type", "supplier_credit_code"),
                               _cooperative_supplier))
    if table == "offers":
        found.append(_row_rule("supplier_credit_code", (COOPERATIVE_CODE_MISSING, COOPERATIVE_SUPPLIER_CODE),
                               ("supplier_type", "supplier_credit_code"), _offer_cooperative_code))
        found.append(_row_rule("harvest_to", (HARVEST_ENDS_EARLY,), ("harvest_from", "harvest_to"), _harvest_ends_early))
        found.append(_row_rule("quantity_kg", (QUANTITY_NOT_POSITIVE,), ("quantity_kg",),
                               _not_positive("quantity", QUANTITY_NOT_POSITIVE)))
        found.append(_row_rule("keeps_days", (KEEPS_TOO_SHORT,), ("keeps_days",), _not_positive("count", KEEPS_TOO_SHORT)))
    found += _plan_rules(table, ctx)
    if table == "cooperatives":
        found.append(_row_rule("deregistered_date", (DEREGISTERED_EARLY,), ("registered_date", "deregistered_date"),
                               _deregistered_early))
        found.append(_row_rule("poor_household_members", (POOR_OVER_MEMBERS,), ("members", "poor_household_members"),
                               _poor_over_members))
    found += [_row_rule(*check) for check in row_checks(table, ctx.registers)]
    return found


def _column_checks(kind: str, places: Places) -> list[pa.Check]:
    """One element-wise check per reason a cell of this kind can fail for."""
    if kind == "township":
        return [pa.Check(places.knows_township, element_wise=True, error=TOWNSHIP_UNKNOWN)]
    if kind == "village":
        return [pa.Check(places.knows_village, element_wise=True, error=VILLAGE_UNKNOWN)]
    if kind == "scope":
        return [pa.Check(places.knows_scope, element_wise=True, error=SCOPE_UNKNOWN)]
    if kind == "county":
        return [pa.Check(places.knows_county, element_wise=True, error=COUNTY_UNKNOWN),
                pa.Check(lambda text: not places.knows_county(text) or places.allows_county(text), element_wise=True,
                         error=COUNTY_OUTSIDE)]
    return [pa.Check(lambda text, reason=reason: problem(kind, text) != reason, element_wise=True, error=reason)
            for reason in KINDS[kind].reasons]


def _rule_checks(rule: Rule) -> list[pa.Check]:
    return [pa.Check(lambda frame, reason=reason: pd.Series(rule.apply(frame), index=frame.index) != reason,
                     error=reason)
            for reason in rule.reasons]


def ledger_schema(table: str, ctx: Context) -> tuple[pa.DataFrameSchema, dict[str, str]]:
    """The table's pandera schema over cell texts, and which column each cross-column reason is blamed on."""
    columns = {c.name: pa.Column(None, checks=_column_checks(c.kind, ctx.places), nullable=not c.required)
               for c in LEDGERS[table]}
    table_rules = rules(table, ctx)
    checks = [check for rule in table_rules for check in _rule_checks(rule)]
    blame = {reason: rule.column for rule in table_rules for reason in rule.reasons}
    return pa.DataFrameSchema(columns, checks=checks), blame


def validate(frame: pd.DataFrame, table: str, ctx: Context) -> pd.DataFrame:
    """Every problem of every row: position (the frame's index), column and reason; empty when all rows pass."""
    schema, blame = ledger_schema(table, ctx)
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as e:
        return _problems(e.failure_cases, blame)
    return pd.DataFrame({"position": pd.Series(dtype="int64"), "column": pd.Series(dtype=object),
                         "reason": pd.Series(dtype=object)})


def _problems(cases: pd.DataFrame, blame: dict[str, str]) -> pd.DataFrame:
    broken = cases[cases["index"].isna()]
    if not broken.empty:
        raise RuntimeError(f"ledger checks failed to run: {sorted(set(broken['check']))}")
    wide = cases["schema_context"] == "DataFrameSchema"
    problems = pd.DataFrame({
        "position": cases["index"].astype("int64"),
        "column": cases["column"].where(~wide, cases["check"].map(blame)),
        "reason": cases["check"].where(cases["check"] != "not_nullable", REQUIRED),
    })
    return problems.drop_duplicates().sort_values(["position", "column"], kind="stable").reset_index(drop=True)
