"""`python -m fupin brief` on the demo snapshot prints every seed figure of DOMAIN.md to its precision."""

import json

import pytest
from conftest import run_cli

WAN = 10_000


def yu(x: float) -> tuple[float, float]:
    """'X余万': at least X万 and below X+1万."""
    return x * WAN, (x + 1) * WAN


def rounded(x: float, decimals: int) -> tuple[float, float]:
    """'X万' written with `decimals` decimals: the half-open rounding interval."""
    half = 0.5 * 10 ** -decimals
    return (x - half) * WAN, (x + half) * WAN


def about(x: float) -> tuple[float, float]:
    """'约X万': within half a percent."""
    return x * WAN * 0.995, x * WAN * 1.005


@pytest.fixture(scope="module")
def brief(demo_store) -> dict:
    result = run_cli("brief", "--as-of", "2018-12-29", "--format", "json", data=demo_store.root)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def buyer(brief: dict, name: str) -> dict:
    found = [b for b in brief["buyers"] if b["name"] == name]
    assert found, f"{name} missing from the brief's buyers"
    return found[0]


@pytest.mark.parametrize("key, bounds", [
    ("purchase_weight_kg", yu(1146)),
    ("purchase_amount_yuan", yu(4154)),
    ("poor_village_weight_kg", yu(650)),
    ("poor_village_amount_yuan", yu(2775)),
])
def test_county_totals(brief, key, bounds):
    assert bounds[0] <= brief[key] < bounds[1]


def test_poor_villages_are_over_half(brief):
    assert brief["poor_village_weight_share_pct"] > 50


@pytest.mark.parametrize("name, field, bounds", [
    ("万盛新时代广场", "poor_or_coop_weight_kg", rounded(15.38, 2)),
    ("万盛新时代广场", "poor_or_coop_amount_yuan", rounded(25.8, 1)),
    ("客都购物广场", "poor_or_coop_weight_kg", rounded(3.09, 2)),
    ("客都购物广场", "poor_or_coop_amount_yuan", rounded(4.9, 1)),
    ("全家福超市", "poor_or_coop_weight_kg", rounded(47.37, 2)),
    ("全家福超市", "poor_or_coop_amount_yuan", rounded(21.9, 1)),
    ("东山农业开发有限公司", "weight_kg", rounded(5, 0)),
    ("东山农业开发有限公司", "amount_yuan", rounded(25, 0)),
    ("沐风农林开发有限公司", "weight_kg", rounded(23, 0)),
    ("沐风农林开发有限公司", "amount_yuan", yu(40)),
    ("墨玉植物蛋白有限公司", "amount_yuan", yu(6)),
    ("金达制粉有限公司", "poor_village_weight_kg", about(260)),
    ("金达制粉有限公司", "poor_village_amount_yuan", yu(620)),
    ("三农面粉厂", "poor_village_weight_kg", about(170)),
    ("三农面粉厂", "poor_village_amount_yuan", yu(400)),
    ("熠耀农林开发有限公司", "weight_kg", rounded(85, 0)),
    ("熠耀农林开发有限公司", "amount_yuan", yu(750)),
])
def test_named_buyers(brief, name, field, bounds):
    assert bounds[0] <= buyer(brief, name)[field] < bounds[1]


@pytest.mark.parametrize("name, households", [("东山农业开发有限公司", 29), ("墨玉植物蛋白有限公司", 5)])
def test_base_companies_poor_households(brief, name, households):
    assert buyer(brief, name)["poor_households"] == households


def test_yiyao_buys_from_six_cooperatives(brief):
    assert buyer(brief, "熠耀农林开发有限公司")["cooperatives"] == 6


def test_catering_association_from_poor_villages(brief):
    catering = next(t for t in brief["by_buyer_type"] if t["buyer_type"] == "catering")
    assert yu(90)[0] <= catering["poor_village_weight_kg"] < yu(90)[1]
    assert yu(120)[0] <= catering["poor_village_amount_yuan"] < yu(120)[1]
    assert catering["buyers"] >= 500


def test_food_enterprises(brief):
    assert brief["food_enterprises"] == {"registered": 14, "purchasing": 13}


def test_inspections(brief):
    assert brief["inspection_batches_by_category"] == {"蔬菜": 95, "粮食加工品": 170, "食用农产品": 454,
                                                       "淀粉及淀粉制品": 27}
    assert brief["rapid_test_batches"] == 606


def test_cooperatives(brief):
    assert brief["cooperatives_total"] == 685
    assert brief["cooperatives_new"] == 134
    assert brief["cooperatives_new_previous"] == 86
    assert round(brief["cooperatives_new_yoy_pct"], 1) == 55.8


def test_targets_carry_schedule(brief):
    metrics = {t["metric"]: t for t in brief["targets"]}
    assert {"purchase_amount_yuan", "poor_village_amount_yuan", "new_cooperatives"} <= set(metrics)
    amount = metrics["purchase_amount_yuan"]
    assert amount["actual"] == pytest.approx(brief["purchase_amount_yuan"], abs=0.01)
    assert amount["schedule_pct"] == pytest.approx(363 / 365 * 100, abs=0.01)
    assert amount["ahead_pp"] == pytest.approx(amount["pct_done"] - amount["schedule_pct"], abs=0.02)


def test_attention_lists_huafeng_behind_on_purchases_and_the_county_behind_on_lab_batches(brief):
    behind = {(item["scope_name"], item["metric"]): item for item in brief["attention"]
              if item["kind"] == "behind_schedule"}
    huafeng = behind[("华峰乡", "purchase_amount_yuan")]
    assert huafeng["scope_code"] == "140827203" and huafeng["gap"] < 0 and huafeng["target"] > huafeng["value"]
    assert huafeng["link"] == "/?scope=140827&township=140827203&to=2018-12-29&metric=pct_of_target"
    county = behind[("垣曲县", "lab_batches")]
    assert county["value"] == 746 and county["gap"] == pytest.approx(-6.2, abs=0.05)
    assert ("垣曲县", "purchase_amount_yuan") not in behind, "the county is ahead on purchases"


def test_text_brief_reads_like_a_report(demo_store):
    result = run_cli("brief", "--as-of", "2018-12-29", data=demo_store.root)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    lines = text.splitlines()
    assert lines[0] == "垣曲县消费帮扶工作简报（截至2018年12月29日）", "a title and the data date first"
    assert lines[1] == "一、需要关注的问题" and lines[2].startswith("1. ")
    assert "垣曲县抽样检验批次完成全年目标的93.2%，落后序时进度6.2个百分点" in text
    assert any(line.startswith(f"{n}. 华峰乡落后序时进度：") and "采购金额2.1" in line
               for n, line in enumerate(lines[1:]))
    second = lines.index("二、垣曲县工作进展（截至2018年12月29日）")
    assert lines[second + 1].startswith("采购：共采购农特产品1146.")
    for fragment in ("万公斤", "4154.", "其中从贫困村采购650.", "2775.", "蔬菜95批次", "快速检测606批次",
                     "共登记农民专业合作社685户", "今年新增134户", "同比增长55.8%", "目标进度：采购金额完成全年目标的"):
        assert fragment in text, fragment
    assert max(len(line) for line in lines) < 240, "short paragraphs (six targets at most), not one long sentence"
