"""The app's own routes and middleware (fupin.service) in front of a stand-in for Streamlit, through Starlette's
test client: the sign-in page and its cookie, CSRF and Origin, the lock-out's one message, the gate, sign-out,
/readyz, /metrics and the streamed downloads. The same parts run in a real server in tests/test_app_service.py."""

import csv
import io
import re
from urllib.parse import parse_qs, urlparse

import pytest
from conftest import write_snapshot
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse, RedirectResponse
from starlette.routing import Route, WebSocketRoute
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from fupin.auth import accounts, audit, grants, sessions
from fupin.query.filters import Filter
from fupin.report.exports import RecordExport
from fupin.service import parts
from fupin.store.store import SnapshotStore

PASSWORD = "huafeng-2018"
HUAFENG, XINCHENG = "140827203", "140827100"
LOOPBACK = ("127.0.0.1", 50123)


def stand_in() -> list:
    """Streamlit's part, as far as the gate is concerned: pages echo the client header, the websocket, logout."""
    async def page(request):
        return PlainTextResponse(request.headers.get("x-fupin-client", ""))

    async def stream(websocket):
        await websocket.accept()
        await websocket.send_text(websocket.headers.get("x-fupin-client", ""))
        await websocket.close()

    async def logout(request):
        return RedirectResponse("/dash/", status_code=302)

    return [Route("/dash/auth/logout", logout), WebSocketRoute("/dash/_stcore/stream", stream),
            Route("/{path:path}", page, methods=["GET", "POST", "PUT"])]


@pytest.fixture(scope="module")
def store(tmp_path_factory, tiny_tables_data) -> SnapshotStore:
    """Two snapshots of the tiny data (the older one to fall back on), and sign-in on."""
    store = SnapshotStore(tmp_path_factory.mktemp("service"))
    write_snapshot(store, tiny_tables_data)
    write_snapshot(store, tiny_tables_data)
    accounts.add_user(store.root, "hf", "township", HUAFENG, PASSWORD)
    return store


@pytest.fixture
def data(store, monkeypatch):
    monkeypatch.setenv("FUPIN_DATA", str(store.root))
    for name in ("FUPIN_TRUSTED_PROXIES", "FUPIN_METRICS_TOKEN", "FORWARDED_ALLOW_IPS"):
        monkeypatch.delenv(name, raising=False)
    return store.root


def browser(peer=LOOPBACK, base_url="http://dash.example", **kwargs) -> TestClient:
    """A browser at `peer` (the test client's address as the server sees it) on the app at /dash."""
    app = Starlette(routes=[*parts.routes("dash", lambda: False), *stand_in()],
                    middleware=parts.middleware("/dash/", lambda: False))
    return TestClient(app, base_url=base_url, client=peer, follow_redirects=False, **kwargs)


def form_fields(response) -> dict[str, str]:
    return dict(re.findall(r'name="(\w+)" value="([^"]*)"', response.text))


def post_form(client: TestClient, name: str, password: str, **changes) -> object:
    shown = client.get("/dash/auth/signin", params={"next": "/dash/purchases?township=140827203"})
    fields = {**form_fields(shown), "name": name, "password": password, **changes}
    return client.post("/dash/auth/signin", data=fields, headers={"Origin": "http://dash.example"})


def signed_in(data) -> TestClient:
    client = browser()
    assert post_form(client, "hf", PASSWORD).status_code == 303
    return client


@pytest.mark.parametrize("lang, words", [("zh", ("登录", "用户名", "密码", "English")),
                                         ("en", ("Sign in", "User name", "Password", "中文"))])
def test_the_form_is_the_apps_in_the_chosen_language(data, lang, words):
    page = browser().get("/dash/auth/signin", params={"lang": lang})
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    title, name, password, other = words
    assert f"<h1>{title}</h1>" in page.text and f">{name}</label>" in page.text and f">{password}</label>" in page.text
    assert f">{other}</a>" in page.text and 'autocomplete="current-password"' in page.text
    cookie = page.headers["set-cookie"]
    assert cookie.startswith("fupin_presession=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Path=/dash" in cookie and "Secure" not in cookie


def test_signing_in_sets_a_session_cookie_and_goes_where_the_link_went(data):
    client = browser()
    answer = post_form(client, "hf", PASSWORD)
    assert answer.status_code == 303 and answer.headers["location"] == "/dash/purchases?township=140827203"
    cookie = [c for c in answer.headers.get_list("set-cookie") if c.startswith("fupin_session=")][0]
    assert all(part in cookie for part in ("HttpOnly", "SameSite=lax", "Path=/dash", "Max-Age=604800"))
    assert "Secure" not in cookie
    assert client.get("/dash/purchases").text == "127.0.0.1 direct loopback"
    entry = audit.entries(data)[-1]
    assert (entry["who"], entry["action"], entry["client"]) == ("hf", "sign_in", "127.0.0.1")


def test_behind_a_trusted_https_proxy_the_cookie_is_secure_and_the_client_forwarded(data, monkeypatch):
    monkeypatch.setenv("FUPIN_TRUSTED_PROXIES", "127.0.0.1")
    # the proxy ends TLS: the browser's side is https (Secure cookies come back), the app's plain http
    client = browser(base_url="https://dash.example",
                     headers={"X-Forwarded-For": "10.20.30.40", "X-Forwarded-Proto": "https"})
    shown = client.get("/dash/auth/signin")
    answer = client.post("/dash/auth/signin", data={**form_fields(shown), "name": "hf", "password": PASSWORD},
                         headers={"Origin": "https://dash.example"})
    assert answer.status_code == 303 and "Secure" in answer.headers["set-cookie"]
    assert audit.entries(data)[-1]["client"] == "10.20.30.40"


@pytest.mark.parametrize("changes, origin, reason", [
    ({"csrf": ""}, "http://dash.example", "表单令牌缺失或无效（CSRF）"),
    ({"csrf": "1999999999.forged"}, "http://dash.example", "表单令牌缺失或无效（CSRF）"),
    ({}, "http://evil.example", "来源不符（Origin 不是本站）"),
    ({}, "null", "来源不符（Origin 不是本站）"),
])
def test_a_post_without_the_token_or_from_another_origin_is_refused_and_recorded(data, changes, origin, reason):
    client = browser()
    fields = {**form_fields(client.get("/dash/auth/signin")), "name": "hf", "password": PASSWORD, **changes}
    answer = client.post("/dash/auth/signin", data=fields, headers={"Origin": origin})
    assert answer.status_code == 403 and "fupin_session" not in answer.headers.get("set-cookie", "")
    entry = audit.entries(data)[-1]
    assert (entry["who"], entry["action"], entry["reason"], entry["client"]) == ("hf", "sign_in_failed", reason,
                                                                                "127.0.0.1")


def test_a_token_of_another_browser_is_refused(data):
    theirs = form_fields(browser().get("/dash/auth/signin"))["csrf"]
    mine = browser()
    fields = {**form_fields(mine.get("/dash/auth/signin")), "csrf": theirs, "name": "hf", "password": PASSWORD}
    assert mine.post("/dash/auth/signin", data=fields).status_code == 403


def test_wrong_names_and_passwords_read_alike_and_lock_the_name(data, tmp_path, monkeypatch):
    monkeypatch.setenv("FUPIN_DATA", str(tmp_path))
    accounts.add_user(tmp_path, "hf", "township", HUAFENG, PASSWORD)
    client = browser()
    unknown = post_form(client, "nobody", PASSWORD)
    wrong = [post_form(client, "hf", "wrong-password") for _ in range(4)]
    assert {page.status_code for page in [unknown, *wrong]} == {200}
    told = {re.search(r'class="error" role="alert">([^<]*)<', page.text)[1] for page in [unknown, *wrong]}
    assert told == {"用户名或密码错误。"}
    locked = post_form(client, "hf", "wrong-password")
    right = post_form(client, "hf", PASSWORD)
    assert "已锁定至" in locked.text and "已锁定至" in right.text and right.status_code == 200
    assert 'value="hf"' in right.text and PASSWORD not in right.text
    actions = [(e["who"], e["action"]) for e in audit.entries(tmp_path)]
    assert actions.count(("hf", "sign_in_failed")) == 5 and actions.count(("hf", "sign_in_locked")) == 2
    assert actions[0] == ("nobody", "sign_in_failed")


def test_empty_fields_are_told_and_not_counted(data, tmp_path, monkeypatch):
    monkeypatch.setenv("FUPIN_DATA", str(tmp_path))
    accounts.add_user(tmp_path, "hf", "township", HUAFENG, PASSWORD)
    assert "请输入用户名和密码。" in post_form(browser(), "", "").text and audit.entries(tmp_path) == []


def test_without_a_session_pages_go_to_the_form_and_the_rest_is_refused(data):
    client = browser()
    page = client.get("/dash/purchases?township=140827100", headers={"Accept": "text/html"})
    assert page.status_code == 303
    assert parse_qs(urlparse(page.headers["location"]).query)["next"] == ["/dash/purchases?township=140827100"]
    assert client.put("/dash/_stcore/upload_file/x/y").status_code == 401
    assert client.get("/dash/media/abc.csv").status_code == 401
    assert client.post("/dash/_stcore/agent/interact", json={}).status_code == 401
    with pytest.raises(WebSocketDisconnect) as refused:
        with client.websocket_connect("/dash/_stcore/stream"):
            pass
    assert refused.value.code == 1008
    assert client.get("/dash/_stcore/health").status_code == 200 and client.get("/dash/healthz").text == "ok"
    assert client.get("/dash/static/js/index.js").status_code == 200   # the front end's code: the same for everyone


def test_a_session_opens_the_websocket_and_a_forged_client_header_is_replaced(data):
    client = signed_in(data)
    forged = {"X-Fupin-Client": "127.0.0.1 direct loopback", "X-Forwarded-For": "8.8.8.8"}
    with client.websocket_connect("ws://dash.example/dash/_stcore/stream", headers=forged) as socket:
        assert socket.receive_text() == "127.0.0.1 forwarded loopback"


def test_signing_out_through_streamlits_logout_ends_the_session_everywhere(data):
    client = signed_in(data)
    session_id = client.cookies["fupin_session"]
    other = browser(cookies={"fupin_session": session_id})
    assert other.get("/dash/").status_code == 200
    answer = client.get("/dash/auth/logout")
    assert answer.status_code == 302 and 'fupin_session=""' in answer.headers["set-cookie"]
    assert sessions.user_of(data, session_id) is None
    assert other.get("/dash/", headers={"Accept": "text/html"}).status_code == 303


def test_disabling_the_account_shuts_the_gate_at_the_next_request(data, tmp_path, monkeypatch):
    monkeypatch.setenv("FUPIN_DATA", str(tmp_path))
    accounts.add_user(tmp_path, "hf", "township", HUAFENG, PASSWORD)
    client = signed_in(tmp_path)
    assert client.get("/dash/").status_code == 200
    accounts.disable_user(tmp_path, "hf")
    assert client.get("/dash/", headers={"Accept": "text/html"}).status_code == 303


def test_demo_mode_opens_everything_and_tells_the_page_the_client(tmp_path, monkeypatch):
    monkeypatch.setenv("FUPIN_DATA", str(tmp_path))
    monkeypatch.setenv("FUPIN_TRUSTED_PROXIES", "127.0.0.2")
    assert browser().get("/dash/import").text == "127.0.0.1 direct loopback"
    assert browser(headers={"X-Forwarded-For": "10.1.1.1"}).get("/dash/").text == "127.0.0.1 forwarded loopback"
    assert browser(("127.0.0.2", 40000), headers={"X-Forwarded-For": "10.1.1.1"}).get("/dash/").text == \
        "10.1.1.1 forwarded proxy"
    assert browser().get("/dash/auth/signin").status_code == 303   # nothing to sign in to


def test_readiness_follows_the_current_snapshot(data, store):
    client = browser(("10.1.1.1", 40000))   # probes need no session and no trusted address
    ready = client.get("/dash/readyz")
    assert ready.status_code == 200, ready.text
    body = ready.json()
    assert body["ready"] and body["verified"] and body["snapshot"] == store.current_id() and body["reasons"] == []
    assert body["free_disk_gb"] > 1 and body["sessions"] >= 0 and body["as_of"] == "2018-12-29"
    current, older = store.current(), store.list()[0]
    path = current.file_paths("villages")[0]
    original = path.read_bytes()
    try:
        path.write_bytes(original[:100] + bytes([255 - original[100]]) + original[101:])
        damaged = client.get("/dash/readyz")
        assert damaged.status_code == 503 and not damaged.json()["verified"]
        assert any("villages" in reason for reason in damaged.json()["reasons"])
        store.set_current(older.id)
        assert client.get("/dash/readyz").status_code == 200
    finally:
        path.write_bytes(original)
        store.set_current(current.id)


@pytest.mark.parametrize("peer, headers, token, allowed", [
    (LOOPBACK, {}, None, True),
    (LOOPBACK, {"X-Forwarded-For": "10.1.1.1"}, None, False),        # forged, from loopback
    (("10.1.1.1", 40000), {}, None, False),
    (("10.1.1.1", 40000), {"Authorization": "Bearer a-metrics-token-of-length"}, "a-metrics-token-of-length", True),
    (("10.1.1.1", 40000), {"Authorization": "Bearer wrong-token-of-some-length"}, "a-metrics-token-of-length", False),
])
def test_metrics_only_for_operators(data, monkeypatch, peer, headers, token, allowed):
    if token:
        monkeypatch.setenv("FUPIN_METRICS_TOKEN", token)
    client = browser(peer, headers=headers)
    ours, streamlits = client.get("/dash/metrics"), client.get("/dash/_stcore/metrics")
    assert (ours.status_code, streamlits.status_code) == ((200, 200) if allowed else (403, 403))
    if allowed:
        assert "fupin_sign_ins_total" in ours.text and "fupin_snapshot_as_of_timestamp_seconds 1.5460416e+09" \
            in ours.text


def test_a_trusted_proxy_may_read_metrics_but_not_for_a_visitor_it_forwards(data, monkeypatch):
    monkeypatch.setenv("FUPIN_TRUSTED_PROXIES", "10.0.0.5")
    assert browser(("10.0.0.5", 40000)).get("/dash/metrics").status_code == 200
    assert browser(("10.0.0.5", 40000), headers={"X-Forwarded-For": "1.2.3.4"}).get("/dash/metrics").status_code == 403


def export(store, township=HUAFENG, lock=HUAFENG) -> RecordExport:
    as_of = store.current().as_of
    flt = Filter(as_of.replace(month=1, day=1), as_of, counties=("140827",), township=township, township_lock=lock)
    return RecordExport("purchases", store.current_id(), flt, "zh", "采购明细", ("垣曲县", "华峰乡"))


def test_a_download_streams_only_the_holders_rows_in_their_browser(data, store, tiny_tables_data):
    client = signed_in(data)
    token = grants.issue(data, export(store).text(), grants.Holder("password", "hf"), client.cookies)
    answer = client.get(f"/dash/download/csv?t={token}")
    assert answer.status_code == 200 and answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert "filename*=UTF-8''%E9%87%87%E8%B4%AD%E6%98%8E%E7%BB%86_%E5%9E%A3" in answer.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    purchases = tiny_tables_data["purchases"]
    expected = purchases[(purchases["township_code"] == HUAFENG) & (purchases["purchase_date"].astype(str) >= "2018")]
    assert len(rows) == len(expected) > 0 and {row["乡镇"] for row in rows} == {"华峰乡"}
    workbook = client.get(f"/dash/download/xlsx?t={token}")
    assert workbook.status_code == 200 and workbook.content[:2] == b"PK"
    assert browser().get(f"/dash/download/csv?t={token}").status_code in (401, 403)   # another browser


def test_a_download_outside_the_holders_scope_is_refused(data, store):
    client = signed_in(data)
    wider = export(store, township=XINCHENG, lock=None)
    token = grants.issue(data, wider.text(), grants.Holder("password", "hf"), client.cookies)
    answer = client.get(f"/dash/download/csv?t={token}")
    assert answer.status_code == 403 and "无权下载" in answer.text
