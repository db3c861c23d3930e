"""订阅与推送 on the 导入 page (AppTest): a clerk sees the subscriptions of their scope and the delivery log, failures
first; a leader sees none; 发送测试 sends to the chosen channel (a local 钉钉 robot) and is audited; a clerk disabled
after the page was drawn sends nothing."""

import pytest
from conftest import sign_in, write_snapshot
from push_servers import RobotServer
from streamlit.testing.v1 import AppTest

from fupin.auth import accounts, audit
from fupin.push import deliveries, subscriptions
from fupin.push.schedule import parse
from fupin.settings import PROJECT_ROOT
from fupin.store.store import SnapshotStore

pytestmark = pytest.mark.server   # the robot the test send goes to

APP = str(PROJECT_ROOT / "tests" / "app_entry.py")


@pytest.fixture(scope="module")
def robots():
    server = RobotServer()
    yield server
    server.close()


@pytest.fixture
def data(tmp_path, tiny_tables_data, monkeypatch, robots):
    write_snapshot(SnapshotStore(tmp_path), tiny_tables_data)
    monkeypatch.setenv("FUPIN_DATA", str(tmp_path))
    monkeypatch.setenv("FUPIN_PUSH_SECRETS", str(tmp_path.parent / "secrets.json"))
    monkeypatch.delenv("FUPIN_PUBLIC_URL", raising=False)
    for name, code, scope_name in (("县早报", "140827", "垣曲县"), ("外县", "621226", "礼县")):
        channel, secret = subscriptions.robot_channel("dingtalk", robots.dingtalk_url(f"tok-{code}-page"))
        sub = subscriptions.new(name, code, scope_name, "zh", parse(daily="08:00"), [channel], False, None, None, "x")
        subscriptions.add(tmp_path, sub, {channel.id: secret})
    first = subscriptions.find(tmp_path, "县早报").channels[0]
    deliveries.record(tmp_path, "县早报", first, "scheduled", "sent", "actionCard ok", slot="2026-11-22T08:00+08:00")
    deliveries.record(tmp_path, "县早报", first, "scheduled", "failed", "actionCard: HTTP 400 Bad Request",
                      slot="2026-11-23T08:00+08:00")
    return tmp_path


def import_page(data, role: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    sign_in(at, data, role)
    at.run()
    at.switch_page("../pages/import.py").run()
    assert not at.exception, at.exception
    return at


def frame_with(at: AppTest, column: str):
    """The page's table that has this column (AppTest does not expose a dataframe's key), or None."""
    return next((d.value for d in at.dataframe if column in d.value.columns), None)


def test_a_clerk_sees_the_subscriptions_of_their_scope_and_the_deliveries_failures_first(data):
    at = import_page(data, "clerk")
    table, log = frame_with(at, "订阅名称"), frame_with(at, "服务方回复")
    assert list(table["订阅名称"]) == ["县早报"] and table.iloc[0]["渠道"] == "钉钉 ****page"
    assert table.iloc[0]["时间（北京时间）"] == "每天 08:00" and "失败" in table.iloc[0]["最近一次"]
    assert list(log["结果"]) == ["失败", "已发送"] and log.iloc[0]["服务方回复"] == "actionCard: HTTP 400 Bad Request"
    assert at.selectbox(key="push_test_name").options == ["县早报"]


def test_a_leader_sees_no_subscriptions(data):
    at = import_page(data, "leader")
    headings = [s.value for s in at.subheader]
    assert "空白模板" in headings and "订阅与推送" not in headings and frame_with(at, "订阅名称") is None
    assert not [b for b in at.button if b.key == "push_test"]


def test_send_a_test_to_one_channel(data, robots):
    at = import_page(data, "clerk")
    at.button(key="push_test").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == ["已发送测试到 钉钉 ****page"]
    (request,) = [r for r in robots.received if r.query.get("access_token") == "tok-140827-page"]
    assert request.payload["msgtype"] == "markdown", "no FUPIN_PUBLIC_URL: no link, so no card"
    assert request.payload["markdown"]["title"] == "【测试】垣曲县消费帮扶简报（截至2018年12月29日）"
    entry = audit.entries(data)[-1]
    assert (entry["action"], entry["who"], entry["via"], entry["subscription"]) == ("push_test", "clerk", "web", "县早报")
    assert deliveries.entries(data)[-1]["kind"] == "test"


def test_a_clerk_disabled_after_the_page_was_drawn_sends_nothing(data, robots):
    at = import_page(data, "clerk")
    before = len(robots.received)
    accounts.disable_user(data, "clerk")
    at.button(key="push_test").click().run()
    assert len(robots.received) == before and deliveries.entries(data)[-1]["kind"] == "scheduled"
    refused = audit.entries(data)[-1]
    assert (refused["action"], refused["attempted"], refused["subscription"]) == ("refused", "push_test", "县早报")
