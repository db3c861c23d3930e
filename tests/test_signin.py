"""The sign-in page through AppTest: labels in both languages, a wrong password, lock-out, a disabled account (told
exactly what a wrong password or an unknown name is told), sign-out, the audit entries, and demo mode."""

import pytest
from streamlit.testing.v1 import AppTest

from fupin.auth import accounts, audit

PASSWORD = "huafeng-2018"


def signin_app(lang: str) -> None:
    """The module under test: the user it returns, or the sign-in page it draws."""
    import streamlit as st

    from fupin.ui import signin

    user = signin.signed_in_user(lang)
    if user is not None:
        st.success(f"user={user.name} role={user.role} scope={user.scope} demo={user.demo} local={user.local}")
        signin.sidebar_account(user, lang)


@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.setenv("FUPIN_DATA", str(tmp_path))
    return tmp_path


@pytest.fixture
def with_account(data):
    accounts.add_user(data, "hf", "township", "140827203", PASSWORD)
    return data


def app(lang: str = "zh") -> AppTest:
    at = AppTest.from_function(signin_app, args=(lang,), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def sign_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="signin_name").input(name)
    at.text_input(key="signin_password").input(password)
    at.button(key="signin_submit").click()
    at.run()
    assert not at.exception, at.exception
    return at


def shown(at: AppTest) -> str:
    return " ".join(e.value for e in [*at.success, *at.error, *at.warning, *at.caption, *at.text])


@pytest.mark.parametrize("lang, labels", [("zh", ("登录", "用户名", "密码", "登录")),
                                          ("en", ("Sign in", "User name", "Password", "Sign in"))])
def test_the_form_is_labelled_in_the_chosen_language(with_account, lang, labels):
    at = app(lang)
    title, name, password, button = labels
    assert at.title[0].value == title
    assert at.text_input(key="signin_name").label == name
    assert at.text_input(key="signin_password").label == password
    assert at.button(key="signin_submit").label == button
    assert not at.success   # nobody is signed in: nothing of the app is drawn


def test_the_right_password_signs_in_and_sign_out_ends_it(with_account):
    at = sign_in(app(), "hf", PASSWORD)
    assert "user=hf role=township scope=140827203" in at.success[0].value
    assert "已登录：hf（乡镇）" in shown(at) and "范围：140827203" in shown(at)
    assert PASSWORD not in map(str, at.session_state.values()), "the password is not kept in the session"
    at.button(key="sign_out").click()
    at.run()
    assert not at.success and at.text_input(key="signin_name").label == "用户名"
    assert [e["action"] for e in audit.entries(with_account)] == ["sign_in"]


@pytest.mark.parametrize("name, password", [("hf", "wrong-password"), ("nobody", PASSWORD)])
def test_a_wrong_name_or_password_reads_the_same(with_account, name, password):
    at = sign_in(app(), name, password)
    assert [e.value for e in at.error] == ["用户名或密码错误。"] and not at.success
    entry = audit.entries(with_account)[-1]
    assert (entry["who"], entry["action"]) == (name, "sign_in_failed")


def test_five_failures_lock_the_name_even_for_the_right_password(with_account):
    at = app()
    for _ in range(4):
        sign_in(at, "hf", "wrong-password")
        assert [e.value for e in at.error] == ["用户名或密码错误。"]
    sign_in(at, "hf", "wrong-password")
    assert "已锁定至" in at.error[0].value
    sign_in(at, "hf", PASSWORD)
    assert "已锁定至" in at.error[0].value and not at.success
    actions = [e["action"] for e in audit.entries(with_account)]
    assert actions.count("sign_in_failed") == 5 and actions.count("sign_in_locked") == 2


def test_a_disabled_account_cannot_sign_in_and_its_session_ends(with_account):
    at = sign_in(app(), "hf", PASSWORD)
    assert at.success
    accounts.disable_user(with_account, "hf")
    at.run()
    assert not at.success and at.error[0].value == "您的账号已停用或已删除，请重新登录。"
    sign_in(at, "hf", PASSWORD)
    assert [e.value for e in at.error] == ["用户名或密码错误。"] and not at.success


@pytest.mark.parametrize("lang, sentence", [("zh", "用户名或密码错误。"), ("en", "Wrong user name or password.")])
def test_a_disabled_account_an_unknown_name_and_a_wrong_password_read_the_same(with_account, lang, sentence):
    accounts.add_user(with_account, "off", "township", "140827203", PASSWORD)
    accounts.disable_user(with_account, "off")
    tries = [("off", PASSWORD), ("off", "wrong-password"), ("nobody", PASSWORD), ("hf", "wrong-password")]
    pages = [sign_in(app(lang), name, password) for name, password in tries]
    assert [[e.value for e in at.error] for at in pages] == [[sentence]] * len(tries)
    assert len({shown(at) for at in pages}) == 1 and not any(at.success for at in pages)
    assert [e["reason"] for e in audit.entries(with_account)] == ["账号已停用", "密码错误", "用户名不存在", "密码错误"]


def test_empty_fields_are_not_counted_as_failures(with_account):
    at = sign_in(app(), "", "")
    assert at.error[0].value == "请输入用户名和密码。" and audit.entries(with_account) == []


def test_without_accounts_the_app_is_in_demo_mode(data):
    at = app()
    assert "demo=True" in at.success[0].value and "local=False" in at.success[0].value   # AppTest has no client
    assert "演示模式：未启用登录" in shown(at) and "其他电脑只能查看" in shown(at)
    assert not at.text_input


def test_an_unreadable_accounts_file_lets_nobody_in(data):
    accounts.accounts_path(data).write_text("{broken", encoding="utf-8")
    at = app()
    assert not at.success and "账号文件无法读取" in at.error[0].value
