"""Settings, read from the environment with documented defaults, and checked once at start."""

import ipaddress
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
# Hours a sign-in lasts without a click: the default (a working day) and the longest allowed (a month).
SESSION_IDLE_H_DEFAULT = 8.0
SESSION_IDLE_H_MAX = 720
# The metrics token is a secret typed into a scraper's configuration: long enough not to be guessed.
METRICS_TOKEN_MIN = 16
# uvicorn's own trusted forwarders when FORWARDED_ALLOW_IPS is unset (fupin.auth.clients undoes what it believed).
UVICORN_FORWARDERS = "127.0.0.1,::1"


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


def trusted_proxies() -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """The reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed: $FUPIN_TRUSTED_PROXIES, addresses
    or networks separated by commas (127.0.0.1, 10.0.0.0/24, ::1), default none. SettingsError if one is not one."""
    text = os.environ.get("FUPIN_TRUSTED_PROXIES", "")
    found = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        try:
            found.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise SettingsError(f"设置 FUPIN_TRUSTED_PROXIES 无效：{item!r}（应为逗号分隔的 IP 地址或网段，例如 "
                                f"127.0.0.1,10.0.0.0/24）") from None
    return tuple(found)


def demo_writes() -> bool:
    """Whether demo mode (no accounts) lets a browser on the server's own machine change data: $FUPIN_DEMO_WRITES, on
    (default) or off. SettingsError if it is anything else."""
    text = os.environ.get("FUPIN_DEMO_WRITES", "on").strip().lower()
    if text not in ("on", "off"):
        raise SettingsError(f"设置 FUPIN_DEMO_WRITES 无效：{text!r}（应为 on 或 off）")
    return text == "on"


def session_idle_h() -> float:
    """Hours a sign-in lasts without a click: $FUPIN_SESSION_IDLE_H, default 8 (a fraction for the tests).
    SettingsError if invalid."""
    text = os.environ.get("FUPIN_SESSION_IDLE_H", str(SESSION_IDLE_H_DEFAULT)).strip()
    if not re.fullmatch(r"[0-9]{1,3}(\.[0-9]{1,6})?", text) or not 0 < float(text) <= SESSION_IDLE_H_MAX:
        raise SettingsError(f"设置 FUPIN_SESSION_IDLE_H 无效：{text!r}"
                            f"（应为大于 0、不超过 {SESSION_IDLE_H_MAX} 的小时数，例如 8 或 0.5）")
    return float(text)


def metrics_token() -> str | None:
    """The bearer token that opens /metrics to a scraper that is neither on this machine nor a trusted proxy:
    $FUPIN_METRICS_TOKEN, default none. SettingsError if it is shorter than 16 characters or holds spaces."""
    text = os.environ.get("FUPIN_METRICS_TOKEN", "")
    if not text:
        return None
    if len(text) < METRICS_TOKEN_MIN or not re.fullmatch(r"[\x21-\x7e]+", text):
        raise SettingsError(f"设置 FUPIN_METRICS_TOKEN 无效（应为至少 {METRICS_TOKEN_MIN} 个字符、不含空格的随机字符串）")
    return text


def _forwarders_problem() -> str | None:
    """uvicorn believes X-Forwarded-For from FORWARDED_ALLOW_IPS before the app sees a request; the app can undo that
    only for its default (loopback) or an empty value, so any other value is reported."""
    value = os.environ.get("FORWARDED_ALLOW_IPS")
    if value is None or value.strip() in ("", UVICORN_FORWARDERS):
        return None
    return f"环境变量 FORWARDED_ALLOW_IPS={value!r} 不受支持：请删除它，改用 FUPIN_TRUSTED_PROXIES"


def problems() -> list[str]:
    """Every setting that cannot be used, one line each (empty when all are fine)."""
    found = []
    for read in (max_upload_mb, check_timeout_s, rehash_hours, trusted_proxies, demo_writes, session_idle_h,
                 metrics_token):
        try:
            read()
        except SettingsError as e:
            found.append(str(e))
    folder = data_dir()
    if folder.exists() and not folder.is_dir():
        found.append(f"设置 FUPIN_DATA 无效：{str(folder)!r} 不是文件夹")
    if forwarders := _forwarders_problem():
        found.append(forwarders)
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
