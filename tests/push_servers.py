"""Local stand-ins for the providers a subscription sends to: one HTTP server that speaks the 企业微信 and 钉钉 group
robot contracts as their documentation describes them, and an SMTP server (aiosmtpd) that keeps what it receives."""

import base64
import email
import email.policy
import hmac
import json
import socket
import ssl
import subprocess
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

WECOM_MARKDOWN_MAX = 4096
WECOM_FILE_BYTES = (5, 20 * 1024 * 1024)   # larger than 5 B, at most 20 MB
DINGTALK_SKEW_MS = 3600_000                 # a timestamp more than an hour off is refused


@dataclass
class Received:
    """One request as the server saw it."""

    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    payload: dict | None = None
    file: tuple[str, bytes] | None = None     # an upload's filename and bytes
    answer: dict = field(default_factory=dict)
    status: int = 200


def _multipart_file(content_type: str, body: bytes) -> tuple[str, str, bytes] | None:
    """The field name, filename and bytes of the one file of a multipart/form-data body."""
    message = email.message_from_bytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body,
                                       policy=email.policy.HTTP)
    for part in message.iter_parts():
        disposition = part.get("Content-Disposition", "")
        params = {k: v.strip('"') for k, v in (p.strip().split("=", 1) for p in disposition.split(";")[1:] if "=" in p)}
        name, filename = params.get("name", ""), params.get("filename", "")
        if filename:
            data = part.get_payload(decode=True)
            if "filelength" in params and int(params["filelength"]) != len(data):
                return None
            return name, filename, data
    return None


def dingtalk_expected_sign(secret: str, timestamp: str) -> str:
    """The signature as 钉钉 checks it (before URL-encoding): base64(HMAC-SHA256(secret, timestamp + "\\n" + secret))."""
    mac = hmac.HMAC(bytes(secret, "utf-8"), digestmod="sha256")
    mac.update(bytes(timestamp + "\n" + secret, "utf-8"))
    return base64.standard_b64encode(mac.digest()).decode("ascii")


class RobotServer:
    """企业微信 (`/cgi-bin/webhook/send?key=`, `/cgi-bin/webhook/upload_media?key=&type=file`) and 钉钉
    (`/robot/send?access_token=[&timestamp=&sign=]`) robots on 127.0.0.1. Every request is kept in `received`;
    `plan(status, answer)` queues answers for the next requests (else errcode 0); a 钉钉 token registered with a
    secret must be signed."""

    def __init__(self):
        self.received: list[Received] = []
        self.planned: deque[tuple[int, dict]] = deque()
        self.dingtalk_secrets: dict[str, str] = {}
        self.media: dict[str, tuple[str, bytes]] = {}
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                parts = urlsplit(self.path)
                request = Received(parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()},
                                   {k.lower(): v for k, v in self.headers.items()}, body)
                with server.lock:
                    server.received.append(request)
                    status, answer = server.planned.popleft() if server.planned else server.answer(request)
                request.status, request.answer = status, answer
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def wecom_url(self, key: str) -> str:
        return f"{self.base}/cgi-bin/webhook/send?key={key}"

    def dingtalk_url(self, token: str, secret: str | None = None) -> str:
        if secret:
            self.dingtalk_secrets[token] = secret
        return f"{self.base}/robot/send?access_token={token}"

    def plan(self, status: int, answer: dict | None = None, times: int = 1) -> None:
        """The next `times` requests get this answer, whatever they hold."""
        for _ in range(times):
            self.planned.append((status, answer if answer is not None else {"errcode": 0, "errmsg": "ok"}))

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def of(self, path: str) -> list[Received]:
        return [r for r in self.received if r.path == path]

    def answer(self, request: Received) -> tuple[int, dict]:
        if request.path == "/cgi-bin/webhook/send":
            return self._wecom_send(request)
        if request.path == "/cgi-bin/webhook/upload_media":
            return self._wecom_upload(request)
        if request.path == "/robot/send":
            return self._dingtalk_send(request)
        return 404, {"errcode": 404, "errmsg": "no such api"}

    @staticmethod
    def _json(request: Received) -> dict | None:
        try:
            request.payload = json.loads(request.body)
        except ValueError:
            return None
        return request.payload

    def _wecom_send(self, request: Received) -> tuple[int, dict]:
        if not request.query.get("key"):
            return 200, {"errcode": 93000, "errmsg": "invalid webhook url"}
        payload = self._json(request)
        if payload is None or not request.headers.get("content-type", "").startswith("application/json"):
            return 200, {"errcode": 40035, "errmsg": "invalid args"}
        kind = payload.get("msgtype")
        if kind == "markdown":
            content = payload.get("markdown", {}).get("content", "")
            if not content or len(content.encode("utf-8")) > WECOM_MARKDOWN_MAX:
                return 200, {"errcode": 40058, "errmsg": "markdown.content exceed max length 4096"}
        elif kind == "file":
            if payload.get("file", {}).get("media_id") not in self.media:
                return 200, {"errcode": 40007, "errmsg": "invalid media_id"}
        else:
            return 200, {"errcode": 40008, "errmsg": f"invalid message type {kind}"}
        return 200, {"errcode": 0, "errmsg": "ok"}

    def _wecom_upload(self, request: Received) -> tuple[int, dict]:
        if not request.query.get("key") or request.query.get("type") != "file":
            return 200, {"errcode": 40004, "errmsg": "invalid media type"}
        found = _multipart_file(request.headers.get("content-type", ""), request.body)
        if found is None or found[0] != "media":
            return 200, {"errcode": 40035, "errmsg": "invalid args: media"}
        _, filename, data = found
        if not WECOM_FILE_BYTES[0] < len(data) <= WECOM_FILE_BYTES[1]:
            return 200, {"errcode": 40006, "errmsg": "invalid media size"}
        media_id = f"media-{len(self.media) + 1}"
        self.media[media_id] = (filename, data)
        request.file = (filename, data)
        return 200, {"errcode": 0, "errmsg": "ok", "type": "file", "media_id": media_id,
                     "created_at": str(int(time.time()))}

    def _dingtalk_send(self, request: Received) -> tuple[int, dict]:
        token = request.query.get("access_token")
        if not token:
            return 200, {"errcode": 300001, "errmsg": "token is not exist"}
        secret = self.dingtalk_secrets.get(token)
        if secret is not None:
            stamp, sign = request.query.get("timestamp", ""), request.query.get("sign", "")
            if not stamp.isdigit() or abs(int(stamp) - int(time.time() * 1000)) > DINGTALK_SKEW_MS:
                return 200, {"errcode": 310000, "errmsg": "invalid timestamp"}
            if not hmac.compare_digest(sign, dingtalk_expected_sign(secret, stamp)):
                return 200, {"errcode": 310000, "errmsg": "sign not match"}
        payload = self._json(request)
        if payload is None:
            return 200, {"errcode": 43000, "errmsg": "param error"}
        kind = payload.get("msgtype")
        body = payload.get(kind, {}) if isinstance(payload.get(kind), dict) else {}
        needed = {"markdown": ("title", "text"), "actionCard": ("title", "text", "singleTitle", "singleURL")}
        if kind not in needed or not all(body.get(name) for name in needed[kind]):
            return 200, {"errcode": 40035, "errmsg": "缺少参数 json"}
        return 200, {"errcode": 0, "errmsg": "ok"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 (and its key) that the client trusts through FUPIN_SMTP_CAFILE."""
    cert, key = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key


class MailServer:
    """An SMTP server (aiosmtpd) on 127.0.0.1 that keeps every message and login: plain, STARTTLS (required) or SSL,
    asking for a login when `users` are given."""

    def __init__(self, security: str, cert: tuple[Path, Path] | None = None, users: dict[str, str] | None = None):
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.logins: list[tuple[str, str]] = []
        self.users = users or {}
        self.port = free_port()
        context = None
        if cert is not None:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(str(cert[0]), str(cert[1]))
        options = {"authenticator": self._authenticate, "auth_require_tls": security == "starttls"} if users else {}
        if security == "starttls":
            options |= {"tls_context": context, "require_starttls": True}
        elif security == "ssl":
            options |= {"ssl_context": context}
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port, **options)
        self.controller.start()

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        login = auth_data.login.decode() if isinstance(auth_data.login, bytes) else auth_data.login
        password = auth_data.password.decode() if isinstance(auth_data.password, bytes) else auth_data.password
        self.logins.append((login, password))
        return AuthResult(success=self.users.get(login) == password, handled=False)   # refused: answer 535

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(email.message_from_bytes(envelope.original_content or envelope.content,
                                                      policy=email.policy.default))
        return "250 OK"

    def close(self) -> None:
        self.controller.stop()

