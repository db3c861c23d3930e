"""The words county staff write for coded values, one table per ledger column (documented in README, 导入台账).

A coded cell is read as the code, its Chinese or English label (of `fupin/store/schema.py`), or one of these words; the import
report adds a 提示 line saying which words it read as which label. Anything else is refused.
"""

SYNONYMS: dict[str, dict[str, str]] = {
    "buyer_type": {
        "超市": "supermarket", "商场": "supermarket", "购物广场": "supermarket", "购物中心": "supermarket",
        "食品加工企业": "food_enterprise", "食品生产企业": "food_enterprise", "加工企业": "food_enterprise",
        "饭店": "catering", "餐馆": "catering", "饭馆": "catering", "餐厅": "catering", "酒店": "catering",
        "餐饮企业": "catering",
        "基地": "base_company", "生产基地": "base_company",
        "食堂": "canteen", "机关食堂": "canteen", "学校食堂": "canteen",
        "电商平台": "ecommerce", "电子商务": "ecommerce", "网店": "ecommerce",
        "其它": "other",
    },
    "channel": {
        "商超": "retail", "超市": "retail",
        "订单农业": "base_contract",
        "食堂": "canteen", "单位食堂": "canteen",
        "电商": "ecommerce", "网络销售": "ecommerce", "网上销售": "ecommerce",
        "展销": "fair", "展销会": "fair",
    },
    "supplier_type": {
        "脱贫户": "poor_household", "建档立卡贫困户": "poor_household", "建档立卡户": "poor_household",
        "农民专业合作社": "cooperative", "专业合作社": "cooperative",
        "村集体经济组织": "village_collective", "村委会": "village_collective",
        "农民": "farmer", "普通农户": "farmer", "一般农户": "farmer",
        "公司": "enterprise",
    },
    "inspection_type": {
        "抽检": "lab", "抽样检测": "lab", "监督抽检": "lab",
        "快检": "rapid", "快速检验": "rapid",
    },
    "result": {
        "阴性": "pass", "阳性": "fail",   # how rapid test strips are read
    },
    "metric": {
        "脱贫村采购金额": "poor_village_amount_yuan", "采购额": "purchase_amount_yuan", "采购量": "purchase_weight_kg",
        "抽检批次": "lab_batches", "快检批次": "rapid_test_batches", "新登记合作社": "new_cooperatives",
    },
    "venue_type": {
        "商超": "超市", "商场": "超市",
        "集贸市场": "农贸市场", "菜市场": "农贸市场",
        "食品企业": "食品生产企业", "食品加工企业": "食品生产企业",
        "饭店": "餐饮单位", "餐馆": "餐饮单位", "餐厅": "餐饮单位",
        "基地": "种植基地",
    },
    "certification_status": {
        "正常": "valid", "已认定": "valid", "已撤销": "revoked", "取消": "revoked", "已取消": "revoked",
        "失效": "expired", "已过期": "expired", "已失效": "expired",
    },
    "outlet_kind": {
        "扶贫专柜": "counter", "消费扶贫专柜": "counter", "智能专柜": "counter",
        "扶贫专区": "zone", "消费扶贫专区": "zone",
        "扶贫馆": "hall", "消费扶贫馆": "hall", "扶贫专馆": "hall", "消费扶贫专馆": "hall",
    },
    "online": {"网上": "online", "线上平台": "online", "网店": "online", "实体": "offline", "实体店": "offline"},
    "yes_no": {"智能": "yes", "非智能": "no", "y": "yes", "n": "no", "√": "yes", "×": "no"},
    "outlet_stage": {
        "达成意向": "intent", "已签约": "signed", "已落地": "landed", "已建成": "built", "运营": "built",
        "运营中": "built", "已停用": "closed", "关闭": "closed", "已关闭": "closed",
    },
    "sale_type": {"销售": "actual", "实际": "actual", "已销售": "actual", "签约销售": "signed", "认购": "signed",
                  "签约认购": "signed"},
    # The registers behind the figures (任务与投入).
    "task_status": {
        "未开始": "not_started", "尚未启动": "not_started",
        "进行中": "in_progress", "正在推进": "in_progress", "推进": "in_progress",
        "完成": "done", "已办结": "done", "办结": "done",
        "长期": "ongoing", "常态化": "ongoing", "持续推进": "ongoing",
    },
    "fund_kind": {
        "直接投入资金": "direct", "投入资金": "direct", "帮扶资金": "direct",
        "引进资金": "raised", "社会帮扶资金": "raised", "引进帮扶资金": "raised",
        "捐款": "donated_money", "捐赠款": "donated_money",
        "捐物": "donated_goods", "捐赠物资": "donated_goods", "物资折款": "donated_goods",
        "产业投资": "industry_investment", "招商引资": "industry_investment",
    },
    "fund_purpose": {
        "产业扶贫": "industry", "产业发展": "industry",
        "助学": "education", "助残": "education", "教育": "education",
        "医疗": "medical", "健康扶贫": "medical",
        "饮水": "drinking_water", "安全饮水": "drinking_water",
        "消费扶贫": "consumption",
        "就业": "employment", "就业扶贫": "employment",
        "基础设施建设": "infrastructure",
        "其它": "other",
    },
    "pairing_mode": {
        "1对1": "one_to_one", "一帮一": "one_to_one",
        "2对1": "two_to_one",
    },
    "visit_kind": {
        "调研": "research", "指导": "research",
        "慰问": "condolence", "走访": "condolence",
        "捐款": "donation", "捐赠物资": "donation",
        "技能培训": "training",
        "消费扶贫": "consumption", "采购": "consumption",
        "党建": "party",
        "其它": "other",
    },
}
