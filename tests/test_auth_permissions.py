"""Permissions: the table of actions per role, imports by table and mode, the counties and township a scope allows,
the scopes a user may choose, scope checks for new accounts, and demo mode's loopback rule."""

import pytest

from fupin.auth import audit
from fupin.auth.permissions import (
    ACTIONS,
    CHANGE_NEEDS,
    CHANGES_DATA,
    User,
    allowed,
    check_scope,
    demo_user,
    visible_scopes,
)
from fupin.query.scope import Scope

# The table, written out: what each role may do (and nothing else).
EXPECTED = {
    "leader": {"view", "download", "briefing"},
    "township": {"view", "download", "briefing", "import"},
    "clerk": {"view", "download", "briefing", "import", "replace", "import_history", "switch_current",
              "upload_boundaries", "audit", "subscriptions", "push_test"},
    "admin": set(ACTIONS),
}
SCOPES = [
    Scope("group", "samr", "市场监管总局定点帮扶", ("140827", "621226", "611002")),
    Scope("city", "610900", "安康市", ("610902", "610921")),
    Scope("county", "140827", "垣曲县", ("140827",)),
    Scope("county", "621226", "礼县", ("621226",)),
    Scope("county", "611002", "商州区", ("611002",)),
    Scope("county", "610902", "汉滨区", ("610902",)),
    Scope("county", "610921", "汉阴县", ("610921",)),
]


@pytest.mark.parametrize("role", EXPECTED)
def test_each_role_may_do_exactly_its_row_of_the_table(role):
    user = User("x", role, "140827203" if role == "township" else None if role == "admin" else "140827")
    assert {action for action in ACTIONS if user.may(action)} == EXPECTED[role]


def test_an_unknown_action_is_a_bug_not_a_no():
    with pytest.raises(ValueError):
        User("x", "admin", None).may("delete_everything")


@pytest.mark.parametrize("role, table, mode, may", [
    ("township", "purchases", "append", True),
    ("township", "cooperatives", "append", True),
    ("township", "targets", "append", False),      # targets are the county's plan
    ("township", "purchases", "replace", False),   # a replace would remove other townships' rows
    ("leader", "purchases", "append", False),
    ("clerk", "targets", "replace", True),
    ("admin", "inspections", "replace", True),
])
def test_imports_by_role_table_and_mode(role, table, mode, may):
    assert User("x", role, "140827203").may_import(table, mode) is may


@pytest.mark.parametrize("role, code, counties, township", [
    ("admin", None, ("140827", "610902", "610921", "611002", "621226"), None),
    ("leader", "samr", ("140827", "621226", "611002"), None),
    ("leader", "610900", ("610902", "610921"), None),
    ("clerk", "140827", ("140827",), None),
    ("township", "140827203", ("140827",), "140827203"),
    ("leader", "999999", (), None),          # a code the snapshot lacks allows nothing
    ("township", "999999203", (), None),
    ("township", "140827", (), None),        # township staff need a township's 9 digits
])
def test_a_scope_becomes_counties_and_a_township(role, code, counties, township):
    rights = allowed(User("x", role, code), SCOPES)
    assert (rights.counties, rights.township) == (counties, township)


@pytest.mark.parametrize("role, code, codes", [
    ("leader", "samr", ["samr", "140827", "621226", "611002"]),
    ("leader", "610900", ["610900", "610902", "610921"]),
    ("clerk", "621226", ["621226"]),
    ("township", "140827203", ["140827"]),
    ("leader", "999999", []),
])
def test_the_sidebar_offers_only_scopes_within_the_users(role, code, codes):
    assert [s.code for s in visible_scopes(User("x", role, code), SCOPES)] == codes
    assert len(visible_scopes(User("x", "admin", None), SCOPES)) == len(SCOPES)


@pytest.mark.parametrize("role, code, expected", [
    ("admin", None, None), ("admin", "  ", None), ("leader", "samr", "samr"), ("clerk", " 140827 ", "140827"),
    ("township", "140827203", "140827203"),
])
def test_scopes_accepted_for_new_accounts(role, code, expected):
    assert check_scope(role, code, SCOPES, {"140827203", "140827100"}) == expected


@pytest.mark.parametrize("role, code, message", [
    ("leader", None, "须用 --scope"), ("township", None, "乡镇的9位代码"), ("leader", "999999", "未知的范围"),
    ("township", "140827999", "乡镇账号的范围"), ("township", "140827", "乡镇账号的范围"),
    ("admin", "140827", "不设范围"), ("chief", "140827", "未知角色"),
])
def test_scopes_refused_for_new_accounts(role, code, message):
    with pytest.raises(ValueError, match=message):
        check_scope(role, code, SCOPES, {"140827203"})


def test_demo_mode_changes_data_only_from_this_machine():
    here, elsewhere = demo_user(local=True), demo_user(local=False)
    changing = {"import", "replace", "switch_current", "upload_boundaries", "push_test"}
    assert {a for a in ACTIONS if here.may(a)} == set(ACTIONS) - {"manage_accounts"}
    assert {a for a in ACTIONS if elsewhere.may(a)} == set(ACTIONS) - {"manage_accounts"} - changing
    assert here.may_import("targets", "replace") and not elsewhere.may_import("purchases")
    assert allowed(elsewhere, SCOPES).counties == allowed(User("x", "admin", None), SCOPES).counties


def test_every_change_the_audit_log_records_needs_one_of_the_actions_that_change_data():
    assert set(CHANGE_NEEDS) <= set(audit.ACTIONS)
    assert set(CHANGE_NEEDS.values()) == CHANGES_DATA
    clerk, leader = User("li", "clerk", "140827"), User("wang", "leader", "140827")
    assert all(clerk.may_change(change, "purchases") for change in CHANGE_NEEDS)
    assert not any(leader.may_change(change, "purchases") for change in CHANGE_NEEDS)
    assert not clerk.may_change("import"), "an import names its table"
