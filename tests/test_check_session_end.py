"""A ledger check stops when the page's session ends (issue 27): a clerk starts checking a long ledger in Chromium
and closes the browser; the server's threads are back to their level within 5 s and its core goes quiet."""

import random
import time

import psutil
import pytest
from browser import Visitor, streamlit_server, wait_idle
from conftest import write_snapshot
from ledger_samples import csv_file, purchase
from playwright.sync_api import expect

from fupin.auth import accounts
from fupin.settings import PROJECT_ROOT
from fupin.store.store import SnapshotStore

pytestmark = [pytest.mark.server, pytest.mark.browser, pytest.mark.slow]

PASSWORD = "clerk-pass-1"
VIEWPORT = {"width": 1440, "height": 1600}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory, tiny_tables_data):
    store = SnapshotStore(tmp_path_factory.mktemp("session_end_data"))
    write_snapshot(store, tiny_tables_data)
    accounts.add_user(store.root, "clerk", "clerk", "140827", PASSWORD)
    return store.root


@pytest.fixture(scope="module")
def server(data_dir, tmp_path_factory):
    """The app's server and its process (a child of this one, found by the port it listens on)."""
    with streamlit_server(PROJECT_ROOT, data_dir, tmp_path_factory.mktemp("session_end_log") / "streamlit.log") as url:
        port = url.rsplit(":", 1)[1]
        process = next(p for p in psutil.Process().children(recursive=True)
                       if "streamlit" in " ".join(p.cmdline()) and port in p.cmdline())
        yield url, process


@pytest.fixture
def long_ledger(tmp_path):
    """150,000 valid purchase rows: checking them keeps a core busy for well over 10 s."""
    rng = random.Random(7)
    path = tmp_path / "采购台账.csv"
    path.write_bytes(csv_file([purchase(date=f"2018-12-{rng.randint(1, 28):02d}", amount=str(rng.randint(1, 99_999)))
                               for _ in range(150_000)]).content)
    return path


@pytest.fixture
def short_ledger(tmp_path):
    path = tmp_path / "补录.csv"
    path.write_bytes(csv_file([purchase()]).content)
    return path


def steady_threads(process: psutil.Process, seconds: float = 2.0) -> int:
    """The process's thread count once it has held for `seconds` (a fresh session's threads settle after a run)."""
    count, since = process.num_threads(), time.monotonic()
    while time.monotonic() - since < seconds:
        time.sleep(0.1)
        now = process.num_threads()
        if now != count:
            count, since = now, time.monotonic()
    return count


def test_closing_the_browser_during_a_check_stops_it(server, chromium, short_ledger, long_ledger):
    url, process = server
    clerk = Visitor(chromium, url, VIEWPORT)
    page = clerk.new_page()
    page.goto(url + "/import")                     # the app sends it to its sign-in page, and back once signed in
    page.get_by_label("用户名").fill("clerk")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(lambda address: "/auth/signin" not in address)
    wait_idle(page)
    # The fresh server's first run is folder-based: a page whose file name is not its URL path was "not found" there,
    # and that dialog stayed over the page it then drew, leaving every button inert.
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.locator("h1")).to_have_text("导入台账")
    upload = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    upload.set_input_files(short_ledger)   # a first check starts the pools of threads a check uses and keeps
    wait_idle(page)
    page.get_by_role("button", name="预检", exact=True).click()
    expect(page.get_by_text("预检通过")).to_be_visible()
    upload.set_input_files(long_ledger)
    expect(page.get_by_text(long_ledger.name)).to_be_visible()
    wait_idle(page)
    level = steady_threads(process)

    page.get_by_role("button", name="预检", exact=True).click()
    expect(page.locator('[data-testid="stProgress"]')).to_be_visible()
    time.sleep(2)   # well inside the check: it reads and checks rows for more than 10 s
    busy_from = process.cpu_times()
    time.sleep(1)
    assert sum(process.cpu_times()[:2]) - sum(busy_from[:2]) > 0.2, "the check should be running"
    clerk.context.close()
    closed = time.monotonic()

    while process.num_threads() > level and time.monotonic() - closed < 5:
        time.sleep(0.1)
    assert process.num_threads() <= level, f"{process.num_threads()} threads 5 s after closing, {level} before"
    quiet_from = process.cpu_times()
    time.sleep(2)
    assert sum(process.cpu_times()[:2]) - sum(quiet_from[:2]) < 0.5, "the server still spends a core"
