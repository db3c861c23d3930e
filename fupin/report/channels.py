"""Certified products, 三专 outlets, their sales and the sales events of a filter (seed 003): the 产品与渠道 page, its
map, the brief's `products_channels` object and paragraph, and what the attention list asks of them; every figure from
the queries of queries/products/.

Which sales count (README, 产品与渠道): made = the sales ledger's actual rows plus the purchases of a certified product
(its supplier credit code and product name, on a day it is certified); a sales row repeating such a purchase is that
purchase and counts once. The purchase ledger's own figures (采购金额) never include the sales ledger.
"""

from collections.abc import Iterator
from dataclasses import dataclass, replace

import pandas as pd

from ..query.db import SnapshotDB, call
from ..query.filters import Filter
from ..text import fmt
from ..text.i18n import t
from .headline import first_row
from .page_data import PAGE_ROWS, scope_wide

# What the attention list asks: certifications ending within this many days, outlets idle this long, and events whose
# sales made by this many days after them are under this share of what they signed.
EXPIRING_WITHIN_DAYS = 60
IDLE_DAYS = 30
EVENT_DUE_DAYS = 60
EVENT_UNDER_PCT = 50.0
TOP_OUTLETS = 10
TOP_PRODUCTS = 10
# The page's registers, in the order its choice offers them.
REGISTERS = ("products", "outlets", "events", "sales")
# The map's figures (fupin.report.mapping.CHANNEL_MAP_METRICS gives their labels and units).
AREA_FIGURES = ["certified_products", "product_value_yuan", "sales_yuan", "outlets"]

# The events' columns a leader asks about, shown whole at 1366 px; the others (kind, end date, place, organiser,
# participants) one click away.
EVENT_COLUMNS = ["event_name", "start_date", "township_name", "signed_amount_yuan", "realised_yuan", "realised_pct"]


def _filter(flt: Filter) -> Filter:
    """The filter as these registers read it: dates and place (they have no village, buyer type or purchase
    category)."""
    return replace(flt, village=None, buyer_type=None, product_category=None)


def totals(db: SnapshotDB, flt: Filter) -> dict:
    """Every total of a filter in one row (products_channels_totals) as plain Python values."""
    return first_row(db.run_filtered("products_channels_totals", _filter(flt)))


def has_data(figures: dict) -> bool:
    """Whether a filter's totals hold anything of these registers."""
    keys = ("certified_products", "sales_yuan", "signed_sales_yuan", "counters", "zones_online", "zones_offline",
            "halls_online", "halls_offline", "smart_signed_units", "smart_intent_companies", "events")
    return any(figures[k] for k in keys)


def funnel(figures: dict) -> pd.DataFrame:
    """The smart-counter pipeline 意向 → 签约 → 落地: the operators that reached each stage and the counters signed and
    landed (none given for intent)."""
    reached = figures["smart_intent_companies"] + figures["smart_signed_companies"]
    return pd.DataFrame({"stage": ["intent", "signed", "landed"],
                         "companies": [reached, figures["smart_signed_companies"], figures["smart_landed_companies"]],
                         "units": [None, figures["smart_signed_units"], figures["smart_landed_units"]]})


@dataclass(frozen=True)
class ProductsChannels:
    """The 产品与渠道 page: totals, certification by category, the map's areas, sales by channel, outlet and product,
    the events with signed vs made, and the outlets on the map."""

    totals: dict
    by_category: pd.DataFrame
    areas: pd.DataFrame
    area_level: str            # county | township
    by_channel: pd.DataFrame
    by_outlet: pd.DataFrame
    by_product: pd.DataFrame
    events: pd.DataFrame
    outlet_points: pd.DataFrame

    @property
    def empty(self) -> bool:
        return not has_data(self.totals)

    @property
    def funnel(self) -> pd.DataFrame:
        return funnel(self.totals)


def area_query(flt: Filter) -> tuple[str, dict]:
    """The map's query: counties for a scope of several, else every township of the county (township staff's own
    figures only: see `area_rows`)."""
    wide = scope_wide(_filter(flt))
    if len(flt.counties) > 1:
        return call("products_by_county", wide)
    return call("products_by_township", wide)


def area_rows(frame: pd.DataFrame, flt: Filter) -> tuple[pd.DataFrame, str]:
    """The map's areas and their level; for township staff the other townships are drawn without figures."""
    if len(flt.counties) > 1:
        return frame, "county"
    frame = frame.astype({c: float for c in AREA_FIGURES})
    if flt.township_lock:
        frame.loc[frame["township_code"] != flt.township_lock, AREA_FIGURES] = float("nan")
    return frame, "township"


def page(db: SnapshotDB, flt: Filter) -> ProductsChannels:
    """Everything the 产品与渠道 page shows for a filter but the registers (one page each: `register`), from queries
    run side by side."""
    own = _filter(flt)
    figures, by_category, areas, by_channel, by_outlet, by_product, events, points = db.run_many([
        call("products_channels_totals", own), call("certified_by_category", own), area_query(flt),
        call("sales_by_channel", own), call("sales_by_outlet", own), call("sales_by_product", own),
        call("event_results", own), call("outlet_points", own)])
    areas, level = area_rows(areas, flt)
    return ProductsChannels(first_row(figures), by_category, areas, level, by_channel, by_outlet.head(TOP_OUTLETS),
                            by_product.head(TOP_PRODUCTS), events, points)


def _register_call(name: str, flt: Filter, search: str | None, paging: dict) -> tuple[str, dict]:
    """The query of a register (products, outlets, events, sales) and its parameters; the events list is short:
    neither searched nor paged."""
    own, found = _filter(flt), {"search": search or None, **paging}
    if name == "products":
        return call("certified_product_register", own, **found)
    if name == "outlets":
        return call("outlet_register", own, **found)
    if name == "sales":
        return call("channel_sale_records", own, **found)
    return call("event_results", own)


def register(db: SnapshotDB, flt: Filter, name: str, search: str | None = None, page_no: int = 0,
             rows: int | None = PAGE_ROWS) -> pd.DataFrame:
    """One page of a register of the filter (products, outlets, events, sales), optionally searched."""
    query, params = _register_call(name, flt, search, {"limit": rows, "offset": page_no * (rows or 0)})
    return db.run(query, **params)


def register_batches(db: SnapshotDB, flt: Filter, name: str, search: str | None = None) -> Iterator[pd.DataFrame]:
    """A whole register of the filter, a chunk at a time (the CSV and Excel downloads)."""
    query, params = _register_call(name, flt, search, {"limit": None, "offset": 0})
    extra = {k: v for k, v in params.items() if k in ("search", "limit", "offset")}
    return db.batches(query, _filter(flt), **extra)


def outlet_months(db: SnapshotDB, flt: Filter, outlet: str) -> pd.DataFrame:
    """One outlet's sales per month of the end date's year (the drill-down below the outlets)."""
    return db.run_filtered("outlet_sales_by_month", _filter(flt), outlet=outlet)


def expiring_certifications(db: SnapshotDB, flt: Filter) -> pd.DataFrame:
    """Certified products whose certification ends within EXPIRING_WITHIN_DAYS days of the end date."""
    return db.run_filtered("attention_expiring_certifications", _filter(flt), within_days=EXPIRING_WITHIN_DAYS)


def idle_outlets(db: SnapshotDB, flt: Filter) -> pd.DataFrame:
    """Outlets in service without a sale made in the IDLE_DAYS days to the end date."""
    return db.run_filtered("attention_idle_outlets", _filter(flt), idle_days=IDLE_DAYS)


def events_under_half(db: SnapshotDB, flt: Filter) -> pd.DataFrame:
    """Events whose sales made by EVENT_DUE_DAYS days after them (that day in the dates) are under EVENT_UNDER_PCT
    percent of what they signed."""
    return db.run_filtered("attention_events_under_half", _filter(flt), after_days=EVENT_DUE_DAYS,
                           under_pct=EVENT_UNDER_PCT)


def _plain(frame: pd.DataFrame) -> list[dict]:
    return [{k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()} for row in frame.to_dict("records")]


def brief_figures(db: SnapshotDB, flt: Filter) -> dict | None:
    """The brief's `products_channels` object: products certified on the end date, sales in the dates, outlets by kind,
    online or offline and smart-counter stage on the end date, events begun in the dates; None for a filter
    without any of these data."""
    f = totals(db, flt)
    if not has_data(f):
        return None
    by_channel = db.run_filtered("sales_by_channel", _filter(flt))
    return {
        "certified_products": f["certified_products"], "suppliers": f["suppliers"],
        "product_value_yuan": f["product_value_yuan"],
        "sales_yuan": f["sales_yuan"], "channel_sales_yuan": f["channel_sales_yuan"],
        "purchase_sales_yuan": f["purchase_sales_yuan"], "signed_sales_yuan": f["signed_sales_yuan"],
        "outlet_sales_yuan": f["outlet_sales_yuan"], "event_sales_yuan": f["event_sales_yuan"],
        "outlets": {
            "counters": f["counters"],
            "zones": {"online": f["zones_online"], "offline": f["zones_offline"]},
            "halls": {"online": f["halls_online"], "offline": f["halls_offline"]},
            "smart_counters": {"intent_companies": f["smart_intent_companies"],
                               "signed_companies": f["smart_signed_companies"],
                               "signed_units": f["smart_signed_units"], "landed_units": f["smart_landed_units"]},
        },
        "events": {"events": f["events"], "kinds": f["event_kinds"], "signed_amount_yuan": f["event_signed_yuan"],
                   "participants": f["event_participants"]},
        "by_channel": _plain(by_channel),
    }


def brief_line(figures: dict | None, lang: str = "zh") -> str | None:
    """The brief's 产品与渠道 paragraph in one language, or None without these data."""
    if not figures:
        return None
    def money(yuan: float) -> str:
        return fmt.money(yuan, lang=lang)

    out = figures["outlets"]
    smart = out["smart_counters"]
    values = dict(products=figures["certified_products"], suppliers=figures["suppliers"],
                  value=money(figures["product_value_yuan"]), sales=money(figures["sales_yuan"]),
                  outlet_sales=money(figures["outlet_sales_yuan"]), purchases=money(figures["purchase_sales_yuan"]),
                  signed=money(figures["signed_sales_yuan"]), counters=out["counters"],
                  zones=out["zones"]["online"] + out["zones"]["offline"], zones_online=out["zones"]["online"],
                  halls=out["halls"]["online"] + out["halls"]["offline"], halls_online=out["halls"]["online"],
                  signed_companies=smart["signed_companies"], signed_units=smart["signed_units"],
                  landed_units=smart["landed_units"], events=figures["events"]["events"],
                  kinds=figures["events"]["kinds"], event_signed=money(figures["events"]["signed_amount_yuan"]))
    parts = [t("brief_channels_products", lang, **values), t("brief_channels_sales", lang, **values),
             t("brief_channels_outlets", lang, **values)]
    if smart["signed_units"] or smart["intent_companies"]:
        parts.append(t("brief_channels_smart", lang, **values))
    if values["events"]:
        parts.append(t("brief_channels_events", lang, **values))
    return t("brief_channels", lang, parts=t("brief_channels_separator", lang).join(parts))
