"""What the routes and the middleware share: paths under the base URL path, the client of a request, https or not,
and how the app's cookies are set."""

from dataclasses import dataclass
from urllib.parse import quote

from starlette.requests import HTTPConnection
from starlette.responses import Response

from ..auth.clients import Client, client_of, forwarded_https


@dataclass(frozen=True)
class Site:
    """Where the app lives: its base URL path ("" or "/dashboard", from Streamlit's server.baseUrlPath) and whether
    single sign-on is set up (asked on each request: the secrets file can change)."""

    base: str
    sso: object = lambda: False

    @classmethod
    def at(cls, base_url_path: str | None, sso=lambda: False) -> "Site":
        path = (base_url_path or "").strip("/")
        return cls(f"/{path}" if path else "", sso)

    def path(self, route: str) -> str:
        """A route's full path: /auth/signin → /dashboard/auth/signin."""
        return f"{self.base}{route}"

    def home(self) -> str:
        return f"{self.base}/"

    def within(self, full_path: str) -> str | None:
        """A request path relative to the base ("/purchases"), or None when it lies outside it."""
        if not self.base:
            return full_path or "/"
        if full_path == self.base:
            return "/"
        return full_path[len(self.base):] if full_path.startswith(self.base + "/") else None

    def safe_next(self, wanted: str | None) -> str:
        """Where to go after signing in: a path of this app (with its query), else the app's home."""
        wanted = wanted or ""
        if wanted.startswith("/") and not wanted.startswith("//") and "\\" not in wanted \
                and self.within(wanted.split("?", 1)[0]) is not None:
            return wanted
        return self.home()

    def signin_url(self, wanted: str | None = None, **query: str) -> str:
        """The sign-in page, remembering where the visitor was going."""
        parts = [f"next={quote(wanted, safe='')}"] if wanted else []
        parts += [f"{k}={quote(v, safe='')}" for k, v in query.items()]
        return self.path("/auth/signin") + ("?" + "&".join(parts) if parts else "")


def client(conn: HTTPConnection) -> Client:
    """The client of a request (fupin.auth.clients: trusted proxies only)."""
    return client_of(conn.scope.get("client"), conn.scope["headers"], conn.scope.get("server"))


def https(conn: HTTPConnection) -> bool:
    """Whether the request came over https, directly or per a trusted proxy's X-Forwarded-Proto."""
    return forwarded_https(conn.scope.get("client"), conn.scope["headers"], conn.scope.get("scheme", "http"))


def set_cookie(response: Response, site: Site, conn: HTTPConnection, name: str, value: str,
               max_age: int | None = None) -> None:
    """One of the app's cookies: HttpOnly, SameSite=Lax, Secure over https, Path the base URL path."""
    response.set_cookie(name, value, max_age=max_age, path=site.base or "/", secure=https(conn), httponly=True,
                        samesite="lax")


def delete_cookie(response: Response, site: Site, conn: HTTPConnection, name: str) -> None:
    response.delete_cookie(name, path=site.base or "/", secure=https(conn), httponly=True, samesite="lax")
