"""The rows of seed 003's registers (certified products, 三专 outlets, channel sales, events): what each row must
agree with across its columns and with the registers already in the snapshot, and the table rows it becomes.

validation.py turns each check here into a rule of its pandera schema; rows.py calls the converters. A check gets
cell texts (None when empty) and returns the reason a row fails, or None; a value unreadable on its own column is left
to that column's check.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from ..store.channels import IN_SERVICE_STAGES, SEVEN_CHECKS, SIGNED_STAGES
from .values import (
    CODED,
    KINDS,
    ValueProblem,
    parse_checks,
    parse_count,
    parse_credit_code,
    parse_date,
    parse_latitude,
    parse_longitude,
    parse_quantity,
    parse_sale_day,
    parse_valid_until,
)

VALID_UNTIL_EARLY = "有效期早于认定日期"
CHECKS_MISSING = f"认定有效的产品须通过全部七个关口（{'、'.join(SEVEN_CHECKS)}）"
VALUE_NOT_POSITIVE = "产品价值应大于0"
SMART_NOT_COUNTER = "智能专柜的类型须为专柜"
LANDED_NOT_SMART = "“落地”只用于智能专柜；其他网点建成后填“建成”"
OPENED_MISSING = "建成、落地的网点须填写开业日期"
OPENED_LATE = "开业日期晚于阶段日期"
UNITS_MISSING = "签约、落地的智能专柜须填写台数（至少1台）"
UNITS_NOT_COUNTER = "只有专柜填写台数"
COORDINATES_HALF = "经度和纬度须同时填写"
EVENT_ENDS_EARLY = "结束日期早于开始日期"
PRODUCT_MISSING = "须填写认定编号，或产品名称和统一社会信用代码"
PRODUCT_UNKNOWN = "认定编号不在扶贫产品认定台账中（请先导入认定台账）"
PRODUCT_UNMATCHED = "产品名称和统一社会信用代码对不上扶贫产品认定台账中的产品"
PRODUCT_AMBIGUOUS = "产品名称和统一社会信用代码对应认定台账中的多个产品，请填写认定编号"
PRODUCT_MISMATCH = "认定编号与所填产品名称或统一社会信用代码不符"
OUTLET_UNKNOWN = "网点编号不在三专台账中（请先导入三专台账）"
EVENT_UNKNOWN = "活动编号不在展销活动台账中（请先导入活动台账）"


@dataclass(frozen=True)
class Registers:
    """The snapshot's certified products, outlets and events that sales rows name."""

    products: dict[str, dict] = field(default_factory=dict)                 # product_id -> row
    named: dict[tuple[str, str], list[str]] = field(default_factory=dict)   # (name, credit code) -> product ids
    outlets: frozenset[str] = frozenset()
    events: frozenset[str] = frozenset()

    @classmethod
    def of(cls, products: list[dict], outlets: list[dict], events: list[dict]) -> "Registers":
        """The registers from their rows (Existing.register of each table)."""
        named = defaultdict(list)
        for row in products:
            named[(row["product_name"], row["supplier_credit_code"])].append(row["product_id"])
        return cls({row["product_id"]: row for row in products}, dict(named),
                   frozenset(row["outlet_id"] for row in outlets), frozenset(row["event_id"] for row in events))

    def product(self, product_id: str | None, name: str | None, code: str | None) -> dict:
        """The certified product a sales row names by its id, or by its name and supplier credit code; ValueProblem
        saying why none is found."""
        code = _or_none(parse_credit_code, code) if code else None
        if product_id is not None:
            found = self.products.get(product_id)
            if found is None:
                raise ValueProblem(PRODUCT_UNKNOWN)
            if (name is not None and name != found["product_name"]) or (
                    code is not None and code != found["supplier_credit_code"]):
                raise ValueProblem(PRODUCT_MISMATCH)
            return found
        if name is None or code is None:
            raise ValueProblem(PRODUCT_MISSING)
        ids = self.named.get((name, code), [])
        if len(ids) > 1:
            raise ValueProblem(PRODUCT_AMBIGUOUS)
        if not ids:
            raise ValueProblem(PRODUCT_UNMATCHED)
        return self.products[ids[0]]


def _or_none(fn: Callable, *args):
    """fn(*args), or None when a value it needs is missing or unreadable (reported on its own column)."""
    if any(a is None for a in args):
        return None
    try:
        return fn(*args)
    except ValueProblem:
        return None


def _code(kind: str, text: str | None) -> str | None:
    return _or_none(CODED[kind].parse, text)


def _valid_until_early(certified, valid_until):
    start, end = _or_none(parse_date, certified), _or_none(parse_valid_until, valid_until)
    return VALID_UNTIL_EARLY if start and end and end < start else None


def _checks_missing(status, checks):
    passed = _or_none(parse_checks, checks)
    if _code("certification_status", status) != "valid" or passed is None:
        return None
    return CHECKS_MISSING if passed != "、".join(SEVEN_CHECKS) else None


def _value_not_positive(text):
    value = _or_none(parse_quantity, text)
    return VALUE_NOT_POSITIVE if value is not None and value <= 0 else None


def _smart(text) -> bool:
    return _code("yes_no", text) == "yes"


def _smart_not_counter(smart, kind):
    return SMART_NOT_COUNTER if _smart(smart) and _code("outlet_kind", kind) not in (None, "counter") else None


def _landed_not_smart(smart, stage):
    return LANDED_NOT_SMART if _code("outlet_stage", stage) == "landed" and not _smart(smart) else None


def _opened(stage, stage_date, opened):
    code = _code("outlet_stage", stage)
    if code in IN_SERVICE_STAGES and opened is None:
        return OPENED_MISSING
    start, reached = _or_none(parse_date, opened), _or_none(parse_date, stage_date)
    return OPENED_LATE if start and reached and start > reached else None


def _units(kind, smart, stage, units):
    if units is not None and _code("outlet_kind", kind) not in (None, "counter"):
        return UNITS_NOT_COUNTER
    if _smart(smart) and _code("outlet_stage", stage) in SIGNED_STAGES:
        count = _or_none(parse_count, units)
        if units is None or count == 0:
            return UNITS_MISSING
    return None


def _coordinates_half(lng, lat):
    return COORDINATES_HALF if (lng is None) != (lat is None) else None


def _event_ends_early(start, end):
    first, last = _or_none(parse_date, start), _or_none(parse_date, end)
    return EVENT_ENDS_EARLY if first and last and last < first else None


def _product(registers: Registers) -> Callable:
    def check(product_id, name, code):
        if code is not None and _or_none(parse_credit_code, code) is None:
            return None   # the credit code's own check says why
        try:
            registers.product(product_id, name, code)
        except ValueProblem as e:
            return str(e)
        return None
    return check


def _known(known: frozenset[str], reason: str) -> Callable:
    return lambda text: reason if text is not None and text not in known else None


# A rule: (the column it is blamed on, its reasons, the columns it reads, the check).
RowCheck = tuple[str, tuple[str, ...], tuple[str, ...], Callable]


def row_checks(table: str, registers: Registers | None) -> list[RowCheck]:
    """The cross-column checks of one of the four tables (none for another table)."""
    if table == "certified_products":
        return [("valid_until", (VALID_UNTIL_EARLY,), ("certified_date", "valid_until"), _valid_until_early),
                ("checks_passed", (CHECKS_MISSING,), ("status", "checks_passed"), _checks_missing),
                ("product_value_yuan", (VALUE_NOT_POSITIVE,), ("product_value_yuan",), _value_not_positive)]
    if table == "outlets":
        return [("smart", (SMART_NOT_COUNTER,), ("smart", "kind"), _smart_not_counter),
                ("stage", (LANDED_NOT_SMART,), ("smart", "stage"), _landed_not_smart),
                ("opened_date", (OPENED_MISSING, OPENED_LATE), ("stage", "stage_date", "opened_date"), _opened),
                ("units", (UNITS_MISSING, UNITS_NOT_COUNTER), ("kind", "smart", "stage", "units"), _units),
                ("lat", (COORDINATES_HALF,), ("lng", "lat"), _coordinates_half)]
    if table == "events":
        return [("end_date", (EVENT_ENDS_EARLY,), ("start_date", "end_date"), _event_ends_early)]
    if table == "channel_sales":
        registers = registers or Registers()
        return [("product_id", (PRODUCT_MISSING, PRODUCT_UNKNOWN, PRODUCT_UNMATCHED, PRODUCT_AMBIGUOUS,
                                PRODUCT_MISMATCH), ("product_id", "product_name", "supplier_credit_code"),
                 _product(registers)),
                ("outlet_id", (OUTLET_UNKNOWN,), ("outlet_id",), _known(registers.outlets, OUTLET_UNKNOWN)),
                ("event_id", (EVENT_UNKNOWN,), ("event_id",), _known(registers.events, EVENT_UNKNOWN))]
    return []


def _maybe(parse: Callable, text):
    return parse(text) if text is not None else None


def _place(r, ctx, year: int) -> str:
    """The township code a row names in a year, within its county (its 县 column) or the import's counties."""
    county = ctx.places.county(r.county) if r.county is not None else None
    return ctx.places.township(r.township, year, county)


def certified_product(r, ctx) -> dict:
    """A checked 认定台账 row as a certified_products row."""
    day = parse_date(r.certified_date)
    return {
        "product_id": r.product_id, "product_name": r.product_name, "product_category": r.product_category,
        "supplier_name": r.supplier_name, "supplier_credit_code": parse_credit_code(r.supplier_credit_code),
        "township_code": _place(r, ctx, day.year), "certified_date": day,
        "valid_until": _maybe(parse_valid_until, r.valid_until), "status": CODED["certification_status"].parse(r.status),
        "product_value_yuan": parse_quantity(r.product_value_yuan), "checks_passed": _maybe(parse_checks, r.checks_passed),
    }


def outlet(r, ctx) -> dict:
    """A checked 三专台账 row as an outlets row (an empty 智能专柜 cell is 否)."""
    day = parse_date(r.stage_date)
    return {
        "outlet_id": r.outlet_id, "outlet_name": r.outlet_name, "kind": CODED["outlet_kind"].parse(r.kind),
        "online": CODED["online"].parse(r.online) == "online", "smart": _smart(r.smart),
        "stage": CODED["outlet_stage"].parse(r.stage), "stage_date": day, "operator": r.operator, "host": r.host,
        "township_code": _place(r, ctx, day.year), "opened_date": _maybe(parse_date, r.opened_date),
        "units": _maybe(parse_count, r.units), "lng": _maybe(parse_longitude, r.lng),
        "lat": _maybe(parse_latitude, r.lat),
    }


def event(r, ctx) -> dict:
    """A checked 活动台账 row as an events row (without an end date it ends the day it starts)."""
    start = parse_date(r.start_date)
    return {
        "event_id": r.event_id, "event_name": r.event_name, "event_kind": r.event_kind, "start_date": start,
        "end_date": _maybe(parse_date, r.end_date) or start, "place": r.place,
        "township_code": _place(r, ctx, start.year), "organiser": r.organiser,
        "participants": _maybe(parse_count, r.participants),
        "signed_amount_yuan": _maybe(parse_quantity, r.signed_amount_yuan),
    }


def channel_sale(r, ctx) -> dict:
    """A checked 销售台账 row as a channel_sales row, placed where its certified product is."""
    product = ctx.registers.product(r.product_id, r.product_name, r.supplier_credit_code)
    return {
        "sale_date": parse_sale_day(r.sale_date), "product_id": product["product_id"],
        "township_code": product["township_code"], "outlet_id": r.outlet_id, "event_id": r.event_id,
        "channel": _maybe(KINDS["channel"].parse, r.channel), "sale_type": CODED["sale_type"].parse(r.sale_type),
        "buyer_name": r.buyer_name, "amount_yuan": parse_quantity(r.amount_yuan),
    }


CONVERTERS = {"certified_products": certified_product, "outlets": outlet, "channel_sales": channel_sale,
              "events": event}
