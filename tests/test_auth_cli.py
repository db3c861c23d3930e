"""`python -m fupin users ...` and `import --as`: exit statuses 0 / 1 refused / 2 usage / 3 unreadable file, one
line per error, no hash in any output, and an audit entry naming `--as` (default the OS user) for every change."""

import getpass

import pytest
from conftest import copy_store, run_cli
from ledger_samples import csv_file, purchase

from fupin.auth import accounts, audit
from fupin.store.store import SnapshotStore

PASSWORD = "county-office-1"


@pytest.fixture
def store(tmp_path, tiny_store) -> SnapshotStore:
    return copy_store(tiny_store, tmp_path / "data")


def one_line_error(result, status: int, message: str) -> None:
    assert result.returncode == status, result.stdout + result.stderr
    assert result.stderr.strip().splitlines() == [result.stderr.strip()] and message in result.stderr
    assert "Traceback" not in result.stderr


def test_the_first_account_needs_no_snapshot_and_is_audited(tmp_path):
    result = run_cli("users", "add", "boss", "--role", "admin", "--password-stdin", "--as", "ops", data=tmp_path,
                   input=PASSWORD + "\n")
    assert result.returncode == 0 and "已新增账号 boss（管理员，范围 全部）" in result.stdout
    assert accounts.sign_in_enabled(tmp_path)
    assert accounts.verify_password(tmp_path, "boss", PASSWORD).status == "ok"
    entry = audit.entries(tmp_path)[0]
    assert {k: entry[k] for k in ("who", "via", "action", "name", "role", "os_user")} == {
        "who": "ops", "via": "cli", "action": "account_add", "name": "boss", "role": "admin",
        "os_user": getpass.getuser()}


def test_accounts_are_added_listed_disabled_and_given_new_passwords(store):
    data = store.root
    assert run_cli("users", "add", "hf", "--role", "township", "--scope", "140827203", "--password-stdin",
                 data=data, input=PASSWORD + "\n").returncode == 0
    assert run_cli("users", "add", "li", "--role", "clerk", "--scope", "140827", "--password-stdin",
                 data=data, input=PASSWORD + "\n").returncode == 0
    assert run_cli("users", "disable", "hf", data=data).returncode == 0
    assert run_cli("users", "passwd", "li", "--password-stdin", data=data, input="a-new-password" + "\n").returncode == 0
    listed = run_cli("users", "list", data=data)
    assert listed.returncode == 0
    assert listed.stdout.splitlines() == ["hf\t乡镇\t140827203\t已停用", "li\t数据管理员\t140827\t正常"]
    assert "argon2" not in listed.stdout + listed.stderr
    assert accounts.verify_password(data, "li", "a-new-password").status == "ok"
    entries = audit.entries(data)
    assert [(e["action"], e["name"], e["who"]) for e in entries if e["via"] == "cli"] == [
        ("account_add", "hf", getpass.getuser()), ("account_add", "li", getpass.getuser()),
        ("account_disable", "hf", getpass.getuser()), ("account_passwd", "li", getpass.getuser())]


@pytest.mark.parametrize("args, status, message", [
    (["add", "x", "--role", "leader", "--scope", "140827", "--password-stdin"], 1, "密码太短"),
    (["add", "li", "--role", "leader", "--scope", "140827", "--password-stdin"], 1, "账号已存在: li"),
    (["passwd", "nobody", "--password-stdin"], 1, "没有这个账号: nobody"),
    (["disable", "nobody"], 1, "没有这个账号: nobody"),
    (["unmap-oidc", "who@x.cn"], 1, "没有这个单点登录映射"),
    (["role", "nobody", "--role", "leader", "--scope", "140827"], 1, "没有这个账号: nobody"),
    (["role", "li", "--role", "leader", "--scope", "999999"], 2, "未知的范围: 999999"),
    (["add", "x", "--role", "leader", "--password-stdin"], 2, "须用 --scope"),
    (["add", "x", "--role", "leader", "--scope", "999999", "--password-stdin"], 2, "未知的范围: 999999"),
    (["add", "x", "--role", "township", "--scope", "140827999", "--password-stdin"], 2, "乡镇账号的范围"),
    (["add", "x", "--role", "admin", "--scope", "140827", "--password-stdin"], 2, "不设范围"),
    (["add", "x", "--role", "chief", "--password-stdin"], 2, "invalid choice: 'chief'"),
    (["add", "--role", "leader"], 2, "required: NAME"),
])
def test_refused_and_wrong_commands_are_one_line(store, args, status, message):
    accounts.add_user(store.root, "li", "clerk", "140827", PASSWORD)
    before = accounts.accounts_path(store.root).read_bytes()
    password = "short" if "密码太短" in message else PASSWORD
    one_line_error(run_cli("users", *args, data=store.root, input=password + "\n"), status, message)
    assert accounts.accounts_path(store.root).read_bytes() == before and audit.entries(store.root) == []


@pytest.mark.parametrize("text, message", [("{broken", "不是有效的 JSON"), ('{"users": [{"name": "x"}]}', "格式不对"),
                                           ("[]", "格式不对")])
def test_an_unreadable_accounts_file_is_exit_3(tmp_path, text, message):
    accounts.accounts_path(tmp_path).write_text(text, encoding="utf-8")
    one_line_error(run_cli("users", "list", data=tmp_path), 3, message)


def test_a_change_whose_audit_entry_cannot_be_written_says_so(tmp_path):
    audit.log_path(tmp_path).mkdir(parents=True)   # the log cannot be opened for appending
    result = run_cli("users", "add", "boss", "--role", "admin", "--password-stdin", data=tmp_path, input=PASSWORD + "\n")
    one_line_error(result, 3, "更改已完成，但审计日志写入失败")
    assert [a.name for a in accounts.list_users(tmp_path)] == ["boss"]


def test_a_role_change_applies_to_the_account_and_is_audited(store):
    accounts.add_user(store.root, "li", "clerk", "140827", PASSWORD)
    changed = run_cli("users", "role", "li", "--role", "township", "--scope", "140827203", "--as", "admin",
                    data=store.root)
    assert changed.returncode == 0 and "已将账号 li 改为乡镇（范围 140827203）" in changed.stdout, changed.stderr
    account = accounts.find_user(store.root, "li")
    assert (account.role, account.scope) == ("township", "140827203")
    assert accounts.verify_password(store.root, "li", PASSWORD).status == "ok", "the password is kept"
    entry = audit.entries(store.root)[0]
    assert {k: entry[k] for k in ("who", "action", "name", "role", "scope")} == {
        "who": "admin", "action": "account_role", "name": "li", "role": "township", "scope": "140827203"}


def test_sign_on_identities_are_mapped_and_removed(store):
    data = store.root
    mapped = run_cli("users", "map-oidc", "huafeng-staff", "--claim", "groups", "--role", "township",
                   "--scope", "140827203", "--as", "admin", data=data)
    assert mapped.returncode == 0, mapped.stderr
    user = accounts.identity_user(data, {"sub": "1", "groups": ["huafeng-staff"]})
    assert (user.role, user.scope) == ("township", "140827203")
    assert "单点登录 groups=huafeng-staff\t乡镇\t140827203" in run_cli("users", "list", data=data).stdout
    assert run_cli("users", "unmap-oidc", "huafeng-staff", "--claim", "groups", "--as", "admin",
                 data=data).returncode == 0
    assert accounts.identity_user(data, {"sub": "1", "groups": ["huafeng-staff"]}) is None
    assert [(e["action"], e["who"]) for e in audit.entries(data)] == [("account_map_oidc", "admin"),
                                                                      ("account_unmap_oidc", "admin")]


def test_an_import_records_who_in_the_audit_log_and_the_manifest(store, tmp_path):
    path = tmp_path / "采购.csv"
    path.write_bytes(csv_file([purchase(date="2018-12-20")], name="采购.csv").content)
    before = store.current_id()
    result = run_cli("import", "purchases", path, "--as", "li", data=store.root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert [e["by"] for e in store.current().manifest["imports"]] == ["li"]
    entry = audit.entries(store.root)[-1]
    assert (entry["who"], entry["via"], entry["action"], entry["before"], entry["after"]) == (
        "li", "cli", "import", before, store.current_id())
    rejected = tmp_path / "坏.csv"
    rejected.write_bytes(csv_file([purchase(amount="--")], name="坏.csv").content)
    assert run_cli("import", "purchases", rejected, data=store.root).returncode == 1
    assert len(audit.entries(store.root)) == 1, "a rejected import changes nothing and is not an entry"
