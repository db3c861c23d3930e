"""Settings, read from the environment with documented defaults, and checked once at start."""

import os
import re
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
REFERENCE_DIR = PROJECT_ROOT / "data" / "reference"
QUERIES_DIR = PROJECT_ROOT / "queries"
# The largest upload a server with a few GB to spare should take.
UPLOAD_MB_RANGE = (1, 2000)
# Hours between two background re-hash passes: the default, and the longest a pass may be put off (a week).
REHASH_HOURS_DEFAULT = 6.0
REHASH_HOURS_MAX = 168
# How long checking a ledger may take, in seconds: the largest file allowed is checked in a few minutes.
CHECK_TIMEOUT_RANGE = (1, 86_400)


class SettingsError(ValueError):
    """A setting whose value cannot be used; the message is one line naming it, its value and what it should be."""


def data_dir() -> Path:
    """Where snapshots live: $FUPIN_DATA, default `data/` in the project."""
    return Path(os.environ.get("FUPIN_DATA") or PROJECT_ROOT / "data")


def _whole_number(name: str, text: str, bounds: tuple[int, int], unit: str) -> int:
    """An integer setting's value within `bounds` (SettingsError naming it, its value and what it should be,
    otherwise)."""
    text = text.strip()
    low, high = bounds
    if not re.fullmatch(r"[0-9]{1,6}", text) or not low <= int(text) <= high:
        raise SettingsError(f"设置 {name} 无效：{text!r}（应为 {low} 到 {high} 之间的整数，单位{unit}）")
    return int(text)


def max_upload_mb() -> int:
    """Largest ledger file accepted for import, in MB: $FUPIN_MAX_UPLOAD_MB, default 50 (SettingsError if invalid)."""
    return _whole_number("FUPIN_MAX_UPLOAD_MB", os.environ.get("FUPIN_MAX_UPLOAD_MB", "50"), UPLOAD_MB_RANGE, " MB")


def check_timeout_s() -> int:
    """How long checking a ledger may take before it is stopped, in seconds: $FUPIN_CHECK_TIMEOUT_S, default 600
    (SettingsError if invalid)."""
    return _whole_number("FUPIN_CHECK_TIMEOUT_S", os.environ.get("FUPIN_CHECK_TIMEOUT_S", "600"), CHECK_TIMEOUT_RANGE,
                         "秒")


def rehash_hours() -> float:
    """Hours between two passes of the running app that hash the current snapshot's files again: $FUPIN_REHASH_HOURS,
    default 6; a fraction makes it short (0.0003, about a second, in the tests). SettingsError if invalid."""
    text = os.environ.get("FUPIN_REHASH_HOURS", str(REHASH_HOURS_DEFAULT)).strip()
    if not re.fullmatch(r"[0-9]{1,3}(\.[0-9]{1,6})?", text) or not 0 < float(text) <= REHASH_HOURS_MAX:
        raise SettingsError(f"设置 FUPIN_REHASH_HOURS 无效：{text!r}"
                            f"（应为大于 0、不超过 {REHASH_HOURS_MAX} 的小时数，例如 6 或 0.5）")
    return float(text)


def problems() -> list[str]:
    """Every setting that cannot be used, one line each (empty when all are fine)."""
    found = []
    for read in (max_upload_mb, check_timeout_s, rehash_hours):
        try:
            read()
        except SettingsError as e:
            found.append(str(e))
    folder = data_dir()
    if folder.exists() and not folder.is_dir():
        found.append(f"设置 FUPIN_DATA 无效：{str(folder)!r} 不是文件夹")
    return found


def check() -> None:
    """Raise SettingsError with the first unusable setting; called once at start by the CLI and the app."""
    found = problems()
    if found:
        raise SettingsError(found[0])


def chromium() -> str:
    """The Chromium the load test drives: $FUPIN_CHROMIUM, default Debian's /usr/bin/chromium."""
    return os.environ.get("FUPIN_CHROMIUM", "/usr/bin/chromium")


def default_scope() -> str | None:
    """The scope a view opens on (a county code, a city code or a group code such as samr): $FUPIN_SCOPE; unset, the
    snapshot's first county in code order (垣曲县 140827 in the demo)."""
    return os.environ.get("FUPIN_SCOPE") or None
