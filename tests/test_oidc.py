"""Single sign-on for real: a local OIDC provider (oidc-provider-mock), an `st.App` with the app's sign-in routes and
middleware whose secrets.toml has an [auth] section, and headless Chromium clicking 单点登录 on the sign-in page,
typing a subject on the provider's form and coming back signed in with the role and scope the accounts file maps its
group claim to (or told it has no access)."""

import textwrap
import warnings
from urllib.parse import urlparse

import pytest
from browser import TIMEOUT_MS, Visitor, free_port, streamlit_server, wait_idle

from fupin.auth import accounts, audit
from fupin.settings import PROJECT_ROOT

with warnings.catch_warnings():   # Authlib, under the provider, warns of its own deprecations
    import authlib.deprecate  # its import puts an "always" filter for them first: ignore them after it
    warnings.simplefilter("ignore", authlib.deprecate.AuthlibDeprecationWarning)
    from oidc_provider_mock import User, run_server_in_thread

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.filterwarnings("ignore::DeprecationWarning")]
# The provider's form loads its CSS from a CDN: the closed network blocks it, and nothing else may leave.
PROVIDER_CDN = "cdn.jsdelivr.net"
STAFF = User(sub="hf-staff", claims={"email": "hf@yuanqu.example", "groups": ["huafeng-staff"]})
STRANGER = User(sub="stranger", claims={"email": "who@elsewhere.example", "groups": ["visitors"]})
APP = """
import sys
sys.path.insert(0, {root!r})
import streamlit as st
from fupin.service import parts
from fupin.ui import signin

app = st.App("main.py", routes=parts.routes(None, signin.sso_configured),
             middleware=parts.middleware(None, signin.sso_configured))
"""
MAIN = """
import sys
sys.path.insert(0, {root!r})
import streamlit as st
from fupin.ui import signin

user = signin.signed_in_user("zh")
if user is None:
    st.stop()
st.title("已登录")
st.markdown(f"角色 {{user.role}} 范围 {{user.scope}} 方式 {{user.via}}")
signin.sidebar_account(user, "zh")
"""


@pytest.fixture(scope="module")
def provider():
    """The OIDC provider on a free port of localhost, knowing the two subjects' claims."""
    with run_server_in_thread(user_claims=[STAFF, STRANGER]) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    """Accounts: one local admin, and the group claim huafeng-staff mapped to 华峰乡's township staff."""
    folder = tmp_path_factory.mktemp("oidc-data")
    accounts.add_user(folder, "admin", "admin", None, "admin-password")
    accounts.map_identity(folder, "groups", "huafeng-staff", "township", "140827203")
    return folder


@pytest.fixture(scope="module")
def app_url(tmp_path_factory, provider, data_dir):
    """`streamlit run` of a small app using fupin.ui.signin, in a folder whose .streamlit/secrets.toml points at the
    provider; its redirect URI and the browser both use the host name localhost, as the callback needs."""
    port = free_port()
    folder = tmp_path_factory.mktemp("oidc-app")
    (folder / "app.py").write_text(APP.format(root=str(PROJECT_ROOT)), encoding="utf-8")
    (folder / "main.py").write_text(MAIN.format(root=str(PROJECT_ROOT)), encoding="utf-8")
    (folder / ".streamlit").mkdir()
    (folder / ".streamlit" / "secrets.toml").write_text(textwrap.dedent(f"""\
        [auth]
        redirect_uri = "http://localhost:{port}/oauth2callback"
        cookie_secret = "a-test-cookie-secret-of-enough-length"
        client_id = "fupin-test"
        client_secret = "any-secret-the-mock-accepts"
        server_metadata_url = "{provider}/.well-known/openid-configuration"
        """), encoding="utf-8")
    with streamlit_server(folder, data_dir, folder / "server.log", port=port, host_name="localhost") as url:
        yield url


def sign_on(chromium, app_url: str, sub: str):
    """A new visitor opens the app, lands on the sign-in page, clicks 单点登录, types `sub` on the provider's form and
    comes back."""
    visitor = Visitor(chromium, app_url, {"width": 1200, "height": 900})
    page = visitor.new_page()
    page.goto(app_url + "/")
    assert page.get_by_label("用户名").is_visible() and page.get_by_label("密码").is_visible()
    page.get_by_role("button", name="单点登录").click()
    page.wait_for_url("**/oauth2/authorize**", timeout=TIMEOUT_MS)
    page.locator('input[name="sub"]').fill(sub)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{app_url}/**", timeout=TIMEOUT_MS)
    wait_idle(page)
    return visitor, page


def test_a_group_claim_signs_in_as_township_staff(chromium, app_url, data_dir):
    visitor, page = sign_on(chromium, app_url, STAFF.sub)
    main = page.locator('[data-testid="stMainBlockContainer"]')
    assert main.get_by_role("heading", name="已登录").is_visible()
    assert "角色 township 范围 140827203 方式 oidc" in main.inner_text()
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert "已登录：hf@yuanqu.example（乡镇）" in sidebar and "范围：140827203" in sidebar
    assert {urlparse(url).hostname for url in visitor.blocked} == {PROVIDER_CDN}
    assert not visitor.page_errors
    entry = audit.entries(data_dir)[-1]
    assert (entry["who"], entry["action"], entry["method"]) == ("hf@yuanqu.example", "sign_in", "单点登录")
    visitor.context.close()


def test_an_unknown_identity_is_told_it_has_no_access(chromium, app_url, data_dir):
    visitor, page = sign_on(chromium, app_url, STRANGER.sub)
    text = page.locator('[data-testid="stMainBlockContainer"]').inner_text()
    assert "您的单点登录身份（who@elsewhere.example）没有对应的账号，无权访问" in text and "已登录" not in text
    assert page.get_by_role("button", name="退出登录").is_visible()
    entry = audit.entries(data_dir)[-1]
    assert (entry["who"], entry["action"]) == ("who@elsewhere.example", "sign_in_failed")
    visitor.context.close()
