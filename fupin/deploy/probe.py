"""`python -m fupin deploy --check URL`: probe a running deployment from outside, one line per check.

Through nginx as a browser reaches it: the HTTPS page and its security headers, the redirect from plain HTTP, the
affinity cookie and each replica it names (pinned by that cookie: its `/readyz`), the websocket upgrade (refused by
the app itself when sign-in is on and the probe has no session: that refusal still proves the upgrade got through), metrics kept from the public, and a 5 MB upload reaching the
app rather than nginx's 413.
"""

import http.client
import json
import ssl
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

from .render import COOKIE

UPLOAD_BYTES = 5 * 1024 * 1024
# Requests without the cookie that may be needed to meet every replica (nginx deals them round robin).
DISCOVERY_REQUESTS = 8
# What a browser's page load says (with sign-in on, the app answers it with its sign-in page rather than 401).
PAGE_LOAD = {"Accept": "text/html"}
SECURITY_HEADERS = ("strict-transport-security", "x-content-type-options", "content-security-policy")


@dataclass(frozen=True)
class Check:
    """One probe: what, whether it passed, and what was seen."""

    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{'通过' if self.ok else '失败'}  {self.name}：{self.detail}"


@dataclass(frozen=True)
class Answer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name), None)

    def cookie(self) -> str | None:
        """The replica named by the answer's affinity cookie."""
        for key, value in self.headers:
            if key.lower() == "set-cookie":
                jar = SimpleCookie()
                jar.load(value)
                if COOKIE in jar:
                    return jar[COOKIE].value
        return None


class Site:
    """The deployment at an https URL (`https://host:port/base/`)."""

    def __init__(self, url: str, insecure: bool = False, http_port: int = 80, timeout_s: float = 15.0):
        parts = urlsplit(url)
        if parts.scheme != "https" or not parts.hostname:
            raise ValueError(f"--check 需要 https 地址，例如 https://fupin.example.gov.cn/fupin/：{url!r}")
        self.host, self.port = parts.hostname, parts.port or 443
        self.path = parts.path.rstrip("/") + "/"
        self.http_port = http_port
        self.timeout_s = timeout_s
        self.tls = ssl.create_default_context()
        if insecure:
            self.tls.check_hostname = False
            self.tls.verify_mode = ssl.CERT_NONE

    @property
    def origin(self) -> str:
        return f"https://{self.host}" + ("" if self.port == 443 else f":{self.port}")

    def request(self, method: str, path: str, replica: str | None = None, body: bytes | None = None,
                plain: bool = False, headers: dict | None = None) -> Answer:
        """One request (redirects not followed), pinned to a replica by the cookie when given."""
        if plain:
            con = http.client.HTTPConnection(self.host, self.http_port, timeout=self.timeout_s)
        else:
            con = http.client.HTTPSConnection(self.host, self.port, timeout=self.timeout_s, context=self.tls)
        sent = {**({"Cookie": f"{COOKIE}={replica}"} if replica else {}), **(headers or {})}
        try:
            con.request(method, path, body=body, headers=sent)
            answer = con.getresponse()
            return Answer(answer.status, answer.getheaders(), answer.read(64 * 1024))
        finally:
            con.close()


def _page(site: Site) -> tuple[list[Check], set[str]]:
    """The page over HTTPS, its headers, and the replicas its affinity cookie names."""
    checks, replicas = [], set()
    first = site.request("GET", site.path, headers=PAGE_LOAD)
    signin = "/auth/signin" in (first.header("location") or "")
    checks.append(Check("HTTPS", first.status < 400, f"GET {site.path} → HTTP {first.status}"
                        + ("（登录已开启：转到登录页）" if signin else "")))
    missing = [name for name in SECURITY_HEADERS if not first.header(name)]
    checks.append(Check("安全响应头", not missing, "缺少 " + "、".join(missing) if missing else
                        "HSTS、X-Content-Type-Options、Content-Security-Policy 都在"))
    if first.cookie():
        replicas.add(first.cookie())
    for _ in range(DISCOVERY_REQUESTS):
        named = site.request("GET", site.path, headers=PAGE_LOAD).cookie()
        if named:
            replicas.add(named)
    checks.append(Check("亲和 Cookie", bool(replicas),
                        f"{COOKIE} 指向副本 {'、'.join(sorted(replicas))}" if replicas else f"响应中没有 {COOKIE} Cookie"))
    return checks, replicas


def _redirect(site: Site) -> Check:
    try:
        answer = site.request("GET", site.path, plain=True)
    except OSError as e:
        return Check("HTTP 跳转到 HTTPS", False, f"http://{site.host}:{site.http_port} 无法连接（{e}）")
    location = answer.header("location") or ""
    ok = answer.status in (301, 308) and location.startswith(site.origin + "/")
    return Check("HTTP 跳转到 HTTPS", ok, f"HTTP {answer.status} → {location or '（无 Location）'}")


def _replica(site: Site, replica: str) -> Check:
    """A replica pinned by the cookie: its /readyz answers 200 (its JSON says what it serves, or why not)."""
    name = f"副本 {replica}"
    ready = site.request("GET", site.path + "readyz", replica)
    if ready.cookie() not in (None, replica):
        return Check(name, False, f"按 Cookie 固定到 {replica}，却由 {ready.cookie()} 应答（亲和失效或该副本已停止）")
    try:
        detail = json.dumps(json.loads(ready.body), ensure_ascii=False)[:200]
    except ValueError:
        detail = repr(ready.body[:80])
    return Check(name, ready.status == 200, f"/readyz → HTTP {ready.status} {detail}")


def _websocket(site: Site, replica: str | None) -> Check:
    from websockets.exceptions import InvalidStatus, WebSocketException
    from websockets.sync.client import connect

    url = f"wss://{site.host}:{site.port}{site.path}_stcore/stream"
    try:
        with connect(url, ssl=site.tls, subprotocols=["streamlit"], origin=site.origin, open_timeout=site.timeout_s,
                     additional_headers={"Cookie": f"{COOKIE}={replica}"} if replica else None) as ws:
            return Check("WebSocket", True, f"{site.path}_stcore/stream 升级成功（{ws.subprotocol}）")
    except InvalidStatus as e:
        if e.response.status_code == 403 and b"<center>nginx" not in (e.response.body or b""):
            return Check("WebSocket", True, f"{site.path}_stcore/stream 升级请求到达应用（登录已开启，未登录的连接被应用拒绝）")
        hint = "（nginx 缺少 Upgrade/Connection 请求头？）" if e.response.status_code == 200 else ""
        return Check("WebSocket", False, f"升级失败：HTTP {e.response.status_code}{hint}")
    except (WebSocketException, OSError, TimeoutError) as e:
        return Check("WebSocket", False, f"升级失败：{type(e).__name__}: {e}")


def _metrics(site: Site) -> Check:
    """Neither Streamlit's metrics nor the app's answer an anonymous visitor with figures."""
    seen = []
    for path in ("_stcore/metrics", "metrics"):
        answer = site.request("GET", site.path + path)
        public = answer.status == 200 and (b"# TYPE" in answer.body or b"# HELP" in answer.body)
        seen.append((path, answer.status, public))
    exposed = [path for path, _, public in seen if public]
    return Check("指标不公开", not exposed, "、".join(f"/{p} → HTTP {s}" for p, s, _ in seen)
                 + (f"：{'、'.join(exposed)} 对外公开" if exposed else ""))


def _upload(site: Site, replica: str | None) -> Check:
    """A 5 MB PUT to Streamlit's upload route: any answer of the app (it refuses an unknown session) means nginx let
    it through; 413 means client_max_body_size is too small."""
    answer = site.request("PUT", site.path + "_stcore/upload_file/probe/probe", replica, body=b"\0" * UPLOAD_BYTES,
                          headers={"Content-Type": "application/octet-stream"})
    by_nginx = answer.status in (413, 502, 503, 504) or b"<center>nginx" in answer.body
    return Check("上传 5 MB", not by_nginx, f"PUT 5 MB → HTTP {answer.status}"
                 + ("（nginx 拒绝：client_max_body_size 太小）" if answer.status == 413 else
                    "（由 nginx 应答，未到达应用）" if by_nginx else "（已到达应用）"))


def probe(url: str, insecure: bool = False, http_port: int = 80) -> list[Check]:
    """Every check of a deployment, in order; a check that cannot connect fails with the reason."""
    site = Site(url, insecure, http_port)
    try:
        checks, replicas = _page(site)
    except (OSError, ssl.SSLError, http.client.HTTPException) as e:
        return [Check("HTTPS", False, f"{url} 无法访问（{type(e).__name__}: {e}）")]
    checks.append(_redirect(site))
    pinned = min(replicas) if replicas else None
    checks.append(_websocket(site, pinned))
    checks += [_replica(site, replica) for replica in sorted(replicas)]
    checks.append(_metrics(site))
    checks.append(_upload(site, pinned))
    return checks
