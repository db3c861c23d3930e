"""Reading one ledger cell: dates, amounts, whole numbers, coded values and credit codes, with the reason in Chinese."""

import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from ..store.channels import (
    CERTIFICATION_STATUSES,
    ONLINE,
    OUTLET_KINDS,
    OUTLET_STAGES,
    SALE_TYPES,
    SEVEN_CHECKS,
    YES_NO,
)
from ..store.credit_code import is_cooperative_code, is_valid
from ..store.plan_tables import FUND_KINDS, FUND_PURPOSES, PAIRING_MODES, TASK_STATUSES, VISIT_KINDS
from ..store.schema import (
    BUYER_TYPES,
    CHANNELS,
    INSPECTION_TYPES,
    METRICS,
    OFFER_SUPPLIER_TYPES,
    RESULTS,
    SUPPLIER_TYPES,
    VENUE_TYPES,
)
from .synonyms import SYNONYMS

# Ledgers write "--" or "—" for "nothing here"; such a cell is empty, never zero.
EMPTY = re.compile(r"^[-－—–―_]*$")
# A code written ="140827203216" so Excel keeps it as text.
EXCEL_TEXT = re.compile(r'^="(.*)"$')
DATE_TEXT = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
EXCEL_EPOCH = dt.date(1899, 12, 30)
# Excel serial numbers of 1990-01-01 and 2099-12-31: anything else numeric is not a date.
SERIAL_RANGE = (32874, 73050)
EARLIEST_DATE = dt.date(1990, 1, 1)
# A harvest may be offered before it comes in: its dates may lie up to this many days ahead.
HARVEST_AHEAD_DAYS = 366
CURRENCY = re.compile(r"^(?:¥|￥|RMB|CNY)\s*|\s*元$", re.IGNORECASE)
THOUSANDS = re.compile(r"^-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$")
# The numbers people type in Excel: digits with an optional decimal part. Python's float() also takes 1_000,
# 1e5, inf and nan, which no ledger means; they are refused.
PLAIN_NUMBER = re.compile(r"^-?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)$")
FULL_WIDTH = str.maketrans("０１２３４５６７８９．，－", "0123456789.,-")

DATE_FORMAT = "无法识别的日期（应为 2018-12-29、2018/12/29、2018年12月29日或 Excel 日期）"
DATE_MISSING_DAY = "日期不存在（月份或日子超出范围）"
DATE_OUT_OF_RANGE = "日期早于1990年或晚于今天"
HARVEST_OUT_OF_RANGE = "日期早于1990年或晚于一年之后"
PHONE = re.compile(r"^(?:1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$")
NOT_A_PHONE = "不是有效的电话号码（手机11位，或座机如 0359-6021234）"
NOT_A_NUMBER = "不是数字（可写 1,234.5 或 ¥100）"
NEGATIVE = "不能为负数"
NOT_WHOLE = "应为整数"
YEAR_OUT_OF_RANGE = "年度应在2000至2100之间"
CREDIT_CODE = "统一社会信用代码无效（应为18位，校验位正确）"
# A task's deadline: a date (up to this many days ahead of today), or one of these words for a long-term task.
DUE_AHEAD_DAYS = 5 * 366
LONG_TERM = ("长期", "长期坚持", "常态化", "持续推进", "长期推进")
DUE_FORMAT = "无法识别的完成时限（应为日期，如 2020-06-30，或“长期”）"
DUE_OUT_OF_RANGE = "完成时限早于1990年或晚于五年之后"
UNIT_SEPARATORS = re.compile(r"[、，,;；/\s]+")
NO_UNITS = "没有单位名称"
COOPERATIVE_CODE = "不是农民专业合作社的统一社会信用代码（应以93开头，18位，校验位正确）"
# A certification may be valid for years to come; a month of sales is dated to its last day.
VALID_AHEAD_YEARS = 10
VALID_UNTIL_OUT_OF_RANGE = "日期早于1990年或晚于十年之后"
MONTH_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
MONTH_NOT_OVER = "该月尚未结束（按月填写的销售记在该月最后一天）"
CHECKS_ALL = ("全部", "全部通过", "七个关口全部通过")
CHECKS_SEPARATORS = re.compile(r"[、,，;；/\s]+")
NOT_A_CHECK = f"不是“七个关口”之一（可填：{'、'.join(SEVEN_CHECKS)}，或“全部”）"
# Where a point in China can be (WGS-84 degrees), so a swapped or mistyped coordinate is caught.
LONGITUDES, LATITUDES = (73.0, 136.0), (3.0, 54.0)
NOT_IN_CHINA = "坐标不在中国境内（经度73至136，纬度3至54）"


class ValueProblem(ValueError):
    """A cell that cannot be read; the message is the reason shown to staff."""


def clean(cell: str | None) -> str | None:
    """A cell's text without surrounding spaces (and without the ="..." the dashboard's CSV wraps codes in for
    Excel), or None when it is blank or only dashes."""
    if cell is None:
        return None
    text = cell.strip().strip("\u3000")
    text = EXCEL_TEXT.sub(r"\1", text).strip()
    return None if EMPTY.match(text) else text


@functools.lru_cache(maxsize=1 << 16)
def parse_date(text: str) -> dt.date:
    """A date written as 2018-12-29, 2018/12/29, 2018年12月29日, 20181229 or an Excel serial number."""
    day = _day(text)
    if not EARLIEST_DATE <= day <= dt.date.today():
        raise ValueProblem(DATE_OUT_OF_RANGE)
    return day


@functools.lru_cache(maxsize=1 << 16)
def parse_harvest_date(text: str) -> dt.date:
    """A harvest date, written as any date, from 1990 to a year ahead (an offer of a harvest still to come)."""
    day = _day(text)
    if not EARLIEST_DATE <= day <= dt.date.today() + dt.timedelta(days=HARVEST_AHEAD_DAYS):
        raise ValueProblem(HARVEST_OUT_OF_RANGE)
    return day


def parse_due(text: str) -> dt.date | None:
    """A task's deadline: a date up to five years ahead, or None for a long-term task (长期, 常态化 ...)."""
    if text in LONG_TERM:
        return None
    try:
        day = _day(text)
    except ValueProblem as e:
        raise ValueProblem(DUE_FORMAT if str(e) == DATE_FORMAT else str(e)) from None
    if not EARLIEST_DATE <= day <= dt.date.today() + dt.timedelta(days=DUE_AHEAD_DAYS):
        raise ValueProblem(DUE_OUT_OF_RANGE)
    return day


def parse_units(text: str) -> str:
    """Unit names however a ledger separates them (、，, ; / or spaces), joined by 、 as plans write them."""
    names = [name for name in UNIT_SEPARATORS.split(text) if name]
    if not names:
        raise ValueProblem(NO_UNITS)
    return "、".join(dict.fromkeys(names))


def _day(text: str) -> dt.date:
    """The day a date cell names, whatever it is."""
    match = DATE_TEXT.match(text) or COMPACT_DATE.match(text)
    if match:
        try:
            day = dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            raise ValueProblem(DATE_MISSING_DAY) from None
    elif re.fullmatch(r"\d+(\.0+)?", text) and SERIAL_RANGE[0] <= float(text) <= SERIAL_RANGE[1]:
        day = EXCEL_EPOCH + dt.timedelta(days=int(float(text)))
    else:
        raise ValueProblem(DATE_FORMAT)
    return day


@functools.lru_cache(maxsize=1 << 16)
def parse_valid_until(text: str) -> dt.date:
    """The last day a certification is valid: any date from 1990 to ten years ahead."""
    day = _day(text)
    today = dt.date.today()
    if not EARLIEST_DATE <= day <= today.replace(year=today.year + VALID_AHEAD_YEARS, day=min(today.day, 28)):
        raise ValueProblem(VALID_UNTIL_OUT_OF_RANGE)
    return day


@functools.lru_cache(maxsize=1 << 16)
def parse_sale_day(text: str) -> dt.date:
    """The day of a sale, or of a month's sales (2020-10, 2020年10月) its last day, which must be over."""
    match = MONTH_TEXT.match(text)
    if not match:
        return parse_date(text)
    year, month = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        raise ValueProblem(DATE_MISSING_DAY)
    last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    if last > dt.date.today():
        raise ValueProblem(MONTH_NOT_OVER)
    if last < EARLIEST_DATE:
        raise ValueProblem(DATE_OUT_OF_RANGE)
    return last


def parse_checks(text: str) -> str:
    """The checks of the seven (七个关口) a cell lists, in seed 003's order and joined by 、 ("全部": all seven)."""
    if text.strip() in CHECKS_ALL:
        return "、".join(SEVEN_CHECKS)
    named = {part for part in CHECKS_SEPARATORS.split(text) if part}
    if not named or not named <= set(SEVEN_CHECKS):
        raise ValueProblem(NOT_A_CHECK)
    return "、".join(check for check in SEVEN_CHECKS if check in named)


def _coordinate(bounds: tuple[float, float]) -> Callable[[str], float]:
    """A parser of degrees within `bounds`."""
    def parse(text: str) -> float:
        bare = text.translate(FULL_WIDTH).strip().removesuffix("°")
        if not PLAIN_NUMBER.match(bare):
            raise ValueProblem(NOT_A_NUMBER)
        value = float(bare)
        if not bounds[0] <= value <= bounds[1]:
            raise ValueProblem(NOT_IN_CHINA)
        return value
    return parse


parse_longitude, parse_latitude = _coordinate(LONGITUDES), _coordinate(LATITUDES)


@functools.lru_cache(maxsize=1 << 16)
def parse_quantity(text: str) -> float:
    """A non-negative amount or weight such as 1234.5, "1,234.5", "¥100" or "100元" (full-width digits too)."""
    bare = CURRENCY.sub("", text.translate(FULL_WIDTH)).strip()
    if THOUSANDS.match(bare):
        bare = bare.replace(",", "")
    if not PLAIN_NUMBER.match(bare):
        raise ValueProblem(NOT_A_NUMBER)
    value = float(bare)
    if value < 0:
        raise ValueProblem(NEGATIVE)
    return value


def parse_count(text: str) -> int:
    """A non-negative whole number such as 12 (Excel may give 12.0)."""
    value = parse_quantity(text)
    if value != int(value):
        raise ValueProblem(NOT_WHOLE)
    return int(value)


def parse_year(text: str) -> int:
    """A year such as 2018 or 2018年."""
    value = parse_count(text.removesuffix("年"))
    if not 2000 <= value <= 2100:
        raise ValueProblem(YEAR_OUT_OF_RANGE)
    return value


def parse_phone(text: str) -> str:
    """A mobile (13912345678) or landline (0359-6021234) number, spaces and the +86 prefix taken out."""
    number = re.sub(r"[\s()（）]", "", text.translate(FULL_WIDTH)).removeprefix("+86")
    if not PHONE.match(number):
        raise ValueProblem(NOT_A_PHONE)
    return number


def parse_credit_code(text: str) -> str:
    """A valid unified social credit code, in capitals."""
    code = text.upper()
    if not is_valid(code):
        raise ValueProblem(CREDIT_CODE)
    return code


def parse_cooperative_code(text: str) -> str:
    """A valid unified social credit code of a farmer cooperative, in capitals."""
    code = text.upper()
    if not is_cooperative_code(code):
        raise ValueProblem(COOPERATIVE_CODE)
    return code


@dataclass(frozen=True)
class CodedValues:
    """A coded column: accepts the code, its Chinese or English label, or a known synonym."""

    what: str
    codes: dict[str, tuple[str, str]]
    synonyms: dict[str, str]

    @functools.cached_property
    def named(self) -> dict[str, str]:
        """Codes by the code itself and its labels (both parts of a label like 龙头带动·商超直销)."""
        return {_key(name): code for code, (zh, en) in self.codes.items() for name in (code, zh, en, *zh.split("·"))}

    @functools.cached_property
    def lookup(self) -> dict[str, str]:
        return {**{_key(name): code for name, code in self.synonyms.items()}, **self.named}

    def synonym(self, text: str) -> str | None:
        """The code a cell names through the synonym table only (not by a code or label), else None."""
        return None if _key(text) in self.named else self.lookup.get(_key(text))

    @property
    def reason(self) -> str:
        return f"不是有效的{self.what}（可填：{'、'.join(zh for zh, _ in self.codes.values())}）"

    def parse(self, text: str) -> str:
        """The code a cell names, or ValueProblem."""
        try:
            return self.lookup[_key(text)]
        except KeyError:
            raise ValueProblem(self.reason) from None


def _key(name: str) -> str:
    return re.sub(r"\s+", "", name).lower()


BUYER_TYPE = CodedValues("采购单位类型", BUYER_TYPES, SYNONYMS["buyer_type"])
CHANNEL = CodedValues("渠道", CHANNELS, SYNONYMS["channel"])
SUPPLIER_TYPE = CodedValues("供货方类型", SUPPLIER_TYPES, SYNONYMS["supplier_type"])
OFFER_SUPPLIER_TYPE = CodedValues("供货方类型", OFFER_SUPPLIER_TYPES,
                                  {w: c for w, c in SYNONYMS["supplier_type"].items() if c in OFFER_SUPPLIER_TYPES})
INSPECTION_TYPE = CodedValues("检测类型", INSPECTION_TYPES, SYNONYMS["inspection_type"])
RESULT = CodedValues("检测结果", RESULTS, SYNONYMS["result"])
METRIC = CodedValues("指标", METRICS, SYNONYMS["metric"])
VENUE_TYPE = CodedValues("场所类型", {name: (name, name) for name in VENUE_TYPES}, SYNONYMS["venue_type"])
CERTIFICATION_STATUS = CodedValues("认定状态", CERTIFICATION_STATUSES, SYNONYMS["certification_status"])
OUTLET_KIND = CodedValues("三专类型", OUTLET_KINDS, SYNONYMS["outlet_kind"])
ONLINE_OFFLINE = CodedValues("线上线下", ONLINE, SYNONYMS["online"])
YES_OR_NO = CodedValues("是否", YES_NO, SYNONYMS["yes_no"])
OUTLET_STAGE = CodedValues("阶段", OUTLET_STAGES, SYNONYMS["outlet_stage"])
SALE_TYPE = CodedValues("销售类型", SALE_TYPES, SYNONYMS["sale_type"])
TASK_STATUS = CodedValues("进展状态", TASK_STATUSES, SYNONYMS["task_status"])
FUND_KIND = CodedValues("资金类型", FUND_KINDS, SYNONYMS["fund_kind"])
FUND_PURPOSE = CodedValues("用途", FUND_PURPOSES, SYNONYMS["fund_purpose"])
PAIRING_MODE = CodedValues("结对方式", PAIRING_MODES, SYNONYMS["pairing_mode"])
VISIT_KIND = CodedValues("活动类型", VISIT_KINDS, SYNONYMS["visit_kind"])

CODED = {"buyer_type": BUYER_TYPE, "channel": CHANNEL, "supplier_type": SUPPLIER_TYPE,
         "offer_supplier_type": OFFER_SUPPLIER_TYPE,
         "inspection_type": INSPECTION_TYPE, "result": RESULT, "metric": METRIC, "venue_type": VENUE_TYPE,
         "certification_status": CERTIFICATION_STATUS, "outlet_kind": OUTLET_KIND, "online": ONLINE_OFFLINE,
         "yes_no": YES_OR_NO, "outlet_stage": OUTLET_STAGE, "sale_type": SALE_TYPE,
         "task_status": TASK_STATUS, "fund_kind": FUND_KIND, "fund_purpose": FUND_PURPOSE,
         "pairing_mode": PAIRING_MODE, "visit_kind": VISIT_KIND}


@dataclass(frozen=True)
class Kind:
    """How the cells of one kind of column are read, and every reason reading can fail for."""

    parse: Callable[[str], object]
    reasons: tuple[str, ...]


KINDS: dict[str, Kind] = {
    "text": Kind(str, ()),
    "date": Kind(parse_date, (DATE_FORMAT, DATE_MISSING_DAY, DATE_OUT_OF_RANGE)),
    "harvest_date": Kind(parse_harvest_date, (DATE_FORMAT, DATE_MISSING_DAY, HARVEST_OUT_OF_RANGE)),
    "phone": Kind(parse_phone, (NOT_A_PHONE,)),
    "quantity": Kind(parse_quantity, (NOT_A_NUMBER, NEGATIVE)),
    "count": Kind(parse_count, (NOT_A_NUMBER, NEGATIVE, NOT_WHOLE)),
    "year": Kind(parse_year, (NOT_A_NUMBER, NEGATIVE, NOT_WHOLE, YEAR_OUT_OF_RANGE)),
    "credit_code": Kind(parse_credit_code, (CREDIT_CODE,)),
    "cooperative_code": Kind(parse_cooperative_code, (COOPERATIVE_CODE,)),
    "valid_until": Kind(parse_valid_until, (DATE_FORMAT, DATE_MISSING_DAY, VALID_UNTIL_OUT_OF_RANGE)),
    "sale_day": Kind(parse_sale_day, (DATE_FORMAT, DATE_MISSING_DAY, DATE_OUT_OF_RANGE, MONTH_NOT_OVER)),
    "checks": Kind(parse_checks, (NOT_A_CHECK,)),
    "longitude": Kind(parse_longitude, (NOT_A_NUMBER, NOT_IN_CHINA)),
    "latitude": Kind(parse_latitude, (NOT_A_NUMBER, NOT_IN_CHINA)),
    "due": Kind(parse_due, (DUE_FORMAT, DATE_MISSING_DAY, DUE_OUT_OF_RANGE)),
    "units": Kind(parse_units, (NO_UNITS,)),
    **{name: Kind(coded.parse, (coded.reason,)) for name, coded in CODED.items()},
}


def problem(kind: str, text: str) -> str | None:
    """Why a non-empty cell of this kind cannot be read, or None when it can."""
    try:
        KINDS[kind].parse(text)
    except ValueProblem as e:
        return str(e)
    return None
