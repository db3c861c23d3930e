"""Sign-in sessions in the data folder: a cookie's id signs in its account as it is now; signing out, the idle and
absolute limits, and disabling the account, a new password or another role end it. Signed values and download
grants come back only unchanged, in time, and in the browser they were made for."""

import datetime as dt
import json
import stat

import pytest

from fupin.auth import accounts, grants, sessions, signing
from fupin.auth.files import StateFileError

PASSWORD = "huafeng-2018"
NOON = dt.datetime(2026, 12, 7, 4, 0, tzinfo=dt.UTC)


@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.delenv("FUPIN_SESSION_IDLE_H", raising=False)
    accounts.add_user(tmp_path, "hf", "township", "140827203", PASSWORD)
    accounts.add_user(tmp_path, "li", "clerk", "140827", "li-password-1")
    return tmp_path


def start(data, name: str = "hf", at: dt.datetime = NOON) -> str:
    return sessions.start(data, accounts.find_user(data, name), "10.1.2.3", now=at)


def test_a_session_signs_in_its_account_and_keeps_only_a_hash(data):
    session_id = start(data)
    user = sessions.user_of(data, session_id, now=NOON + dt.timedelta(minutes=1))
    assert (user.name, user.role, user.scope, user.via) == ("hf", "township", "140827203", "password")
    text = (data / "sessions.json").read_text(encoding="utf-8")
    assert session_id not in text and json.loads(text)[next(iter(json.loads(text)))]["client"] == "10.1.2.3"
    assert stat.S_IMODE((data / "sessions.json").stat().st_mode) == 0o600
    assert sessions.user_of(data, session_id + "x", now=NOON) is None and sessions.user_of(data, None) is None


@pytest.mark.parametrize("change", [
    lambda d: accounts.disable_user(d, "hf"),
    lambda d: accounts.set_password(d, "hf", "a-new-password"),
    lambda d: accounts.set_role(d, "hf", "leader", "140827"),
])
def test_an_account_change_ends_its_sessions_but_not_others(data, change):
    hers, his = start(data), start(data, "li")
    change(data)
    assert sessions.user_of(data, hers, now=NOON) is None
    assert sessions.user_of(data, his, now=NOON).name == "li"
    assert sessions.active(data, now=NOON) == 1


def test_signing_out_ends_the_session_for_every_reader(data):
    session_id = start(data)
    assert sessions.end(data, session_id) and not sessions.end(data, session_id)
    assert sessions.user_of(data, session_id, now=NOON) is None


def test_idle_and_absolute_limits(data, monkeypatch):
    session_id = start(data)
    assert sessions.user_of(data, session_id, now=NOON + dt.timedelta(hours=7, minutes=59))
    # that click was noted: eight more hours from it
    assert sessions.user_of(data, session_id, now=NOON + dt.timedelta(hours=15, minutes=58))
    assert sessions.user_of(data, session_id, now=NOON + dt.timedelta(hours=24)) is None
    monkeypatch.setenv("FUPIN_SESSION_IDLE_H", "0.5")
    short = start(data)
    assert sessions.user_of(data, short, now=NOON + dt.timedelta(minutes=29))
    assert sessions.user_of(data, short, now=NOON + dt.timedelta(minutes=60)) is None
    monkeypatch.setenv("FUPIN_SESSION_IDLE_H", "8")
    busy = start(data)
    for hour in range(0, 7 * 24, 6):   # used every six hours, still ended after 7 days
        assert sessions.user_of(data, busy, now=NOON + dt.timedelta(hours=hour))
    assert sessions.user_of(data, busy, now=NOON + dt.timedelta(days=7, minutes=1)) is None


def test_ended_sessions_are_dropped_when_a_new_one_starts(data):
    old = start(data)
    accounts.disable_user(data, "hf")
    start(data, "li", NOON + dt.timedelta(hours=1))
    assert len(json.loads((data / "sessions.json").read_text(encoding="utf-8"))) == 1
    assert sessions.user_of(data, old) is None


def test_an_unreadable_sessions_file_is_an_error_not_an_empty_list(data):
    (data / "sessions.json").write_text("{broken", encoding="utf-8")
    with pytest.raises(StateFileError):
        sessions.user_of(data, "anything")


def test_signed_values_come_back_unchanged_and_in_time(data, monkeypatch):
    token = signing.sign(data, "signin", "abc", valid_s=60)
    assert signing.valid(data, "signin", "abc", token)
    assert not signing.valid(data, "signin", "abd", token)
    assert not signing.valid(data, "download", "abc", token)
    assert not signing.valid(data, "signin", "abc", token[:-1] + ("A" if token[-1] != "A" else "B"))
    assert not signing.valid(data, "signin", "abc", None) and not signing.valid(data, "signin", "abc", "x.y")
    expired = signing.sign(data, "signin", "abc", valid_s=-1)
    assert not signing.valid(data, "signin", "abc", expired)
    assert stat.S_IMODE((data / signing.FILE_NAME).stat().st_mode) == 0o600


def test_a_download_grant_is_for_its_holder_in_its_browser(data):
    session_id = start(data, at=dt.datetime.now(dt.UTC))
    cookies = {sessions.COOKIE: session_id}
    token = grants.issue(data, "the export", grants.Holder("password", "hf"), cookies)
    what, user = grants.redeem(data, token, cookies)
    assert what == "the export" and user.name == "hf"
    assert grants.redeem(data, token, {sessions.COOKIE: start(data, "li", at=dt.datetime.now(dt.UTC))}) is None
    assert grants.redeem(data, token, {}) is None
    encoded, _, signature = token.partition(".")
    assert grants.redeem(data, encoded[:-2] + "xy." + signature, cookies) is None
    sessions.end(data, session_id)
    assert grants.redeem(data, token, cookies) is None


def test_a_demo_grant_ends_when_sign_in_is_switched_on(tmp_path):
    token = grants.issue(tmp_path, "the export", grants.Holder("demo", "演示"), {})
    assert grants.redeem(tmp_path, token, {})[1].demo
    accounts.add_user(tmp_path, "admin", "admin", None, "admin-password")
    assert grants.redeem(tmp_path, token, {}) is None
