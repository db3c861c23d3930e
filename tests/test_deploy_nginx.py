"""The deployment kit for real: two replicas of the app at the sub-path /fupin behind Debian's nginx, run from the
config `python -m fupin deploy` writes (TLS with a certificate made here by openssl, free ports, a prefix of its
own, the replicas' settings from its env.example), and headless Chromium through https://127.0.0.1:PORT/fupin/ —
pages without a CSP violation, a deep link, a CSV download, an import on one replica seen by a session on the other,
a signed-in tab carrying on when its replica stops and uploading once it is back; `deploy --check` on the pair (sign-in
on and off) and on a config without the websocket headers; a short load test through nginx."""

import contextlib
import csv
import getpass
import http.client
import io
import json
import os
import re
import shutil
import signal
import ssl
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser import Visitor, assert_no_exception, free_port, streamlit_server, tiles, wait_idle
from conftest import run_cli
from ledger_samples import csv_file, purchase
from playwright.sync_api import expect

from fupin.auth import accounts
from fupin.settings import PROJECT_ROOT
from fupin.store.store import SnapshotStore
from fupin.store.sync import sync

pytestmark = [pytest.mark.server, pytest.mark.browser, pytest.mark.slow]

VIEWPORT = {"width": 1440, "height": 1200}
BASE_PATH = "fupin"
HUAFENG, HUAFENG_NAME = "140827203", "华峰乡"
PASSWORD = "clerk-pass-1"
# Every Content-Security-Policy violation of a page, as the browser reports it.
CSP_WATCH = """window.__cspViolations = [];
document.addEventListener('securitypolicyviolation',
    (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample || ''}`));"""
NGINX_START_S = 30


@dataclass
class Site:
    """The running deployment: its https URL, the plain HTTP port, the replicas' ports, its files and data, and each
    running replica's server (stopped and started again by the failover test)."""

    url: str
    http_port: int
    replicas: tuple[int, int]
    out: Path
    data: Path
    running: dict[int, contextlib.ExitStack]

    def replica_env(self) -> dict[str, str]:
        """The settings `deploy` wrote into env.example (what systemd gives every replica)."""
        lines = (self.out / "env.example").read_text().splitlines()
        return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))

    def start(self, port: int) -> None:
        stack = contextlib.ExitStack()
        stack.enter_context(streamlit_server(PROJECT_ROOT, self.data, self.out / f"replica-{port}.log", port=port,
                                             base_path=BASE_PATH, env=self.replica_env()))
        self.running[port] = stack

    def stop(self, port: int) -> None:
        self.running.pop(port).close()


def https_get(port: int, path: str, cookie: str | None = None) -> tuple[int, dict]:
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    con = http.client.HTTPSConnection("127.0.0.1", port, timeout=10, context=context)
    try:
        con.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        answer = con.getresponse()
        answer.read()
        return answer.status, dict(answer.getheaders())
    finally:
        con.close()


@contextlib.contextmanager
def nginx(prefix: Path, https_port: int):
    """nginx in the foreground from `prefix`/nginx.conf until it answers on `https_port`; stopped by its pid."""
    process = subprocess.Popen(["nginx", "-p", f"{prefix}/", "-c", "nginx.conf", "-e", "logs/error.log",
                                "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + NGINX_START_S
        while True:
            assert process.poll() is None, process.stderr.read().decode(errors="replace")
            with contextlib.suppress(OSError):
                if https_get(https_port, f"/{BASE_PATH}/")[0] < 500:
                    break
            assert time.monotonic() < deadline, "nginx did not answer"
            time.sleep(0.2)
        yield process
    finally:
        os.kill(process.pid, signal.SIGQUIT)   # a graceful stop of the master and its workers
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="module")
def site(demo_store, tmp_path_factory):
    root = tmp_path_factory.mktemp("deploy")
    data = root / "data"
    sync(demo_store.root, SnapshotStore(data))     # a data folder of its own: the import below changes it
    made = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                           "-keyout", root / "key.pem", "-out", root / "cert.pem", "-subj", "/CN=127.0.0.1",
                           "-addext", "subjectAltName=IP:127.0.0.1"], capture_output=True)
    assert made.returncode == 0, made.stderr
    a, b, https_port, http_port = (free_port() for _ in range(4))
    written = run_cli("deploy", "--out", root / "out", "--server-name", "127.0.0.1", "--base-path", BASE_PATH,
                      "--replicas", f"{a},{b}", "--https-port", https_port, "--http-port", http_port,
                      "--cert", root / "cert.pem", "--key", root / "key.pem", "--nginx-user", getpass.getuser(),
                      data=data)
    assert written.returncode == 0, written.stderr
    site = Site(f"https://127.0.0.1:{https_port}/{BASE_PATH}", http_port, (a, b), root / "out", data, {})
    try:
        for port in (a, b):
            site.start(port)
        with nginx(root / "out" / "nginx", https_port):
            yield site
    finally:
        for port in list(site.running):
            site.stop(port)


@pytest.fixture
def clerk(site):
    """Sign-in on: a clerk of 垣曲县 (the first account switches it on for both replicas)."""
    accounts.add_user(site.data, "li", "clerk", "140827", PASSWORD)
    yield "li"
    (site.data / accounts.FILE_NAME).unlink()                          # back to demo mode for the other tests


def visitor(chromium, site: Site) -> Visitor:
    guest = Visitor(chromium, site.url, VIEWPORT, ignore_https_errors=True)
    guest.context.add_init_script(CSP_WATCH)
    return guest


def replica_of(guest: Visitor) -> str:
    """The replica the affinity cookie pins this browser to."""
    return next(c["value"] for c in guest.context.cookies() if c["name"] == "fupin_srv")


def signed_in(guest: Visitor, path: str, name: str):
    """A new tab on `path`: the app sends it to the sign-in page, which sends it back once signed in."""
    page = guest.new_page()
    page.goto(guest.base_url + path)
    page.wait_for_url("**/auth/signin**")
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(lambda url: "/auth/signin" not in url)
    wait_idle(page)
    assert_no_exception(page)
    return page


def upload_and_check(page, ledger: Path) -> None:
    """On 导入: the ledger uploaded and checked (the upload reaches the replica holding the tab's session)."""
    go_to(page, "导入")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(ledger)
    try:
        expect(page.get_by_test_id("stFileChipName")).to_have_text(ledger.name, timeout=60_000)
    except AssertionError:
        page.screenshot(path=PROJECT_ROOT / "artifacts" / "failures" / "deploy_upload.png")
        raise
    wait_idle(page)
    page.get_by_role("button", name="预检", exact=True).click()
    expect(page.get_by_text("预检通过")).to_be_visible()


def a_ledger(folder: Path, day: int) -> Path:
    """A purchase ledger of one new row (a day of December 2018 no other test's ledger uses)."""
    ledger = folder / "采购台账.csv"
    ledger.write_bytes(csv_file([purchase(date=f"2018-12-{day}", township=HUAFENG_NAME, village="西型马村",
                                          amount="1000000", weight="50000")]).content)
    return ledger


def go_to(page, link: str) -> None:
    """Switch page by the top navigation, in the same session: the page's address changes once its run begins,
    so wait for that before waiting for the run to end (a loaded machine can look idle before it begins)."""
    target = page.get_by_role("link", name=link, exact=True)
    path = urlsplit(target.get_attribute("href")).path
    target.click()
    page.wait_for_url(lambda url: urlsplit(url).path == path)
    wait_idle(page)
    assert_no_exception(page)


def amount_in_wan(data: Path) -> str:
    """The 采购金额 tile of the default view on 2018-12-29, from the command line's brief."""
    brief = run_cli("brief", "--format", "json", "--as-of", "2018-12-29", data=data)
    assert brief.returncode == 0, brief.stderr
    return f"{json.loads(brief.stdout)['purchase_amount_yuan'] / 1e4:.1f}万元"


def test_every_page_a_deep_link_and_a_csv_through_nginx_without_a_csp_violation(site, chromium):
    guest = visitor(chromium, site)
    page = guest.open("/?to=2018-12-29")
    page.screenshot(path=PROJECT_ROOT / "artifacts" / "deploy_nginx_overview.png")
    assert tiles(page)["采购金额"] == amount_in_wan(site.data)
    assert replica_of(guest) in {str(port) for port in site.replicas}
    go_to(page, "采购")
    expect(page.locator("h1")).to_have_text("垣曲县 采购")
    for link in ("抽检", "合作社", "预警", "简报", "导入", "总览"):
        go_to(page, link)
    assert page.evaluate("window.__cspViolations") == []

    linked = guest.open(f"/purchases?to=2018-12-29&township={HUAFENG}")   # a new tab, a new session
    expect(linked.locator("h1")).to_have_text(f"垣曲县 · {HUAFENG_NAME} 采购")
    with linked.expect_download() as info:
        linked.locator(".st-key-csv_records a", has_text="下载 CSV").click()
    raw = info.value.path().read_bytes()
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert raw.startswith(b"\xef\xbb\xbf") and rows and {row["乡镇"] for row in rows} == {HUAFENG_NAME}
    assert info.value.suggested_filename.startswith("采购明细_垣曲县_华峰乡_")
    assert linked.evaluate("window.__cspViolations") == []
    assert guest.blocked == [] and guest.page_errors == []
    guest.context.close()


def test_an_import_lands_on_its_replica_and_a_session_on_the_other_sees_it(site, chromium, clerk, tmp_path):
    ledger = a_ledger(tmp_path, 20)
    writer = visitor(chromium, site)
    page = signed_in(writer, "/?to=2018-12-29", clerk)
    mine = replica_of(writer)
    other = next(str(port) for port in site.replicas if str(port) != mine)

    viewer = visitor(chromium, site)                                    # pinned to the other replica
    viewer.context.add_cookies([{"name": "fupin_srv", "value": other, "domain": "127.0.0.1",
                                 "path": f"/{BASE_PATH}/", "secure": True, "httpOnly": True}])
    view = signed_in(viewer, "/?to=2018-12-29", clerk)
    before = tiles(view)["采购金额"]
    assert replica_of(viewer) == other

    current = SnapshotStore(site.data).current_id()
    upload_and_check(page, ledger)
    page.get_by_role("button", name="确认导入", exact=True).click()
    expect(page.get_by_text("已导入采购台账：新增 1 行")).to_be_visible()
    assert replica_of(writer) == mine                                   # the upload went to the session's replica
    assert SnapshotStore(site.data).current_id() != current

    go_to(view, "采购")                                                 # the other replica's next run
    shown = tiles(view)
    assert shown.get("采购金额") == f"{float(before.removesuffix('万元')) + 100:.1f}万元", (shown, view.url)
    assert replica_of(viewer) == other
    for guest in (writer, viewer):
        assert guest.blocked == [] and guest.page_errors == []
        guest.context.close()


def test_a_signed_in_tab_carries_on_when_its_replica_stops_and_uploads_once_it_is_back(site, chromium, clerk, tmp_path):
    guest = visitor(chromium, site)
    page = signed_in(guest, "/purchases?to=2018-12-29", clerk)
    served = int(replica_of(guest))
    other = next(port for port in site.replicas if port != served)
    site.stop(served)                                                   # failover: the tab reconnects through nginx
    try:
        expect(page.locator('[data-testid="stSidebar"]')).to_contain_text("已登录：li", timeout=120_000)
        deadline = time.monotonic() + 120
        while replica_of(guest) != str(other):
            assert time.monotonic() < deadline, "the tab did not move to the other replica"
            time.sleep(0.2)
        wait_idle(page)
        expect(page.locator("h1")).to_have_text("垣曲县 采购")
        assert tiles(page)["采购金额"]
    finally:
        site.start(served)                                              # failback
    upload_and_check(page, a_ledger(tmp_path, 21))
    assert replica_of(guest) == str(other)                              # still the replica holding its session
    fresh = visitor(chromium, site)                                     # and the restored replica serves again
    fresh.context.add_cookies([{"name": "fupin_srv", "value": str(served), "domain": "127.0.0.1",
                                "path": f"/{BASE_PATH}/", "secure": True, "httpOnly": True}])
    again = signed_in(fresh, "/?to=2018-12-29", clerk)
    assert replica_of(fresh) == str(served)
    upload_and_check(again, a_ledger(tmp_path, 22))
    for each in (guest, fresh):
        assert each.blocked == []
        each.context.close()


def check_passes(site: Site) -> list[str]:
    checked = run_cli("deploy", "--check", site.url + "/", "--insecure", "--http-port", site.http_port)
    lines = checked.stdout.strip().splitlines()
    assert checked.returncode == 0 and checked.stderr == "", checked.stdout
    assert all(line.startswith("通过") for line in lines), lines
    assert {f"副本 {port}" for port in site.replicas} <= {line.split("：")[0].split("  ")[1] for line in lines}
    return lines


def test_deploy_check_passes_with_sign_in_on(site, clerk):
    websocket = next(line for line in check_passes(site) if "WebSocket" in line)
    assert "到达应用" in websocket, websocket


def test_deploy_check_passes_on_the_pair_and_fails_without_the_websocket_headers(site, tmp_path):
    check_passes(site)

    broken = tmp_path / "nginx"                                         # the same site, the two lines left out
    (broken / "logs").mkdir(parents=True)
    (broken / "tmp").mkdir()
    https_port, http_port = free_port(), free_port()
    old_https = site.url.split(":")[2].split("/")[0]
    shutil.copy(site.out / "nginx" / "nginx.conf", broken / "nginx.conf")
    conf = (site.out / "nginx" / "fupin.conf").read_text()
    conf = re.sub(rf"\b{old_https}\b", str(https_port), re.sub(rf"\b{site.http_port}\b", str(http_port), conf))
    kept = [line for line in conf.splitlines()
            if "proxy_set_header Upgrade" not in line and "proxy_set_header Connection" not in line]
    assert len(kept) == len(conf.splitlines()) - 4
    (broken / "fupin.conf").write_text("\n".join(kept) + "\n")
    with nginx(broken, https_port):
        failed = run_cli("deploy", "--check", f"https://127.0.0.1:{https_port}/{BASE_PATH}/", "--insecure",
                         "--http-port", http_port)
    assert failed.returncode == 1, failed.stdout
    failures = [line for line in failed.stdout.splitlines() if line.startswith("失败")]
    assert len(failures) == 1 and "WebSocket" in failures[0] and "HTTP 200" in failures[0], failed.stdout


def test_a_short_load_test_of_signed_in_sessions_through_nginx_has_no_errors(site, clerk):
    done = run_cli("loadtest", "--url", site.url + "/", "--insecure", "--clients", "websocket", "--sessions", 6,
                   "--seconds", 15, "--ramp", 3, "--think", 2, "--user", clerk, data=site.data,
                   env={"FUPIN_LOADTEST_PASSWORD": PASSWORD})
    assert done.returncode == 0, done.stdout + done.stderr
    assert " 0 errors, 6/6 sessions saw a KPI tile" in done.stdout, done.stdout
