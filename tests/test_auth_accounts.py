"""Accounts: argon2 hashes and never a password in the file, mode 600, wrong passwords, lock-out on an injected
clock, disabled accounts refused as wrong passwords are, sign-on identities, and sign_in_enabled."""

import datetime as dt
import json
import stat

import pytest

from fupin.auth import accounts, audit, lockout
from fupin.auth.accounts import AccountError

PASSWORD = "walnut-2018!"
T0 = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)


def minutes(n: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=n)


@pytest.fixture
def data(tmp_path):
    accounts.add_user(tmp_path, "li", "clerk", "140827", PASSWORD)
    return tmp_path


def test_the_file_holds_argon2_hashes_never_the_password(data):
    accounts.add_user(data, "wang", "leader", "samr", "another-password")
    raw = accounts.accounts_path(data).read_text(encoding="utf-8")
    assert PASSWORD not in raw and "another-password" not in raw
    stored = json.loads(raw)["users"]
    assert [u["password_hash"][:10] for u in stored] == ["$argon2id$"] * 2
    assert stored[0]["password_hash"] != stored[1]["password_hash"]
    assert stat.S_IMODE(accounts.accounts_path(data).stat().st_mode) == 0o600


def test_the_right_password_signs_in_with_role_and_scope(data):
    verdict = accounts.verify_password(data, "li", PASSWORD, now=T0)
    assert verdict.status == "ok"
    assert (verdict.user.name, verdict.user.role, verdict.user.scope) == ("li", "clerk", "140827")


@pytest.mark.parametrize("name, password, reason", [("li", "walnut-2019!", "密码错误"), ("li", "", "密码错误"),
                                                    ("nobody", PASSWORD, "用户名不存在"), ("LI", PASSWORD, "用户名不存在")])
def test_a_wrong_name_or_password_is_refused_alike_and_audited_with_the_real_reason(data, name, password, reason):
    verdict = accounts.verify_password(data, name, password, now=T0)
    assert verdict == accounts.Verdict("wrong")
    assert audit.entries(data)[-1] | {"time": None} == {"time": None, "who": name, "via": "web",
                                                        "action": "sign_in_failed", "client": None,
                                                        "reason": reason}


def test_five_failures_in_ten_minutes_lock_the_name_for_ten_minutes(data):
    for n in range(4):
        assert accounts.verify_password(data, "li", "bad", now=minutes(2 * n)).status == "wrong"
    fifth = accounts.verify_password(data, "li", "bad", now=minutes(9))
    assert (fifth.status, fifth.locked_until) == ("locked", minutes(19))
    assert accounts.verify_password(data, "li", PASSWORD, now=minutes(18.9)).status == "locked"
    assert accounts.verify_password(data, "li", PASSWORD, now=minutes(19)).status == "ok"
    actions = [e["action"] for e in audit.entries(data)]
    assert actions == ["sign_in_failed"] * 5 + ["sign_in_locked", "sign_in_locked", "sign_in"]


def test_failures_spread_over_more_than_ten_minutes_do_not_lock(data):
    for n in range(8):   # one every three minutes: never five within ten
        assert accounts.verify_password(data, "li", "bad", now=minutes(3 * n)).status == "wrong"
    assert accounts.verify_password(data, "li", PASSWORD, now=minutes(24)).status == "ok"


def test_a_success_resets_the_count_but_never_a_lock_in_force(data):
    for n in range(5):
        accounts.verify_password(data, "li", "bad", now=minutes(n))
    lockout.reset_failures(data, "li", minutes(5))   # what a sign-in does after its password matched
    assert lockout.locked_until(data, "li", minutes(5)) == minutes(14)
    lockout.reset_failures(data, "li", minutes(14))   # the lock has ended: nothing left to forget
    assert accounts.verify_password(data, "li", "bad", now=minutes(14)).status == "wrong"


def test_a_sign_in_clears_earlier_failures(data):
    for n in range(4):
        accounts.verify_password(data, "li", "bad", now=minutes(n))
    assert accounts.verify_password(data, "li", PASSWORD, now=minutes(4)).status == "ok"
    assert accounts.verify_password(data, "li", "bad", now=minutes(5)).status == "wrong"


def test_the_lock_survives_a_restart_and_is_per_name(data):
    accounts.add_user(data, "zhao", "leader", "140827", PASSWORD)
    for n in range(5):
        accounts.verify_password(data, "li", "bad", now=minutes(n))
    state = json.loads((data / lockout.FILE_NAME).read_text(encoding="utf-8"))
    assert state["li"]["locked_until"] == minutes(14).isoformat()
    assert stat.S_IMODE((data / lockout.FILE_NAME).stat().st_mode) == 0o600
    assert lockout.locked_until(data, "li", minutes(5)) == minutes(14)   # read back from the file alone
    assert accounts.verify_password(data, "zhao", PASSWORD, now=minutes(5)).status == "ok"


def test_a_new_password_replaces_the_old_and_lifts_the_lock(data):
    for n in range(5):
        accounts.verify_password(data, "li", "bad", now=minutes(n))
    accounts.set_password(data, "li", "a-new-password")
    assert accounts.verify_password(data, "li", PASSWORD, now=minutes(6)).status == "wrong"
    assert accounts.verify_password(data, "li", "a-new-password", now=minutes(6)).status == "ok"


def test_a_disabled_account_is_refused_as_a_wrong_password_is_and_its_right_password_counts_as_a_failure(data):
    accounts.disable_user(data, "li")
    assert accounts.verify_password(data, "li", PASSWORD, now=T0) == accounts.Verdict("wrong")
    assert accounts.verify_password(data, "li", "bad", now=T0) == accounts.Verdict("wrong")
    assert [a.disabled for a in accounts.list_users(data)] == [True]
    assert [e["reason"] for e in audit.entries(data)] == ["账号已停用", "密码错误"]
    for n in range(1, 4):   # so the lock-out cannot tell a right guess either: 5 tries of any password lock it
        accounts.verify_password(data, "li", PASSWORD, now=minutes(n))
    assert accounts.verify_password(data, "li", PASSWORD, now=minutes(4)).status == "locked"


@pytest.mark.parametrize("change, message", [
    (lambda d: accounts.add_user(d, "li", "leader", "140827", PASSWORD), "账号已存在"),
    (lambda d: accounts.add_user(d, "Li", "leader", "140827", PASSWORD), "账号已存在"),
    (lambda d: accounts.add_user(d, "new", "leader", "140827", "short"), "密码太短"),
    (lambda d: accounts.add_user(d, "two words", "leader", "140827", PASSWORD), "用户名无效"),
    (lambda d: accounts.add_user(d, "=cmd", "leader", "140827", PASSWORD), "用户名无效"),
    (lambda d: accounts.add_user(d, "new", "boss", "140827", PASSWORD), "未知角色"),
    (lambda d: accounts.set_password(d, "nobody", PASSWORD), "没有这个账号"),
    (lambda d: accounts.set_password(d, "li", "1234567"), "密码太短"),
    (lambda d: accounts.disable_user(d, "nobody"), "没有这个账号"),
])
def test_refused_changes_leave_the_file_as_it_was(data, change, message):
    before = accounts.accounts_path(data).read_bytes()
    with pytest.raises(AccountError, match=message):
        change(data)
    assert accounts.accounts_path(data).read_bytes() == before


def test_sign_in_is_enabled_by_the_first_account_or_identity(tmp_path):
    assert not accounts.sign_in_enabled(tmp_path)
    accounts.map_identity(tmp_path, "groups", "county-office", "leader", "140827")
    assert accounts.sign_in_enabled(tmp_path)
    accounts.accounts_path(tmp_path).write_text('{"users": [], "oidc": []}', encoding="utf-8")
    assert not accounts.sign_in_enabled(tmp_path)
    accounts.accounts_path(tmp_path).write_text("{not json", encoding="utf-8")
    assert accounts.sign_in_enabled(tmp_path), "a damaged accounts file must never open the app to everyone"
    with pytest.raises(OSError, match="不是有效的 JSON"):
        accounts.verify_password(tmp_path, "li", PASSWORD)


@pytest.mark.parametrize("claims, expected", [
    ({"sub": "1", "email": "hf@x.cn", "groups": ["huafeng"]}, ("hf@x.cn", "township", "140827203")),
    ({"sub": "2", "email": "boss@x.cn", "groups": ["huafeng"]}, ("boss@x.cn", "leader", "140827")),   # email wins
    ({"sub": "3", "groups": ["county", "other"]}, ("3", "clerk", "140827")),
    ({"sub": "4", "groups": ["huafeng", "county"]}, None),   # two group mappings disagree: no access
    ({"sub": "5", "email": "who@x.cn", "groups": []}, None),
    ({"email": "hf@x.cn", "groups": ["huafeng"]}, None),     # no subject: not an identity
])
def test_sign_on_claims_map_to_a_role_and_scope(tmp_path, claims, expected):
    accounts.map_identity(tmp_path, "groups", "huafeng", "township", "140827203")
    accounts.map_identity(tmp_path, "groups", "county", "clerk", "140827")
    accounts.map_identity(tmp_path, "email", "boss@x.cn", "leader", "samr")
    accounts.map_identity(tmp_path, "email", "boss@x.cn", "leader", "140827")   # replaces the mapping above
    user = accounts.identity_user(tmp_path, claims)
    assert (user.name, user.role, user.scope) == expected if expected else user is None
    assert user is None or user.via == "oidc"
    assert len(accounts.list_identities(tmp_path)) == 3
