"""Signatures with the data folder's own key: a value the app handed out (a sign-in form's token, a download link)
comes back unchanged and within its time, whichever replica reads it, since every replica reads the same folder."""

import base64
import hashlib
import hmac
import secrets
import time
from pathlib import Path

from .files import StateFileError, locked, read_json, write_json

FILE_NAME = "signing_key.json"
_keys: dict[str, bytes] = {}   # per data folder: read once per process (the key never changes)


def _key(data_dir: Path) -> bytes:
    """The folder's key, created (256 random bits, mode 600) by whichever process needs it first."""
    path = Path(data_dir) / FILE_NAME
    cached = _keys.get(str(path))
    if cached is not None:
        return cached
    state = read_json(path, None)
    if state is None:
        with locked(data_dir):
            state = read_json(path, None)
            if state is None:
                state = {"key": secrets.token_hex(32)}
                write_json(path, state)
    try:
        key = bytes.fromhex(state["key"])
    except (TypeError, KeyError, ValueError):
        raise StateFileError(f"签名密钥文件格式不对: {path}") from None
    _keys[str(path)] = key
    return key


def _mac(data_dir: Path, purpose: str, message: str) -> str:
    digest = hmac.new(_key(data_dir), f"{purpose}\n{message}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def sign(data_dir: Path, purpose: str, message: str, valid_s: float | None = None) -> str:
    """`message` for `purpose` (a sign-in form, a download), signed; with `valid_s`, only for that many seconds."""
    until = f"{int(time.time() + valid_s)}" if valid_s is not None else "-"
    return f"{until}.{_mac(data_dir, purpose, f'{until}.{message}')}"


def valid(data_dir: Path, purpose: str, message: str, signature: str | None) -> bool:
    """Whether `signature` is `sign`'s for this purpose and message, and not past its time."""
    until, _, mac = (signature or "").partition(".")
    if not mac or not (until == "-" or until.isdigit()):
        return False
    if until != "-" and int(until) < time.time():
        return False
    return hmac.compare_digest(mac, _mac(data_dir, purpose, f"{until}.{message}"))
