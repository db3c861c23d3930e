"""The push settings, read from the environment: where the secrets file is, the dashboard's address for links, and
the mail server (FUPIN_SMTP_*, FUPIN_MAIL_FROM)."""

import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..settings import PROJECT_ROOT, SettingsError

SECURITY = ("none", "starttls", "ssl")
DEFAULT_PORTS = {"none": 25, "starttls": 587, "ssl": 465}
ADDRESS = re.compile(r"[^@\s<>,;\"']+@[^@\s<>,;\"']+\.[^@\s<>,;\"']+")


def secrets_path() -> Path:
    """The file holding webhook URLs, robot secrets and the SMTP password: $FUPIN_PUSH_SECRETS, default
    ~/.config/fupin/push_secrets.json; never inside the project (a repository is shared, a secret is not)."""
    text = os.environ.get("FUPIN_PUSH_SECRETS")
    if text:
        path = Path(text).expanduser()
    else:
        config = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
        path = Path(config) / "fupin" / "push_secrets.json"
    resolved = path.resolve()
    if resolved == PROJECT_ROOT or PROJECT_ROOT in resolved.parents:
        raise SettingsError(f"设置 FUPIN_PUSH_SECRETS 无效：{str(path)!r} 在项目目录内（密钥文件须放在仓库之外）")
    return path


def public_url() -> str | None:
    """The address people open the dashboard at, for the links in messages: $FUPIN_PUBLIC_URL (none: no link)."""
    text = (os.environ.get("FUPIN_PUBLIC_URL") or "").strip().rstrip("/")
    if text and not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", text):
        raise SettingsError(f"设置 FUPIN_PUBLIC_URL 无效：{text!r}（应为 http:// 或 https:// 开头的地址）")
    return text or None


@dataclass(frozen=True)
class Smtp:
    """The mail server and sender; the password comes from $FUPIN_SMTP_PASSWORD or the secrets file."""

    host: str
    port: int
    security: str
    user: str | None
    sender: str
    cafile: str | None


def smtp() -> Smtp:
    """The mail settings (SettingsError naming the first unusable one)."""
    host = (os.environ.get("FUPIN_SMTP_HOST") or "").strip()
    if not host:
        raise SettingsError("未设置 FUPIN_SMTP_HOST（邮件服务器地址），无法发送邮件")
    security = (os.environ.get("FUPIN_SMTP_SECURITY") or "starttls").strip().lower()
    if security not in SECURITY:
        raise SettingsError(f"设置 FUPIN_SMTP_SECURITY 无效：{security!r}（应为 none、starttls 或 ssl）")
    port_text = (os.environ.get("FUPIN_SMTP_PORT") or str(DEFAULT_PORTS[security])).strip()
    if not re.fullmatch(r"[0-9]{1,5}", port_text) or not 0 < int(port_text) < 65536:
        raise SettingsError(f"设置 FUPIN_SMTP_PORT 无效：{port_text!r}（应为 1 到 65535 之间的整数）")
    sender = (os.environ.get("FUPIN_MAIL_FROM") or "").strip()
    if not ADDRESS.fullmatch(sender):
        raise SettingsError(f"设置 FUPIN_MAIL_FROM 无效：{sender!r}（应为发件人邮箱地址）")
    cafile = (os.environ.get("FUPIN_SMTP_CAFILE") or "").strip() or None
    if cafile and not Path(cafile).is_file():
        raise SettingsError(f"设置 FUPIN_SMTP_CAFILE 无效：找不到文件 {cafile!r}")
    return Smtp(host, int(port_text), security, (os.environ.get("FUPIN_SMTP_USER") or "").strip() or None, sender,
                cafile)


def smtp_password_from_env() -> str | None:
    """$FUPIN_SMTP_PASSWORD when set (else the secrets file's)."""
    return os.environ.get("FUPIN_SMTP_PASSWORD") or None
