"""The sign-in page and the account line of the sidebar: local accounts by name and password, single sign-on
through Streamlit's `st.login` (OIDC, when `.streamlit/secrets.toml` has an `[auth]` section), and demo mode.

The frame calls `signed_in_user(lang)` first on every run: a User to draw the app for, or None while the sign-in
page is shown (the frame then draws nothing else). The account is read again on every run, so disabling it or
changing its role takes effect at the user's next click.
"""

import streamlit as st

from .. import settings
from ..auth import accounts, audit
from ..auth.local import local_client
from ..auth.permissions import User, demo_user
from ..text.fmt import BEIJING
from ..text.i18n import t

SESSION_KEY = "auth_user"        # the name of the account signed in with a password, in this session
MESSAGE_KEY = "auth_message"     # why the last sign-in failed, shown once above the form
SSO_SEEN_KEY = "auth_sso_seen"   # the sign-on identity already written to the audit log in this session


def sso_configured() -> bool:
    """Whether single sign-on is set up: `.streamlit/secrets.toml` has an `[auth]` section."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:   # no secrets file at all
        return False


def signed_in_user(lang: str) -> User | None:
    """The user of this session, or None while the sign-in page is drawn (sign-in enabled, nobody signed in).

    Without accounts (demo mode) everyone is the demo user, allowed to change data only from the server's machine.
    """
    data_dir = settings.data_dir()
    if not accounts.sign_in_enabled(data_dir):
        return demo_user(local_client(st.context.ip_address))
    try:
        accounts.list_users(data_dir)   # an unreadable file is told before anyone types a password
        user = _password_user(data_dir, lang)
        if user is None and sso_configured() and st.user.is_logged_in:
            return _sso_user(data_dir, lang)
    except OSError as error:   # the accounts file cannot be read: nobody gets in
        st.error(t("signin_file_error", lang, error=error))
        return None
    if user is None:
        _form(lang)
    return user


def sso_claims() -> dict | None:
    """This session's single sign-on claims when it is signed on (and not signed in with a password), else None."""
    if SESSION_KEY in st.session_state or not sso_configured() or not st.user.is_logged_in:
        return None
    return st.user.to_dict()


def _password_user(data_dir, lang: str) -> User | None:
    """The account this session signed in with, read again; a disabled or removed one ends the session."""
    name = st.session_state.get(SESSION_KEY)
    if name is None:
        return None
    account = accounts.find_user(data_dir, name)
    if account is None or account.disabled:
        del st.session_state[SESSION_KEY]
        st.session_state[MESSAGE_KEY] = t("signin_ended", lang)
        return None
    return account.user()


def _sso_user(data_dir, lang: str) -> User | None:
    """The user a signed-on identity maps to; an unknown identity is told so, with a way to sign out."""
    claims = st.user.to_dict()
    user = accounts.identity_user(data_dir, claims)
    identity = accounts.identity_name(claims)
    if st.session_state.get(SSO_SEEN_KEY) != identity:   # once per session, not once per run
        st.session_state[SSO_SEEN_KEY] = identity
        client = st.context.ip_address
        if user:
            audit.record(data_dir, identity, "sign_in", client=client, method="单点登录")
        else:
            audit.record(data_dir, identity, "sign_in_failed", client=client, reason="单点登录身份没有对应账号")
    if user is None:
        st.title(t("signin_title", lang))
        st.error(t("signin_sso_unknown", lang, identity=identity))
        st.button(t("sign_out", lang), key="sign_out_sso", on_click=sign_out)
    return user


def _submit(lang: str) -> None:
    """Form callback: check the name and password before the page is drawn again; the password is not kept."""
    name = st.session_state.get("signin_name", "").strip()
    password = st.session_state.get("signin_password", "")
    st.session_state["signin_password"] = ""
    if not name or not password:
        st.session_state[MESSAGE_KEY] = t("signin_empty", lang)
        return
    try:
        verdict = accounts.verify_password(settings.data_dir(), name, password, client=st.context.ip_address)
    except OSError as error:
        st.session_state[MESSAGE_KEY] = t("signin_file_error", lang, error=error)
        return
    if verdict.status == "ok":
        st.session_state[SESSION_KEY] = verdict.user.name
        st.session_state.pop(MESSAGE_KEY, None)
    elif verdict.status == "locked":
        until = verdict.locked_until.astimezone(BEIJING).strftime("%H:%M")
        st.session_state[MESSAGE_KEY] = t("signin_locked", lang, until=until)
    else:   # an unknown name, a wrong password and a disabled account read alike: none tells a guess was right
        st.session_state[MESSAGE_KEY] = t("signin_wrong", lang)


def _form(lang: str) -> None:
    """The sign-in page: 用户名, 密码, 登录, the last failure, and the single sign-on button when it is set up."""
    st.title(t("signin_title", lang))
    message = st.session_state.pop(MESSAGE_KEY, None)
    if message:
        st.error(message)
    with st.form("signin_form"):
        st.text_input(t("signin_name", lang), key="signin_name", autocomplete="username")
        st.text_input(t("signin_password", lang), key="signin_password", type="password",
                      autocomplete="current-password")
        st.form_submit_button(t("signin_button", lang), key="signin_submit", type="primary", on_click=_submit,
                              args=(lang,))
    if sso_configured() and st.button(t("signin_sso", lang), key="signin_sso"):
        st.login()


def sign_out() -> None:
    """End this session's sign-in (and the single sign-on cookie, when signed on)."""
    for key in (SESSION_KEY, SSO_SEEN_KEY, MESSAGE_KEY):
        st.session_state.pop(key, None)
    if sso_configured() and st.user.is_logged_in:
        st.logout()


def sidebar_account(user: User, lang: str, scope_name: str | None = None) -> None:
    """The sidebar's account lines: who is signed in, their role and scope, and 退出登录; or the demo-mode label."""
    side = st.sidebar
    if user.demo:
        side.warning(t("demo_mode", lang), icon=":material/lock_open:")
        side.caption(t("demo_mode_local" if user.local else "demo_mode_remote", lang))
        return
    side.text(t("signed_in_as", lang, name=user.name, role=user.role_label(lang)))
    side.caption(t("signed_in_scope", lang, scope=scope_name or user.scope or t("scope_everything", lang)))
    side.button(t("sign_out", lang), key="sign_out", on_click=sign_out)
