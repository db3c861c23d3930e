"""`python -m fupin subscriptions add|list|remove`: stored mode 600 beside the accounts, secrets in a file of their own
outside the repository, shown and audited only masked; scopes checked as accounts' are; refusals are one line."""

import json
import stat

import pytest
from conftest import own_data_folder, run_cli

from fupin.auth import accounts, audit
from fupin.push import subscriptions
from fupin.settings import PROJECT_ROOT

WECOM = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7aoc-4bc4-97a0-0ec2sifa5aaa"
DINGTALK = "https://oapi.dingtalk.com/robot/send?access_token=c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8"
DINGTALK_SECRET = "SEC1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4"
SECRETS = ("693a91f6-7aoc-4bc4-97a0-0ec2sifa5aaa", "c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8", DINGTALK_SECRET)


@pytest.fixture()
def folder(tiny_store, tmp_path):
    (tmp_path / "data").mkdir()
    return own_data_folder(tiny_store, tmp_path / "data")


@pytest.fixture()
def env(tmp_path):
    return {"FUPIN_PUSH_SECRETS": str(tmp_path / "config" / "push_secrets.json"), "FUPIN_PUBLIC_URL": ""}


def add(data, env, name="早报", *extra, input=None):
    return run_cli("subscriptions", "add", name, "--as", "李科长", *extra, data=data, env=env, input=input)


def test_a_subscription_is_stored_mode_600_and_its_secrets_apart_masked_everywhere(folder, env, tmp_path):
    done = add(folder, env, "早报", "--scope", "140827", "--daily", "08:00", "--wecom", WECOM, "--dingtalk", DINGTALK,
               "--dingtalk-secret", DINGTALK_SECRET, "--mail", "leader@example.gov.cn")
    assert done.returncode == 0, done.stderr
    assert "企业微信 ****5aaa、钉钉 ****e9f8（加签）、邮件 leader@example.gov.cn" in done.stdout
    assert "FUPIN_PUBLIC_URL" in done.stderr, "no link without the dashboard's address: said once"
    assert "未设置 FUPIN_SMTP_HOST" in done.stderr, "no mail server yet: said, the subscription kept"
    listed = run_cli("subscriptions", "list", data=folder, env=env)
    assert "早报\t垣曲县（140827）\t每天 08:00\tzh\t定时" in listed.stdout and "尚未发送" in listed.stdout
    secrets_path = tmp_path / "config" / "push_secrets.json"
    stored = subscriptions.path(folder)
    for path in (stored, secrets_path):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE(secrets_path.parent.stat().st_mode) == 0o700
    held = json.loads(secrets_path.read_text())["channels"]
    assert sorted(v for entry in held.values() for v in entry.values()) == sorted([WECOM, DINGTALK, DINGTALK_SECRET])
    entry = audit.entries(folder)[-1]
    assert (entry["action"], entry["who"], entry["subscription"]) == ("subscription_add", "李科长", "早报")
    shown = "".join([done.stdout, done.stderr, listed.stdout, stored.read_text(), audit.log_path(folder).read_text()])
    assert not [s for s in SECRETS if s in shown]

    gone = run_cli("subscriptions", "remove", "早报", data=folder, env=env)
    assert gone.returncode == 0 and subscriptions.load(folder) == []
    assert json.loads(secrets_path.read_text())["channels"] == {}
    assert audit.entries(folder)[-1]["action"] == "subscription_remove"


def test_secrets_can_come_from_standard_input_out_of_sight_of_ps(folder, env, tmp_path):
    done = add(folder, env, "周报", "--scope", "140827", "--weekly", "MON", "--at", "08:30", "--lang", "en",
               "--dingtalk", "-", "--dingtalk-secret", "-", input=f"{DINGTALK}\n{DINGTALK_SECRET}\n")
    assert done.returncode == 0, done.stderr
    sub = subscriptions.find(folder, "周报")
    assert (sub.lang, sub.schedule.describe(), sub.channels[0].signed) == ("en", "每周一 08:30", True)
    assert DINGTALK_SECRET in (tmp_path / "config" / "push_secrets.json").read_text()


def test_a_subscription_for_an_account_stays_within_its_scope(folder, env):
    accounts.add_user(folder, "hf", "township", "140827203", "secret-pass-1")
    accounts.add_user(folder, "gone", "leader", "140827", "secret-pass-1")
    accounts.disable_user(folder, "gone")
    wider = add(folder, env, "全县", "--scope", "140827", "--daily", "08:00", "--for", "hf", "--mail", "a@b.cn")
    assert wider.returncode == 1 and "hf 无权查看 垣曲县" in wider.stderr and wider.stderr.count("\n") == 1
    other = add(folder, env, "历山", "--scope", "140827101", "--daily", "08:00", "--for", "hf", "--mail", "a@b.cn")
    assert other.returncode == 1 and "无权查看 历山镇" in other.stderr
    disabled = add(folder, env, "停用", "--scope", "140827", "--daily", "08:00", "--for", "gone", "--mail", "a@b.cn")
    assert disabled.returncode == 1 and "账号已停用" in disabled.stderr
    own = add(folder, env, "华峰", "--scope", "140827203", "--daily", "08:00", "--for", "hf", "--mail", "a@b.cn")
    assert own.returncode == 0, own.stderr
    assert subscriptions.find(folder, "华峰").scope_name == "华峰乡"
    assert [s.name for s in subscriptions.load(folder)] == ["华峰"]


@pytest.mark.parametrize("args, status, words", [
    (("--scope", "999999", "--daily", "08:00", "--mail", "a@b.cn"), 2, "未知的范围: 999999"),
    (("--scope", "140827", "--daily", "25:00", "--mail", "a@b.cn"), 2, "时间无效"),
    (("--scope", "140827", "--daily", "08:00"), 1, "至少要有一个发送渠道"),
    (("--scope", "140827", "--daily", "08:00", "--mail", "not-an-address"), 1, "邮箱地址无效"),
    (("--scope", "140827", "--daily", "08:00", "--wecom", "https://qyapi.weixin.qq.com/send?token=abcdefgh1234"), 1,
     "****1234"),
    (("--scope", "140827", "--daily", "08:00", "--dingtalk-secret", "SECabc", "--dingtalk", DINGTALK), 2,
     "须紧跟在它所属的 --dingtalk 之后"),
])
def test_a_bad_subscription_is_refused_in_one_line_naming_no_secret(folder, env, args, status, words):
    done = add(folder, env, "坏", *args)
    assert (done.returncode, done.stderr.count("\n")) == (status, 1), done.stderr
    assert words in done.stderr and "abcdefgh1234" not in done.stderr and subscriptions.load(folder) == []


def test_a_name_is_taken_once_and_the_secrets_file_stays_out_of_the_repository(folder, env):
    assert add(folder, env, "早报", "--scope", "140827", "--daily", "08:00", "--mail", "a@b.cn").returncode == 0
    again = add(folder, env, "早报", "--scope", "140827", "--daily", "09:00", "--mail", "c@d.cn")
    assert again.returncode == 1 and "订阅已存在: 早报" in again.stderr
    inside = {**env, "FUPIN_PUSH_SECRETS": str(PROJECT_ROOT / "data" / "push_secrets.json")}
    refused = add(folder, inside, "晚报", "--scope", "140827", "--daily", "18:00", "--wecom", WECOM)
    assert refused.returncode == 2 and "在项目目录内" in refused.stderr
    assert not (PROJECT_ROOT / "data" / "push_secrets.json").exists()
    unknown = run_cli("subscriptions", "remove", "无此订阅", data=folder, env=env)
    assert unknown.returncode == 1 and "没有这个订阅" in unknown.stderr
