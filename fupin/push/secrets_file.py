"""The secrets of the subscriptions (webhook URLs with their keys and tokens, 钉钉 加签 secrets, the SMTP password)
in one JSON file outside the repository, mode 600; shown anywhere only masked to their last 4 characters."""

from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote, quote_plus

from ..auth.files import StateFileError, read_json, write_json
from . import config

SHOWN = 4


def mask(secret: str | None) -> str:
    """A secret as it may be shown: its last 4 characters after ****."""
    return "****" + (secret or "")[-SHOWN:] if secret and len(secret) > SHOWN * 2 else "****"


def scrub(text: str, secrets: Iterable[str]) -> str:
    """`text` with every secret (also URL-encoded) replaced by its mask: for error lines and providers' messages."""
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        for form in {secret, quote(secret, safe=""), quote_plus(secret)}:
            text = text.replace(form, mask(secret))
    return text


def _load(path: Path) -> dict:
    state = read_json(path, {})
    if not isinstance(state, dict) or not isinstance(state.get("channels", {}), dict):
        raise StateFileError(f"密钥文件格式不对: {path}")
    state.setdefault("channels", {})
    return state


def channel_secrets(ref: str, path: Path | None = None) -> dict:
    """The secrets of one channel (`url`, and `secret` for a 钉钉 robot with 加签); {} when missing."""
    return _load(path or config.secrets_path())["channels"].get(ref, {})


def all_secrets(path: Path | None = None) -> list[str]:
    """Every secret the file holds, to scrub from any text that leaves the program."""
    state = _load(path or config.secrets_path())
    found = [v for entry in state["channels"].values() for v in entry.values() if isinstance(v, str)]
    return found + [state["smtp_password"]] if isinstance(state.get("smtp_password"), str) else found


def _write(path: Path, state: dict) -> None:
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)
    write_json(path, state)


def put_channels(entries: dict[str, dict], path: Path | None = None) -> None:
    """Add channels' secrets (ref -> {"url", "secret"}); the caller holds the subscriptions' lock."""
    path = path or config.secrets_path()
    state = _load(path)
    state["channels"].update(entries)
    _write(path, state)


def drop_channels(refs: Iterable[str], path: Path | None = None) -> None:
    """Remove channels' secrets; the caller holds the subscriptions' lock."""
    path = path or config.secrets_path()
    state = _load(path)
    for ref in refs:
        state["channels"].pop(ref, None)
    _write(path, state)


def smtp_password(path: Path | None = None) -> str | None:
    """The SMTP password: $FUPIN_SMTP_PASSWORD, else the secrets file's `smtp_password`, else none."""
    from_env = config.smtp_password_from_env()
    if from_env:
        return from_env
    return _load(path or config.secrets_path()).get("smtp_password") or None
