"""The runner against a local 钉钉 robot and SMTP servers: a slot is sent once however often and however many runners
run; a 500 is tried again, a 400 or an errcode is not; an alert sends only what is new (a ledger imported in
between makes news); an account disabled stops its subscription; mail over plain SMTP and SSL."""

import datetime as dt
import json
import random
import subprocess
import sys

import pytest
from conftest import TINY_AS_OF, own_data_folder, tiny_tables, write_snapshot
from ledger_samples import csv_file
from push_servers import MailServer, RobotServer, self_signed_certificate

from fupin.auth import accounts
from fupin.ledger.importer import import_ledgers
from fupin.push import deliveries, mail, subscriptions
from fupin.push.config import Smtp
from fupin.push.content import Message, TileLine
from fupin.push.http import SendError, Tries
from fupin.push.place import Place
from fupin.push.runner import Runner
from fupin.push.schedule import parse
from fupin.settings import PROJECT_ROOT
from fupin.store.store import SnapshotStore
from fupin.text.fmt import BEIJING

pytestmark = pytest.mark.server

CREATED = dt.datetime(2026, 11, 1, 12, 0, tzinfo=BEIJING)
INSPECTION_HEADER = ["抽样日期", "检测类型", "食品类别", "样品名称", "场所类型", "场所名称", "乡镇", "检测结果", "不合格项目"]


@pytest.fixture(scope="module")
def robots():
    server = RobotServer()
    yield server
    server.close()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """A tiny snapshot of this module's own (the alert test imports into it)."""
    store = SnapshotStore(tmp_path_factory.mktemp("tiny-push"))
    write_snapshot(store, tiny_tables(random.Random(42)))
    return store


@pytest.fixture()
def data(store, tmp_path, monkeypatch):
    """A data folder of the test's own over the module's snapshots, with its secrets file."""
    monkeypatch.setenv("FUPIN_PUSH_SECRETS", str(tmp_path / "secrets.json"))
    monkeypatch.setenv("FUPIN_PUBLIC_URL", "http://dashboard.example.gov.cn")
    (tmp_path / "data").mkdir()
    return own_data_folder(store, tmp_path / "data")


def subscribe(data, name: str, url: str, secret: str | None = None, at: str = "08:00", only_attention=False,
              for_user=None, scope=("140827", "垣曲县"), created=CREATED):
    channel, secrets = subscriptions.robot_channel("dingtalk", url, secret)
    sub = subscriptions.new(name, *scope, "zh", parse(daily=at), [channel], only_attention, for_user, None, "测试",
                            now=created)
    subscriptions.add(data, sub, {channel.id: secrets})
    return sub


def beijing(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=BEIJING)


def run_due(data, when: str, sleep=None) -> list:
    waits = [] if sleep is None else sleep
    with Runner(data, now=lambda: beijing(when), sleep=waits.append) as runner:
        return runner.due()


def token_requests(robots, token):
    return [r for r in robots.received if r.query.get("access_token") == token]


def test_due_twice_in_the_same_slot_sends_once_and_the_next_slot_again(data, robots):
    subscribe(data, "早报", robots.dingtalk_url("tok-twice"))
    assert run_due(data, "2026-11-23 07:59") == []
    first = run_due(data, "2026-11-23 08:00")
    assert [(o.subscription, o.outcome) for o in first] == [("早报", "sent")]
    assert run_due(data, "2026-11-23 08:01") == [] and run_due(data, "2026-11-23 13:59") == []
    assert [o.outcome for o in run_due(data, "2026-11-24 08:03")] == ["sent"]
    assert len(token_requests(robots, "tok-twice")) == 2
    slots = [e["slot"] for e in deliveries.entries(data)]
    assert slots == ["2026-11-23T08:00+08:00", "2026-11-24T08:00+08:00"]


@pytest.mark.slow   # two processes start and import the engine at once
def test_two_runners_at_once_send_a_slot_once(data, robots):
    now = dt.datetime.now(BEIJING)
    subscribe(data, "并发", robots.dingtalk_url("tok-both"), at=f"{(now - dt.timedelta(minutes=2)):%H:%M}",
              created=now - dt.timedelta(days=2))
    command = [sys.executable, "-m", "fupin", "--data", str(data), "push", "--due"]
    runners = [subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for _ in range(2)]
    outputs = [runner.communicate(timeout=300) for runner in runners]
    assert [r.returncode for r in runners] == [0, 0], outputs
    assert len(token_requests(robots, "tok-both")) == 1
    assert sum("已发送" in out for out, _ in outputs) == 1 and sum("没有到时间的订阅" in out for out, _ in outputs) == 1


def test_a_500_is_tried_again_and_sent_once(data, robots):
    subscribe(data, "重试", robots.dingtalk_url("tok-500"))
    robots.plan(500, {"errcode": -1, "errmsg": "system busy"})
    waits = []
    (outcome,) = run_due(data, "2026-11-23 08:00", waits)
    assert (outcome.outcome, outcome.tries, waits) == ("sent", 2, [30.0])
    assert [r.status for r in token_requests(robots, "tok-500")] == [500, 200]


def test_a_400_or_an_errcode_is_not_tried_again_and_is_logged(data, robots):
    subscribe(data, "坏请求", robots.dingtalk_url("tok-400"))
    subscribe(data, "错误码", robots.dingtalk_url("tok-errcode"))
    robots.plan(400, {"errcode": 40035, "errmsg": "bad request"})
    robots.plan(200, {"errcode": 310000, "errmsg": "keywords not in content"})
    waits = []
    outcomes = run_due(data, "2026-11-23 08:00", waits)
    assert [(o.outcome, o.tries) for o in outcomes] == [("failed", 1), ("failed", 1)] and waits == []
    logged = {e["subscription"]: e["message"] for e in deliveries.entries(data)}
    assert logged == {"坏请求": "actionCard: HTTP 400 Bad Request",
                      "错误码": "actionCard: errcode 310000: keywords not in content"}
    assert run_due(data, "2026-11-23 08:05") == [], "a failed slot is not sent again every minute"
    table = deliveries.frame(data, None)
    assert list(table["结果"]) == ["失败", "失败"] and "服务方回复" in table.columns


def test_a_network_error_is_tried_three_times(data):
    subscribe(data, "断网", "http://127.0.0.1:9/robot/send?access_token=tok-down")   # nothing listens on port 9
    waits = []
    (outcome,) = run_due(data, "2026-11-23 08:00", waits)
    assert (outcome.outcome, outcome.tries, waits) == ("failed", 3, [30.0, 120.0])
    assert "网络错误" in outcome.message


def test_a_signed_robot_gets_a_signature_the_robot_accepts(data, robots):
    subscribe(data, "加签", robots.dingtalk_url("tok-signed", "SECmocksecret0123456789"), "SECmocksecret0123456789")
    (outcome,) = run_due(data, "2026-11-23 08:00")
    (request,) = token_requests(robots, "tok-signed")
    assert outcome.outcome == "sent" and request.answer["errcode"] == 0 and request.query["sign"]
    assert "SECmocksecret" not in json.dumps(deliveries.entries(data), ensure_ascii=False)


@pytest.mark.slow   # five runs and an import
def test_an_alert_sends_only_when_something_new_needs_attention(data, robots, store):
    subscribe(data, "预警", robots.dingtalk_url("tok-alert"), only_attention=True)
    first = run_due(data, "2026-11-23 08:00")
    assert [o.outcome for o in first] == ["sent"], "never sent before: everything on the list is new"
    assert [o.outcome for o in run_due(data, "2026-11-24 08:00")] == ["skipped"]
    lead = ["2018-12-28", "抽样检验", "蔬菜", "芹菜", "超市", "万盛新时代广场", "华峰乡", "不合格", "铅"]
    result = import_ledgers(store, "inspections", [csv_file([lead], header=INSPECTION_HEADER, name="抽检.csv")])
    assert result.status == "imported", result.report.to_text()
    (data / "CURRENT").write_text(store.current_id())   # this folder follows the store's CURRENT
    assert [o.outcome for o in run_due(data, "2026-11-25 08:00")] == ["sent"]
    assert [o.outcome for o in run_due(data, "2026-11-26 08:00")] == ["skipped"]
    texts = [r.payload["actionCard"]["text"] for r in token_requests(robots, "tok-alert")]
    assert len(texts) == 2 and "新出现的需要关注的问题" in texts[0]
    news = texts[1].split("**新出现的需要关注的问题**")[1].split("**需要关注的问题**")[0]
    assert [line for line in news.splitlines() if line.startswith("- ")] == ["- 抽检不合格：铅1批次（华峰乡1批次）"]
    assert TINY_AS_OF.isoformat() in texts[1]


def test_a_subscription_of_a_disabled_account_is_not_sent(data, robots):
    accounts.add_user(data, "hf", "township", "140827203", "secret-pass-1")
    subscribe(data, "华峰", robots.dingtalk_url("tok-hf"), for_user="hf", scope=("140827203", "华峰乡"))
    accounts.disable_user(data, "hf")
    (outcome,) = run_due(data, "2026-11-23 08:00")
    assert outcome.outcome == "failed" and "hf 已停用" in outcome.message and outcome.channel is None
    assert token_requests(robots, "tok-hf") == []


def small_message() -> Message:
    message = Message(Place("140827", "垣曲县", ("140827",)), TINY_AS_OF, "zh", "2018-01-01 — 2018-12-29",
                      [TileLine("采购金额", "30.0万元", "100.0%", "超序时0.3个百分点", "up")], ["华峰乡落后"], [], [],
                      None, "<html></html>")
    message.__dict__["pdf"] = b"%PDF-1.4 a small stand-in: transports are tested here, the real PDF elsewhere"
    return message


@pytest.mark.parametrize("security", ["none", "ssl"])
def test_mail_over_plain_smtp_and_ssl(tmp_path, security):
    cert = self_signed_certificate(tmp_path) if security == "ssl" else None
    server = MailServer(security, cert)
    try:
        settings = Smtp("127.0.0.1", server.port, security, None, "brief@example.gov.cn",
                        str(cert[0]) if cert else None)
        said = mail.send(settings, None, small_message(), "leader@example.gov.cn", Tries(lambda s: None))
        assert said == f"250 ok ({security})" and server.envelopes == [("brief@example.gov.cn", ["leader@example.gov.cn"])]
        received = server.messages[0]
        assert received["Subject"] == "垣曲县消费帮扶简报（截至2018年12月29日）"
        assert received.get_body(("html",)).get_content().count("华峰乡落后") == 1
    finally:
        server.close()


def test_mail_to_an_untrusted_certificate_or_with_a_wrong_password_is_not_tried_again(tmp_path):
    cert = self_signed_certificate(tmp_path)
    server = MailServer("ssl", cert, users={"brief@example.gov.cn": "right"})
    try:
        untrusted = Smtp("127.0.0.1", server.port, "ssl", None, "brief@example.gov.cn", None)
        waits = []
        with pytest.raises(SendError, match="证书不受信任") as refused:
            mail.send(untrusted, None, small_message(), "a@example.gov.cn", Tries(waits.append))
        assert not refused.value.retry and waits == []
        wrong = Smtp("127.0.0.1", server.port, "ssl", "brief@example.gov.cn", "brief@example.gov.cn", str(cert[0]))
        with pytest.raises(SendError, match="SMTP 535") as refused:
            mail.send(wrong, "wrong", small_message(), "a@example.gov.cn", Tries(waits.append))
        assert not refused.value.retry and waits == [] and server.messages == []
    finally:
        server.close()

