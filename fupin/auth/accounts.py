"""Local accounts in `data/accounts.json` (argon2 hashes, never a password) and single sign-on identities mapped to
a role and scope; signing in with a name and password, with lock-out and an audit entry for every failure."""

import datetime as dt
import functools
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from . import audit, lockout
from .files import StateFileError, locked, read_json, write_json
from .permissions import ROLES, User

FILE_NAME = "accounts.json"
MIN_PASSWORD = 8
NAME = re.compile(r"[^\s\x00-\x1f=+@\-][^\s\x00-\x1f]{0,63}")
HASHER = PasswordHasher()
REFUSAL_UNKNOWN = "用户名不存在"     # the audit log's reasons for a refused sign-in; the person is told none of them
REFUSAL_WRONG = "密码错误"
REFUSAL_DISABLED = "账号已停用"


@functools.cache
def _unknown_hash() -> str:
    """Verified against when the name is unknown, so a wrong name takes as long as a wrong password."""
    return HASHER.hash("not a password of anyone")


class AccountError(ValueError):
    """An account change refused (name taken, unknown name, weak password): one Chinese sentence."""


@dataclass(frozen=True)
class Account:
    """One local account as stored: name, role, scope code (None for an admin), disabled flag, argon2 hash."""

    name: str
    role: str
    scope: str | None
    password_hash: str
    disabled: bool = False
    created_at: str = ""

    def user(self) -> User:
        return User(self.name, self.role, self.scope)


@dataclass(frozen=True)
class Identity:
    """A single sign-on identity: a claim (e.g. email, or groups) with a value, mapped to a role and scope."""

    claim: str
    value: str
    role: str
    scope: str | None


@dataclass(frozen=True)
class Verdict:
    """The outcome of a sign-in as the person may learn it: "ok" (with the user), "wrong" or "locked" (with its end)."""

    status: str
    user: User | None = None
    locked_until: dt.datetime | None = None
    account: "Account | None" = None   # the account as it was checked (a session records its stamp)


def accounts_path(data_dir: Path) -> Path:
    return Path(data_dir) / FILE_NAME


def _load(data_dir: Path) -> dict:
    """The accounts file's contents; StateFileError when it is not what this module writes."""
    state = read_json(accounts_path(data_dir), {"users": [], "oidc": []})
    if not isinstance(state, dict) or not all(isinstance(state.get(k, []), list) for k in ("users", "oidc")):
        raise StateFileError(f"账号文件格式不对: {accounts_path(data_dir)}")
    state.setdefault("users", [])
    state.setdefault("oidc", [])
    return state


def _records(data_dir: Path, key: str, kind: type) -> list:
    try:
        return [kind(**entry) for entry in _load(data_dir)[key]]
    except TypeError:   # an entry with missing or unknown fields (edited by hand)
        raise StateFileError(f"账号文件格式不对: {accounts_path(data_dir)}") from None


def sign_in_enabled(data_dir: Path) -> bool:
    """Whether the app asks for sign-in: the accounts file exists with a user or a sign-on identity (a file that
    cannot be read counts as enabled, so a damaged file never opens the app to everyone)."""
    path = accounts_path(data_dir)
    if not path.exists():
        return False
    try:
        state = _load(data_dir)
    except OSError:
        return True
    return bool(state["users"] or state["oidc"])


def list_users(data_dir: Path) -> list[Account]:
    """Every local account, in the order they were added."""
    return _records(data_dir, "users", Account)


def list_identities(data_dir: Path) -> list[Identity]:
    """Every single sign-on identity mapping, in the order they were added."""
    return _records(data_dir, "oidc", Identity)


def find_user(data_dir: Path, name: str) -> Account | None:
    return next((a for a in list_users(data_dir) if a.name == name), None)


def check_password(password: str) -> None:
    """AccountError unless the password is long enough."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"密码太短：至少 {MIN_PASSWORD} 个字符")


def _change(data_dir: Path, change) -> None:
    """Apply `change` to the accounts under the lock and write them back atomically."""
    with locked(data_dir):
        state = _load(data_dir)
        change(state)
        write_json(accounts_path(data_dir), state)


def _entry(state: dict, name: str) -> dict:
    entry = next((u for u in state["users"] if u["name"] == name), None)
    if entry is None:
        raise AccountError(f"没有这个账号: {name}")
    return entry


def add_user(data_dir: Path, name: str, role: str, scope: str | None, password: str) -> Account:
    """Add a local account (role and scope already checked against the snapshot by `permissions.check_scope`)."""
    if not NAME.fullmatch(name):
        raise AccountError(f"用户名无效: {name!r}（1–64 个字符，不含空格，不以 = + - @ 开头）")
    if role not in ROLES:
        raise AccountError(f"未知角色: {role}")
    check_password(password)
    account = Account(name, role, scope, HASHER.hash(password),
                      created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))

    def add(state: dict) -> None:
        if any(u["name"].casefold() == name.casefold() for u in state["users"]):
            raise AccountError(f"账号已存在: {name}")
        state["users"].append(asdict(account))

    _change(data_dir, add)
    return account


def set_password(data_dir: Path, name: str, password: str) -> None:
    """Give an account a new password (and lift a lock-out on its name)."""
    check_password(password)
    hashed = HASHER.hash(password)
    _change(data_dir, lambda state: _entry(state, name).update(password_hash=hashed))
    lockout.clear(data_dir, name)


def disable_user(data_dir: Path, name: str) -> None:
    """Disable an account: it can no longer sign in, and a session signed in with it ends at its next run."""
    _change(data_dir, lambda state: _entry(state, name).update(disabled=True))


def set_role(data_dir: Path, name: str, role: str, scope: str | None) -> None:
    """Give an account another role and scope (checked by `permissions.check_scope`): a session signed in with it
    gets them at its next run, and a change it had started is refused."""
    if role not in ROLES:
        raise AccountError(f"未知角色: {role}")
    _change(data_dir, lambda state: _entry(state, name).update(role=role, scope=scope))


def map_identity(data_dir: Path, claim: str, value: str, role: str, scope: str | None) -> Identity:
    """Map a sign-on claim value (replacing an earlier mapping of the same claim and value) to a role and scope."""
    if not claim.strip() or not value.strip():
        raise AccountError("声明名称和值不能为空")
    identity = Identity(claim.strip(), value.strip(), role, scope)

    def put(state: dict) -> None:
        state["oidc"] = [m for m in state["oidc"] if (m["claim"], m["value"]) != (identity.claim, identity.value)]
        state["oidc"].append(asdict(identity))

    _change(data_dir, put)
    return identity


def unmap_identity(data_dir: Path, claim: str, value: str) -> None:
    """Remove the mapping of a sign-on claim value."""
    def drop(state: dict) -> None:
        kept = [m for m in state["oidc"] if (m["claim"], m["value"]) != (claim, value)]
        if len(kept) == len(state["oidc"]):
            raise AccountError(f"没有这个单点登录映射: {claim}={value}")
        state["oidc"] = kept

    _change(data_dir, drop)


def identity_name(claims: dict) -> str:
    """The name a sign-on identity goes by: its email, else its subject ("" without a subject)."""
    if not claims.get("sub"):
        return ""
    email = claims.get("email")
    return email if isinstance(email, str) and email else str(claims["sub"])


def identity_user(data_dir: Path, claims: dict) -> User | None:
    """The user a sign-on identity's claims map to, or None (unknown, or several group mappings that disagree).

    A mapping of a single-valued claim (an email) wins over group mappings; a list claim (groups) matches when the
    value is one of its items. The user's name is `identity_name`.
    """
    name = identity_name(claims)
    if not name:
        return None
    direct, grouped = [], set()
    for m in list_identities(data_dir):
        held = claims.get(m.claim)
        if isinstance(held, list) and m.value in map(str, held):
            grouped.add((m.role, m.scope))
        elif held is not None and not isinstance(held, list) and str(held) == m.value:
            direct.append((m.role, m.scope))
    found = direct[:1] or (list(grouped) if len(grouped) == 1 else [])
    return User(name, *found[0], via="oidc") if found else None


def _password_matches(account: Account | None, password: str) -> bool:
    """Whether `password` is the account's; an unknown name is checked against a dummy hash, so it takes as long."""
    try:
        HASHER.verify(account.password_hash if account else _unknown_hash(), password)
    except (VerificationError, InvalidHashError):
        return False
    return account is not None


def verify_password(data_dir: Path, name: str, password: str, *, now: dt.datetime | None = None,
                    client: str | None = None) -> Verdict:
    """Check a name and password under the name's cross-process lock: a locked name is refused without checking; a
    failure is counted (5 in 10 minutes lock the name for 10 minutes), so however many sessions guess at once, at most
    5 wrong passwords are checked against the hash before the lock holds.

    Whoever signs in learns only "ok", "wrong" or "locked": an unknown name, a wrong password and a disabled account
    (even with its right password, which counts as a failure too) are all "wrong"; the audit log has the real reason.
    """
    with lockout.signing_in(data_dir, name):
        now = now or lockout.utc_now()   # read after waiting for the lock, so an attempt is dated when it is checked
        until = lockout.locked_until(data_dir, name, now)
        if until is not None:
            audit.record(data_dir, name, "sign_in_locked", client=client, until=until.isoformat(timespec="seconds"))
            return Verdict("locked", locked_until=until)
        account = find_user(data_dir, name)
        matches = _password_matches(account, password)
        if matches and not account.disabled:
            lockout.reset_failures(data_dir, name, now)
            audit.record(data_dir, name, "sign_in", client=client)
            return Verdict("ok", account.user(), account=account)
        until = lockout.record_failure(data_dir, name, now)
        reason = REFUSAL_UNKNOWN if account is None else REFUSAL_DISABLED if matches else REFUSAL_WRONG
        audit.record(data_dir, name, "sign_in_failed", client=client, reason=reason)
        if until is not None:
            audit.record(data_dir, name, "sign_in_locked", client=client, until=until.isoformat(timespec="seconds"))
            return Verdict("locked", locked_until=until)
        return Verdict("wrong")
