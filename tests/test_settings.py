"""Settings: each environment variable the package reads is documented in the README, with its default."""

import os
import re

import pytest
from conftest import run_cli

from fupin import settings
from fupin.settings import PROJECT_ROOT


def test_every_setting_is_documented():
    code = "\n".join(p.read_text(encoding="utf-8") for p in (PROJECT_ROOT / "fupin").rglob("*.py"))
    names = set(re.findall(r"""environ(?:\.get)?\(\s*["'](FUPIN_[A-Z_]+)""", code))
    assert {"FUPIN_DATA", "FUPIN_MAX_UPLOAD_MB", "FUPIN_CHECK_TIMEOUT_S"} <= names
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert not {n for n in names if n not in readme}


def test_defaults(monkeypatch):
    monkeypatch.delenv("FUPIN_DATA", raising=False)
    monkeypatch.delenv("FUPIN_MAX_UPLOAD_MB", raising=False)
    monkeypatch.delenv("FUPIN_CHECK_TIMEOUT_S", raising=False)
    assert settings.data_dir() == PROJECT_ROOT / "data" and settings.max_upload_mb() == 50
    assert settings.check_timeout_s() == 600
    monkeypatch.setenv("FUPIN_DATA", "/tmp/elsewhere")
    assert str(settings.data_dir()) == "/tmp/elsewhere"


@pytest.mark.parametrize("value", ["abc", "0", "-5", "1e3", "50MB", "99999999", ""])
def test_a_bad_upload_limit_is_one_line_at_start(value):
    env = {**os.environ, "FUPIN_MAX_UPLOAD_MB": value}
    result = run_cli("brief", env=env, timeout=120)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [f"错误: 设置 FUPIN_MAX_UPLOAD_MB 无效：{value!r}（应为 1 到 2000 之间的整数，单位 MB）"]


@pytest.mark.parametrize("value, hours", [(None, 6.0), ("6", 6.0), (" 0.5 ", 0.5), ("0.0003", 0.0003), ("168", 168.0)])
def test_the_rehash_interval_takes_hours_and_fractions(monkeypatch, value, hours):
    if value is None:
        monkeypatch.delenv("FUPIN_REHASH_HOURS", raising=False)
    else:
        monkeypatch.setenv("FUPIN_REHASH_HOURS", value)
    assert settings.rehash_hours() == hours and settings.problems() == []


@pytest.mark.parametrize("value", ["0", "0.0", "-1", "169", "6h", "1e-3", "abc", ""])
def test_a_bad_rehash_interval_is_one_line(monkeypatch, value):
    monkeypatch.setenv("FUPIN_REHASH_HOURS", value)
    assert settings.problems() == [f"设置 FUPIN_REHASH_HOURS 无效：{value!r}（应为大于 0、不超过 168 的小时数，例如 6 或 0.5）"]


@pytest.mark.parametrize("value", ["0", "abc", "600s", "86401"])
def test_a_bad_check_timeout_is_one_line_at_start(value):
    result = run_cli("brief", env={"FUPIN_CHECK_TIMEOUT_S": value}, timeout=120)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"错误: 设置 FUPIN_CHECK_TIMEOUT_S 无效：{value!r}（应为 1 到 86400 之间的整数，单位秒）"]


def test_settings_are_checked_together(monkeypatch, tmp_path):
    monkeypatch.setenv("FUPIN_MAX_UPLOAD_MB", "abc")
    (tmp_path / "a-file").write_text("x")
    monkeypatch.setenv("FUPIN_DATA", str(tmp_path / "a-file"))
    assert len(settings.problems()) == 2
    with pytest.raises(settings.SettingsError, match="FUPIN_MAX_UPLOAD_MB"):
        settings.check()
    monkeypatch.setenv("FUPIN_MAX_UPLOAD_MB", " 20 ")
    monkeypatch.delenv("FUPIN_DATA")
    assert settings.problems() == [] and settings.max_upload_mb() == 20


@pytest.mark.parametrize("name, value, problem", [
    ("FUPIN_TRUSTED_PROXIES", "127.0.0.1, nginx", "设置 FUPIN_TRUSTED_PROXIES 无效：'nginx'"),
    ("FUPIN_DEMO_WRITES", "no", "设置 FUPIN_DEMO_WRITES 无效：'no'（应为 on 或 off）"),
    ("FUPIN_SESSION_IDLE_H", "0", "设置 FUPIN_SESSION_IDLE_H 无效：'0'"),
    ("FUPIN_SESSION_IDLE_H", "721", "设置 FUPIN_SESSION_IDLE_H 无效：'721'"),
    ("FUPIN_METRICS_TOKEN", "short", "设置 FUPIN_METRICS_TOKEN 无效"),
    ("FUPIN_METRICS_TOKEN", "a token with spaces in it", "设置 FUPIN_METRICS_TOKEN 无效"),
    ("FORWARDED_ALLOW_IPS", "*", "环境变量 FORWARDED_ALLOW_IPS='*' 不受支持"),
])
def test_the_service_settings_are_checked(monkeypatch, name, value, problem):
    monkeypatch.setenv(name, value)
    found = settings.problems()
    assert len(found) == 1 and found[0].startswith(problem)


def test_the_service_settings_defaults_and_values(monkeypatch):
    for name in ("FUPIN_TRUSTED_PROXIES", "FUPIN_DEMO_WRITES", "FUPIN_SESSION_IDLE_H", "FUPIN_METRICS_TOKEN",
                 "FORWARDED_ALLOW_IPS"):
        monkeypatch.delenv(name, raising=False)
    assert (settings.trusted_proxies(), settings.demo_writes(), settings.session_idle_h(),
            settings.metrics_token()) == ((), True, 8.0, None)
    monkeypatch.setenv("FUPIN_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/24,::1")
    monkeypatch.setenv("FUPIN_DEMO_WRITES", " OFF ")
    monkeypatch.setenv("FUPIN_SESSION_IDLE_H", "0.5")
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "")   # uvicorn trusting nobody: fine
    assert [str(n) for n in settings.trusted_proxies()] == ["127.0.0.1/32", "10.0.0.0/24", "::1/128"]
    assert not settings.demo_writes() and settings.session_idle_h() == 0.5 and settings.problems() == []
