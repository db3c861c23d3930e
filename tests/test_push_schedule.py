"""Subscriptions' small parts, without servers: schedule slots in Beijing time, what counts as new for an alert,
secrets masked, the 钉钉 signature, the 企业微信 upload address, retries, and the markdown kept under 4,096 bytes."""

import datetime as dt

import pytest
from push_servers import dingtalk_expected_sign

from fupin.push import alerts, render
from fupin.push.content import Message, TileLine
from fupin.push.http import SendError, Tries
from fupin.push.place import Place
from fupin.push.robots import dingtalk_sign, dingtalk_url, wecom_upload_url
from fupin.push.schedule import LATE_LIMIT, parse, slot_id
from fupin.push.secrets_file import mask, scrub
from fupin.text.fmt import BEIJING

BJ = BEIJING


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=BJ)


@pytest.mark.parametrize("schedule, now, slot", [
    (parse(daily="08:00"), "2026-11-23 08:00", "2026-11-23T08:00+08:00"),
    (parse(daily="08:00"), "2026-11-23 07:59", "2026-11-22T08:00+08:00"),
    (parse(daily="8:05"), "2026-01-01 00:10", "2025-12-31T08:05+08:00"),
    (parse(weekly="mon", at="08:30"), "2026-11-25 12:00", "2026-11-23T08:30+08:00"),   # a Wednesday
    (parse(weekly="MON", at="08:30"), "2026-11-23 08:29", "2026-11-16T08:30+08:00"),
    (parse(monthly="31", at="09:00"), "2026-02-28 09:00", "2026-02-28T09:00+08:00"),   # February's last day
    (parse(monthly="31", at="09:00"), "2026-03-30 12:00", "2026-02-28T09:00+08:00"),
    (parse(monthly="1", at="07:00"), "2026-01-01 06:00", "2025-12-01T07:00+08:00"),
])
def test_the_latest_slot_of_each_kind_of_schedule(schedule, now, slot):
    assert slot_id(schedule.latest_slot(at(now))) == slot


def test_a_slot_is_due_from_its_minute_for_six_hours_and_never_before_the_subscription_existed():
    daily = parse(daily="08:00")
    created = at("2026-11-01 12:00")
    assert daily.due_slot(at("2026-11-23 08:00"), created) == at("2026-11-23 08:00")
    assert daily.due_slot(at("2026-11-23 08:00") + LATE_LIMIT, created) is not None
    assert daily.due_slot(at("2026-11-23 08:01") + LATE_LIMIT, created) is None
    assert daily.due_slot(at("2026-11-01 13:00"), created) is None, "the 08:00 slot of the day it was added"
    utc = dt.datetime(2026, 11, 23, 0, 0, tzinfo=dt.UTC)   # 08:00 in Beijing
    assert slot_id(daily.due_slot(utc, created)) == "2026-11-23T08:00+08:00"


@pytest.mark.parametrize("kwargs, words", [
    ({}, "须且只能"), ({"daily": "08:00", "weekly": "MON"}, "须且只能"), ({"daily": "24:00"}, "时间无效"),
    ({"daily": "08:00", "at": "09:00"}, "不用 --at"), ({"weekly": "XYZ", "at": "08:00"}, "星期无效"),
    ({"weekly": "FRI"}, "时间无效"), ({"monthly": "32", "at": "08:00"}, "日期无效"),
])
def test_a_bad_schedule_is_one_sentence(kwargs, words):
    with pytest.raises(ValueError, match=words):
        parse(**kwargs)


def test_schedules_read_in_both_languages():
    assert parse(weekly="fri", at="17:30").describe() == "每周五 17:30"
    assert parse(monthly="1", at="08:00").describe("en") == "monthly on day 1 at 08:00"


def test_secrets_show_only_their_last_four_characters_and_are_scrubbed_in_any_form():
    url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
    assert mask(url) == "****5aaa" and mask("short") == "****" and mask(None) == "****"
    said = f"failed at {url} with key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa, sign SEC+a/b=="
    clean = scrub(said + " SEC%2Ba%2Fb%3D%3D", [url, "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa", "SEC+a/b=="])
    assert "693a91f6" not in clean and "SEC+a" not in clean and "SEC%2B" not in clean and "****5aaa" in clean


def test_the_dingtalk_signature_is_what_dingtalk_checks():
    secret = "SEC4e5ad4f1c8f4b8d6b6e1a0c2e7d0f9e1"
    sign = dingtalk_sign(secret, 1_700_000_000_000)
    assert sign != dingtalk_expected_sign(secret, "1700000000000"), "it travels URL-encoded"
    assert sign.replace("%2B", "+").replace("%2F", "/").replace("%3D", "=") == \
        dingtalk_expected_sign(secret, "1700000000000")
    url = dingtalk_url("https://oapi.dingtalk.com/robot/send?access_token=abc", secret, 1_700_000_000_000)
    assert url == f"https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1700000000000&sign={sign}"
    assert dingtalk_url("https://x/robot/send?access_token=abc", None) == "https://x/robot/send?access_token=abc"


def test_the_wecom_upload_address_sits_beside_the_send_address():
    assert wecom_upload_url("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K-1") == \
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/upload_media?key=K-1&type=file"


def test_tries_wait_after_a_network_error_or_5xx_and_give_up_after_three():
    waits, calls = [], []

    def failing(retry):
        def call():
            calls.append(1)
            raise SendError("x", retry)
        return call

    tries = Tries(waits.append)
    with pytest.raises(SendError):
        tries.run(failing(True))
    assert (tries.count, waits, len(calls)) == (3, [30.0, 120.0], 3)
    tries, waits[:] = Tries(waits.append), []
    with pytest.raises(SendError):
        tries.run(failing(False))
    assert (tries.count, waits) == (1, [])


ITEMS = [
    {"kind": "behind_schedule", "scope_code": "140827203", "metric": "purchase_amount_yuan", "details": [],
     "reason": "华峰乡采购金额…落后序时进度2.1个百分点", "reason_en": "Huafeng behind"},
    {"kind": "failed_inspections", "scope_code": "140827", "metric": "failed_batches", "reason": "抽检不合格：铅1批次",
     "reason_en": "Lead", "details": [{"failed_item": "铅", "code": "140827203", "batches": 1}]},
    {"kind": "unsold_warning", "scope_code": "140827203", "metric": "unsold_kg", "reason": "预警：…", "reason_en": "w",
     "details": [{"offer_id": 7, "warning_level": "warning"}]},
]


def test_an_alert_names_only_what_was_not_sent_before():
    sent = alerts.keys(ITEMS)
    assert alerts.new_items(ITEMS, None) == ITEMS and alerts.new_items(ITEMS, sent) == []
    worse = [ITEMS[0], {**ITEMS[1], "details": [{"failed_item": "铅", "code": "140827203", "batches": 2}]},
             {**ITEMS[2], "details": [{"offer_id": 7, "warning_level": "unsold"}]}]
    assert [alerts.reason(i, "zh") for i in alerts.new_items(worse, sent)] == [worse[1]["reason"], worse[2]["reason"]]
    assert alerts.new_items(ITEMS[:1], sent) == [], "an item gone and one still there: nothing new"


def message(attention: list[str]) -> Message:
    tile = TileLine("采购金额", "4154.6万元", "103.9%", "超序时4.4个百分点", "up")
    return Message(Place("140827", "垣曲县", ("140827",)), dt.date(2018, 12, 29), "zh", "2018-01-01 — 2018-12-29",
                   [tile] * 6, attention, [], [], "http://dash.example/?scope=140827&to=2018-12-29", "<html></html>")


def test_the_wecom_markdown_shows_five_lines_and_fits_the_robot_limit():
    text = render.wecom_markdown(message([f"{i}号问题" for i in range(9)]))
    assert "5. 4号问题" in text and "6. " not in text and "另有4项需要关注" in text
    assert '<font color="info">超序时4.4个百分点</font>' in text and "完成全年目标103.9%" in text
    long = render.wecom_markdown(message(["很长的一行" * 80] * 5), new=["新问题" * 40])
    assert len(long.encode()) <= render.WECOM_MAX_BYTES and "新问题" in long and "[打开监测平台查看](" in long
    assert render.heading(message([]), test=True).startswith("【测试】垣曲县消费帮扶简报（截至2018年12月29日）")
