"""Download links only their holder can use: a page signs what it offers (an export) with who the page was drawn
for and a hash of the cookie that signs that browser in, so the link works on any replica, in that browser only, and
the download route reads the person again before it streams a row (an ended session, a disabled account or a lost
mapping refuse it)."""

import base64
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from . import accounts, sessions, signing
from .permissions import User, demo_user

PURPOSE = "download"
# Streamlit's identity cookie once st.login has signed someone on (its value signed with `cookie_secret`): what
# binds a single sign-on user's link to their browser. Streamlit reads and checks it; the app only compares hashes.
SSO_COOKIE = "_streamlit_user"
VALID_S = 12 * 3600   # a page left open over a working day still downloads


@dataclass(frozen=True)
class Holder:
    """Who a page was drawn for: how they signed in (password, oidc or demo), their name, the sign-on claims."""

    via: str
    name: str
    claims: dict | None = None


def credential(cookies: Mapping[str, str], via: str) -> str:
    """A hash of the cookie that signs this browser in for `via` ("" in demo mode, or without the cookie)."""
    value = cookies.get({"password": sessions.COOKIE, "oidc": SSO_COOKIE}.get(via, ""), "")
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:32] if value else ""


def issue(data_dir: Path, what: str, holder: Holder, cookies: Mapping[str, str]) -> str:
    """A token for a link: `what` (an export's text) for `holder`, in the browser whose `cookies` drew the page."""
    body = json.dumps({"what": what, "via": holder.via, "name": holder.name, "claims": holder.claims,
                       "credential": credential(cookies, holder.via)}, ensure_ascii=False, separators=(",", ":"))
    encoded = base64.urlsafe_b64encode(body.encode("utf-8")).decode().rstrip("=")
    return f"{encoded}.{signing.sign(data_dir, PURPOSE, encoded, VALID_S)}"


def redeem(data_dir: Path, token: str, cookies: Mapping[str, str]) -> tuple[str, User] | None:
    """What a token offers and the user it is for, read again now; None when the token is not the app's, has expired,
    comes from another browser, or its holder may no longer sign in. OSError when the account files cannot be read."""
    encoded, _, signature = token.partition(".")
    if not signing.valid(data_dir, PURPOSE, encoded, signature):
        return None
    body = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode("utf-8"))
    holder = Holder(body["via"], body["name"], body["claims"])
    if credential(cookies, holder.via) != body["credential"]:
        return None
    if holder.via == "demo":
        user = None if accounts.sign_in_enabled(data_dir) else demo_user(False)
    elif holder.via == "oidc":
        user = accounts.identity_user(data_dir, holder.claims or {}) if body["credential"] else None
    else:
        user = sessions.user_of(data_dir, cookies.get(sessions.COOKIE))
    if user is None or (not user.demo and user.name != holder.name):
        return None
    return body["what"], user
