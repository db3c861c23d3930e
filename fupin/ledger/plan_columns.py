"""The columns of the registers behind the figures (任务督办、帮扶资金、结对帮扶、帮扶活动、产业带贫), as plain specs that
fupin.ledger.columns turns into its LedgerColumns: (name, header, kind, required, note, *aliases)."""

DATE_NOTE = "2018-12-29、2018/12/29、2018年12月29日或 Excel 日期"
COUNTY_NOTE = "县（区、市）名称或6位代码；不填则在导入者的县中按乡镇查找（乡镇名在多个县重复时须填）"
ONE_COUNTY_NOTE = "县（区、市）名称或6位代码；只导入一个县时可不填"
TOWNSHIP_NOTE = "乡镇名称或9位代码，须属于所填的县（按当年区划）"
UNITS_NOTE = "单位名称，多个单位用“、”分开，如 区商务局、区发改局"

PLAN_LEDGERS: dict[str, tuple[tuple, ...]] = {
    "tasks": (
        ("county", "县", "county", False, ONE_COUNTY_NOTE, "县区", "区县", "county_code"),
        ("plan_name", "方案名称", "text", True, "如 铁西区关于深入开展消费扶贫助力打赢脱贫攻坚战实施方案", "实施方案", "方案"),
        ("plan_issuer", "印发单位", "text", False, "如 四平市铁西区人民政府办公室", "发文单位"),
        ("plan_issued_on", "印发日期", "date", True, DATE_NOTE, "发文日期", "方案日期"),
        ("task_no", "任务序号", "count", True, "方案中的任务编号（整数），如 17", "任务编号", "任务号"),
        ("section", "所属部分", "text", False, "方案中的标题，如 (二)努力拓宽贫困村农产品流通和销售渠道", "部分"),
        ("task_text", "任务内容", "text", True, "方案原文", "工作任务", "任务"),
        ("lead_units", "牵头单位", "units", True, UNITS_NOTE, "责任单位"),
        ("support_units", "配合单位", "units", False, UNITS_NOTE),
        ("due_on", "完成时限", "due", True, "日期，或“长期”（长期坚持的任务）；不早于印发日期", "完成时间", "时限"),
        ("status", "进展状态", "task_status", True, "未启动、推进中、已完成、长期坚持", "状态", "完成情况"),
        ("progress_note", "进展情况", "text", False, "本次督办的进展", "工作进展", "进展"),
        ("update_date", "更新日期", "date", True, DATE_NOTE + "；不早于印发日期", "填报日期", "督办日期"),
        ("evidence", "佐证材料", "text", False, "链接或文件名", "佐证", "附件"),
    ),
    "help_funds": (
        ("fund_date", "日期", "date", True, DATE_NOTE + "（资金到位或物资交付的日期）", "到位日期", "捐赠日期", "拨付日期"),
        ("county", "县", "county", False, "县（区、市）名称或6位代码；不填则按乡镇查找，都不填时只能导入一个县",
         "县区", "区县", "county_code"),
        ("township", "乡镇", "township", False, "落到乡镇的填写：名称或9位代码", "township_code", "所在乡镇"),
        ("fund_kind", "资金类型", "fund_kind", True, "直接投入、引进社会帮扶资金、捐赠资金、捐赠物资折款、产业项目投资",
         "类型", "资金性质"),
        ("source_name", "来源单位", "text", True, "出资的单位、企业或社会组织", "出资单位", "捐赠单位", "帮扶单位"),
        ("source_credit_code", "统一社会信用代码", "credit_code", False, "有代码的单位、企业填写：18位", "信用代码"),
        ("purpose", "用途", "fund_purpose", True,
         "两不愁三保障、饮水安全、产业、助学助残、医疗救助、消费帮扶、基础设施、就业帮扶、其他", "资金用途"),
        ("project", "项目名称", "text", False, "如 礼县中药材产业园", "项目"),
        ("amount_yuan", "金额(元)", "quantity", True, "元，大于0，可带千分位，如 ¥1,234,500；物资按折款", "金额"),
    ),
    "pairings": (
        ("county", "县", "county", False, COUNTY_NOTE, "县区", "区县", "county_code"),
        ("township", "乡镇", "township", True, TOWNSHIP_NOTE, "township_code", "结对乡镇"),
        ("unit_name", "帮扶单位", "text", True, "结对的单位（如 司局、直属单位党组织）", "结对单位", "单位"),
        ("paired_since", "结对日期", "date", True, DATE_NOTE, "结对时间", "开始日期"),
        ("pairing_mode", "结对方式", "pairing_mode", True, "一对一，或二对一（两个单位结对一个乡镇）", "方式", "帮扶方式"),
    ),
    "visits": (
        ("visit_date", "活动日期", "date", True, DATE_NOTE, "日期"),
        ("county", "县", "county", False, COUNTY_NOTE, "县区", "区县", "county_code"),
        ("township", "乡镇", "township", True, TOWNSHIP_NOTE, "township_code", "所在乡镇"),
        ("unit_name", "帮扶单位", "text", True, "须是该县结对帮扶台账中的单位", "结对单位", "单位"),
        ("visit_kind", "活动类型", "visit_kind", True, "调研指导、走访慰问、捐赠、培训、消费帮扶、党建共建、其他",
         "类型", "活动形式"),
        ("people", "参加人数", "count", False, "整数，至少1", "人数"),
        ("note", "活动内容", "text", False, "简要说明", "内容"),
    ),
    "industries": (
        ("year", "年度", "year", True, "如 2019", "年份"),
        ("county", "县", "county", False, COUNTY_NOTE, "县区", "区县", "county_code"),
        ("township", "乡镇", "township", True, TOWNSHIP_NOTE, "township_code", "所在乡镇"),
        ("village", "村", "village", False, "村名称或12位代码，须属于所填乡镇当年的区划", "village_code", "村名"),
        ("industry", "产业", "text", True, "如 光伏、食用菌、菊芋、劳务", "产业类型", "主导产业"),
        ("project", "项目名称", "text", False, "如 龙山光伏电站", "项目"),
        ("facilities", "建成数(个)", "count", False, "电站、大棚、基地等的个数", "电站数(个)", "设施数(个)"),
        ("scale", "规模", "quantity", False, "数字，单位写在“规模单位”列，如 1.2", "规模数量"),
        ("scale_unit", "规模单位", "text", False, "如 MW、万袋、亩；填了规模必填", "单位"),
        ("poor_households", "带动贫困户(户)", "count", False, "整数", "带贫户数", "带动贫困户数"),
        ("farm_households", "带动农户(户)", "count", False, "整数，不小于带动贫困户", "带动农户数", "农户数"),
        ("people_employed", "就业人数(人)", "count", False, "整数", "转移就业(人)", "带动就业(人)"),
        ("investment_yuan", "投资(元)", "quantity", False, "元", "投资金额(元)", "投资"),
    ),
}
PLAN_TABLE_LABELS = {"tasks": "任务督办台账", "help_funds": "帮扶资金台账", "pairings": "结对帮扶台账",
                     "visits": "帮扶活动台账", "industries": "产业带贫台账"}
