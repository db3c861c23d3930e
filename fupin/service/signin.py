"""Signing in at /auth/signin: the form (GET), the check of a name and password with the lock-out exactly as before
(fupin.auth.accounts.verify_password), and on success a server-side session in an HttpOnly cookie; /auth/sso sends a
browser on to single sign-on.

The form carries a token bound to a pre-session cookie; a POST without it, with one that does not match, or from
another origin (its Origin header) is refused with 403 and an audit entry `sign_in_failed`.
"""

import hmac
import logging
import secrets

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from .. import settings
from ..auth import accounts, audit, sessions, signing
from ..text.fmt import BEIJING
from ..text.i18n import LANGS, t
from . import signin_page, web

log = logging.getLogger(__name__)
PRESESSION_COOKIE = "fupin_presession"
CSRF_PURPOSE = "signin"
PRESESSION_S = 12 * 3600   # a form left open over a working day still posts
REFUSED_ORIGIN = "来源不符（Origin 不是本站）"
REFUSED_TOKEN = "表单令牌缺失或无效（CSRF）"


def _lang(request: Request, form=None) -> str:
    wanted = (form or {}).get("lang") or request.query_params.get("lang") or "zh"
    return wanted if wanted in LANGS else "zh"


def _expected_origin(request: Request) -> str:
    return f"{'https' if web.https(request) else 'http'}://{request.headers.get('host', '')}".lower()


def _form(site: web.Site, request: Request, lang: str, status: int = 200, message: str | None = None,
          name: str = "", wanted: str = "") -> Response:
    """The form, with a token bound to this browser's pre-session cookie (set now if it has none)."""
    data_dir = settings.data_dir()
    presession = request.cookies.get(PRESESSION_COOKIE) or secrets.token_urlsafe(24)
    csrf = signing.sign(data_dir, CSRF_PURPOSE, presession, PRESESSION_S)
    html = signin_page.page(lang, site_path=site.path, message=message, name=name, csrf=csrf, wanted=wanted,
                            sso=bool(site.sso()))
    response = HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})
    if request.cookies.get(PRESESSION_COOKIE) != presession:
        web.set_cookie(response, site, request, PRESESSION_COOKIE, presession, max_age=PRESESSION_S)
    return response


def _token_ok(request: Request, token: str | None) -> bool:
    presession = request.cookies.get(PRESESSION_COOKIE)
    return bool(presession) and signing.valid(settings.data_dir(), CSRF_PURPOSE, presession, token)


def _refuse(request: Request, name: str, reason: str) -> Response:
    """403 for a POST that is not the app's own form, recorded in the audit log."""
    try:
        audit.record(settings.data_dir(), name, "sign_in_failed", client=web.client(request).address, reason=reason)
    except OSError:
        log.exception("could not record a refused sign-in of %r", name)
    return Response(t("signin_forbidden", _lang(request)), status_code=403, media_type="text/plain; charset=utf-8")


def routes(site: web.Site) -> list[Route]:
    """GET and POST /auth/signin, GET /auth/sso."""

    async def show(request: Request) -> Response:
        wanted = site.safe_next(request.query_params.get("next"))
        enabled = await run_in_threadpool(accounts.sign_in_enabled, settings.data_dir())
        if not enabled:   # demo mode: nothing to sign in to
            return RedirectResponse(wanted, status_code=303)
        return await run_in_threadpool(_form, site, request, _lang(request), wanted=wanted)

    async def submit(request: Request) -> Response:
        form = await request.form()
        name, password = str(form.get("name", "")).strip(), str(form.get("password", ""))
        origin = request.headers.get("origin")
        if origin is not None and not hmac.compare_digest(origin.lower(), _expected_origin(request)):
            return await run_in_threadpool(_refuse, request, name, REFUSED_ORIGIN)
        if not await run_in_threadpool(_token_ok, request, form.get("csrf")):
            return await run_in_threadpool(_refuse, request, name, REFUSED_TOKEN)
        return await run_in_threadpool(_check, site, request, _lang(request, form), name, password,
                                       site.safe_next(str(form.get("next", ""))))

    async def single_sign_on(request: Request) -> Response:
        wanted = site.safe_next(request.query_params.get("next"))
        response = RedirectResponse(wanted, status_code=303)
        if site.sso():
            ticket = await run_in_threadpool(sessions.sso_ticket, settings.data_dir())
            web.set_cookie(response, site, request, sessions.SSO_TICKET_COOKIE, ticket, max_age=sessions.SSO_TICKET_S)
        return response

    return [Route(site.path("/auth/signin"), show, methods=["GET"]),
            Route(site.path("/auth/signin"), submit, methods=["POST"]),
            Route(site.path("/auth/sso"), single_sign_on, methods=["GET"])]


def _check(site: web.Site, request: Request, lang: str, name: str, password: str, wanted: str) -> Response:
    """The name and password checked as always; a session and its cookie on success, else the form again."""
    data_dir = settings.data_dir()
    if not name or not password:   # not counted as a failure
        return _form(site, request, lang, message=t("signin_empty", lang), name=name, wanted=wanted)
    client = web.client(request)
    try:
        verdict = accounts.verify_password(data_dir, name, password, client=client.address)
        if verdict.status == "ok":
            session_id = sessions.start(data_dir, verdict.account, client.address)
    except OSError as error:
        log.exception("sign-in of %r failed on the account files", name)
        return _form(site, request, lang, 503, t("signin_file_error", lang, error=error), name, wanted)
    if verdict.status == "ok":
        response = RedirectResponse(wanted, status_code=303)
        web.set_cookie(response, site, request, sessions.COOKIE, session_id,
                       max_age=int(sessions.MAX_AGE.total_seconds()))
        return response
    if verdict.status == "locked":
        until = verdict.locked_until.astimezone(BEIJING).strftime("%H:%M")
        return _form(site, request, lang, message=t("signin_locked", lang, until=until), name=name, wanted=wanted)
    # an unknown name, a wrong password and a disabled account read alike: none tells a guess was right
    return _form(site, request, lang, message=t("signin_wrong", lang), name=name, wanted=wanted)
