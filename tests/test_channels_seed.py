"""`python -m fupin brief` on the demo of every county prints seed 003's figures of 安康市 (610900) to the seed's
precision: certified products, suppliers and their value, sales made and signed, the 三专 outlets by kind, online or
offline and smart-counter stage, the 国庆 sales through the 三专 and the events of the 消费扶贫月."""

import json

import pytest
from conftest import run_cli

from fupin.store.snapshot import read_table

pytestmark = pytest.mark.slow

YI, WAN = 1e8, 1e4


def brief(store, *args) -> dict:
    result = run_cli("brief", "--scope", "610900", "--format", "json", *args, data=store.root)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["products_channels"]


@pytest.fixture(scope="module")
def article_day(demo_all_store) -> dict:
    """The figures as of the article's day (2020-11-13), the year to date."""
    return brief(demo_all_store, "--as-of", "2020-11-13")


def test_certified_products_suppliers_and_value(article_day, demo_all_store):
    assert article_day["certified_products"] == 810 and article_day["suppliers"] == 264
    assert round(article_day["product_value_yuan"] / YI) == 65                       # 产品价值65亿元
    end_of_september = brief(demo_all_store, "--as-of", "2020-09-30")                 # 截至9月底
    assert (end_of_september["certified_products"], end_of_september["suppliers"]) == (810, 264)


def test_sales_made_and_signed(article_day):
    assert round(article_day["sales_yuan"] / YI, 1) == 3.6                           # 销售金额3.6亿元
    assert round(article_day["signed_sales_yuan"] / YI, 1) == 3.8                    # 签约销售金额3.8亿元
    # Made = the sales ledger's actual sales + the purchases of certified products (some in the demo).
    assert article_day["purchase_sales_yuan"] > 0
    assert article_day["sales_yuan"] == pytest.approx(article_day["channel_sales_yuan"]
                                                      + article_day["purchase_sales_yuan"])


def test_the_three_zhuan_by_kind_online_and_smart_counter_stage(article_day):
    assert article_day["outlets"] == {
        "counters": 111,                                                              # 专柜111个（非智能）
        "zones": {"online": 3, "offline": 11},                                        # 专区14个（线上3个、线下11个）
        "halls": {"online": 5, "offline": 14},                                        # 专馆19个（线上5个、线下14个）
        "smart_counters": {"intent_companies": 4, "signed_companies": 5,              # 意向4家，签约企业5家
                           "signed_units": 96, "landed_units": 16},                   # 签约96个，落地16个
    }


def test_national_day_sales_through_the_three_zhuan(demo_all_store):
    national_day = brief(demo_all_store, "--from", "2020-10-01", "--as-of", "2020-10-08")
    assert round(national_day["outlet_sales_yuan"] / WAN) == 586                     # 国庆期间586万


def test_the_month_of_events_from_9_september(demo_all_store, article_day):
    month = brief(demo_all_store, "--from", "2020-09-07", "--as-of", "2020-10-06")
    assert (month["events"]["events"], month["events"]["kinds"]) == (14, 10)         # 10大类14项活动
    assert article_day["events"]["events"] == 14
    launch = run_cli("brief", "--scope", "610900", "--from", "2020-09-07", "--as-of", "2020-09-07", "--format",
                     "json", data=demo_all_store.root)
    day_one = json.loads(launch.stdout)["products_channels"]["events"]
    assert day_one["events"] == 1 and round(day_one["signed_amount_yuan"] / YI, 2) == 1.04   # 现场签约1.04亿元
    assert day_one["participants"] >= 1000                                                   # 1000余人


def test_the_named_online_famous_products_are_certified(demo_all_store):
    names = set(read_table(demo_all_store.current(), "certified_products").column("product_name").to_pylist())
    assert {"紫阳富硒茶", "平利绞股蓝", "岚皋魔芋", "白河木瓜", "旬阳狮头柑"} <= names


def test_the_text_brief_has_the_products_and_channels_paragraph(demo_all_store):
    text = run_cli("brief", "--scope", "610900", "--as-of", "2020-11-13", data=demo_all_store.root).stdout
    line = next(line for line in text.splitlines() if line.startswith("产品与渠道："))
    assert "认定扶贫产品810种、供应商264家，产品价值65.02亿元" in line and "签约3.80亿元" in line
    assert "专柜111个、专区14个（线上3个）、专馆19个（线上5个）" in line and "落地16台" in line


def test_a_start_after_the_end_is_a_usage_error(demo_store):
    result = run_cli("brief", "--from", "2020-12-01", "--as-of", "2020-11-30", data=demo_store.root)
    assert result.returncode == 2 and "--from" in result.stderr and "Traceback" not in result.stderr
