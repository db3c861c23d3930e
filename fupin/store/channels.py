"""The coded values of the certified-product, 三专 outlet, sales and event registers (seed 003), with their Chinese and
English labels."""

# 扶贫产品认定 status as the register records it; whether a product counts on a date also depends on its dates.
CERTIFICATION_STATUSES = {
    "valid": ("有效", "Valid"),
    "revoked": ("撤销", "Revoked"),
    "expired": ("过期", "Expired"),
}

# The seven checks (七个关口) a product passes to be certified, in the order seed 003 names them.
SEVEN_CHECKS = ("资质", "经营", "质量", "安全", "纳税", "环保", "带贫")

# The three kinds of 三专 outlets ("专柜、专区、专馆").
OUTLET_KINDS = {
    "counter": ("专柜", "Counter"),
    "zone": ("专区", "Zone"),
    "hall": ("专馆", "Hall"),
}

# Where an outlet stands: smart counters go 意向 -> 签约 -> 落地; other outlets are 建成; any may be 停用.
OUTLET_STAGES = {
    "intent": ("意向", "Intent"),
    "signed": ("签约", "Signed"),
    "landed": ("落地", "Landed"),
    "built": ("建成", "Built"),
    "closed": ("停用", "Closed"),
}
# The stages at or past signing, and those in service (a counter landed, an outlet built).
SIGNED_STAGES = ("signed", "landed", "built")
IN_SERVICE_STAGES = ("landed", "built")

ONLINE = {"online": ("线上", "Online"), "offline": ("线下", "Offline")}
YES_NO = {"yes": ("是", "Yes"), "no": ("否", "No")}

# A sales row is a sale made (实际销售) or a contract signed (签约): two figures of one ledger.
SALE_TYPES = {
    "actual": ("实际销售", "Actual sale"),
    "signed": ("签约", "Signed"),
}

# How a certified product's sale was made, as the page and the brief split the sales: through a 三专 outlet (by its
# kind), at an event, through another channel of the sales ledger, or bought by a buyer of the purchase ledger.
SALE_CHANNELS = {
    "counter": ("专柜", "Counters"),
    "zone": ("专区", "Zones"),
    "hall": ("专馆", "Halls"),
    "event": ("展销活动", "Events"),
    "other": ("其他渠道", "Other channels"),
    "purchases": ("采购台账（匹配认定产品）", "Purchase ledger (certified products)"),
}
