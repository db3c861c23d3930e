"""The app as a service, for real: `streamlit run app.py` (the st.App) on 垣曲县's demo, with 127.0.0.2 as its
trusted proxy, and headless Chromium.

Demo mode first (no accounts): only a browser on this machine with nothing in between may change data; a tab closed
the moment an import or a switch has moved CURRENT leaves the audit line. Then sign-in (the first account switches it on):
a sign-in survives F5, a copied link and a second tab; signing out, or `users disable` while signed in, sends the next
click to the form; six wrong passwords lock the name, and an unknown name reads as a wrong password.
"""

import asyncio
import re
import threading
import time
from contextlib import contextmanager

import pytest
from browser import Visitor, free_port, streamlit_server, wait_idle
from conftest import run_cli
from ledger_samples import PURCHASE_HEADER, purchase
from playwright.sync_api import expect

from fupin.auth import accounts, audit
from fupin.demo import build_demo
from fupin.ledger.history import snapshot_history
from fupin.settings import PROJECT_ROOT
from fupin.store.store import SnapshotStore

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.slow]

PROXY = "127.0.0.2"
VIEWPORT = {"width": 1440, "height": 1200}
PASSWORD = "huafeng-pass-1"
LOCAL = "本机访问：可以导入和修改数据。"
REMOTE = "其他电脑只能查看"


@contextmanager
def proxy_from(source: str, target_port: int):
    """A reverse proxy's connection as the app sees it: a TCP relay on 127.0.0.1 whose connections to the app leave
    from `source` (the browser adds the X-Forwarded-For a proxy would)."""
    port, loop = free_port(), asyncio.new_event_loop()

    async def pipe(reader, writer):
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()

    async def handle(reader, writer):
        app_reader, app_writer = await asyncio.open_connection("127.0.0.1", target_port, local_addr=(source, 0))
        await asyncio.gather(pipe(reader, app_writer), pipe(app_reader, writer))

    thread = threading.Thread(target=loop.run_forever, daemon=True)   # the test's own thread runs Playwright's loop
    thread.start()
    server = asyncio.run_coroutine_threadsafe(asyncio.start_server(handle, "127.0.0.1", port), loop).result(10)
    async def shut_down():
        server.close()
        open_pipes = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in open_pipes:
            task.cancel()
        await asyncio.gather(*open_pipes, return_exceptions=True)

    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        asyncio.run_coroutine_threadsafe(shut_down(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> SnapshotStore:
    store = SnapshotStore(tmp_path_factory.mktemp("service_data"))
    build_demo(store, counties=["140827"])
    return store


@pytest.fixture(scope="module")
def app_url(store, tmp_path_factory):
    log = tmp_path_factory.mktemp("service_log") / "streamlit.log"
    with streamlit_server(PROJECT_ROOT, store.root, log, env={"FUPIN_TRUSTED_PROXIES": PROXY}) as url:
        yield url


@pytest.fixture
def visitor(chromium, app_url):
    guest = Visitor(chromium, app_url, VIEWPORT)
    yield guest
    guest.context.close()


def sidebar(page) -> str:
    return page.locator('[data-testid="stSidebar"]').inner_text()


def wait_for(condition, seconds: float = 120, interval: float = 0.25):
    """Poll until `condition()` is true (what the server does for a tab)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(interval)


def last_entry(store) -> dict:
    return (audit.entries(store.root) or [{}])[-1]


def test_demo_mode_lets_only_this_machine_change_data(chromium, app_url, visitor):
    page = visitor.open("/import")
    assert LOCAL in sidebar(page) and page.get_by_role("button", name="设为当前快照").count() == 1
    forged = Visitor(chromium, app_url, VIEWPORT)
    forged.context.set_extra_http_headers({"X-Forwarded-For": "127.0.0.1"})
    page = forged.open("/import")
    assert REMOTE in sidebar(page) and page.get_by_role("button", name="设为当前快照").count() == 0
    forged.context.close()
    with proxy_from(PROXY, int(app_url.rsplit(":", 1)[1])) as proxied:
        remote = Visitor(chromium, proxied, VIEWPORT)
        remote.context.set_extra_http_headers({"X-Forwarded-For": "10.1.2.3"})
        page = remote.open("/import")
        assert REMOTE in sidebar(page) and page.get_by_role("button", name="设为当前快照").count() == 0
        remote.context.close()


def test_a_tab_closed_as_soon_as_current_moved_leaves_the_audit_line(chromium, app_url, store, tmp_path):
    first = store.current_id()
    ledger = tmp_path / "采购台账.csv"
    row = purchase(buyer="万盛新时代广场", township="新城镇", village="南城居委会")
    ledger.write_text(",".join(PURCHASE_HEADER) + "\n" + ",".join(row) + "\n", encoding="utf-8-sig")
    importing = Visitor(chromium, app_url, VIEWPORT)
    page = importing.open("/import")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(ledger))
    wait_idle(page)
    page.get_by_role("button", name="预检").click()
    wait_idle(page)
    page.get_by_role("button", name="确认导入").click()
    wait_for(lambda: store.current_id() != first, interval=0.01)
    importing.context.close()   # the session ends the moment CURRENT has moved (its next Streamlit call raises)
    second = store.current_id()
    wait_for(lambda: last_entry(store).get("action") == "import", seconds=10)
    entry = audit.entries(store.root)[-1]
    assert (entry["before"], entry["after"]) == (first, second)

    switching = Visitor(chromium, app_url, VIEWPORT)
    page = switching.open("/import")
    page.get_by_role("combobox", name="仪表盘显示的快照").click()
    known_as = snapshot_history(store).set_index("snapshot")["name"]   # the page names snapshots, never by id
    page.get_by_role("option").filter(has_text=known_as[first]).click()
    wait_idle(page)
    page.get_by_role("button", name="设为当前快照").click()
    wait_for(lambda: store.current_id() == first, interval=0.01)
    switching.context.close()   # the session ends right after the switch
    wait_for(lambda: last_entry(store).get("action") == "switch_current", seconds=10)
    entry = audit.entries(store.root)[-1]
    assert (entry["before"], entry["after"]) == (second, first)


@pytest.fixture
def signing_in(store):
    """Sign-in on: township staff of 华峰乡 (the first account switches it on for the running app)."""
    if accounts.find_user(store.root, "hf") is None:
        accounts.add_user(store.root, "hf", "township", "140827203", PASSWORD)
    return store.root


def sign_in(page, name: str, password: str) -> None:
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_load_state()


# The sign-in page, however the browser got there (expect polls through the redirects; wait_for_url fails when one
# navigation aborts another, as signing out's redirect chain may).
AT_THE_FORM = re.compile(r"/auth/signin")


def on_the_form(page) -> bool:
    return "/auth/signin" in page.url and page.get_by_label("用户名").is_visible()


def test_a_sign_in_survives_a_reload_a_copied_link_and_a_second_tab_until_signing_out(
        chromium, app_url, signing_in, visitor):
    page = visitor.new_page()
    page.goto(app_url + "/purchases?to=2018-12-29")
    assert on_the_form(page)
    sign_in(page, "hf", PASSWORD)
    wait_idle(page)
    expect(page.locator("h1")).to_have_text("垣曲县 · 华峰乡 采购")
    entry = audit.entries(signing_in)[-1]
    assert (entry["who"], entry["action"], entry["client"]) == ("hf", "sign_in", "127.0.0.1")
    page.reload()
    wait_idle(page)
    expect(page.locator("h1")).to_have_text("垣曲县 · 华峰乡 采购")
    tab = visitor.new_page()
    tab.goto(page.url)
    wait_idle(tab)
    assert "已登录：hf（乡镇）" in sidebar(tab)
    copied = Visitor(chromium, app_url, VIEWPORT)
    copied.context.add_cookies(visitor.context.cookies())
    elsewhere = copied.open(page.url.removeprefix(app_url))
    assert "已登录：hf（乡镇）" in sidebar(elsewhere)

    page.get_by_role("button", name="退出登录").click()
    expect(page).to_have_url(AT_THE_FORM)
    assert on_the_form(page)
    page.go_back()
    page.wait_for_load_state()
    assert on_the_form(page)
    elsewhere.locator('[data-testid="stTopNavLink"]', has_text="总览").click()   # the copied session ended with it
    expect(elsewhere).to_have_url(AT_THE_FORM)
    assert on_the_form(elsewhere)
    copied.context.close()


def test_disabling_the_account_sends_the_next_click_to_the_form(app_url, signing_in, visitor):
    if accounts.find_user(signing_in, "off") is None:
        accounts.add_user(signing_in, "off", "township", "140827203", PASSWORD)
    page = visitor.new_page()
    page.goto(app_url + "/")
    sign_in(page, "off", PASSWORD)
    wait_idle(page)
    assert run_cli("users", "disable", "off", data=signing_in).returncode == 0
    page.locator('[data-testid="stTopNavLink"]', has_text="采购").click()
    expect(page).to_have_url(AT_THE_FORM, timeout=60_000)
    assert on_the_form(page)


def test_six_wrong_passwords_lock_the_name_and_an_unknown_name_reads_alike(app_url, signing_in, visitor):
    page = visitor.new_page()
    page.goto(app_url + "/")
    told = []
    for name in ("nobody", *["hf"] * 6):
        sign_in(page, name, "not-the-password")
        told.append(page.locator(".error").inner_text())
    assert told[:5] == ["用户名或密码错误。"] * 5
    assert all(text.startswith("该用户名登录失败次数过多，已锁定至") for text in told[5:])
    sign_in(page, "hf", PASSWORD)
    assert on_the_form(page) and "已锁定至" in page.locator(".error").inner_text()
    assert page.locator('[data-testid="stMetric"]').count() == 0
