"""The text brief: what needs attention first as numbered lines, then the totals as short paragraphs, in Chinese and
English (hand-made figures)."""

import pytest

from fupin.report import brief


def target(metric: str, pct_done: float, ahead_pp: float) -> dict:
    return {"metric": metric, "target": 100.0, "actual": pct_done, "pct_done": pct_done, "schedule_pct": 99.5,
            "ahead_pp": ahead_pp, "behind": ahead_pp < 0}


ATTENTION = {"zh": ["华峰乡采购金额完成全年目标的97.3%，落后序时进度2.1个百分点", "抽检不合格：毒死蜱3批次（华峰乡2批次、历山镇1批次）"],
             "en": ["华峰乡: Purchase amount at 97.3% of the yearly target, 2.1 points behind schedule",
                    "Failed inspections: 毒死蜱, 3 batches (华峰乡 2 batches, 历山镇 1 batches)"]}
NOTES = {"zh": ["另有7个不合格项目，未列出"], "en": ["7 more failed items not listed"]}


def hand_made(targets: list[dict], lines: dict | None = None, notes: dict | None = None) -> dict:
    lines, notes = lines or {"zh": [], "en": []}, notes or {"zh": [], "en": []}
    return {
        "attention": [{"kind": "x"}] * len(lines["zh"]), "attention_lines": lines, "attention_notes": notes,
        "as_of": "2018-12-29", "scope": "140827", "scope_name": "垣曲县",
        "purchase_weight_kg": 11_464_000.0, "purchase_amount_yuan": 41_546_000.0, "purchase_amount_yoy_pct": 34.2,
        "poor_village_weight_kg": 6_504_000.0, "poor_village_amount_yuan": 27_753_000.0,
        "poor_village_weight_share_pct": 56.7,
        "inspection_batches_by_category": {"蔬菜": 95, "粮食加工品": 170, "食用农产品": 454, "淀粉及淀粉制品": 27},
        "rapid_test_batches": 606, "cooperatives_total": 685, "cooperatives_new": 134,
        "cooperatives_new_yoy_pct": 55.8,
        "buyers": [{"name": "金达制粉有限公司", "weight_kg": 3_182_100.0, "amount_yuan": 7_597_900.0}],
        "by_buyer_type": [{"buyer_type": "catering", "poor_village_weight_kg": 905_000.0,
                           "poor_village_amount_yuan": 1_205_000.0}],
        "targets": targets,
    }


MIXED = [target("purchase_amount_yuan", 103.9, 4.4), target("lab_batches", 93.3, -6.2),
         target("new_cooperatives", 111.7, 12.2), target("rapid_test_batches", 98.0, -1.5)]


def test_chinese_brief_opens_with_what_needs_attention_then_the_totals():
    lines = brief.render_text(hand_made(MIXED, ATTENTION, NOTES)).splitlines()[1:]
    assert lines[:5] == ["一、需要关注的问题", "1. 华峰乡采购金额完成全年目标的97.3%，落后序时进度2.1个百分点",
                         "2. 抽检不合格：毒死蜱3批次（华峰乡2批次、历山镇1批次）", "另有7个不合格项目，未列出",
                         "二、垣曲县工作进展（截至2018年12月29日）"]
    assert [line.split("：", 1)[0] for line in lines[5:]] == ["采购", "采购额居前", "抽检", "合作社", "目标进度"]
    assert lines[-1] == ("目标进度：采购金额完成全年目标的103.9%，超序时进度4.4个百分点；"
                         "抽样检验批次完成全年目标的93.3%，落后序时进度6.2个百分点；"
                         "新增合作社完成全年目标的111.7%，超序时进度12.2个百分点；"
                         "快速检测批次完成全年目标的98.0%，落后序时进度1.5个百分点。")
    assert all(len(line) <= 160 for line in lines[:-1]), [len(line) for line in lines]


@pytest.mark.parametrize("targets, last", [
    ([target("purchase_amount_yuan", 103.9, 4.4)], "目标进度：采购金额完成全年目标的103.9%，超序时进度4.4个百分点。"),
    ([], "目标进度：本年度未设目标。"),
])
def test_chinese_brief_says_when_nothing_needs_attention(targets, last):
    lines = brief.render_text(hand_made(targets)).splitlines()[1:]
    assert lines[:3] == ["一、需要关注的问题", "暂无需要关注的问题。", "二、垣曲县工作进展（截至2018年12月29日）"]
    assert lines[-1] == last


@pytest.mark.parametrize("lang, first", [("zh", "垣曲县消费帮扶工作简报（截至2018年12月29日）"),
                                         ("en", "垣曲县: consumption assistance briefing (as of 29 December 2018)")])
def test_the_brief_opens_with_its_title_and_data_date(lang, first):
    assert brief.render(hand_made(MIXED), lang).splitlines()[0] == first


def test_weights_and_money_named_together_share_one_unit():
    small = {**hand_made(MIXED), "purchase_weight_kg": 1_200_000.0, "poor_village_weight_kg": 650_000.0,
             "by_buyer_type": [{"buyer_type": "catering", "poor_village_weight_kg": 4_000.0,
                                "poor_village_amount_yuan": 1_205_000.0}]}
    text = brief.render_text(small)
    assert "餐饮单位从贫困村采购0.4万公斤、120.5万元" in text, "not 4.0吨 beside 万公斤 in the same sentence"
    group = {**hand_made(MIXED), "counties": [
        {"county_name": "礼县", "purchase_amount_yuan": 183_170_000.0, "poor_village_amount_yuan": 95_745_000.0,
         "targets": []},
        {"county_name": "抚远市", "purchase_amount_yuan": 30_000_000.0, "poor_village_amount_yuan": 9_000_000.0,
         "targets": []}]}
    assert "各县（区）：礼县采购1.83亿元（其中贫困村0.96亿元）；抚远市采购0.30亿元（其中贫困村0.09亿元）。" in \
        brief.render_text(group)


def test_a_target_exactly_on_schedule_reads_as_ahead_not_behind():
    on_line = {**target("lab_batches", 99.5, -0.0), "behind": False}
    assert "抽样检验批次完成全年目标的99.5%，超序时进度0.0个百分点" in brief.render_text(hand_made([on_line]))


def test_chinese_paragraphs_keep_every_figure():
    text = brief.render_text(hand_made(MIXED))
    for fragment in ("采购：共采购农特产品1146.4万公斤、4154.6万元，金额同比增长34.2%", "其中从贫困村采购650.4万公斤、2775.3万元",
                     "占采购量的56.7%", "金达制粉有限公司采购318.21万公斤、759.79万元", "餐饮单位从贫困村采购90.5万公斤、120.5万元",
                     "抽检：抽样检验蔬菜95批次、粮食加工品170批次、食用农产品454批次、淀粉及淀粉制品27批次，快速检测606批次。",
                     "合作社：共登记农民专业合作社685户，今年新增134户，同比增长55.8%。"):
        assert fragment in text, fragment


def test_english_brief_has_the_same_sections():
    lines = brief.render_text_en(hand_made(MIXED, ATTENTION, NOTES)).splitlines()[1:]
    assert lines[:5] == ["I. What needs attention",
                         "1. 华峰乡: Purchase amount at 97.3% of the yearly target, 2.1 points behind schedule",
                         "2. Failed inspections: 毒死蜱, 3 batches (华峰乡 2 batches, 历山镇 1 batches)",
                         "7 more failed items not listed", "II. Progress of 垣曲县 by 29 December 2018"]
    assert [line.split(":", 1)[0] for line in lines[5:]] == ["Purchases", "Largest buyers", "Inspections",
                                                             "Cooperatives", "Targets"]
    assert "1,146.4 ×10k kg of farm products worth 4,154.6 ×10k yuan" in lines[5]
    assert lines[-1].startswith("Targets: Purchase amount at 103.9% of the yearly target, 4.4 points ahead")
    assert "Lab sampling batches at 93.3% of the yearly target, 6.2 points behind schedule" in lines[-1]
    assert brief.render_text_en(hand_made([])).splitlines()[2] == "Nothing needs attention."
