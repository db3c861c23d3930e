"""Every change of data re-checks who makes it at the moment it is made: the name is read again as the account it is
now (removed? disabled? its role? its scope?), and a refusal is one sentence and an audit entry, never the change.

A page's button passes the name of who clicked, not the User of the run that drew the button: between that run and
the click the account may have been disabled or given another role. The operations (switching CURRENT, importing,
the township boundaries) call `authorize` under the lock they write under, just before they write.
"""

import logging
from dataclasses import dataclass
from pathlib import Path

from ..text.i18n import t
from . import accounts, audit
from .clients import Client, may_change_demo_data
from .permissions import User, demo_user

log = logging.getLogger(__name__)

# Changes whose reach is the user's scope (counties, a township); switching CURRENT is for everyone alike.
SCOPED = frozenset({"import", "replace", "boundary_upload", "boundary_restore", "boundary_remove", "push_test"})
# Why a change was refused, as the audit log says it.
REASONS = {"removed": "账号已删除", "disabled": "账号已停用", "role": "角色无此权限", "scope": "账号范围已更改",
           "local_only": "演示模式：不是服务器本机", "unreadable": "账号文件无法读取"}


@dataclass(frozen=True)
class Who:
    """Who clicked, as told at the click: the account's name, the scope the page was drawn for (to notice a change),
    the single sign-on claims when signed on, and the client (demo mode's rule); never their rights."""

    name: str
    scope: str | None = None
    claims: dict | None = None
    client: Client | None = None


class NotAllowed(Exception):
    """A change refused because who asked for it may not make it now; `reason` is a key of REASONS."""

    def __init__(self, reason: str):
        super().__init__(REASONS[reason])
        self.reason = reason

    def sentence(self, lang: str = "zh") -> str:
        """What the page says, in one sentence."""
        return t(f"refused_{self.reason}", lang)


def current_user(data_dir: Path, who: Who) -> User:
    """The user `who` is now: read again from the accounts file (NotAllowed when removed, disabled or unreadable);
    without accounts, the demo user, whose rights depend on the client address."""
    try:
        if not accounts.sign_in_enabled(data_dir):
            return demo_user(may_change_demo_data(who.client))
        if who.claims is not None:
            user = accounts.identity_user(data_dir, who.claims)
            if user is None or user.name != who.name:
                raise NotAllowed("removed")
            return user
        account = accounts.find_user(data_dir, who.name)
    except OSError:
        raise NotAllowed("unreadable") from None
    if account is None:
        raise NotAllowed("removed")
    if account.disabled:
        raise NotAllowed("disabled")
    return account.user()


def authorize(data_dir: Path, who: Who, change: str, *, table: str | None = None, **details) -> User:
    """The user making `change` (an audit action: import, replace, switch_current, boundary_*), read again now;
    NotAllowed, recorded in the audit log as `refused` with the change attempted and why, when they may not."""
    try:
        user = current_user(data_dir, who)
        if not user.may_change(change, table):
            raise NotAllowed("local_only" if user.demo else "role")
        if change in SCOPED and user.scope != who.scope:
            raise NotAllowed("scope")
    except NotAllowed as refused:
        facts = {"table": table, **details} if table else details
        try:
            audit.record(data_dir, who.name, "refused", attempted=change, reason=str(refused),
                         client=who.client.address if who.client else None, **facts)
        except OSError:   # the refusal stands even when it cannot be written down
            log.exception("could not record a refused %s of %s", change, who.name)
        raise
    return user
