"""Table schemas of a snapshot and the coded values with their Chinese and English labels."""

import pyarrow as pa

from .plan_tables import PLAN_DATED, PLAN_TABLES

SCHEMA_VERSION = 3
COUNTY_CODE = "140827"

TABLES: dict[str, pa.Schema] = {
    "purchases": pa.schema([
        ("purchase_id", pa.int64()),
        ("purchase_date", pa.date32()),
        ("buyer_id", pa.string()),
        ("buyer_type", pa.string()),
        ("channel", pa.string()),
        ("supplier_type", pa.string()),
        ("supplier_name", pa.string()),
        ("supplier_credit_code", pa.string()),
        ("county_code", pa.string()),
        ("township_code", pa.string()),
        ("village_code", pa.string()),
        ("from_poor_village", pa.bool_()),
        ("product_category", pa.string()),
        ("product_name", pa.string()),
        ("weight_kg", pa.float64()),
        ("amount_yuan", pa.float64()),
    ]),
    "inspections": pa.schema([
        ("inspection_id", pa.int64()),
        ("sample_date", pa.date32()),
        ("inspection_type", pa.string()),
        ("food_category", pa.string()),
        ("product_name", pa.string()),
        ("venue_type", pa.string()),
        ("venue_name", pa.string()),
        ("county_code", pa.string()),
        ("township_code", pa.string()),
        ("result", pa.string()),
        ("failed_item", pa.string()),
    ]),
    "cooperatives": pa.schema([
        ("credit_code", pa.string()),
        ("cooperative_name", pa.string()),
        ("county_code", pa.string()),
        ("township_code", pa.string()),
        ("village_code", pa.string()),
        ("industry", pa.string()),
        ("registered_date", pa.date32()),
        ("deregistered_date", pa.date32()),
        ("members", pa.int32()),
        ("poor_household_members", pa.int32()),
    ]),
    "targets": pa.schema([
        ("year", pa.int32()),
        ("county_code", pa.string()),
        ("scope_code", pa.string()),
        ("metric", pa.string()),
        ("target_value", pa.float64()),
    ]),
    # Farm products villages offer for sale (待销农产品, 产销对接台账): what is on offer, when it is harvested and how
    # long it keeps; the unsold-product warnings (queries/base/offer_warnings.sql) weigh it against the purchases.
    "offers": pa.schema([
        ("offer_id", pa.int64()),
        ("county_code", pa.string()),
        ("township_code", pa.string()),
        ("village_code", pa.string()),
        ("supplier_type", pa.string()),
        ("supplier_name", pa.string()),
        ("supplier_credit_code", pa.string()),
        ("product_category", pa.string()),
        ("product_name", pa.string()),
        ("quantity_kg", pa.float64()),
        ("expected_price_yuan_per_kg", pa.float64()),
        ("harvest_from", pa.date32()),
        ("harvest_to", pa.date32()),
        ("keeps_days", pa.int32()),
        ("contact_name", pa.string()),
        ("contact_phone", pa.string()),
    ]),
    "counties": pa.schema([
        ("county_code", pa.string()),
        ("county_name", pa.string()),
        ("city_code", pa.string()),
        ("city_name", pa.string()),
        ("province_code", pa.string()),
        ("province_name", pa.string()),
        ("first_year", pa.int32()),
        ("last_year", pa.int32()),
        ("successor_code", pa.string()),
        ("lng", pa.float64()),
        ("lat", pa.float64()),
    ]),
    # Named groups of counties followed together (samr = 市场监管总局定点帮扶县): one row per member.
    "groups": pa.schema([
        ("group_code", pa.string()),
        ("group_name", pa.string()),
        ("county_code", pa.string()),
    ]),
    "townships": pa.schema([
        ("township_code", pa.string()),
        ("township_name", pa.string()),
        ("county_code", pa.string()),
        ("first_year", pa.int32()),
        ("last_year", pa.int32()),
        ("successor_code", pa.string()),
        ("lng", pa.float64()),
        ("lat", pa.float64()),
    ]),
    "villages": pa.schema([
        ("village_code", pa.string()),
        ("village_name", pa.string()),
        ("county_code", pa.string()),
        ("township_code", pa.string()),
        ("editions", pa.string()),
        ("is_poor_village", pa.bool_()),
    ]),
    "buyers": pa.schema([
        ("buyer_id", pa.string()),
        ("buyer_name", pa.string()),
        ("buyer_type", pa.string()),
        ("county_code", pa.string()),
        ("township_code", pa.string()),
    ]),
    # The levels of the unsold-product warning (data/reference/warning_rules.csv as the snapshot was written): an
    # open offer is at the most severe level whose both thresholds it meets.
    "warning_rules": pa.schema([
        ("warning_level", pa.string()),
        ("severity", pa.int32()),
        ("max_time_left_pct", pa.float64()),
        ("min_unsold_pct", pa.float64()),
    ]),
    # Derived from purchases by fupin.store.rollup when a snapshot is written, never imported (so are the summed tables
    # below): which poor households and cooperatives (by credit code) sold to a buyer in a month.
    "purchase_supplier_rollup": pa.schema([
        ("month", pa.date32()),
        ("county_code", pa.string()),
        ("township_code", pa.string()),
        ("buyer_id", pa.string()),
        ("buyer_type", pa.string()),
        ("product_category", pa.string()),
        ("supplier_type", pa.string()),
        ("supplier", pa.string()),
        ("records", pa.int64()),
        ("weight_kg", pa.float64()),
        ("amount_yuan", pa.float64()),
    ]),
    # Derived too: the kg of each village's products bought per day, what the 滞销预警 weigh against the offers
    # (a third of the purchases' rows at 10M, and four columns).
    "purchase_village_product_day": pa.schema([
        ("purchase_date", pa.date32()),
        ("county_code", pa.string()),
        ("village_code", pa.string()),
        ("product_name", pa.string()),
        ("weight_kg", pa.float64()),
    ]),
    # Seed 003's registers (codes: fupin/store/channels.py). 扶贫产品认定台账: one certified product each, keyed by its
    # 认定编号; a product counts on a date from certification to valid_until unless revoked.
    "certified_products": pa.schema([
        ("product_id", pa.string()),
        ("product_name", pa.string()),
        ("product_category", pa.string()),
        ("supplier_name", pa.string()),
        ("supplier_credit_code", pa.string()),
        ("county_code", pa.string()),
        ("township_code", pa.string()),
        ("certified_date", pa.date32()),
        ("valid_until", pa.date32()),
        ("status", pa.string()),
        ("product_value_yuan", pa.float64()),
        ("checks_passed", pa.string()),
    ]),
    # 三专台账: one counter (or a batch of smart counters of one operator), zone or hall, keyed by its 网点编号, at the
    # stage it reached on stage_date.
    "outlets": pa.schema([
        ("outlet_id", pa.string()),
        ("outlet_name", pa.string()),
        ("kind", pa.string()),
        ("online", pa.bool_()),
        ("smart", pa.bool_()),
        ("stage", pa.string()),
        ("stage_date", pa.date32()),
        ("operator", pa.string()),
        ("host", pa.string()),
        ("county_code", pa.string()),
        ("township_code", pa.string()),
        ("opened_date", pa.date32()),
        ("units", pa.int32()),
        ("lng", pa.float64()),
        ("lat", pa.float64()),
    ]),
    # 销售台账: sales of certified products the purchase ledger lacks (through 三专 outlets, at events, other channels),
    # each a sale made or a contract signed; its place is its product's.
    "channel_sales": pa.schema([
        ("sale_id", pa.int64()),
        ("sale_date", pa.date32()),
        ("product_id", pa.string()),
        ("county_code", pa.string()),
        ("township_code", pa.string()),
        ("outlet_id", pa.string()),
        ("event_id", pa.string()),
        ("channel", pa.string()),
        ("sale_type", pa.string()),
        ("buyer_name", pa.string()),
        ("amount_yuan", pa.float64()),
    ]),
    # 展销活动: one event of a campaign, keyed by its 活动编号, with what was signed there.
    "events": pa.schema([
        ("event_id", pa.string()),
        ("event_name", pa.string()),
        ("event_kind", pa.string()),
        ("start_date", pa.date32()),
        ("end_date", pa.date32()),
        ("place", pa.string()),
        ("county_code", pa.string()),
        ("township_code", pa.string()),
        ("organiser", pa.string()),
        ("participants", pa.int32()),
        ("signed_amount_yuan", pa.float64()),
    ]),
}

# The summed tables (fupin.store.rollup): sums per month and per day of four key sets of the purchases' columns, the flags
# (from a poor village, from a poor village or a cooperative) summed into columns of their own rather than kept.
SUMMED_KEYS = {
    "main": ("county_code", "township_code", "buyer_type", "channel", "product_category"),
    "village": ("county_code", "township_code", "village_code", "buyer_type", "channel", "product_category"),
    "product": ("county_code", "township_code", "buyer_type", "product_category", "product_name"),
    "buyer": ("county_code", "township_code", "buyer_id", "buyer_type", "product_category"),
}
SUMMED_GRAINS = {"month": "month", "day": "purchase_date"}   # grain -> its date column
SUMS = ("weight_kg", "amount_yuan", "poor_village_weight_kg", "poor_village_amount_yuan", "poor_or_coop_weight_kg",
        "poor_or_coop_amount_yuan")


def _summed(date_column: str, keys: tuple[str, ...]) -> pa.Schema:
    """A summed table's schema: its date column, its keys (typed as in purchases), the rows and the sums."""
    purchases = TABLES["purchases"]
    return pa.schema([(date_column, pa.date32()), *((k, purchases.field(k).type) for k in keys),
                      ("records", pa.int64()), *((name, pa.float64()) for name in SUMS)])


TABLES.update({f"purchase_{keys}_{grain}": _summed(column, SUMMED_KEYS[keys])
               for keys in SUMMED_KEYS for grain, column in SUMMED_GRAINS.items()})
# The supplier rollup per day (its month column a day), what the part-months at either end of a filter read (a few
# days' row groups, not a whole month of purchase rows).
TABLES["purchase_supplier_day"] = TABLES["purchase_supplier_rollup"].set(0, pa.field("purchase_date", pa.date32()))

# The registers behind the figures (fupin/store/plan_tables.py): tasks, help funds, pairings, visits, industries.
TABLES.update(PLAN_TABLES)

# Where a row's county comes from when the rows do not say: the first six digits of this code column.
COUNTY_FROM = {"purchases": "township_code", "inspections": "township_code", "cooperatives": "township_code",
               "targets": "scope_code", "offers": "township_code", "townships": "township_code",
               "villages": "village_code", "buyers": "township_code", "certified_products": "township_code",
               "outlets": "township_code", "channel_sales": "township_code", "events": "township_code"}

# Tables added to schema 3 after snapshots of it were written: such a snapshot lacks them and reads them as empty;
# the next snapshot written from it gets their defaults (no offers, tasks, funds, pairings, visits, industries,
# certified products, outlets, channel sales or events; the rules of data/reference/warning_rules.csv).
ADDED_TABLES = ("offers", "warning_rules", *PLAN_TABLES, "certified_products", "outlets", "channel_sales", "events")
# Tables stored partitioned by county and by the year of one of their columns (Hive layout:
# purchases/county_code=140827/year=2018/...), so a county's query reads only its files: table -> dated column.
PARTITIONED_BY_YEAR_OF = {"purchases": "purchase_date", "inspections": "sample_date",
                          "cooperatives": "registered_date", "targets": "year", "offers": "harvest_from",
                          "purchase_supplier_rollup": "month", "purchase_supplier_day": "purchase_date",
                          "purchase_village_product_day": "purchase_date",
                          "certified_products": "certified_date", "outlets": "stage_date", "channel_sales": "sale_date",
                          "events": "start_date",
                          **{f"purchase_{keys}_{grain}": column for keys in SUMMED_KEYS
                             for grain, column in SUMMED_GRAINS.items()},
                          **PLAN_DATED}
# Tables the snapshot writer derives from another table (derived -> source).
DERIVED_TABLES = {"purchase_supplier_rollup": "purchases", "purchase_supplier_day": "purchases",
                  "purchase_village_product_day": "purchases",
                  **{f"purchase_{keys}_{grain}": "purchases" for keys in SUMMED_KEYS for grain in SUMMED_GRAINS}}

BUYER_TYPES = {
    "supermarket": ("商超", "Supermarket"),
    "food_enterprise": ("食品企业", "Food enterprise"),
    "catering": ("餐饮", "Catering"),
    "base_company": ("基地企业", "Base company"),
    "canteen": ("单位食堂", "Canteen"),
    "ecommerce": ("电商", "E-commerce"),
    "other": ("其他", "Other"),
}

CHANNELS = {
    "retail": ("龙头带动·商超直销", "Supermarket retail"),
    "processing": ("企业带销", "Enterprise raw material"),
    "base_contract": ("基地订销", "Base contract farming"),
    "catering": ("协会引领·餐饮", "Catering association"),
    "canteen": ("单位帮销", "Work-unit canteens"),
    "ecommerce": ("电商营销", "E-commerce"),
    "fair": ("活动展销", "Fairs"),
    # The national market regulator's own buying in its designated counties (seed 001): canteens, trade unions,
    # staff purchase programmes and its online hall, whatever the buyer's type.
    "designated": ("定点帮扶", "Designated assistance (SAMR)"),
}

# The channel a purchase goes through when the ledger does not say: the buyer type's usual one ("designated" is
# never implied: a ledger or the demo names it).
CHANNEL_OF_BUYER_TYPE = {"supermarket": "retail", "food_enterprise": "processing", "base_company": "base_contract",
                         "catering": "catering", "canteen": "canteen", "ecommerce": "ecommerce", "other": "fair"}

SUPPLIER_TYPES = {
    "poor_household": ("贫困户", "Poor household"),
    "cooperative": ("合作社", "Cooperative"),
    "village_collective": ("村集体", "Village collective"),
    "farmer": ("农户", "Farmer"),
    "enterprise": ("企业", "Enterprise"),
}

# Who offers produce in the 产销对接台账: the suppliers the programme is for.
OFFER_SUPPLIER_TYPES = {code: SUPPLIER_TYPES[code] for code in ("poor_household", "cooperative", "village_collective")}

# Unsold-product warning levels, mildest first (their thresholds: the warning_rules table).
WARNING_LEVELS = {
    "watch": ("关注", "Watch"),
    "warning": ("预警", "Warning"),
    "unsold": ("滞销", "Unsold"),
}

INSPECTION_TYPES = {
    "lab": ("抽样检验", "Lab sampling"),
    "rapid": ("快速检测", "Rapid test"),
}

RESULTS = {"pass": ("合格", "Pass"), "fail": ("不合格", "Fail")}

# The lab categories of the Yuanqu report, in its order.
LAB_CATEGORIES = ("蔬菜", "粮食加工品", "食用农产品", "淀粉及淀粉制品")

VENUE_TYPES = ("超市", "农贸市场", "食品生产企业", "餐饮单位", "种植基地")

METRICS = {
    "purchase_amount_yuan": ("采购金额", "Purchase amount"),
    "purchase_weight_kg": ("采购数量", "Purchase weight"),
    "poor_village_amount_yuan": ("贫困村采购金额", "From poor villages"),
    "lab_batches": ("抽样检验批次", "Lab sampling batches"),
    "rapid_test_batches": ("快速检测批次", "Rapid test batches"),
    "new_cooperatives": ("新增合作社", "New cooperatives"),
}


def label(codes: dict, code: str, lang: str = "zh") -> str:
    """The label of a coded value in the given language, or the code itself if unknown."""
    pair = codes.get(code)
    if pair is None:
        return code
    return pair[("zh", "en").index(lang)]
