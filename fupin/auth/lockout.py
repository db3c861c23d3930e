"""Lock-out: 5 failed sign-ins of a name within 10 minutes lock that name for 10 minutes.

The state lives in `data/signin_lockout.json` (name -> recent failure times and the lock's end, UTC ISO), rewritten
atomically under the data folder's lock, so it survives restarts and every process of the app shares it. A sign-in
holds its name's lock (`signing_in`) from reading the lock to recording the outcome, so concurrent guesses at one name
are checked one after another and none slips past a lock set meanwhile.
"""

import datetime as dt
import hashlib
from pathlib import Path

from .files import locked, read_json, write_json

FILE_NAME = "signin_lockout.json"
MAX_FAILURES = 5
WINDOW = dt.timedelta(minutes=10)
LOCK_FOR = dt.timedelta(minutes=10)
NAME_LOCKS = 256   # lock files `.signin-00.lock` … `.signin-ff.lock`: a bounded set, whatever names are tried


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _path(data_dir: Path) -> Path:
    return Path(data_dir) / FILE_NAME


def _time(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def _pruned(state: dict, now: dt.datetime) -> dict:
    """The state without failures older than the window and locks that have ended."""
    kept = {}
    for name, entry in state.items():
        failures = [t for t in entry.get("failures", []) if now - _time(t) < WINDOW]
        until = entry.get("locked_until")
        until = until if until and _time(until) > now else None
        if failures or until:
            kept[name] = {"failures": failures, "locked_until": until}
    return kept


def locked_until(data_dir: Path, name: str, now: dt.datetime | None = None) -> dt.datetime | None:
    """When the lock on `name` ends, or None when it is not locked."""
    now = now or utc_now()
    entry = _pruned(read_json(_path(data_dir), {}), now).get(name, {})
    return _time(entry.get("locked_until"))


def record_failure(data_dir: Path, name: str, now: dt.datetime | None = None) -> dt.datetime | None:
    """Count a failed sign-in of `name`; returns the end of the lock when this failure locks it, else None."""
    now = now or utc_now()
    with locked(data_dir):
        state = _pruned(read_json(_path(data_dir), {}), now)
        entry = state.setdefault(name, {"failures": [], "locked_until": None})
        entry["failures"].append(now.isoformat())
        until = None
        if len(entry["failures"]) >= MAX_FAILURES:
            until = now + LOCK_FOR
            state[name] = {"failures": [], "locked_until": until.isoformat()}
        write_json(_path(data_dir), state)
    return until


def signing_in(data_dir: Path, name: str):
    """The cross-process lock a sign-in of `name` holds while it checks the lock, the password and records the outcome.

    Names share one of `NAME_LOCKS` files by their hash, so guessing at one name rarely waits for another's hashing,
    and unknown names tried by the thousand cannot fill the data folder with lock files.
    """
    bucket = int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:4], "big") % NAME_LOCKS
    return locked(data_dir, f".signin-{bucket:02x}.lock")


def reset_failures(data_dir: Path, name: str, now: dt.datetime | None = None) -> None:
    """Forget the failures of `name` after a successful sign-in; a lock in force stays until it ends."""
    now = now or utc_now()
    with locked(data_dir):
        state = _pruned(read_json(_path(data_dir), {}), now)
        if name in state and not state[name]["locked_until"]:
            del state[name]
            write_json(_path(data_dir), state)


def clear(data_dir: Path, name: str) -> None:
    """Forget the failures and lift the lock of `name` (a new password set by an admin)."""
    with locked(data_dir):
        state = read_json(_path(data_dir), {})
        if name in state:
            del state[name]
            write_json(_path(data_dir), state)
