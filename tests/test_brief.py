"""The text brief: short paragraphs, what is behind schedule first, in Chinese and English (hand-made figures)."""

import pytest

from fupin import brief


def target(metric: str, pct_done: float, ahead_pp: float) -> dict:
    return {"metric": metric, "target": 100.0, "actual": pct_done, "pct_done": pct_done, "schedule_pct": 99.5,
            "ahead_pp": ahead_pp}


def hand_made(targets: list[dict]) -> dict:
    return {
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


def test_chinese_brief_leads_with_what_is_behind_schedule():
    lines = brief.render_text(hand_made(MIXED)).splitlines()
    assert lines[0] == ("截至2018年12月29日，垣曲县有2项指标落后序时进度：抽样检验批次完成全年目标的93.3%，"
                        "落后序时进度6.2个百分点；快速检测批次完成全年目标的98.0%，落后序时进度1.5个百分点。")
    assert [line.split("：", 1)[0] for line in lines[1:]] == ["采购", "采购额居前", "抽检", "合作社", "目标进度"]
    assert lines[-1] == ("目标进度：采购金额完成全年目标的103.9%，超序时进度4.4个百分点；"
                         "新增合作社完成全年目标的111.7%，超序时进度12.2个百分点。")
    assert all(len(line) <= 160 for line in lines), [len(line) for line in lines]


@pytest.mark.parametrize("targets, lead", [
    ([target("purchase_amount_yuan", 103.9, 4.4)], "截至2018年12月29日，垣曲县各项指标均达到序时进度。"),
    ([], "截至2018年12月29日，垣曲县本年度未设目标。"),
])
def test_chinese_brief_says_when_nothing_is_behind(targets, lead):
    lines = brief.render_text(hand_made(targets)).splitlines()
    assert lines[0] == lead
    assert lines[-1].startswith("目标进度：") == bool(targets)


def test_chinese_paragraphs_keep_every_figure():
    text = brief.render_text(hand_made(MIXED))
    for fragment in ("采购：共采购农特产品1146.4万公斤、4154.6万元，金额同比增长34.2%", "其中从贫困村采购650.4万公斤、2775.3万元",
                     "占采购量的56.7%", "金达制粉有限公司采购318.21万公斤、759.79万元", "餐饮单位从贫困村采购90.5万公斤、120.5万元",
                     "抽检：抽样检验蔬菜95批次、粮食加工品170批次、食用农产品454批次、淀粉及淀粉制品27批次，快速检测606批次。",
                     "合作社：共登记农民专业合作社685户，今年新增134户，同比增长55.8%。"):
        assert fragment in text, fragment


def test_english_brief_has_the_same_paragraphs():
    lines = brief.render_text_en(hand_made(MIXED)).splitlines()
    assert lines[0] == ("By 29 December 2018, 2 targets of 垣曲县 are behind schedule: Lab sampling batches at "
                        "93.3% of the yearly target, 6.2 points behind schedule; Rapid test batches at 98.0% of the "
                        "yearly target, 1.5 points behind schedule.")
    assert [line.split(":", 1)[0] for line in lines[1:]] == ["Purchases", "Largest buyers", "Inspections",
                                                             "Cooperatives", "Targets"]
    assert "1,146.4 ×10k kg of farm products worth 4,154.6 ×10k yuan" in lines[1]
    assert lines[-1].startswith("Targets: Purchase amount at 103.9% of the yearly target, 4.4 points ahead")
