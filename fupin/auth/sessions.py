"""Sign-in sessions kept in the data folder (`sessions.json`, rewritten atomically under the account lock), so that
every replica of the app reads the same ones: a browser's cookie holds a random id, the file only its hash.

A session ends when it is signed out, after FUPIN_SESSION_IDLE_H hours without a click (default 8), after 7 days
whatever happens, and as soon as its account is disabled, removed, given a new password or another role or scope:
the session records a stamp of those, and `user_of` refuses it once the account's stamp differs. Every page run and
every download asks `user_of`, so an ended session is refused on every replica at its next click.
"""

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

from .. import settings
from . import accounts, signing
from .files import StateFileError, locked, read_json, write_json
from .permissions import User

FILE_NAME = "sessions.json"
COOKIE = "fupin_session"   # the browser's cookie holding a session's id (HttpOnly, SameSite=Lax)
# A browser that asked for single sign-on holds this short-lived ticket while it goes to the identity provider: the
# one page run it gets without a session only calls st.login.
SSO_TICKET_COOKIE = "fupin_sso"
SSO_TICKET_S = 120
MAX_AGE = dt.timedelta(days=7)
# How often a session's last click is written down at most: often enough for the idle limit, rarely enough that a
# page run seldom waits for the account lock.
TOUCH_EVERY = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class Session:
    """One sign-in as stored: the account's name, when it started and was last used (UTC), the client address it
    signed in from, and the stamp of the account it signed in as."""

    user: str
    created: str
    seen: str
    client: str | None
    stamp: str


def _path(data_dir: Path) -> Path:
    return Path(data_dir) / FILE_NAME


def _key(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def idle_limit() -> dt.timedelta:
    """How long a session lasts without a click (an unusable setting is shown on every page; the default applies)."""
    try:
        hours = settings.session_idle_h()
    except settings.SettingsError:
        hours = settings.SESSION_IDLE_H_DEFAULT
    return dt.timedelta(hours=hours)


def stamp(account: accounts.Account) -> str:
    """What a session must still find in its account: the password's hash, role, scope and the disabled flag."""
    text = "\n".join(map(str, (account.password_hash, account.role, account.scope, account.disabled)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _load(data_dir: Path) -> dict[str, Session]:
    state = read_json(_path(data_dir), {})
    try:
        return {key: Session(**entry) for key, entry in state.items()}
    except (AttributeError, TypeError):
        raise StateFileError(f"会话文件格式不对: {_path(data_dir)}") from None


def _write(data_dir: Path, found: dict[str, Session]) -> None:
    write_json(_path(data_dir), {key: vars(session) for key, session in found.items()})


def _timed_out(session: Session, now: dt.datetime) -> bool:
    return (now - dt.datetime.fromisoformat(session.seen) > idle_limit()
            or now - dt.datetime.fromisoformat(session.created) > MAX_AGE)


def _users(data_dir: Path) -> dict[str, accounts.Account]:
    return {account.name: account for account in accounts.list_users(data_dir)}


def _live(session: Session, users: dict[str, accounts.Account], now: dt.datetime) -> accounts.Account | None:
    """The account a session still signs in as, or None when the session has ended."""
    if _timed_out(session, now):
        return None
    account = users.get(session.user)
    if account is None or account.disabled or stamp(account) != session.stamp:
        return None
    return account


def start(data_dir: Path, account: accounts.Account, client: str | None = None, now: dt.datetime | None = None) -> str:
    """Start a session for an account that has just signed in; returns its id for the browser's cookie (ended
    sessions are dropped from the file meanwhile)."""
    now = now or _now()
    session_id = secrets.token_urlsafe(32)
    when = now.isoformat(timespec="seconds")
    with locked(data_dir):
        users = _users(data_dir)
        found = {key: s for key, s in _load(data_dir).items() if _live(s, users, now)}
        found[_key(session_id)] = Session(account.name, when, when, client, stamp(account))
        _write(data_dir, found)
    return session_id


def user_of(data_dir: Path, session_id: str | None, now: dt.datetime | None = None) -> User | None:
    """The user a session id signs in now (its account read again), or None when there is no such session or it has
    ended; notes the click (at most every TOUCH_EVERY). OSError when the accounts or sessions file cannot be read."""
    if not session_id:
        return None
    now = now or _now()
    key = _key(session_id)
    session = _load(data_dir).get(key)
    account = _live(session, _users(data_dir), now) if session else None
    if account is None:
        return None
    if now - dt.datetime.fromisoformat(session.seen) > min(TOUCH_EVERY, idle_limit() / 10):
        with locked(data_dir):
            found = _load(data_dir)
            if key in found:
                found[key] = Session(**{**vars(found[key]), "seen": now.isoformat(timespec="seconds")})
                _write(data_dir, found)
    return account.user()


def end(data_dir: Path, session_id: str | None) -> bool:
    """End a session (signing out); whether there was one to end."""
    if not session_id:
        return False
    with locked(data_dir):
        found = _load(data_dir)
        if found.pop(_key(session_id), None) is None:
            return False
        _write(data_dir, found)
    return True


def active(data_dir: Path, now: dt.datetime | None = None) -> int:
    """How many sessions have not ended."""
    now = now or _now()
    users = _users(data_dir)
    return sum(1 for s in _load(data_dir).values() if _live(s, users, now))


def sso_ticket(data_dir: Path) -> str:
    """A ticket for a browser on its way to single sign-on (valid SSO_TICKET_S seconds)."""
    return signing.sign(data_dir, "sso", "start", SSO_TICKET_S)


def sso_ticket_valid(data_dir: Path, ticket: str | None) -> bool:
    """Whether a browser's ticket is one the app handed out, still in time."""
    return signing.valid(data_dir, "sso", "start", ticket)
