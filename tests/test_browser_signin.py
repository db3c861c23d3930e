"""Signing in for real: the dashboard with an accounts file, headless Chromium typing 用户名 and 密码 on the app's
sign-in page. Township staff land on their own township whatever the link says, and what they download (streamed by
the app's download route) holds only its rows; a wrong password is one sentence and shows no figure; signing out
returns to the form."""

import csv
import io

import pytest
from browser import (
    Visitor,
    assert_no_exception,
    streamlit_server,
    wait_idle,
)
from playwright.sync_api import expect

from fupin.auth import accounts, audit
from fupin.demo import build_demo
from fupin.settings import PROJECT_ROOT
from fupin.store.store import SnapshotStore

pytestmark = [pytest.mark.browser, pytest.mark.server]

HUAFENG, HUAFENG_NAME, XINCHENG = "140827203", "华峰乡", "140827100"
PASSWORD = "huafeng-pass-1"
VIEWPORT = {"width": 1440, "height": 1600}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    """垣曲县's demo snapshot and two accounts: 华峰乡's township staff and a county leader."""
    store = SnapshotStore(tmp_path_factory.mktemp("signin_data"))
    build_demo(store, counties=["140827"])
    accounts.add_user(store.root, "hf", "township", HUAFENG, PASSWORD)
    accounts.add_user(store.root, "lead", "leader", "140827", "leader-pass-1")
    return store.root


@pytest.fixture(scope="module")
def app_url(data_dir, tmp_path_factory):
    with streamlit_server(PROJECT_ROOT, data_dir, tmp_path_factory.mktemp("signin_log") / "streamlit.log") as url:
        yield url


@pytest.fixture
def visitor(chromium, app_url):
    guest = Visitor(chromium, app_url, VIEWPORT)
    yield guest
    guest.context.close()
    assert guest.blocked == [] and guest.page_errors == []


def sign_in(page, name: str, password: str, lands: bool = True) -> None:
    """Type a name and password on the sign-in page; wait for the app (`lands`) or the form again."""
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_load_state()
    if lands:
        wait_idle(page)


def form(visitor, path: str):
    """A new tab on `path`, which shows the sign-in page while nobody is signed in."""
    page = visitor.new_page()
    page.goto(visitor.base_url + path)
    expect(page.get_by_label("用户名")).to_be_visible()
    return page


def test_township_staff_get_their_own_township_whatever_the_link_and_download_only_its_rows(visitor, data_dir):
    page = form(visitor, f"/purchases?to=2018-12-29&township={XINCHENG}")
    assert page.locator('[data-testid="stMetric"]').count() == 0, "no figure before signing in"
    sign_in(page, "hf", PASSWORD)

    expect(page.locator("h1")).to_have_text(f"垣曲县 · {HUAFENG_NAME} 采购")
    assert_no_exception(page)
    notice = page.locator('[data-testid="stAlert"]', has_text="已忽略")
    expect(notice).to_contain_text(f"链接中的乡镇代码 {XINCHENG} 不是您账号的乡镇")
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar).to_contain_text("已登录：hf（乡镇）")
    expect(sidebar).not_to_contain_text("演示模式")

    with page.expect_download() as info:
        page.locator(".st-key-csv_records a").first.click()
    rows = list(csv.DictReader(io.StringIO(info.value.path().read_text(encoding="utf-8-sig"), newline="")))
    assert rows and {row["乡镇"] for row in rows} == {HUAFENG_NAME}

    entry = audit.entries(data_dir)[-1]
    assert (entry["who"], entry["action"], entry["client"]) == ("hf", "sign_in", "127.0.0.1")


def test_a_wrong_password_is_one_sentence_and_shows_no_figure(visitor):
    page = form(visitor, "/?to=2018-12-29")
    sign_in(page, "hf", "not-the-password", lands=False)
    expect(page.get_by_text("用户名或密码错误。")).to_be_visible()
    assert page.locator('[data-testid="stMetric"]').count() == 0


def test_a_leader_sees_the_county_and_signing_out_returns_to_the_form(visitor):
    page = form(visitor, "/?to=2018-12-29")
    sign_in(page, "lead", "leader-pass-1")
    expect(page.locator("h1")).to_have_text("垣曲县 总览")
    expect(page.locator('[data-testid="stMetric"]')).to_have_count(6)
    page.get_by_role("button", name="退出登录").click()
    expect(page.get_by_label("用户名")).to_be_visible()
    assert page.locator('[data-testid="stMetric"]').count() == 0
