"""Record downloads at /download/csv and /download/xlsx: a link a page signed (fupin.auth.grants) names the export
and the person; the person is read again, the rows come through the same ScopedDB a page uses, a month at a time,
and the CSV streams to the browser as it is read (the workbook is built in a temporary file first). Any replica
serves any link, and nothing waits in a replica's memory or media store."""

import itertools
import logging
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from .. import settings, telemetry
from ..auth import grants, permissions
from ..query import opened, scope
from ..query.scoped import OutOfScope, ScopedDB
from ..report.export_xlsx import XLSX_MIME, filters_note, xlsx_file
from ..report.exports import KINDS, ROUTE, RecordExport
from ..store.snapshot import SnapshotError
from ..text.export import csv_chunks
from ..text.i18n import t

log = logging.getLogger(__name__)
FILE_BLOCK = 1 << 20   # bytes sent at a time from a built workbook
MEDIA = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_MIME}


def _disposition(name: str) -> str:
    fallback = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"


def _refused(status: int, key: str, lang: str = "zh") -> Response:
    return PlainTextResponse(t(key, lang), status_code=status)


def _prepare(kind: str, token: str, cookies: dict):
    """The export, the first chunk and the rest of its rows, for the person the link is for; a Response when it is
    refused."""
    data_dir = settings.data_dir()
    try:
        redeemed = grants.redeem(data_dir, token, cookies)
    except (OSError, ValueError):
        log.exception("a download link could not be read")
        redeemed = None
    if redeemed is None:
        return _refused(403, "download_refused")
    what, user = redeemed
    export = RecordExport.from_text(what)
    if not user.may("download"):
        return _refused(403, "download_refused", export.lang)
    try:
        db = opened.database(data_dir, export.snapshot)
        scoped = ScopedDB(db, permissions.allowed(user, scope.scopes(db)))
        chunks = export.batches(scoped)
        first = next(chunks)   # the scope is checked here, before anything is sent
    except OutOfScope:
        log.warning("download refused: %s asked for rows outside their scope", user.name)
        return _refused(403, "download_refused", export.lang)
    except SnapshotError:
        log.exception("download failed on the data")
        telemetry.error("download")
        return _refused(503, "download_failed", export.lang)
    return export, db.snapshot, itertools.chain([first], chunks)


def _file_blocks(out):
    with out:
        while block := out.read(FILE_BLOCK):
            yield block


def _logged(blocks):
    """The blocks of a download; a failure half-way (a file damaged meanwhile) ends it cut short, and is logged."""
    try:
        yield from blocks
    except Exception:
        log.exception("a download failed while it was sent")
        telemetry.error("download")
        raise


def routes(site) -> list[Route]:
    """GET /download/{csv|xlsx}?t=TOKEN."""

    async def download(request: Request) -> Response:
        kind = request.path_params["kind"]
        if kind not in KINDS:
            return _refused(404, "download_refused")
        prepared = await run_in_threadpool(_prepare, kind, request.query_params.get("t", ""), dict(request.cookies))
        if isinstance(prepared, Response):
            return prepared
        export, snapshot, chunks = prepared
        if kind == "csv":
            body = csv_chunks(chunks, export.lang)
        else:
            note = filters_note(export.filter, list(export.place), snapshot, export.lang)
            try:
                body = _file_blocks(await run_in_threadpool(xlsx_file, chunks, export.lang, note))
            except SnapshotError:
                log.exception("download failed on the data")
                telemetry.error("download")
                return _refused(503, "download_failed", export.lang)
        return StreamingResponse(_logged(body), media_type=MEDIA[kind],
                                 headers={"Content-Disposition": _disposition(export.file_name(kind)),
                                          "Cache-Control": "no-store"})

    return [Route(site.path(ROUTE + "/{kind}"), download, methods=["GET"])]
