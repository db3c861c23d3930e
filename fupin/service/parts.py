"""What app.py hands to `st.App`: the app's routes and its middleware, for the app at a base URL path."""

from collections.abc import Callable

from starlette.middleware import Middleware
from starlette.routing import Route

from . import downloads, health, signin
from .gate import Gate
from .web import Site


def routes(base_url_path: str | None, sso: Callable[[], bool]) -> list[Route]:
    """Sign-in, single sign-on's start, health, readiness, metrics and downloads, under the base URL path."""
    site = Site.at(base_url_path, sso)
    return [*signin.routes(site), *health.routes(site), *downloads.routes(site)]


def middleware(base_url_path: str | None, sso: Callable[[], bool]) -> list[Middleware]:
    """The gate in front of every request (fupin.service.gate)."""
    return [Middleware(Gate, site=Site.at(base_url_path, sso))]
