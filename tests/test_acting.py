"""Every change re-checks who makes it at the moment it is made (issue 27): a click of someone disabled, or made a
leader, after the page was drawn changes nothing, says one sentence and is recorded as refused, not as the change;
the operations run the check under the lock they write under (fupin.auth.acting)."""

import fcntl
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import copy_store, settled, sign_in
from ledger_samples import csv_file, purchase
from streamlit.testing.v1 import AppTest

from fupin.auth import accounts, audit
from fupin.auth.acting import NotAllowed, Who, authorize
from fupin.auth.clients import Client
from fupin.ledger.history import switch_current
from fupin.ledger.importer import import_ledgers
from fupin.report import geo
from fupin.settings import PROJECT_ROOT
from fupin.store.snapshot import StoreBusy
from fupin.store.store import SnapshotStore
from fupin.text.i18n import t

APP = str(PROJECT_ROOT / "tests" / "app_entry.py")
NAME = "li"
COUNTY = "140827"
PASSWORD = "secret-pass-1"


@pytest.fixture
def store(tmp_path, tiny_store, monkeypatch) -> SnapshotStore:
    store = copy_store(tiny_store, tmp_path)
    monkeypatch.setenv("FUPIN_DATA", str(tmp_path))
    return store


def boundary_file(*codes_and_corners) -> bytes:
    """A GeoJSON of square townships inside 垣曲县: (code, x0, y0) each."""
    def square(code, x0, y0, size=0.05):
        ring = [[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]
        return {"type": "Feature", "properties": {"code": code},
                "geometry": {"type": "Polygon", "coordinates": [ring]}}
    return json.dumps({"type": "FeatureCollection",
                       "features": [square(*corner) for corner in codes_and_corners]}).encode()


FIRST = boundary_file(("140827100", 111.65, 35.25))
SECOND = boundary_file(("140827203", 111.6, 35.1))


def save_boundaries(store: SnapshotStore, raw: bytes, name: str) -> None:
    geo.save_custom(store.root, COUNTY, geo.parse_upload(raw, {"140827100", "140827203"}, COUNTY).shapes, name)


def state(store: SnapshotStore) -> tuple:
    """What a change would change: CURRENT, the snapshots, and every boundary file with its bytes."""
    files = {str(p.relative_to(store.root)): p.read_bytes()
             for pattern in ("townships_custom_*.geojson", f"{geo.VERSIONS_DIR}/**/*.*") for p in store.root.glob(pattern)
             if p.is_file() and p.name != geo.LOCK_NAME}
    return store.current_id(), [s.id for s in store.list()], files


def opened(store: SnapshotStore, role: str, page: str | None, **params) -> AppTest:
    """The app as `NAME` of `role` sees it (the overview, or `page`), opened on a link of `params`."""
    at = AppTest.from_file(APP, default_timeout=60)
    sign_in(at, store.root, role, None if role == "admin" else COUNTY, name=NAME)
    for key, value in params.items():
        at.query_params[key] = value
    settled(at.run())
    if page:
        at.switch_page(f"../pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


# Each acting button: the role that draws it, how the page is brought to the click, and the click.
def ready_to_switch(store, role, **params):
    import_ledgers(store, "purchases", [csv_file([purchase()])])   # an older snapshot to go back to
    at = opened(store, role, "import", **params)
    at.selectbox(key="import_snapshot").select_index(1).run()
    return at, "import_set_current"


def checked_import(at: AppTest, mode: str = "append") -> AppTest:
    at.radio(key="import_mode").set_value(mode).run()
    sent = csv_file([purchase(), purchase(date="2018-12-21")])
    at.file_uploader(key="import_uploads").set_value([(sent.name, sent.content, "text/csv")]).run()
    at.button(key="import_preview").click().run()
    assert any("预检通过" in s.value for s in at.success)
    return at


def ready_to_import(store, role):
    return checked_import(opened(store, role, "import")), "import_confirm"


def ready_to_replace(store, role):
    at = checked_import(opened(store, role, "import"), "replace")
    at.text_input(key="import_replace_count").input("400").run()
    return at, "import_confirm"


def ready_to_upload(store, role):
    at = opened(store, role, None)
    at.file_uploader(key="boundaries_file").set_value(("mine.geojson", FIRST, "application/geo+json")).run()
    return at, "boundaries_apply"


def ready_to_remove(store, role):
    save_boundaries(store, FIRST, "mine.geojson")
    return opened(store, role, None), "boundaries_reset"


def ready_to_restore(store, role):
    save_boundaries(store, FIRST, "first.geojson")
    save_boundaries(store, SECOND, "second.geojson")
    at = opened(store, role, None)
    versions = at.selectbox(key="boundaries_version")
    at = versions.select_index(next(i for i, label in enumerate(versions.options) if "first" in label)).run()
    return at, "boundaries_restore"


ACTING = [   # change (as the audit log names it), role that clicks, how to get to the click
    ("switch_current", "clerk", ready_to_switch),
    ("import", "clerk", ready_to_import),
    ("replace", "admin", ready_to_replace),
    ("boundary_upload", "clerk", ready_to_upload),
    ("boundary_remove", "admin", ready_to_remove),
    ("boundary_restore", "clerk", ready_to_restore),
]
MEANWHILE = {   # what happens to the account between the page being drawn and the click, and what is said
    "disabled": lambda data: accounts.disable_user(data, NAME),
    "role": lambda data: accounts.set_role(data, NAME, "leader", COUNTY),
}


@pytest.mark.parametrize("reason", MEANWHILE)
@pytest.mark.parametrize("change, role, ready", ACTING, ids=[case[0] for case in ACTING])
def test_a_click_after_the_account_changed_changes_nothing(store, change, role, ready, reason):
    at, button = ready(store, role)
    assert not at.button(key=button).disabled
    before = state(store)
    MEANWHILE[reason](store.root)
    at.button(key=button).click().run()
    assert not at.exception, at.exception
    assert state(store) == before
    assert t(f"refused_{reason}", "zh") in [e.value for e in at.error]
    entries = audit.entries(store.root)
    refused = [e for e in entries if e["action"] == "refused"]
    assert [(e["who"], e["attempted"]) for e in refused] == [(NAME, change)], "recorded once, as refused"
    assert refused[0]["reason"] == str(NotAllowed(reason))
    assert change not in [e["action"] for e in entries]


def test_a_click_of_an_account_still_allowed_makes_the_change(store):
    at, button = ready_to_remove(store, "clerk")
    at.button(key=button).click().run()
    assert not at.exception and not geo.custom_path(store.root, COUNTY).exists()
    assert [(e["who"], e["action"]) for e in audit.entries(store.root)] == [(NAME, "boundary_remove")]


def test_a_refusal_reads_in_english_too(store):
    at, button = ready_to_switch(store, "clerk", lang="en")
    accounts.disable_user(store.root, NAME)
    at.button(key=button).click().run()
    assert "Not done: your account is disabled." in [e.value for e in at.error]


# fupin.auth.acting.authorize: who may make which change now.
CLAIMS = {"sub": "u1", "email": "li@example.cn"}
CASES = [   # accounts (name, role, scope, disabled), who asks, change, table, refused for (None: allowed)
    ([("li", "clerk", COUNTY, False)], Who("li", COUNTY), "switch_current", None, None),
    ([("li", "clerk", COUNTY, False)], Who("li", COUNTY), "replace", "purchases", None),
    ([("li", "clerk", COUNTY, False)], Who("wang", COUNTY), "import", "purchases", "removed"),
    ([("li", "clerk", COUNTY, True)], Who("li", COUNTY), "boundary_upload", None, "disabled"),
    ([("li", "leader", COUNTY, False)], Who("li", COUNTY), "switch_current", None, "role"),
    ([("hf", "township", "140827203", False)], Who("hf", "140827203"), "import", "purchases", None),
    ([("hf", "township", "140827203", False)], Who("hf", "140827203"), "import", "targets", "role"),
    ([("hf", "township", "140827203", False)], Who("hf", "140827203"), "replace", "purchases", "role"),
    ([("hf", "township", "140827100", False)], Who("hf", "140827203"), "import", "purchases", "scope"),
    ([("li", "clerk", "samr", False)], Who("li", COUNTY), "boundary_restore", None, "scope"),
    ([("li", "clerk", "samr", False)], Who("li", COUNTY), "switch_current", None, None),   # the same for all
    ([], Who("演示", None, client=None), "import", "purchases", "local_only"),
    ([], Who("演示", None, client=Client("10.1.2.3")), "boundary_remove", None, "local_only"),
    ([], Who("演示", None, client=Client("127.0.0.1", True, "loopback")), "import", "purchases", "local_only"),
    ([], Who("演示", None, client=Client("127.0.0.1", False, "loopback")), "switch_current", None, None),
]


@pytest.mark.parametrize("users, who, change, table, reason", CASES)
def test_authorize_reads_the_account_as_it_is_now(tmp_path, users, who, change, table, reason):
    for name, role, scope, disabled in users:
        accounts.add_user(tmp_path, name, role, scope, PASSWORD)
        if disabled:
            accounts.disable_user(tmp_path, name)
    if reason is None:
        assert authorize(tmp_path, who, change, table=table).name in (who.name, "演示")
        assert audit.entries(tmp_path) == []
        return
    with pytest.raises(NotAllowed) as refused:
        authorize(tmp_path, who, change, table=table)
    assert refused.value.reason == reason
    [entry] = audit.entries(tmp_path)
    assert (entry["who"], entry["action"], entry["attempted"], entry["reason"]) == (
        who.name, "refused", change, str(refused.value))


@pytest.mark.parametrize("mapped, reason", [(True, None), (False, "removed")])
def test_a_signed_on_identity_is_read_again_from_its_mapping(tmp_path, mapped, reason):
    accounts.add_user(tmp_path, "boss", "admin", None, PASSWORD)
    accounts.map_identity(tmp_path, "email", "li@example.cn", "clerk", COUNTY)
    if not mapped:
        accounts.unmap_identity(tmp_path, "email", "li@example.cn")
    who = Who("li@example.cn", COUNTY, claims=CLAIMS)
    if reason is None:
        assert authorize(tmp_path, who, "boundary_upload").via == "oidc"
    else:
        with pytest.raises(NotAllowed, match="账号已删除"):
            authorize(tmp_path, who, "boundary_upload")


def test_an_unreadable_accounts_file_refuses(tmp_path):
    accounts.accounts_path(tmp_path).write_text("{not json")
    with pytest.raises(NotAllowed) as refused:
        authorize(tmp_path, Who("li", COUNTY), "switch_current")
    assert refused.value.reason == "unreadable" and audit.entries(tmp_path)[0]["action"] == "refused"


# The operations: the check runs under the lock they write under, and a refusal leaves everything as it was.
def disabled_meanwhile(data: Path, change: str, held: Callable[[], None]) -> Callable[[], object]:
    """A re-check that finds the lock held, then the account disabled (as if by an administrator just now)."""
    def recheck():
        held()
        accounts.disable_user(data, NAME)
        return authorize(data, Who(NAME, COUNTY), change, table="purchases")
    return recheck


def store_lock_held(store):
    def held():
        with pytest.raises(StoreBusy), store.lock(0):
            pass
    return held


def boundary_lock_held(store):
    def held():
        with open(store.root / geo.VERSIONS_DIR / geo.LOCK_NAME, "a") as f, pytest.raises(BlockingIOError):
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return held


OPERATIONS = [   # change, lock, how the operation is asked for it with a re-check
    ("switch_current", store_lock_held,
     lambda store, recheck: switch_current(store, store.list()[0].id, recheck=recheck)),
    ("import", store_lock_held,
     lambda store, recheck: import_ledgers(store, "purchases", [csv_file([purchase()])], recheck=recheck, by=NAME)),
    ("boundary_upload", boundary_lock_held,
     lambda store, recheck: geo.save_custom(store.root, COUNTY, geo.parse_upload(
         SECOND, {"140827203"}, COUNTY).shapes, recheck=recheck)),
    ("boundary_remove", boundary_lock_held,
     lambda store, recheck: geo.remove_custom(store.root, COUNTY, recheck=recheck)),
    ("boundary_restore", boundary_lock_held,
     lambda store, recheck: geo.restore_version(store.root, COUNTY, geo.boundary_versions(
         store.root, COUNTY)[-1].id, recheck=recheck)),
]


@pytest.mark.parametrize("change, lock, operation", OPERATIONS, ids=[case[0] for case in OPERATIONS])
def test_each_operation_checks_under_its_lock_and_a_refusal_changes_nothing(store, change, lock, operation):
    accounts.add_user(store.root, NAME, "clerk", COUNTY, PASSWORD)
    import_ledgers(store, "purchases", [csv_file([purchase(date="2018-12-22")])])
    save_boundaries(store, FIRST, "first.geojson")
    save_boundaries(store, SECOND, "second.geojson")
    before, logged = state(store), len(audit.entries(store.root))
    with pytest.raises(NotAllowed):
        operation(store, disabled_meanwhile(store.root, change, lock(store)))
    assert state(store) == before
    assert [(e["action"], e["attempted"], e["reason"]) for e in audit.entries(store.root)[logged:]] == [
        ("refused", change, "账号已停用")]
