"""The middleware in front of every request (`st.App` runs it before Streamlit's own).

1. It tells the page who the client is: a header of its own (fupin.auth.clients.HEADER) replaces any a client sent.
2. With sign-in on, it lets through only a browser with a live session (or, with single sign-on, Streamlit's identity
   cookie, or the short ticket of a browser on its way to the identity provider): a page load without one goes to
   /auth/signin, the websocket (`_stcore/stream`), uploads, media and everything else get refused, so an anonymous
   visitor never gets a script run. The sign-in page, health probes, Streamlit's sign-on routes and its front end's
   static files stay open;
   /metrics and Streamlit's own `_stcore/metrics` only for operators (fupin.service.health).
3. Signing out through Streamlit's /auth/logout (st.logout) also ends the session and clears the app's cookies.
"""

import logging

from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection
from starlette.responses import PlainTextResponse, RedirectResponse

from .. import settings
from ..auth import accounts, clients, grants, sessions
from ..text.i18n import t
from . import health, web

log = logging.getLogger(__name__)
OPEN = ("/auth/signin", "/auth/sso", "/auth/login", "/oauth2callback", "/healthz", "/readyz", "/_stcore/health",
        "/favicon.png")
# Streamlit's front end (its JavaScript, styles and fonts: the same for everyone, no data), served without a look at
# the session: a page load asks for some sixty of them.
ASSETS = "/static/"
METRICS = ("/metrics", "/_stcore/metrics")
LOGOUT = "/auth/logout"
SIGN_ON_DONE = "/oauth2callback"


class Gate:
    """The ASGI middleware described above, for the app at `site`."""

    def __init__(self, app, site: web.Site):
        self.app = app
        self.site = site

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        conn = HTTPConnection(scope)
        header = clients.HEADER.encode()
        scope["headers"] = [(k, v) for k, v in scope["headers"] if k.lower() != header] + \
            [(header, web.client(conn).header().encode())]
        path = self.site.within(scope["path"])
        if path in METRICS:
            if not health.metrics_allowed(conn):
                return await PlainTextResponse("forbidden", status_code=403)(scope, receive, send)
        elif path == LOGOUT:
            await run_in_threadpool(sessions.end, settings.data_dir(), conn.cookies.get(sessions.COOKIE))
            return await self.app(scope, receive, self._clearing(send, conn, sessions.COOKIE,
                                                                   sessions.SSO_TICKET_COOKIE))
        elif path == SIGN_ON_DONE:
            return await self.app(scope, receive, self._clearing(send, conn, sessions.SSO_TICKET_COOKIE))
        elif path not in OPEN and not (path or "").startswith(ASSETS) and \
                not await run_in_threadpool(self._admitted, conn):
            return await self._refuse(scope, receive, send, conn)
        await self.app(scope, receive, send)

    def _admitted(self, conn: HTTPConnection) -> bool:
        """Whether this request may reach the app: sign-in off, a live session, or single sign-on under way or done
        (the page run checks Streamlit's identity cookie itself)."""
        data_dir = settings.data_dir()
        if not accounts.sign_in_enabled(data_dir):
            return True
        try:
            if sessions.user_of(data_dir, conn.cookies.get(sessions.COOKIE)) is not None:
                return True
        except OSError:   # unreadable account files: nobody gets in (the sign-in page says why)
            log.exception("the account or session files cannot be read")
            return False
        return bool(self.site.sso()) and (grants.SSO_COOKIE in conn.cookies or sessions.sso_ticket_valid(
            data_dir, conn.cookies.get(sessions.SSO_TICKET_COOKIE)))

    async def _refuse(self, scope, receive, send, conn: HTTPConnection):
        """A page load goes to the sign-in page (remembering where it was going); anything else is refused."""
        if scope["type"] == "websocket":
            return await send({"type": "websocket.close", "code": 1008})
        document = conn.headers.get("sec-fetch-dest") == "document" or "text/html" in conn.headers.get("accept", "")
        if scope["method"] in ("GET", "HEAD") and document:
            wanted = scope["path"] + (f"?{scope['query_string'].decode('latin-1')}" if scope["query_string"] else "")
            response = RedirectResponse(self.site.signin_url(wanted), status_code=303)
        else:
            response = PlainTextResponse(t("signin_first_plain"), status_code=401)
        await response(scope, receive, send)

    def _clearing(self, send, conn: HTTPConnection, *names: str):
        """`send`, with the app's cookies `names` deleted in the response's headers."""
        cleared = PlainTextResponse("")
        for name in names:
            web.delete_cookie(cleared, self.site, conn, name)
        extra = [(k, v) for k, v in cleared.raw_headers if k == b"set-cookie"]

        async def sending(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)
        return sending
