"""Settings: each environment variable the package reads is documented in the README, with its default."""

import re

from fupin import settings
from fupin.settings import PROJECT_ROOT


def test_every_setting_is_documented():
    code = "\n".join(p.read_text(encoding="utf-8") for p in (PROJECT_ROOT / "fupin").rglob("*.py"))
    names = set(re.findall(r"""environ(?:\.get)?\(\s*["'](FUPIN_[A-Z_]+)""", code))
    assert {"FUPIN_DATA", "FUPIN_MAX_UPLOAD_MB"} <= names
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert not {n for n in names if n not in readme}


def test_defaults(monkeypatch):
    monkeypatch.delenv("FUPIN_DATA", raising=False)
    monkeypatch.delenv("FUPIN_MAX_UPLOAD_MB", raising=False)
    assert settings.data_dir() == PROJECT_ROOT / "data" and settings.max_upload_mb() == 50
    monkeypatch.setenv("FUPIN_DATA", "/tmp/elsewhere")
    assert str(settings.data_dir()) == "/tmp/elsewhere"
