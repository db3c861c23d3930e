"""The brief's paragraphs on the plan behind the figures: 任务进展 (tasks done and late of all), 帮扶投入 (help funds,
pairings and visits) and 产业带贫 (industries), for a place that has such rows; Chinese and English."""

from ..store.plan_tables import TASK_STATUSES
from ..store.schema import label
from ..text import fmt
from .tasks_inputs import STALE_DAYS

UNITS_NAMED = 3
# The kinds of money a paragraph names, in the order briefings read them (zh, en).
FUND_PHRASES = (("direct_yuan", "直接投入帮扶资金", "{m} put in directly"),
                ("raised_yuan", "引进社会帮扶资金", "{m} of social funds brought in"),
                ("industry_investment_yuan", "引进产业项目投资", "{m} of industry investment brought in"))


def _plans_zh(tasks: dict) -> str:
    plans = tasks["plans"]
    if len(plans) == 1:
        plan = plans[0]
        issued = plan["plan_issued_on"] or ""
        day = f"{int(issued[:4])}年{int(issued[5:7])}月{int(issued[8:10])}日" if issued else ""
        return f"《{plan['plan_name']}》（{plan['plan_issuer'] or ''}{day}印发）共{tasks['total']}项任务"
    return f"{len(plans)}个方案共{tasks['total']}项任务"


def _units_zh(tasks: dict) -> str:
    late = [u for u in tasks["by_unit"] if u["overdue"]]
    named = "、".join(f"{u['unit']}{u['overdue']}项" for u in late[:UNITS_NAMED])
    return f"（{named}{'等' if len(late) > UNITS_NAMED else ''}）" if named else ""


def tasks_zh(tasks: dict) -> str:
    """任务进展：《…》共N项任务，已完成…项（其中逾期完成…项），…；逾期未完成…项（by unit），…项超过30天未更新。"""
    status = tasks["by_status"]
    parts = [f"已完成{tasks['done']}项" + (f"（其中逾期完成{tasks['done_late']}项）" if tasks["done_late"] else "")]
    parts += [f"{label(TASK_STATUSES, code)}{status[code]}项" for code in ("in_progress", "ongoing", "not_started")
              if status[code]]
    tail = f"逾期未完成{tasks['overdue']}项{_units_zh(tasks)}" if tasks["overdue"] else "没有逾期未完成的任务"
    if tasks["stale"]:
        tail += f"，{tasks['stale']}项超过{STALE_DAYS}天未更新"
    return f"任务进展：{_plans_zh(tasks)}，{'，'.join(parts)}；{tail}。"


def tasks_en(tasks: dict) -> str:
    """Tasks: N tasks in the plan(s), done (late), by status; overdue by unit; stale."""
    status = tasks["by_status"]
    plans = tasks["plans"]
    what = f"the plan “{plans[0]['plan_name']}” ({plans[0]['plan_issued_on']})" if len(plans) == 1 else \
        f"{len(plans)} plans"
    parts = [f"{tasks['done']} done" + (f" ({tasks['done_late']} of them late)" if tasks["done_late"] else "")]
    parts += [f"{status[code]} {label(TASK_STATUSES, code, 'en').lower()}"
              for code in ("in_progress", "ongoing", "not_started") if status[code]]
    late = [u for u in tasks["by_unit"] if u["overdue"]]
    units = ", ".join(f"{u['unit']} {u['overdue']}" for u in late[:UNITS_NAMED])
    tail = f"{tasks['overdue']} overdue ({units}{', …' if len(late) > UNITS_NAMED else ''})" if tasks["overdue"] \
        else "none overdue"
    if tasks["stale"]:
        tail += f"; {tasks['stale']} not updated for more than {STALE_DAYS} days"
    return f"Tasks: {tasks['total']} tasks in {what}: {', '.join(parts)}; {tail}."


def inputs_zh(funds: dict | None, pairings: dict | None) -> str | None:
    """帮扶投入：累计直接投入…，引进…，N家企业和社会组织捐赠款物…；M个单位与K个乡镇结对帮扶，累计开展结对帮扶活动V次。"""
    parts = []
    if funds:
        money = [f"{zh}{fmt.money(funds[key])}" for key, zh, _ in FUND_PHRASES if funds[key]]
        if funds["donations_yuan"]:
            money.append(f"{funds['donors']}家企业和社会组织捐赠款物{fmt.money(funds['donations_yuan'])}")
        year, month = funds["first_month"].split("-")
        parts.append(f"{year}年{int(month)}月以来累计" + "，".join(money)
                     + f"（其中今年{fmt.money(funds['this_year']['total_yuan'])}）")
    if pairings and pairings["units"]:
        modes = "、".join(f"{zh}{pairings[code]}个" for code, zh in (("two_to_one", "二对一"), ("one_to_one", "一对一"))
                         if pairings[code])
        sentence = (f"{pairings['units']}个单位与{pairings['townships']}个乡镇结对帮扶（{modes}），"
                    f"累计开展结对帮扶活动{pairings['visits']}次，今年{pairings['visits_this_year']}次")
        unvisited = len(pairings["townships_without_visit_this_year"])
        parts.append(sentence + (f"，{unvisited}个结对乡镇今年尚无帮扶活动" if unvisited else ""))
    return f"帮扶投入：{'；'.join(parts)}。" if parts else None


def inputs_en(funds: dict | None, pairings: dict | None) -> str | None:
    """Help and pairing: the same figures as 帮扶投入, in English."""
    parts = []
    if funds:
        money = [en.format(m=fmt.money(funds[key], lang="en")) for key, _, en in FUND_PHRASES if funds[key]]
        if funds["donations_yuan"]:
            money.append(f"{fmt.money(funds['donations_yuan'], lang='en')} donated in money and goods by "
                         f"{funds['donors']} enterprises and organisations")
        parts.append(f"since {funds['first_month']}: " + ", ".join(money)
                     + f" ({fmt.money(funds['this_year']['total_yuan'], lang='en')} this year)")
    if pairings and pairings["units"]:
        sentence = (f"{pairings['units']} units paired with {pairings['townships']} townships, "
                    f"{pairings['visits']} pairing visits ({pairings['visits_this_year']} this year)")
        unvisited = len(pairings["townships_without_visit_this_year"])
        parts.append(sentence + (f", {unvisited} paired townships not visited this year" if unvisited else ""))
    return f"Help and pairing: {'; '.join(parts)}." if parts else None


def _scales(figures: dict) -> list[str]:
    return [f"{value:g}{unit}" for unit, value in figures["scale"].items()]


def industries_zh(industries: dict) -> str:
    """产业带贫（2019年）：光伏建成60个、62.7MW，覆盖124个村，带动贫困户20547户；…"""
    parts, year = [], None
    for name, f in industries.items():
        year = f["year"]
        bits = ([f"建成{f['facilities']}个"] if f["facilities"] else []) + _scales(f)
        figures = "、".join(bits)
        if f["villages"]:
            figures += f"，覆盖{f['villages']}个村"
        for key, zh in (("poor_households", "带动贫困户{n}户"), ("farm_households", "带动农户{n}户"),
                        ("people_employed", "带动就业{n}人")):
            if f[key]:
                figures += "，" + zh.format(n=f[key])
        parts.append(name + figures.lstrip("，"))
    return f"产业带贫（{year}年）：{'；'.join(parts)}。"


def industries_en(industries: dict) -> str:
    """Industries (2019): the same figures as 产业带贫, in English."""
    parts, year = [], None
    for name, f in industries.items():
        year = f["year"]
        bits = ([f"{f['facilities']} built"] if f["facilities"] else []) + [s.replace("万袋", " ×10k bags")
                                                                           .replace("亩", " mu") for s in _scales(f)]
        for key, en in (("villages", "{n} villages"), ("poor_households", "{n:,} poor households"),
                        ("farm_households", "{n:,} farm households"), ("people_employed", "{n:,} people employed")):
            if f[key]:
                bits.append(en.format(n=f[key]))
        parts.append(f"{name} {', '.join(bits)}")
    return f"Industries ({year}): {'; '.join(parts)}."


def paragraphs(brief: dict, lang: str = "zh") -> list[str]:
    """The paragraphs this brief has data for, in the reader's language."""
    zh = lang == "zh"
    found = []
    if brief.get("tasks"):
        found.append((tasks_zh if zh else tasks_en)(brief["tasks"]))
    inputs = (inputs_zh if zh else inputs_en)(brief.get("help_funds"), brief.get("pairings"))
    if inputs:
        found.append(inputs)
    if brief.get("industries"):
        found.append((industries_zh if zh else industries_en)(brief["industries"]))
    return found
