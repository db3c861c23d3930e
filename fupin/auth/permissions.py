"""What each role may do and see: one table of actions per role, the signed-in User, and the counties and township
a user's scope allows in a snapshot."""

import re
from dataclasses import dataclass

from ..query.scope import Scope
from ..query.scoped import Allowed

ROLES = ("leader", "township", "clerk", "admin")
ROLE_LABELS = {"leader": ("领导", "Leader"), "township": ("乡镇", "Township staff"),
               "clerk": ("数据管理员", "Data clerk"), "admin": ("管理员", "Administrator")}

ACTIONS = ("view", "download", "briefing", "import", "replace", "import_history", "switch_current",
           "upload_boundaries", "audit", "subscriptions", "push_test", "manage_accounts")
READ = {"view", "download", "briefing"}
CLERK = READ | {"import", "replace", "import_history", "switch_current", "upload_boundaries", "audit", "subscriptions",
               "push_test"}
PERMISSIONS: dict[str, frozenset[str]] = {
    "leader": frozenset(READ),
    "township": frozenset(READ | {"import"}),   # only ledgers whose rows are all in its township
    "clerk": frozenset(CLERK),
    "admin": frozenset(ACTIONS),
}
# Actions that change what everyone sees, or reach people outside (a test push to a group chat): in demo mode only a
# browser on the server's own machine may do them.
CHANGES_DATA = frozenset({"import", "replace", "switch_current", "upload_boundaries", "push_test"})
# Township staff import ledgers of these tables only: their rows carry a township (targets are the county's plan).
TOWNSHIP_TABLES = ("purchases", "inspections", "cooperatives", "offers")
TOWNSHIP_CODE = re.compile(r"[0-9]{9}")
# The changes the audit log records (its action names) and the action each needs; imports need `may_import`.
CHANGE_NEEDS = {"import": "import", "replace": "replace", "switch_current": "switch_current",
                "boundary_upload": "upload_boundaries", "boundary_restore": "upload_boundaries",
                "boundary_remove": "upload_boundaries", "push_test": "push_test"}


@dataclass(frozen=True)
class User:
    """Who is using the app: name, role, scope code (None: everything), how they signed in; a demo user stands for
    anyone when sign-in is off, and `local` says whether their browser runs on the server's machine."""

    name: str
    role: str
    scope: str | None
    via: str = "password"          # "password", "oidc" or "demo"
    local: bool = False

    @property
    def demo(self) -> bool:
        return self.via == "demo"

    def may(self, action: str) -> bool:
        """Whether this user may do `action` (one of ACTIONS)."""
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        if self.demo:
            return action != "manage_accounts" and (action not in CHANGES_DATA or self.local)
        return action in PERMISSIONS[self.role]

    def may_import(self, table: str, mode: str = "append") -> bool:
        """Whether this user may import a ledger of `table` in `mode` ("append" or "replace")."""
        if not self.may("replace" if mode == "replace" else "import"):
            return False
        return self.role != "township" or self.demo or table in TOWNSHIP_TABLES

    def may_change(self, change: str, table: str | None = None) -> bool:
        """Whether this user may make `change` (a key of CHANGE_NEEDS; an import or replace names its table)."""
        if change in ("import", "replace"):
            return table is not None and self.may_import(table, "replace" if change == "replace" else "append")
        return self.may(CHANGE_NEEDS[change])

    def role_label(self, lang: str = "zh") -> str:
        zh, en = ROLE_LABELS[self.role]
        return zh if lang == "zh" else en


def demo_user(local: bool) -> User:
    """The user of an app without accounts (演示模式): sees everything; changes data only from the server's machine."""
    return User("演示", "admin", None, via="demo", local=local)


def allowed(user: User, scopes: list[Scope]) -> Allowed:
    """The counties (and township) a user's scope allows, given the snapshot's scopes (`fupin.query.scope.scopes(db)`).

    An admin or a demo user: every county. Township staff: their township and its county. Others: the counties of
    the scope their code names; a code the snapshot lacks allows nothing.
    """
    counties = sorted({c for s in scopes for c in s.counties})
    if user.demo or user.role == "admin":
        return Allowed(tuple(counties))
    if user.role == "township":
        code = user.scope or ""
        return Allowed((code[:6],), code) if code[:6] in counties and TOWNSHIP_CODE.fullmatch(code) else Allowed(())
    match = next((s for s in scopes if s.code == user.scope), None)
    return Allowed(match.counties if match else ())


def visible_scopes(user: User, scopes: list[Scope]) -> list[Scope]:
    """The snapshot's scopes a user may choose in the sidebar, in the snapshot's order."""
    rights = allowed(user, scopes)
    return [s for s in scopes if rights.covers(s)]


def check_scope(role: str, code: str | None, scopes: list[Scope], townships: set[str]) -> str | None:
    """The scope code an account of `role` gets (None for an admin without one); ValueError in one Chinese sentence
    when the code is missing or unknown to the snapshot (`scopes`, and its township codes for township staff)."""
    if role not in ROLES:
        raise ValueError(f"未知角色: {role}（可用：{'、'.join(ROLES)}）")
    code = (code or "").strip() or None
    if role == "admin":
        if code is not None:
            raise ValueError("管理员可以看到全部数据，不设范围（去掉 --scope）")
        return None
    if code is None:
        what = "乡镇的9位代码" if role == "township" else "县（区）、市或组代码"
        raise ValueError(f"角色 {role} 须用 --scope 指定范围：{what}")
    if role == "township":
        if not TOWNSHIP_CODE.fullmatch(code) or code not in townships:
            raise ValueError(f"乡镇账号的范围须是当前快照中的乡镇9位代码: {code}")
        return code
    if code not in {s.code for s in scopes}:
        known = "、".join(s.code for s in scopes)
        raise ValueError(f"未知的范围: {code}（可用：{known}）")
    return code
