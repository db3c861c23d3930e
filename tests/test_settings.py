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
