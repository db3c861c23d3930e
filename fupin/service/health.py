"""Probes and metrics for nginx, systemd and an operator's Prometheus.

/healthz: the process is up. /readyz: JSON with the current snapshot, whether it verifies, the data folder's free
disk and the live sessions; 503 with the reasons when CURRENT cannot be served (missing, damaged, falling back to
another snapshot) or less than 1 GB is free. /metrics: Prometheus text (fupin.telemetry and the process), only for a
client on this machine or a trusted proxy itself, or with `Authorization: Bearer $FUPIN_METRICS_TOKEN`.
"""

import datetime as dt
import hmac
import logging
import shutil

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection, Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from .. import settings, telemetry
from ..auth import accounts, sessions
from ..query import opened
from ..store.snapshot import SnapshotError
from . import web

log = logging.getLogger(__name__)
MIN_FREE_BYTES = 2**30


def metrics_allowed(conn: HTTPConnection) -> bool:
    """Whether a request may read metrics: the bearer token, or a peer on this machine or a trusted proxy asking for
    itself (no forwarded header: a visitor forwarded by the proxy is refused)."""
    try:
        token = settings.metrics_token()
    except settings.SettingsError:
        token = None
    offered = conn.headers.get("authorization", "")
    if token and hmac.compare_digest(offered.encode(), f"Bearer {token}".encode()):
        return True
    client = web.client(conn)
    return not client.forwarded and client.peer in ("loopback", "proxy")


def _sessions() -> int | None:
    data_dir = settings.data_dir()
    try:
        return sessions.active(data_dir) if accounts.sign_in_enabled(data_dir) else 0
    except OSError:
        log.exception("the session files cannot be read")
        return None


def readiness() -> tuple[bool, dict]:
    """Whether this replica can serve the current snapshot now, and what /readyz says about it."""
    data_dir = settings.data_dir()
    store = opened.store(data_dir)
    reasons, snapshot = [], None
    try:
        served = store.serve()
        snapshot = None if served.notices else served.snapshot
        reasons += served.notices
    except SnapshotError as e:   # no snapshot, none that verifies
        reasons.append(str(e))
    try:
        free = shutil.disk_usage(data_dir).free
    except OSError as e:
        free = 0
        reasons.append(f"数据目录无法访问：{e}")
    if free < MIN_FREE_BYTES:
        reasons.append(f"数据目录所在磁盘剩余空间不足 1 GB（{free / 2**30:.2f} GB）")
    return not reasons, {"ready": not reasons, "snapshot": store.current_id(), "verified": snapshot is not None,
                         "as_of": snapshot.as_of.isoformat() if snapshot else None,
                         "free_disk_gb": round(free / 2**30, 2), "sessions": _sessions(), "reasons": reasons}


def _collect() -> bytes:
    """The metrics, with the gauges read now."""
    active = _sessions()
    telemetry.ACTIVE_SESSIONS.set(active or 0)
    try:
        as_of = opened.store(settings.data_dir()).current().as_of
        telemetry.SNAPSHOT_AS_OF.set(dt.datetime.combine(as_of, dt.time(), dt.UTC).timestamp())
    except SnapshotError:
        telemetry.SNAPSHOT_AS_OF.set(0)
    return generate_latest()


def routes(site: web.Site) -> list[Route]:
    """GET /healthz, /readyz and /metrics (the middleware refuses /metrics to others first)."""

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok")

    async def readyz(request: Request) -> Response:
        ready, body = await run_in_threadpool(readiness)
        return JSONResponse(body, status_code=200 if ready else 503, headers={"Cache-Control": "no-store"})

    async def metrics(request: Request) -> Response:
        return Response(await run_in_threadpool(_collect), media_type=CONTENT_TYPE_LATEST)

    return [Route(site.path("/healthz"), healthz, methods=["GET", "HEAD"]),
            Route(site.path("/readyz"), readyz, methods=["GET", "HEAD"]),
            Route(site.path("/metrics"), metrics, methods=["GET"])]
