"""The columns of each ledger (台账): Chinese and English headers, what a cell holds, and finding them in a file."""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pandas as pd

from .plan_columns import PLAN_LEDGERS, PLAN_TABLE_LABELS

IMPORTABLE_TABLES = ("purchases", "inspections", "cooperatives", "targets", "offers", *PLAN_LEDGERS,
                     "certified_products", "outlets", "channel_sales", "events")
TABLE_LABELS = {"purchases": "采购台账", "inspections": "抽检台账", "cooperatives": "合作社登记台账",
                "targets": "年度目标", "offers": "产销对接台账", **PLAN_TABLE_LABELS,
                "certified_products": "扶贫产品认定台账", "outlets": "三专台账", "channel_sales": "销售台账",
                "events": "展销活动台账"}
# Columns many ledgers carry that hold nothing to import.
IGNORED_HEADERS = ("序号", "备注")
HEADER_SEARCH_ROWS = 10

MISSING_COLUMN = "缺少必填列"
UNKNOWN_COLUMN = "未知的列（请删除，或改为模板中的列名；序号、备注列会被忽略）"
REPEATED_COLUMN = "同一列出现了两次"


@dataclass(frozen=True)
class LedgerColumn:
    """One ledger column: its English name, its Chinese template header, the kind of value, and the rule."""

    name: str
    header: str
    kind: str
    required: bool
    note: str
    aliases: tuple[str, ...] = ()


def _col(name, header, kind, required, note, *aliases) -> LedgerColumn:
    return LedgerColumn(name, header, kind, required, note, aliases)


DATE_NOTE = "2018-12-29、2018/12/29、2018年12月29日或 Excel 日期"
TOWNSHIP_NOTE = "乡镇名称或9位代码（按当年区划：英言乡2020年起为英言镇）"
COUNTY_NOTE = "县（区、市）名称或6位代码；不填则在导入者的县中按乡镇查找（乡镇名在多个县重复时须填）"
VILLAGE_NOTE = "村名称或12位代码，须属于所填乡镇当年的区划"

LEDGERS: dict[str, tuple[LedgerColumn, ...]] = {
    "purchases": (
        _col("purchase_date", "采购日期", "date", True, DATE_NOTE, "日期"),
        _col("buyer_name", "采购单位", "text", True, "采购单位名称，与已登记的名称一致", "buyer"),
        _col("buyer_type", "采购单位类型", "buyer_type", False,
             "新采购单位必填：商超、食品企业、餐饮、基地企业、单位食堂、电商、其他", "采购单位性质"),
        _col("channel", "渠道", "channel", False, "空则按采购单位类型：商超直销、企业带销、基地订销、餐饮、单位帮销、电商营销、活动展销",
             "销售渠道"),
        _col("supplier_name", "供货方", "text", True, "贫困户姓名、合作社或企业名称", "供货单位", "供应商"),
        _col("supplier_type", "供货方类型", "supplier_type", True, "贫困户（脱贫户）、合作社、村集体、农户、企业"),
        _col("supplier_credit_code", "统一社会信用代码", "credit_code", False, "合作社、企业的18位代码",
             "信用代码", "供货方信用代码"),
        _col("county", "县", "county", False, COUNTY_NOTE, "县区", "区县", "county_code"),
        _col("township", "乡镇", "township", True, TOWNSHIP_NOTE, "township_code", "所在乡镇"),
        _col("village", "村", "village", True, VILLAGE_NOTE + "；是否贫困村按参考表", "village_code", "村名", "所在村"),
        _col("product_category", "产品类别", "text", True, "如 蔬菜、粮食、干鲜果品", "类别"),
        _col("product_name", "产品名称", "text", False, "如 小麦、核桃", "品名"),
        _col("weight_kg", "数量(公斤)", "quantity", True, "公斤，可带千分位，如 1,234.5", "数量(kg)", "重量(公斤)",
             "重量(kg)"),
        _col("amount_yuan", "金额(元)", "quantity", True, "元，可带千分位和货币符号，如 ¥1,234.5", "金额"),
    ),
    "inspections": (
        _col("sample_date", "抽样日期", "date", True, DATE_NOTE, "检测日期", "抽检日期", "日期"),
        _col("inspection_type", "检测类型", "inspection_type", True, "抽样检验或快速检测"),
        _col("food_category", "食品类别", "text", True, "如 蔬菜、粮食加工品、食用农产品、淀粉及淀粉制品"),
        _col("product_name", "样品名称", "text", False, "如 白菜", "产品名称"),
        _col("venue_type", "场所类型", "venue_type", True, "超市、农贸市场、食品生产企业、餐饮单位、种植基地"),
        _col("venue_name", "场所名称", "text", False, "如 新城农贸市场", "抽样地点"),
        _col("county", "县", "county", False, COUNTY_NOTE, "县区", "区县", "county_code"),
        _col("township", "乡镇", "township", True, TOWNSHIP_NOTE, "township_code", "所在乡镇"),
        _col("result", "检测结果", "result", True, "合格或不合格", "结果"),
        _col("failed_item", "不合格项目", "text", False, "不合格时填写，如 毒死蜱"),
    ),
    "cooperatives": (
        _col("credit_code", "统一社会信用代码", "cooperative_code", True, "18位，以93开头", "信用代码"),
        _col("cooperative_name", "合作社名称", "text", True, "登记的全称", "名称"),
        _col("county", "县", "county", False, COUNTY_NOTE, "县区", "区县", "county_code"),
        _col("township", "乡镇", "township", True, "乡镇名称或9位代码，按登记日期当年的区划", "township_code", "所在乡镇"),
        _col("village", "村", "village", False, VILLAGE_NOTE, "village_code", "村名", "所在村"),
        _col("industry", "行业", "text", False, "如 核桃种植", "主营行业"),
        _col("registered_date", "登记日期", "date", True, DATE_NOTE, "成立日期"),
        _col("deregistered_date", "注销日期", "date", False, "已注销的填写，不早于登记日期"),
        _col("members", "成员数", "count", False, "整数", "成员人数"),
        _col("poor_household_members", "贫困户成员数", "count", False, "整数，不大于成员数", "脱贫户成员数"),
    ),
    "offers": (
        _col("county", "县", "county", False, COUNTY_NOTE, "县区", "区县", "county_code"),
        _col("township", "乡镇", "township", True, "乡镇名称或9位代码，按采收开始日期当年的区划", "township_code",
             "所在乡镇"),
        _col("village", "村", "village", True, VILLAGE_NOTE, "village_code", "村名", "所在村"),
        _col("supplier_type", "供货方类型", "offer_supplier_type", True, "贫困户（脱贫户）、合作社、村集体"),
        _col("supplier_name", "供货方", "text", True, "贫困户姓名、合作社或村集体经济组织名称", "供货单位", "供应商"),
        _col("supplier_credit_code", "统一社会信用代码", "credit_code", False, "合作社必填：18位，以93开头",
             "信用代码", "供货方信用代码"),
        _col("product_category", "产品类别", "text", True, "如 蔬菜、粮食、干鲜果品，与采购台账一致", "类别"),
        _col("product_name", "产品名称", "text", True, "如 小麦、核桃，与采购台账一致：预警按村和产品名称核对采购", "品名"),
        _col("quantity_kg", "待销数量(公斤)", "quantity", True, "公斤，大于0，可带千分位，如 12,000",
             "待销数量(kg)", "数量(公斤)", "数量(kg)"),
        _col("expected_price_yuan_per_kg", "预期价格(元/公斤)", "quantity", False, "元/公斤，如 3.5",
             "期望价格(元/公斤)", "预期单价(元/公斤)"),
        _col("harvest_from", "采收开始日期", "harvest_date", True, DATE_NOTE + "；尚未采收的可填一年内的日期",
             "上市开始日期", "采收开始"),
        _col("harvest_to", "采收结束日期", "harvest_date", True, "不早于采收开始日期", "上市结束日期", "采收结束"),
        _col("keeps_days", "保鲜期(天)", "count", True, "采收后能存放、出售的天数，至少1天，如 蔬菜7、苹果120、小麦365",
             "储存期(天)", "可存放天数"),
        _col("contact_name", "联系人", "text", False, "联系人姓名"),
        _col("contact_phone", "联系电话", "phone", False, "手机11位或座机，如 0359-6021234", "电话", "手机"),
    ),
    "targets": (
        _col("year", "年度", "year", True, "如 2018", "年份"),
        _col("county", "县", "county", False, COUNTY_NOTE, "县区", "区县", "county_code"),
        _col("scope", "范围", "scope", True, "县名称或6位代码（或“全县”）、乡镇名称或9位代码", "scope_code", "考核范围"),
        _col("metric", "指标", "metric", True,
             "采购金额、采购数量、贫困村采购金额、抽样检验批次、快速检测批次、新增合作社"),
        _col("target_value", "目标值", "quantity", True, "金额按元、数量按公斤、批次和户数按个数", "目标"),
    ),
    "certified_products": (
        _col("product_id", "认定编号", "text", True, "扶贫产品认定的编号，每种产品一个；销售台账按它对应产品", "产品编号",
             "认定证书编号"),
        _col("product_name", "产品名称", "text", True, "如 紫阳富硒茶；与采购台账同名的产品，其采购计入该产品的销售", "品名"),
        _col("product_category", "产品类别", "text", True, "如 茶叶、魔芋制品、干鲜果品", "类别"),
        _col("supplier_name", "供应商", "text", True, "供应商（企业、合作社）名称", "供应商名称", "供货方"),
        _col("supplier_credit_code", "统一社会信用代码", "credit_code", True, "供应商的18位代码，校验位正确",
             "信用代码", "供应商信用代码"),
        _col("county", "县", "county", False, COUNTY_NOTE, "县区", "区县", "county_code"),
        _col("township", "乡镇", "township", True, "供应商所在乡镇名称或9位代码，按认定日期当年的区划", "township_code",
             "所在乡镇"),
        _col("certified_date", "认定日期", "date", True, DATE_NOTE, "认定时间"),
        _col("valid_until", "有效期至", "valid_until", False, "认定有效的最后一天，可在今后十年内；不填为长期有效",
             "有效期", "有效期截止"),
        _col("status", "认定状态", "certification_status", True, "有效、撤销或过期", "状态"),
        _col("product_value_yuan", "产品价值(元)", "quantity", True, "元，大于0，如 1,200,000", "产品价值", "价值(元)"),
        _col("checks_passed", "通过关口", "checks", False,
             "通过的“七个关口”，用顿号分隔：资质、经营、质量、安全、纳税、环保、带贫（或“全部”）；认定有效的须全部通过",
             "七个关口", "审核关口"),
    ),
    "outlets": (
        _col("outlet_id", "网点编号", "text", True, "每个专柜（或一批智能专柜）、专区、专馆一个编号；销售台账按它对应网点",
             "编号"),
        _col("outlet_name", "网点名称", "text", True, "如 安康扶贫空间、紫阳县消费扶贫馆", "名称"),
        _col("kind", "类型", "outlet_kind", True, "专柜、专区或专馆", "网点类型", "三专类型"),
        _col("online", "线上线下", "online", True, "线上或线下", "线上/线下"),
        _col("smart", "智能专柜", "yes_no", False, "是或否，不填为否；智能专柜的类型须为专柜", "是否智能专柜"),
        _col("stage", "阶段", "outlet_stage", True, "意向、签约、落地（智能专柜）、建成或停用", "建设阶段", "状态"),
        _col("stage_date", "阶段日期", "date", True, DATE_NOTE + "；达到当前阶段的日期（签约、落地、建成、停用的日期）",
             "日期"),
        _col("operator", "运营单位", "text", True, "运营的企业或单位", "运营企业", "运营方"),
        _col("host", "所在场所", "text", False, "商场、超市、机关单位或线上平台的名称", "场所", "依托单位"),
        _col("county", "县", "county", False, COUNTY_NOTE, "县区", "区县", "county_code"),
        _col("township", "乡镇", "township", True, "网点所在乡镇（线上网点填运营单位所在乡镇），按阶段日期当年的区划",
             "township_code", "所在乡镇"),
        _col("opened_date", "开业日期", "date", False, "建成、落地的网点必填，不晚于阶段日期", "建成日期", "投用日期"),
        _col("units", "台数", "count", False, "专柜的台数；签约、落地的智能专柜必填，至少1", "数量(台)", "专柜台数"),
        _col("lng", "经度", "longitude", False, "WGS-84 经度，如 109.0293；不填则在地图上按乡镇显示"),
        _col("lat", "纬度", "latitude", False, "WGS-84 纬度，如 32.6849；与经度同时填写"),
    ),
    "channel_sales": (
        _col("sale_date", "销售日期", "sale_day", True, DATE_NOTE + "，或月份（2020-10、2020年10月：记在该月最后一天）",
             "日期", "月份"),
        _col("product_id", "认定编号", "text", False, "认定台账中的编号；不填则按产品名称和统一社会信用代码对应", "产品编号"),
        _col("product_name", "产品名称", "text", False, "与认定台账一致", "品名"),
        _col("supplier_credit_code", "统一社会信用代码", "credit_code", False, "供应商的18位代码", "信用代码",
             "供应商信用代码"),
        _col("outlet_id", "网点编号", "text", False, "经三专网点销售的填三专台账中的编号", "三专网点编号"),
        _col("event_id", "活动编号", "text", False, "在展销活动中销售或签约的填活动台账中的编号"),
        _col("channel", "渠道", "channel", False, "其他渠道：商超直销、单位帮销、电商营销、活动展销等", "销售渠道"),
        _col("sale_type", "销售类型", "sale_type", True, "实际销售或签约", "类型"),
        _col("buyer_name", "购买方", "text", False, "购买或签约的单位、个人", "购买单位"),
        _col("amount_yuan", "金额(元)", "quantity", True, "元，可带千分位和货币符号", "金额", "销售额(元)"),
    ),
    "events": (
        _col("event_id", "活动编号", "text", True, "每场活动一个编号；销售台账按它对应活动", "编号"),
        _col("event_name", "活动名称", "text", True, "如 安康市消费扶贫月启动仪式", "名称"),
        _col("event_kind", "活动类别", "text", True, "如 消费扶贫“六进”、一县一场消费扶贫大集、西安行", "类别", "活动类型"),
        _col("start_date", "开始日期", "date", True, DATE_NOTE, "活动日期"),
        _col("end_date", "结束日期", "date", False, "不早于开始日期；不填为当天结束"),
        _col("place", "地点", "text", False, "举办地点", "举办地点"),
        _col("county", "县", "county", False, COUNTY_NOTE, "县区", "区县", "county_code"),
        _col("township", "乡镇", "township", True, "举办地所在乡镇（街道），市级活动同样填举办地，按开始日期当年的区划",
             "township_code", "所在乡镇"),
        _col("organiser", "主办单位", "text", False, "主办的单位", "主办方"),
        _col("participants", "参加人数", "count", False, "整数", "人数"),
        _col("signed_amount_yuan", "签约金额(元)", "quantity", False, "现场签约的金额，元", "现场签约金额(元)", "签约金额"),
    ),
}
LEDGERS.update({table: tuple(_col(*spec) for spec in specs) for table, specs in PLAN_LEDGERS.items()})


def normalise_header(text: str) -> str:
    """A header as compared: no spaces, half-width brackets, lower case."""
    text = re.sub(r"\s+", "", text or "").translate(str.maketrans("（）【】", "()[]"))
    return text.lower()


def _header_lookup(table: str) -> dict[str, str]:
    lookup = {}
    for column in LEDGERS[table]:
        for header in (column.name, column.header, *column.aliases):
            lookup[normalise_header(header)] = column.name
    return lookup


@dataclass(frozen=True)
class HeaderProblem:
    """Something wrong with a file's header row."""

    header: str
    reason: str


@dataclass(frozen=True)
class Header:
    """Where a file's header row is and which cell position holds which ledger column."""

    row: int                  # 0-based position in the grid
    positions: dict[str, int]  # ledger column name -> cell position
    titles: dict[str, str]     # ledger column name -> the header as written in the file
    problems: tuple[HeaderProblem, ...]


def _score(cells: list, lookup: dict[str, str]) -> int:
    return sum(1 for cell in cells if cell and normalise_header(cell) in lookup)


def find_header(grid: list[list[str | None]], table: str) -> Header:
    """Find the header row (title rows above it are allowed) and map its cells to the table's ledger columns."""
    lookup = _header_lookup(table)
    ignored = {normalise_header(h) for h in IGNORED_HEADERS}
    candidates = grid[:HEADER_SEARCH_ROWS]
    row = max(range(len(candidates)), key=lambda i: (_score(candidates[i], lookup), -i)) if candidates else 0
    positions, titles, problems = {}, {}, []
    for position, cell in enumerate(grid[row] if grid else []):
        key = normalise_header(cell)
        if not key or key in ignored:
            continue
        name = lookup.get(key)
        if name is None:
            problems.append(HeaderProblem(cell, UNKNOWN_COLUMN))
        elif name in positions:
            problems.append(HeaderProblem(cell, REPEATED_COLUMN))
        else:
            positions[name], titles[name] = position, cell
    for column in LEDGERS[table]:
        if column.required and column.name not in positions:
            problems.append(HeaderProblem(column.header, MISSING_COLUMN))
    return Header(row, positions, titles, tuple(problems))


def _holds_data(values: list[str | None]) -> bool:
    return any(v is not None and v.strip() for v in values)


def count_data_rows(rows: Iterable[list[str | None]], header: Header) -> int:
    """How many of these rows (those after the header row) hold a value in a ledger column; blank rows are not
    counted, as ledger_chunks leaves them out."""
    take = list(header.positions.values())
    return sum(1 for cells in rows if _holds_data([cells[p] if p < len(cells) else None for p in take]))


def ledger_chunks(rows: Iterable[list[str | None]], header: Header, table: str, first_row: int,
                  size: int) -> Iterator[pd.DataFrame]:
    """The data rows (those after the header row, the first being row `first_row`) in DataFrames of at most `size`
    rows, one column per ledger column (None where the file has no such column).

    The index is the row number a person sees in Excel or a text editor (the first row is 1); blank rows are left out.
    """
    names = [c.name for c in LEDGERS[table]]
    take = [header.positions.get(n) for n in names]
    records, numbers = [], []
    for number, cells in enumerate(rows, start=first_row):
        values = [cells[p] if p is not None and p < len(cells) else None for p in take]
        if _holds_data(values):
            records.append(values)
            numbers.append(number)
            if len(records) >= size:
                yield pd.DataFrame(records, index=pd.Index(numbers, name="row"), columns=names, dtype=object)
                records, numbers = [], []
    if records:
        yield pd.DataFrame(records, index=pd.Index(numbers, name="row"), columns=names, dtype=object)


def ledger_frame(grid: list[list[str | None]], header: Header, table: str) -> pd.DataFrame:
    """The data rows under the header as one DataFrame (see ledger_chunks), for a grid already in memory."""
    frames = list(ledger_chunks(grid[header.row + 1:], header, table, header.row + 2, len(grid) + 1))
    names = [c.name for c in LEDGERS[table]]
    return frames[0] if frames else pd.DataFrame([], index=pd.Index([], name="row", dtype="int64"), columns=names,
                                                  dtype=object)
