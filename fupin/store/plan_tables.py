"""The registers behind the figures (任务与投入): a plan's tasks and their progress, help funds, pairings of units with
townships, pairing visits and the industries that carry poor households; their schemas and coded values.

Each row carries its county_code as the ledger names it (a task or a fund need not name a township).
"""

import pyarrow as pa

PLAN_TABLES: dict[str, pa.Schema] = {
    # 任务督办台账: one row per task and update (督办 round); a task's status on a date is its latest update by then.
    "tasks": pa.schema([
        ("county_code", pa.string()),
        ("plan_name", pa.string()),
        ("plan_issuer", pa.string()),
        ("plan_issued_on", pa.date32()),
        ("task_no", pa.int32()),
        ("section", pa.string()),
        ("task_text", pa.string()),
        ("lead_units", pa.string()),          # 、-separated, as written
        ("support_units", pa.string()),
        ("due_on", pa.date32()),              # None for a long-term task (长期)
        ("long_term", pa.bool_()),
        ("status", pa.string()),
        ("progress_note", pa.string()),
        ("update_date", pa.date32()),
        ("evidence", pa.string()),
    ]),
    # 帮扶资金台账: money put in or brought in, by kind, source and purpose.
    "help_funds": pa.schema([
        ("fund_date", pa.date32()),
        ("county_code", pa.string()),
        ("township_code", pa.string()),
        ("fund_kind", pa.string()),
        ("source_name", pa.string()),
        ("source_credit_code", pa.string()),
        ("purpose", pa.string()),
        ("project", pa.string()),
        ("amount_yuan", pa.float64()),
    ]),
    # 结对帮扶: a unit paired with a township (一对一, or two units with one township: 二对一).
    "pairings": pa.schema([
        ("county_code", pa.string()),
        ("township_code", pa.string()),
        ("unit_name", pa.string()),
        ("paired_since", pa.date32()),
        ("pairing_mode", pa.string()),
    ]),
    # 帮扶活动: a paired unit's visit to a township.
    "visits": pa.schema([
        ("visit_date", pa.date32()),
        ("county_code", pa.string()),
        ("township_code", pa.string()),
        ("unit_name", pa.string()),
        ("visit_kind", pa.string()),
        ("people", pa.int32()),
        ("note", pa.string()),
    ]),
    # 产业带贫台账: an industry in a township or village in a year, its scale and whom it carries.
    "industries": pa.schema([
        ("year", pa.int32()),
        ("county_code", pa.string()),
        ("township_code", pa.string()),
        ("village_code", pa.string()),
        ("industry", pa.string()),
        ("project", pa.string()),
        ("facilities", pa.int32()),           # stations, sheds, bases built (个)
        ("scale", pa.float64()),
        ("scale_unit", pa.string()),          # MW, 万袋, 亩 ...
        ("poor_households", pa.int32()),
        ("farm_households", pa.int32()),
        ("people_employed", pa.int32()),
        ("investment_yuan", pa.float64()),
    ]),
}

# The dated column of each register: its partitions are by county and this column's year (industries: their year).
PLAN_DATED = {"tasks": "update_date", "help_funds": "fund_date", "pairings": "paired_since", "visits": "visit_date",
              "industries": "year"}

TASK_STATUSES = {
    "not_started": ("未启动", "Not started"),
    "in_progress": ("推进中", "In progress"),
    "done": ("已完成", "Done"),
    "ongoing": ("长期坚持", "Ongoing"),
}

FUND_KINDS = {
    "direct": ("直接投入", "Put in directly"),
    "raised": ("引进社会帮扶资金", "Social funds brought in"),
    "donated_money": ("捐赠资金", "Donated money"),
    "donated_goods": ("捐赠物资折款", "Donated goods (value)"),
    "industry_investment": ("产业项目投资", "Industry project investment"),
}
# Donations in money and in goods: what "捐赠款物" adds up.
DONATION_KINDS = ("donated_money", "donated_goods")

FUND_PURPOSES = {
    "basic_needs": ("两不愁三保障", "Basic needs (两不愁三保障)"),
    "drinking_water": ("饮水安全", "Safe drinking water"),
    "industry": ("产业", "Industry"),
    "education": ("助学助残", "Schooling and disability aid"),
    "medical": ("医疗救助", "Medical aid"),
    "consumption": ("消费帮扶", "Consumption assistance"),
    "infrastructure": ("基础设施", "Infrastructure"),
    "employment": ("就业帮扶", "Employment"),
    "other": ("其他", "Other"),
}

PAIRING_MODES = {
    "one_to_one": ("一对一", "One to one"),
    "two_to_one": ("二对一", "Two to one"),
}

VISIT_KINDS = {
    "research": ("调研指导", "Research and guidance"),
    "condolence": ("走访慰问", "Visiting households"),
    "donation": ("捐赠", "Donation"),
    "training": ("培训", "Training"),
    "consumption": ("消费帮扶", "Consumption assistance"),
    "party": ("党建共建", "Party-building"),
    "other": ("其他", "Other"),
}
