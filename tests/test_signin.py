"""Who a page run is drawn for, through AppTest: a sign-in session's account read again on every run (an account
disabled or changed, or a session signed out elsewhere, ends it and sends the browser to the sign-in page),
sign-out, demo mode, and an unreadable accounts file. The sign-in form itself is tests/test_service.py's."""

import pytest
from conftest import sign_in
from streamlit.testing.v1 import AppTest

from fupin.auth import accounts, sessions
from fupin.ui.signin import SESSION_KEY

PASSWORD = "huafeng-2018"


def signin_app(lang: str) -> None:
    """The module under test: the user it returns, or what it draws when nobody is signed in."""
    import streamlit as st

    from fupin.ui import signin

    user = signin.signed_in_user(lang)
    if user is not None:
        st.success(f"user={user.name} role={user.role} scope={user.scope} demo={user.demo} local={user.local}")
        signin.sidebar_account(user, lang)


@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.setenv("FUPIN_DATA", str(tmp_path))
    monkeypatch.delenv("FUPIN_DEMO_WRITES", raising=False)
    return tmp_path


@pytest.fixture
def with_account(data):
    accounts.add_user(data, "hf", "township", "140827203", PASSWORD)
    return data


def app(lang: str = "zh", data_dir=None, name: str | None = None) -> AppTest:
    at = AppTest.from_function(signin_app, args=(lang,), default_timeout=60)
    if name:
        sign_in(at, data_dir, name=name)
    at.run()
    assert not at.exception, at.exception
    return at


def shown(at: AppTest) -> str:
    return " ".join(e.value for e in [*at.success, *at.error, *at.warning, *at.caption, *at.text, *at.info,
                                      *at.markdown])


def test_a_session_signs_in_its_account_and_sign_out_ends_it_everywhere(with_account):
    at = app(data_dir=with_account, name="hf")
    assert "user=hf role=township scope=140827203" in at.success[0].value
    assert "已登录：hf（乡镇）" in shown(at) and "范围：140827203" in shown(at)
    session_id = at.session_state[SESSION_KEY]
    at.button(key="sign_out").click()
    at.run()
    assert not at.success and sessions.user_of(with_account, session_id) is None


@pytest.mark.parametrize("change", [
    lambda d: accounts.disable_user(d, "hf"),
    lambda d: accounts.set_password(d, "hf", "another-password"),
    lambda d: accounts.set_role(d, "hf", "leader", "140827"),
])
def test_an_account_change_ends_the_session_at_the_next_run(with_account, change):
    at = app(data_dir=with_account, name="hf")
    assert at.success
    change(with_account)
    at.run()
    assert not at.success and at.info[0].value.startswith("登录已结束")
    assert SESSION_KEY not in at.session_state


def test_without_a_session_nothing_is_drawn_but_where_to_sign_in(with_account):
    at = app()
    assert not at.success and "请先登录" in at.markdown[0].value and "/auth/signin" in at.markdown[0].value


def test_without_accounts_the_app_is_in_demo_mode(data):
    at = app()
    assert "demo=True" in at.success[0].value and "local=False" in at.success[0].value   # AppTest has no client
    assert "演示模式：未启用登录" in shown(at) and "其他电脑只能查看" in shown(at)


def test_a_read_only_demo_says_so(data, monkeypatch):
    monkeypatch.setenv("FUPIN_DEMO_WRITES", "off")
    assert "只读演示（FUPIN_DEMO_WRITES=off）" in shown(app())


def test_an_unreadable_accounts_file_lets_nobody_in(data):
    accounts.accounts_path(data).write_text("{broken", encoding="utf-8")
    at = app()
    assert not at.success and "账号文件无法读取" in at.error[0].value
