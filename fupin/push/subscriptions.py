"""The subscriptions in `data/subscriptions.json` (mode 600, rewritten atomically under one lock): name, place,
language, schedule, channels; the channels' secrets live in the secrets file, here only a masked hint."""

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from ..auth.files import StateFileError, locked, read_json, write_json
from ..text.fmt import BEIJING
from ..text.i18n import t
from . import config, secrets_file
from .schedule import Schedule, from_dict

FILE_NAME = "subscriptions.json"
LOCK_NAME = ".subscriptions.lock"
CHANNEL_KINDS = ("wecom", "dingtalk", "mail")
NAME = re.compile(r"[^\s\x00-\x1f=+@\-][^\s\x00-\x1f/]{0,63}")
# The query parameter that carries each robot's key or token.
TOKEN_PARAMS = {"wecom": "key", "dingtalk": "access_token"}


class SubscriptionError(ValueError):
    """A subscription change refused (a name taken or unknown, a bad channel): one Chinese sentence."""


@dataclass(frozen=True)
class Channel:
    """Where one copy goes: a 企业微信 or 钉钉 robot (its URL and secret in the secrets file under `id`) or a mail
    address; `hint` is what may be shown of it (the URL masked, or the address)."""

    id: str
    kind: str
    hint: str
    signed: bool = False   # a 钉钉 robot with 加签

    def label(self, lang: str = "zh") -> str:
        """企业微信 ****ab12, 钉钉 ****cd34（加签）, 邮件 li@example.gov.cn."""
        signed = t("channel_signed", lang) if self.signed else ""
        return f"{t(f'channel_{self.kind}', lang)} {self.hint}{signed}"


@dataclass(frozen=True)
class Subscription:
    """A subscription: the place's brief in a language, on a schedule, to its channels; with `only_attention`, sent
    only when the attention list has something new. `for_user` ties it to an account's rights, `as_of` fixes the
    data date (default the current snapshot's)."""

    name: str
    scope: str
    lang: str
    schedule: Schedule
    channels: tuple[Channel, ...]
    only_attention: bool = False
    for_user: str | None = None
    as_of: str | None = None
    created_at: str = ""
    created_by: str = ""
    scope_name: str = field(default="", compare=False)

    @property
    def created(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.created_at)

    def to_dict(self) -> dict:
        return {"name": self.name, "scope": self.scope, "scope_name": self.scope_name, "lang": self.lang,
                "schedule": self.schedule.to_dict(), "only_attention": self.only_attention,
                "for_user": self.for_user, "as_of": self.as_of,
                "channels": [{"id": c.id, "kind": c.kind, "hint": c.hint, "signed": c.signed} for c in self.channels],
                "created_at": self.created_at, "created_by": self.created_by}


def _subscription(entry: dict) -> Subscription:
    return Subscription(entry["name"], entry["scope"], entry["lang"], from_dict(entry["schedule"]),
                        tuple(Channel(**c) for c in entry["channels"]), bool(entry.get("only_attention")),
                        entry.get("for_user"), entry.get("as_of"), entry["created_at"], entry.get("created_by", ""),
                        entry.get("scope_name", ""))


def path(data_dir: Path) -> Path:
    return Path(data_dir) / FILE_NAME


def load(data_dir: Path) -> list[Subscription]:
    """Every subscription, in the order they were added; StateFileError when the file is not what this writes."""
    state = read_json(path(data_dir), {"subscriptions": []})
    try:
        return [_subscription(entry) for entry in state["subscriptions"]]
    except (TypeError, KeyError, ValueError):
        raise StateFileError(f"订阅文件格式不对: {path(data_dir)}") from None


def find(data_dir: Path, name: str) -> Subscription | None:
    return next((s for s in load(data_dir) if s.name == name), None)


def robot_channel(kind: str, url: str, secret: str | None = None) -> tuple[Channel, dict]:
    """A 企业微信 or 钉钉 channel and its secrets, from the robot's webhook URL (and 钉钉's 加签 secret)."""
    parts = urlsplit(url.strip())
    token = parse_qs(parts.query).get(TOKEN_PARAMS[kind], [""])[0]
    if parts.scheme not in ("http", "https") or not parts.netloc or not token:
        raise SubscriptionError(f"{t(f'channel_{kind}')}机器人地址无效（应为带 {TOKEN_PARAMS[kind]}= 的 webhook 地址）："
                                f"{secrets_file.mask(url)}")
    if secret is not None and kind != "dingtalk":
        raise SubscriptionError("只有钉钉机器人有加签密钥")
    channel = Channel(uuid.uuid4().hex[:12], kind, secrets_file.mask(url.strip()), bool(secret))
    return channel, {"url": url.strip(), **({"secret": secret.strip()} if secret else {})}


def mail_channel(address: str) -> Channel:
    """A mail channel to one address."""
    if not config.ADDRESS.fullmatch(address.strip()):
        raise SubscriptionError(f"邮箱地址无效: {address!r}")
    return Channel(uuid.uuid4().hex[:12], "mail", address.strip())


def new(name: str, scope: str, scope_name: str, lang: str, schedule: Schedule, channels: list[Channel],
        only_attention: bool, for_user: str | None, as_of: dt.date | None, by: str,
        now: dt.datetime | None = None) -> Subscription:
    """A subscription to add (its name checked)."""
    if not NAME.fullmatch(name):
        raise SubscriptionError(f"订阅名称无效: {name!r}（1–64 个字符，不含空白和 /，不以 = + - @ 开头）")
    if not channels:
        raise SubscriptionError("至少要有一个发送渠道：--wecom、--dingtalk 或 --mail")
    created = (now or dt.datetime.now(BEIJING)).astimezone(BEIJING).isoformat(timespec="seconds")
    return Subscription(name, scope, lang, schedule, tuple(channels), only_attention, for_user,
                        as_of.isoformat() if as_of else None, created, by, scope_name)


def add(data_dir: Path, subscription: Subscription, secrets: dict[str, dict]) -> None:
    """Store a new subscription and its channels' secrets (the secrets first: a subscription never lacks them)."""
    with locked(data_dir, LOCK_NAME):
        existing = load(data_dir)
        if any(s.name == subscription.name for s in existing):
            raise SubscriptionError(f"订阅已存在: {subscription.name}")
        if secrets:
            secrets_file.put_channels(secrets)
        write_json(path(data_dir), {"subscriptions": [s.to_dict() for s in [*existing, subscription]]})


def remove(data_dir: Path, name: str) -> Subscription:
    """Remove a subscription, then its channels' secrets; the removed one is returned."""
    with locked(data_dir, LOCK_NAME):
        existing = load(data_dir)
        gone = next((s for s in existing if s.name == name), None)
        if gone is None:
            raise SubscriptionError(f"没有这个订阅: {name}")
        write_json(path(data_dir), {"subscriptions": [s.to_dict() for s in existing if s.name != name]})
        robots = [c.id for c in gone.channels if c.kind != "mail"]
        if robots:
            secrets_file.drop_channels(robots)
        return gone
