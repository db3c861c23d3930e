"""Who the page is drawn for, and the sidebar's account line: a sign-in session (the cookie the sign-in page at
/auth/signin set, fupin.service.signin), single sign-on through Streamlit's `st.login` (OIDC, when
`.streamlit/secrets.toml` has an `[auth]` section), or demo mode without accounts.

The frame calls `signed_in_user(lang)` first on every run: a User to draw the app for, or None when nobody is signed
in (the frame then draws nothing else). The session is read again on every run, so signing out elsewhere, disabling
the account, a new password or another role ends it at the next click: the browser is then sent to the sign-in page.
"""

import streamlit as st

from .. import settings
from ..auth import accounts, audit, sessions
from ..auth.clients import HEADER, Client, may_change_demo_data
from ..auth.grants import SSO_COOKIE, Holder
from ..auth.permissions import User, demo_user
from ..text.i18n import t

# The session id of this Streamlit session when no cookie carries one: AppTest sends no cookies, so the tests put
# the id of a real session (fupin.auth.sessions.start) here; it is checked exactly as a cookie's.
SESSION_KEY = "auth_session"
SSO_SEEN_KEY = "auth_sso_seen"   # the sign-on identity already written to the audit log in this session
ACCOUNT_KEY = "auth_account"     # who this session's last run was drawn for (for the error log)


def sso_configured() -> bool:
    """Whether single sign-on is set up: `.streamlit/secrets.toml` has an `[auth]` section."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:   # no secrets file at all
        return False


def client() -> Client:
    """The client of this session, as the app's middleware told it (fupin.auth.clients)."""
    return Client.from_header(st.context.headers.get(HEADER))


def cookie(name: str) -> str | None:
    """A cookie the browser sent when this session connected (None without one; AppTest has none)."""
    value = st.context.cookies.get(name)
    return value if isinstance(value, str) and value else None


def sign_in_cookies() -> dict[str, str]:
    """The cookies that sign this browser in (a download link is bound to them: fupin.auth.grants)."""
    return {name: value for name in (sessions.COOKIE, SSO_COOKIE) if (value := cookie(name))}


def _session_id() -> str | None:
    return cookie(sessions.COOKIE) or st.session_state.get(SESSION_KEY)


def signed_in_user(lang: str) -> User | None:
    """The user of this session, or None when nobody is signed in (sign-in enabled).

    Without accounts (demo mode) everyone is the demo user, allowed to change data only from the server's machine.
    """
    data_dir = settings.data_dir()
    if not accounts.sign_in_enabled(data_dir):
        user = demo_user(may_change_demo_data(client()))
    else:
        try:
            accounts.list_users(data_dir)   # an unreadable file is told, whoever asks
            user = sessions.user_of(data_dir, _session_id())
            if user is None and sso_configured() and st.user.is_logged_in:
                user = _sso_user(data_dir, lang)
            elif user is None:
                _not_signed_in(data_dir, lang)
        except OSError as error:   # the accounts or sessions file cannot be read: nobody gets in
            st.error(t("signin_file_error", lang, error=error))
            user = None
    st.session_state[ACCOUNT_KEY] = user.name if user else None
    return user


def _not_signed_in(data_dir, lang: str) -> None:
    """No live session: one that ended sends the browser to the sign-in page (through Streamlit's /auth/logout, which
    the app's middleware turns into a sign-out), a browser on its way to single sign-on goes on to the identity
    provider, and anything else is told where to sign in."""
    if _session_id():
        st.session_state.pop(SESSION_KEY, None)
        st.info(t("signin_ended", lang))
        st.logout()
    elif sso_configured() and sessions.sso_ticket_valid(data_dir, cookie(sessions.SSO_TICKET_COOKIE)):
        st.login()
    else:
        st.markdown(t("signin_required", lang, url=signin_url()))


def base_path() -> str:
    """The app's base URL path ("" or "/dashboard"): where its own routes are."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


def signin_url() -> str:
    """The sign-in page under the app's base URL path."""
    return f"{base_path()}/auth/signin"


def sso_claims() -> dict | None:
    """This session's single sign-on claims when it is signed on (and not signed in with a password), else None."""
    if _session_id() or not sso_configured() or not st.user.is_logged_in:
        return None
    return st.user.to_dict()


def holder(user: User) -> Holder:
    """Who a page is drawn for, as a download link records it (fupin.auth.grants)."""
    if user.demo:
        return Holder("demo", user.name)
    return Holder(user.via, user.name, sso_claims() if user.via == "oidc" else None)


def _sso_user(data_dir, lang: str) -> User | None:
    """The user a signed-on identity maps to; an unknown identity is told so, with a way to sign out."""
    claims = st.user.to_dict()
    user = accounts.identity_user(data_dir, claims)
    identity = accounts.identity_name(claims)
    if st.session_state.get(SSO_SEEN_KEY) != identity:   # once per session, not once per run
        st.session_state[SSO_SEEN_KEY] = identity
        address = client().address
        if user:
            audit.record(data_dir, identity, "sign_in", client=address, method="单点登录")
        else:
            audit.record(data_dir, identity, "sign_in_failed", client=address, reason="单点登录身份没有对应账号")
    if user is None:
        st.title(t("signin_title", lang))
        st.error(t("signin_sso_unknown", lang, identity=identity))
        st.button(t("sign_out", lang), key="sign_out_sso", on_click=sign_out)
    return user


def sign_out() -> None:
    """Button callback: end this browser's session everywhere now, then send it through Streamlit's /auth/logout
    (which also ends a single sign-on) to the sign-in page."""
    sessions.end(settings.data_dir(), _session_id())
    for key in (SESSION_KEY, SSO_SEEN_KEY):
        st.session_state.pop(key, None)
    st.logout()


def sidebar_account(user: User, lang: str, scope_name: str | None = None) -> None:
    """The sidebar's account lines: who is signed in, their role and scope, and 退出登录; or the demo-mode label."""
    side = st.sidebar
    if user.demo:
        side.warning(t("demo_mode", lang), icon=":material/lock_open:")
        try:
            read_only = not settings.demo_writes()
        except settings.SettingsError:   # told at the top of the page; meanwhile nobody changes data
            read_only = True
        side.caption(t("demo_mode_read_only" if read_only else "demo_mode_local" if user.local
                       else "demo_mode_remote", lang))
        return
    side.text(t("signed_in_as", lang, name=user.name, role=user.role_label(lang)))
    side.caption(t("signed_in_scope", lang, scope=scope_name or user.scope or t("scope_everything", lang)))
    side.button(t("sign_out", lang), key="sign_out", on_click=sign_out)
