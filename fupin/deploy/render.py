"""The deployment's files, filled in from the package's templates (`fupin/deploy/templates/`) for one server."""

import base64
import hashlib
import importlib.util
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from ..settings import PROJECT_ROOT

TEMPLATES = Path(__file__).resolve().parent / "templates"
# What `deploy` writes, relative to its --out folder.
OUTPUTS = ("nginx/fupin.conf", "nginx/nginx.conf", "systemd/fupin@.service", "systemd/fupin-backup.service",
           "systemd/fupin-backup.timer", "systemd/fupin-sync.service", "systemd/fupin-sync.timer",
           "systemd/fupin-push.service", "systemd/fupin-push.timer", "env.example")
# Where the push runner's secrets live: outside the data folder (backups copy that) and outside the project.
PUSH_SECRETS_DIR = "/etc/fupin/push"
# Folders nginx needs beside nginx.conf when run with `-p` (its logs and temporary request bodies).
NGINX_FOLDERS = ("nginx/logs", "nginx/tmp")
PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
# An upload's form fields and boundaries beside the ledger's own bytes.
UPLOAD_MARGIN_MB = 10
COOKIE = "fupin_srv"
# What the app's pages need, and nothing more (checked in Chromium on every page: tests/test_deploy_nginx.py).
# Scripts: the app's own files, the one inline script of Streamlit's index.html (by its hash) and WebAssembly
# (Streamlit's protobuf decoder compiles some; 'wasm-unsafe-eval' allows that and no eval of text). Styles: inline
# ones too (Streamlit's and Plotly's style elements and attributes). Images and fonts: also data: and blob: URLs
# (the map's and charts' images, downloads).
CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {script_hashes}; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
       "frame-src 'self'; frame-ancestors 'self'; object-src 'none'; base-uri 'self'; form-action 'self'")
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


@dataclass(frozen=True)
class Replica:
    """A replica's address: a port on this machine, or HOST:PORT on another."""

    host: str
    port: int

    @property
    def local(self) -> bool:
        return self.host in ("127.0.0.1", "localhost", "::1")

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True)
class Deployment:
    """Everything the files name: the server, the sub-path, the replicas, TLS, the data folder and the accounts."""

    out: Path
    server_name: str
    base_path: str
    replicas: tuple[Replica, ...]
    cert: Path
    key: Path
    data: Path
    max_upload_mb: int
    metrics_token: str
    https_port: int = 443
    http_port: int = 80
    user: str = "fupin"
    nginx_user: str = "root"
    listen_address: str = "127.0.0.1"
    metrics_from: tuple[str, ...] = ()
    backup_dir: Path = Path("/var/backups/fupin")
    backup_time: str = "02:30"
    backup_keep_days: int = 30
    backup_keep_last: int = 14
    sync_from: Path = Path("/mnt/fupin-primary/data")
    project_dir: Path = PROJECT_ROOT
    python: str = sys.executable


def streamlit_inline_scripts() -> list[str]:
    """The inline scripts of the installed Streamlit's index.html (read as a file: Streamlit is not imported)."""
    spec = importlib.util.find_spec("streamlit")
    if spec is None or spec.origin is None:
        return []
    index = Path(spec.origin).parent / "static" / "index.html"
    return INLINE_SCRIPT.findall(index.read_text(encoding="utf-8")) if index.is_file() else []


def content_security_policy() -> str:
    """The CSP header's value for the installed Streamlit."""
    hashes = [f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'"
              for s in streamlit_inline_scripts()]
    return CSP.format(script_hashes=" ".join(hashes)).replace("  ", " ")


def _nginx_regex(text: str) -> str:
    return re.sub(r"([.\[\]()])", r"\\\1", text)


def values(d: Deployment) -> dict[str, str]:
    """Every placeholder of the templates, filled in."""
    base = d.base_path
    cookie = f"{COOKIE}={{port}}; Path=/{base}/; Secure; HttpOnly; SameSite=Lax"
    indent = "    "
    found = {
        "server_name": d.server_name, "base_path": base, "replica_count": str(len(d.replicas)),
        "https_port": str(d.https_port), "http_port": str(d.http_port),
        "https_port_suffix": "" if d.https_port == 443 else f":{d.https_port}",
        "cert": str(d.cert), "key": str(d.key), "data": str(d.data), "user": d.user, "nginx_user": d.nginx_user,
        "max_upload_mb": str(d.max_upload_mb), "client_max_body_mb": str(d.max_upload_mb + UPLOAD_MARGIN_MB),
        "metrics_token": d.metrics_token, "nginx_dir": str(d.out / "nginx"), "project_dir": str(d.project_dir),
        "python": d.python, "listen_address": d.listen_address, "backup_dir": str(d.backup_dir),
        "backup_time": d.backup_time + ":00", "backup_keep_days": str(d.backup_keep_days),
        "backup_keep_last": str(d.backup_keep_last), "sync_from": str(d.sync_from),
        "csp": content_security_policy(), "push_secrets_dir": PUSH_SECRETS_DIR,
        "public_url": f"https://{d.server_name}{'' if d.https_port == 443 else f':{d.https_port}'}/{base}",
        "replica_units": " ".join(f"fupin@{r.port}" for r in d.replicas if r.local) or "fupin@8631",
        "upstream_servers": "\n".join(f"{indent}server {r.address} max_fails=1 fail_timeout=10s;"
                                      for r in d.replicas),
        "replica_upstreams": "\n".join(f"upstream fupin_{r.port} {{ server {r.address}; }}" for r in d.replicas),
        "cookie_to_upstream": "\n".join(f"{indent}{r.port} fupin_{r.port};" for r in d.replicas),
        "upstream_to_cookie": "\n".join(f'{indent}"~{_nginx_regex(r.address)}$" "{cookie.format(port=r.port)}";'
                                        for r in d.replicas),
        "metrics_allow": "\n".join(f"{indent * 2}allow {a};" for a in d.metrics_from)
                         or f"{indent * 2}# No monitoring host given: scrape each replica itself, with FUPIN_METRICS_TOKEN.",
    }
    found["proxy_settings"] = fill((TEMPLATES / "nginx" / "proxy_settings.conf").read_text(encoding="utf-8"),
                                   found).rstrip("\n")
    return found


def fill(text: str, found: dict[str, str]) -> str:
    """A template with every {{name}} replaced by its value (KeyError for a name without one)."""
    return PLACEHOLDER.sub(lambda match: found[match[1]], text)


def render(d: Deployment) -> dict[str, str]:
    """The files to write: path relative to the --out folder -> text."""
    found = values(d)
    return {name: fill((TEMPLATES / name).read_text(encoding="utf-8"), found) for name in OUTPUTS}
