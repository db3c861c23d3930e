"""`python -m fupin users ...`: add, list, disable, role, passwd, map-oidc, unmap-oidc; every change goes to the audit log
with `--as NAME` (default the OS user) as who did it."""

import getpass
import sys
from pathlib import Path

from ..auth import accounts
from ..auth.accounts import AccountError
from ..auth.permissions import ROLE_LABELS, ROLES, check_scope
from .common import command_group, record
from .errors import Rejected, UsageError, rejecting


def _read_password(from_stdin: bool) -> str:
    """The new password: one line of standard input, or typed twice without echo."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("新密码: ")
    accounts.check_password(first)
    if getpass.getpass("再输入一次: ") != first:
        raise Rejected("两次输入的密码不一致")
    return first


def _snapshot_places(data: Path, role: str) -> tuple[list, set[str]]:
    """The current snapshot's scopes and township codes (any year), to check an account's scope against."""
    from ..query import choices, scope
    from ..query.db import SnapshotDB
    from ..store.store import SnapshotStore

    if role == "admin":
        return [], set()
    db = SnapshotDB(SnapshotStore(data).serve(fall_back=False).snapshot)
    try:
        scopes = scope.scopes(db)
        townships = set()
        if role == "township":
            for county in scope.county_names(db):
                for year in choices.years(db, (county,)):
                    townships |= set(choices.township_names(db, year, (county,)))
        return scopes, townships
    finally:
        db.close()


def _checked_scope(args) -> str | None:
    scopes, townships = _snapshot_places(args.data, args.role)
    try:
        return check_scope(args.role, args.scope, scopes, townships)
    except ValueError as e:
        raise UsageError(str(e)) from None


@rejecting(AccountError)
def cmd_add(args) -> int:
    code = _checked_scope(args)
    if accounts.find_user(args.data, args.name) is not None:
        raise AccountError(f"账号已存在: {args.name}")
    accounts.add_user(args.data, args.name, args.role, code, _read_password(args.password_stdin))
    record(args, "account_add", name=args.name, role=args.role, scope=code)
    print(f"已新增账号 {args.name}（{ROLE_LABELS[args.role][0]}，范围 {code or '全部'}）")
    return 0


def cmd_list(args) -> int:
    users = accounts.list_users(args.data)
    identities = accounts.list_identities(args.data)
    if not users and not identities:
        print("还没有账号：登录未启用（演示模式）。新增第一个账号：python -m fupin users add NAME --role admin")
    for a in users:
        state = "已停用" if a.disabled else "正常"
        print(f"{a.name}\t{ROLE_LABELS[a.role][0]}\t{a.scope or '全部'}\t{state}")
    for m in identities:
        print(f"单点登录 {m.claim}={m.value}\t{ROLE_LABELS[m.role][0]}\t{m.scope or '全部'}")
    return 0


@rejecting(AccountError)
def cmd_disable(args) -> int:
    accounts.disable_user(args.data, args.name)
    record(args, "account_disable", name=args.name)
    print(f"已停用账号 {args.name}")
    return 0


@rejecting(AccountError)
def cmd_role(args) -> int:
    code = _checked_scope(args)
    accounts.set_role(args.data, args.name, args.role, code)
    record(args, "account_role", name=args.name, role=args.role, scope=code)
    print(f"已将账号 {args.name} 改为{ROLE_LABELS[args.role][0]}（范围 {code or '全部'}）")
    return 0


@rejecting(AccountError)
def cmd_passwd(args) -> int:
    if accounts.find_user(args.data, args.name) is None:
        raise AccountError(f"没有这个账号: {args.name}")
    accounts.set_password(args.data, args.name, _read_password(args.password_stdin))
    record(args, "account_passwd", name=args.name)
    print(f"已修改账号 {args.name} 的密码")
    return 0


@rejecting(AccountError)
def cmd_map_oidc(args) -> int:
    code = _checked_scope(args)
    accounts.map_identity(args.data, args.claim, args.value, args.role, code)
    record(args, "account_map_oidc", claim=args.claim, value=args.value, role=args.role, scope=code)
    print(f"单点登录 {args.claim}={args.value} → {ROLE_LABELS[args.role][0]}，范围 {code or '全部'}")
    return 0


@rejecting(AccountError)
def cmd_unmap_oidc(args) -> int:
    accounts.unmap_identity(args.data, args.claim, args.value)
    record(args, "account_unmap_oidc", claim=args.claim, value=args.value)
    print(f"已删除单点登录映射 {args.claim}={args.value}")
    return 0


def add_parser(sub) -> None:
    """Register `users` and its sub-commands on the CLI's sub-parsers."""
    action = command_group(sub, "users", "账号：新增、列出、停用、改角色、改密码、单点登录映射（首个账号即启用登录）")

    def role_and_scope(parser) -> None:
        parser.add_argument("--role", required=True, choices=ROLES,
                            help="leader 领导、township 乡镇、clerk 数据管理员、admin 管理员")
        parser.add_argument("--scope", help="范围：县（区）代码（如 140827）、市代码、组代码（如 samr），"
                                            "乡镇账号为9位乡镇代码；管理员不设")

    add = action("add", "新增账号", cmd_add)
    add.add_argument("name", metavar="NAME")
    role_and_scope(add)
    add.add_argument("--password-stdin", action="store_true", help="从标准输入读一行作为密码（默认提示输入两次）")
    action("list", "列出账号和单点登录映射（不显示密码散列）", cmd_list)
    action("disable", "停用账号", cmd_disable).add_argument("name", metavar="NAME")
    role = action("role", "改角色和范围（已登录的会话下次操作时生效，进行中的更改被拒绝）", cmd_role)
    role.add_argument("name", metavar="NAME")
    role_and_scope(role)
    passwd = action("passwd", "修改密码", cmd_passwd)
    passwd.add_argument("name", metavar="NAME")
    passwd.add_argument("--password-stdin", action="store_true", help="从标准输入读一行作为密码")
    mapping = action("map-oidc", "把单点登录身份（声明值，如邮箱或组）映射到角色和范围", cmd_map_oidc)
    mapping.add_argument("value", metavar="CLAIM_VALUE")
    mapping.add_argument("--claim", default="email", help="声明名称（默认 email；组声明如 groups）")
    role_and_scope(mapping)
    unmap = action("unmap-oidc", "删除单点登录映射", cmd_unmap_oidc)
    unmap.add_argument("value", metavar="CLAIM_VALUE")
    unmap.add_argument("--claim", default="email", help="声明名称（默认 email）")
