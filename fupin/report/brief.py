"""The briefing: the figures leadership needs for one scope and as-of date, as JSON or short paragraphs of text
(with the plan behind the figures where the place has it: fupin/report/tasks_inputs.py, plan_brief.py)."""

import datetime as dt
import json
from dataclasses import replace

from ..query.db import SnapshotDB
from ..query.filters import Filter
from ..store.schema import BUYER_TYPES, LAB_CATEGORIES, METRICS, label
from ..text import fmt
from ..text.i18n import LANGS, t
from . import attention, channels, page_data, plan_brief, tasks_inputs
from .headline import Headline
from .metrics import HEADLINE

# Leading buyers of each type: enough for every supermarket, food enterprise and base company of a county.
BUYERS_PER_TYPE = 20


def _records(frame) -> list[dict]:
    return [{k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
            for row in frame.to_dict("records")]


def _targets(head: Headline) -> list[dict]:
    return [{"metric": p.metric, "target": p.target, "actual": p.actual, "pct_done": p.pct_done,
             "schedule_pct": p.schedule_pct, "ahead_pp": p.ahead_pp,
             "behind": p.pct_done is not None and attention.behind(p, head.filter.as_of)} for p in head.targets]


def _county_figures(db: SnapshotDB, flt: Filter, names: dict[str, str]) -> list[dict]:
    """Each county's headline figures and targets of a scope of several (they add up to the scope's)."""
    rows = []
    for code in flt.counties:
        head = page_data.headline(db, replace(flt, counties=(code,)))
        rows.append({"county_code": code, "county_name": names.get(code, code),
                     **{name: head.actuals[name] for name in HEADLINE}, "targets": _targets(head)})
    return rows


def build(db: SnapshotDB, flt: Filter, scope_code: str, scope_name: str, head: Headline | None = None,
          county_names: dict[str, str] | None = None) -> dict:
    """Every briefing figure of a year-to-date filter (a group, city, county or township: `scope_code`,
    `scope_name`), what needs attention first; a scope of several counties also lists each county's
    (`county_names` name them). `head` is the filter's headline when the caller has it already."""
    as_of = flt.as_of
    head = head or page_data.headline(db, flt)
    needs = attention.build(db, flt, scope_code, scope_name, county_names, head)
    categories = db.run_filtered("inspection_by_category", flt)
    lab = categories[categories["inspection_type"] == "lab"]
    by_category = {name: 0 for name in LAB_CATEGORIES}
    by_category.update({k: int(v) for k, v in zip(lab["food_category"], lab["batches"])})
    buyers = db.run_filtered("purchase_buyers_by_type", flt, per_type=BUYERS_PER_TYPE)
    by_type = db.run_filtered("purchase_by_buyer_type", flt)
    counts = db.run_filtered("buyer_type_counts", flt).set_index("buyer_type")
    p = head.purchases
    return {
        "as_of": as_of.isoformat(),
        "date_from": flt.date_from.isoformat(),
        "scope": scope_code,
        "scope_name": scope_name,
        "snapshot": db.snapshot.id,
        "data_label": fmt.data_label(db.snapshot),
        "attention": needs.to_list(),
        "attention_omitted": needs.omitted,
        "attention_lines": {lang: needs.texts(lang) for lang in LANGS},
        "attention_notes": {lang: needs.notes(lang) for lang in LANGS},
        "purchase_weight_kg": p["weight_kg"],
        "purchase_amount_yuan": p["amount_yuan"],
        "purchase_amount_yoy_pct": head.yoy("purchase_amount_yuan"),
        "poor_village_weight_kg": p["poor_village_weight_kg"],
        "poor_village_amount_yuan": p["poor_village_amount_yuan"],
        "poor_village_weight_share_pct": p["poor_village_weight_kg"] / p["weight_kg"] * 100 if p["weight_kg"] else None,
        "inspection_batches_by_category": by_category,
        "lab_batches": head.inspections["lab_batches"],
        "lab_failed": head.inspections["lab_failed"],
        "rapid_test_batches": head.inspections["rapid_test_batches"],
        "rapid_failed": head.inspections["rapid_failed"],
        "cooperatives_total": head.cooperatives["cooperatives_total"],
        "cooperatives_new": head.cooperatives["cooperatives_new"],
        "cooperatives_new_previous": head.previous["new_cooperatives"],
        "cooperatives_new_yoy_pct": head.yoy("new_cooperatives"),
        "food_enterprises": {
            "registered": int(counts["buyers_registered"].get("food_enterprise", 0)),
            "purchasing": int(counts["buyers_purchasing"].get("food_enterprise", 0)),
        },
        "buyers": [{
            "name": r["buyer_name"], "buyer_type": r["buyer_type"],
            "weight_kg": r["weight_kg"], "amount_yuan": r["amount_yuan"],
            "poor_village_weight_kg": r["poor_village_weight_kg"],
            "poor_village_amount_yuan": r["poor_village_amount_yuan"],
            "poor_or_coop_weight_kg": r["poor_or_coop_weight_kg"],
            "poor_or_coop_amount_yuan": r["poor_or_coop_amount_yuan"],
            "poor_households": r["poor_households"], "cooperatives": r["cooperatives"],
        } for r in _records(buyers)],
        "by_buyer_type": _records(by_type),
        "targets": _targets(head),
        "counties": _county_figures(db, flt, county_names or {}) if len(flt.counties) > 1 else [],
        "products_channels": channels.brief_figures(db, flt),
        **tasks_inputs.brief_figures(db, flt),
    }


def title(brief: dict, lang: str = "zh") -> str:
    """The text brief's first line: who and as of when (垣曲县消费帮扶工作简报（截至2018年12月29日）)."""
    return t("brief_title", lang, scope=brief["scope_name"], day=fmt.day(dt.date.fromisoformat(brief["as_of"]), lang))


def _units(kind: str, values) -> fmt.Unit:
    """The one unit of the figures of a kind a paragraph names together (fmt.unit_for)."""
    return fmt.unit_for(kind, list(values))


def _target_sentence(target: dict) -> str:
    name = label(METRICS, target["metric"])
    ahead = target["ahead_pp"]
    side = "落后" if target["behind"] else "超"
    return (f"{name}完成全年目标的{fmt.pct(target['pct_done'])}，"
            f"{side}序时进度{abs(ahead):.1f}个百分点")


def _compared(brief: dict) -> list[dict]:
    """The targets that have a figure to compare, in the order briefings read them."""
    return [target for target in brief["targets"] if target["pct_done"] is not None]


def _change_zh(pct: float) -> str:
    return f"{'增长' if pct >= 0 else '下降'}{fmt.pct(abs(pct))}"


def attention_lines(brief: dict, lang: str = "zh") -> list[str]:
    """What needs attention as numbered short lines (1. …), then what was left out; one line when nothing does."""
    lines = [f"{i}. {line}" for i, line in enumerate(brief["attention_lines"][lang], start=1)]
    return lines + brief["attention_notes"][lang] if lines else [t("attention_none", lang)]


def render_text(brief: dict, top_buyers: int = 5) -> str:
    """The briefing in Chinese: its title and data date, 一、需要关注的问题 as numbered short lines, then 二、 the
    totals as short paragraphs (采购, 采购额居前, 抽检, 合作社, 目标进度)."""
    return "\n".join([title(brief), f"一、{t('attention_title')}", *attention_lines(brief),
                      progress_text(brief, top_buyers)])


def progress_text(brief: dict, top_buyers: int = 5) -> str:
    """The totals in Chinese: 二、 and a heading naming the scope and date, then 采购, 采购额居前, 抽检, 合作社,
    产品与渠道 (where the scope has these data), 目标进度."""
    lines = ["二、" + t("brief_progress", scope=brief["scope_name"], day=fmt.day(dt.date.fromisoformat(brief["as_of"])))]
    catering = [row for row in brief["by_buyer_type"] if row["buyer_type"] == "catering"][:1]
    kg = _units("kg", [brief["purchase_weight_kg"], brief["poor_village_weight_kg"],
                       *(c["poor_village_weight_kg"] for c in catering)])
    yuan = _units("yuan", [brief["purchase_amount_yuan"], brief["poor_village_amount_yuan"],
                           *(c["poor_village_amount_yuan"] for c in catering)])
    purchases = f"采购：共采购农特产品{kg.text(brief['purchase_weight_kg'])}、{yuan.text(brief['purchase_amount_yuan'])}"
    if brief["purchase_amount_yoy_pct"] is not None:
        purchases += f"，金额同比{_change_zh(brief['purchase_amount_yoy_pct'])}"
    if brief["purchase_weight_kg"]:
        purchases += (f"；其中从贫困村采购{kg.text(brief['poor_village_weight_kg'])}、"
                      f"{yuan.text(brief['poor_village_amount_yuan'])}，"
                      f"占采购量的{fmt.pct(brief['poor_village_weight_share_pct'])}")
    for c in catering:
        purchases += (f"；{label(BUYER_TYPES, 'catering')}单位从贫困村采购{kg.text(c['poor_village_weight_kg'])}、"
                      f"{yuan.text(c['poor_village_amount_yuan'])}")
    lines.append(purchases + "。")
    top = brief["buyers"][:top_buyers]
    kg, yuan = _units("kg", (b["weight_kg"] for b in top)), _units("yuan", (b["amount_yuan"] for b in top))
    buyers = [f"{b['name']}采购{kg.text(b['weight_kg'], digits=2)}、{yuan.text(b['amount_yuan'], digits=2)}"
              for b in top]
    if buyers:
        lines.append("采购额居前：" + "；".join(buyers) + "。")
    lab = "、".join(f"{k}{v}批次" for k, v in brief["inspection_batches_by_category"].items())
    lines.append(f"抽检：抽样检验{lab}，快速检测{brief['rapid_test_batches']}批次。")
    coop = f"合作社：共登记农民专业合作社{brief['cooperatives_total']}户，今年新增{brief['cooperatives_new']}户"
    if brief["cooperatives_new_yoy_pct"] is not None:
        coop += f"，同比{_change_zh(brief['cooperatives_new_yoy_pct'])}"
    lines.append(coop + "。")
    lines += [line for line in [channels.brief_line(brief.get("products_channels"))] if line]
    compared = _compared(brief)
    lines.append("目标进度：" + ("；".join(map(_target_sentence, compared)) if compared else t("brief_no_targets"))
                 + "。")
    lines += plan_brief.paragraphs(brief, "zh")
    lines += _counties_zh(brief)
    return "\n".join(lines)


def _counties_zh(brief: dict) -> list[str]:
    """For a scope of several counties: each county's purchases and the targets it is behind on."""
    if not brief.get("counties"):
        return []
    parts = []
    yuan = _units("yuan", (c[k] for c in brief["counties"] for k in ("purchase_amount_yuan", "poor_village_amount_yuan")))
    for county in brief["counties"]:
        behind = [label(METRICS, target["metric"]) for target in county["targets"] if target["behind"]]
        note = f"，{'、'.join(behind)}落后序时进度" if behind else ""
        parts.append(f"{county['county_name']}采购{yuan.text(county['purchase_amount_yuan'])}"
                     f"（其中贫困村{yuan.text(county['poor_village_amount_yuan'])}）{note}")
    return ["各县（区）：" + "；".join(parts) + "。"]


def _target_sentence_en(target: dict) -> str:
    side = "behind" if target["behind"] else "ahead of"
    return (f"{label(METRICS, target['metric'], 'en')} at {fmt.pct(target['pct_done'])} of the yearly target, "
            f"{abs(target['ahead_pp']):.1f} points {side} schedule")


def render_text_en(brief: dict, top_buyers: int = 5) -> str:
    """The briefing in English, the same title, sections and figures as the Chinese one."""
    return "\n".join([title(brief, "en"), f"I. {t('attention_title', 'en')}", *attention_lines(brief, "en"),
                      progress_text_en(brief, top_buyers)])


def progress_text_en(brief: dict, top_buyers: int = 5) -> str:
    """The totals in English: II. and a heading naming the scope and date, then the same paragraphs as the
    Chinese."""
    day = fmt.day(dt.date.fromisoformat(brief["as_of"]), "en")
    scope = brief["scope_name"]
    lines = ["II. " + t("brief_progress", "en", scope=scope, day=day)]
    kg = _units("kg", [brief["purchase_weight_kg"], brief["poor_village_weight_kg"]])
    yuan = _units("yuan", [brief["purchase_amount_yuan"], brief["poor_village_amount_yuan"]])
    purchases = (f"Purchases: buyers in {scope} purchased {kg.text(brief['purchase_weight_kg'], 'en')} of farm "
                 f"products worth {yuan.text(brief['purchase_amount_yuan'], 'en')}")
    if brief["purchase_amount_yoy_pct"] is not None:
        purchases += f" ({brief['purchase_amount_yoy_pct']:+.1f}% year on year)"
    if brief["purchase_weight_kg"]:
        purchases += (f"; {kg.text(brief['poor_village_weight_kg'], 'en')} and "
                      f"{yuan.text(brief['poor_village_amount_yuan'], 'en')} came from poor villages "
                      f"({fmt.pct(brief['poor_village_weight_share_pct'])} of the weight)")
    lines.append(purchases + ".")
    top = brief["buyers"][:top_buyers]
    yuan = _units("yuan", (b["amount_yuan"] for b in top))
    buyers = [f"{b['name']} {yuan.text(b['amount_yuan'], 'en')}" for b in top]
    if buyers:
        lines.append("Largest buyers: " + ", ".join(buyers) + ".")
    lab = sum(brief["inspection_batches_by_category"].values())
    lines.append(f"Inspections: {lab} batches were sampled for lab tests and {brief['rapid_test_batches']} rapid "
                 "tests were run.")
    coop = f"Cooperatives: {brief['cooperatives_total']} are registered, {brief['cooperatives_new']} new this year"
    if brief["cooperatives_new_yoy_pct"] is not None:
        coop += f" ({brief['cooperatives_new_yoy_pct']:+.1f}% year on year)"
    lines.append(coop + ".")
    lines += [line for line in [channels.brief_line(brief.get("products_channels"), "en")] if line]
    compared = _compared(brief)
    lines.append("Targets: " + ("; ".join(map(_target_sentence_en, compared)) if compared
                                else t("brief_no_targets", "en")) + ".")
    lines += plan_brief.paragraphs(brief, "en")
    lines += _counties_en(brief)
    return "\n".join(lines)


def _counties_en(brief: dict) -> list[str]:
    """For a scope of several counties: each county's purchases and the targets it is behind on, in English."""
    if not brief.get("counties"):
        return []
    parts = []
    yuan = _units("yuan", (c["purchase_amount_yuan"] for c in brief["counties"]))
    for county in brief["counties"]:
        behind = [label(METRICS, target["metric"], "en") for target in county["targets"] if target["behind"]]
        note = f", behind schedule on {', '.join(behind)}" if behind else ""
        parts.append(f"{county['county_name']} {yuan.text(county['purchase_amount_yuan'], 'en')}{note}")
    return ["Counties: " + "; ".join(parts) + "."]


def _rounded(value):
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def to_json(brief: dict) -> str:
    """The briefing as JSON, money and weights rounded to cents and 10 g."""
    return json.dumps(_rounded(brief), ensure_ascii=False, indent=2, default=str)


def render(brief: dict, lang: str = "zh") -> str:
    """The brief's text in the reader's language."""
    return {"zh": render_text, "en": render_text_en}[lang](brief)
