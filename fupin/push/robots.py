"""The group robots: 企业微信 (a markdown message, then the PDF uploaded through the robot's media upload and sent as
a file message) and 钉钉 (an actionCard with the link, or markdown without one; signed when the robot has 加签)."""

import base64
import hashlib
import hmac
import time
from urllib.parse import parse_qs, quote_plus, urlencode, urlsplit, urlunsplit

from ..text.i18n import t
from . import render
from .content import Message
from .http import SendError, Tries, post_file, post_json


def _step(name: str, tries: Tries, call):
    """One request of a send, tried as `tries` says; a failure names the step."""
    try:
        return tries.run(call)
    except SendError as e:
        raise SendError(f"{name}: {e}", e.retry) from None


def wecom_upload_url(send_url: str) -> str:
    """The robot's media upload address beside its send address (…/webhook/upload_media?key=KEY&type=file)."""
    parts = urlsplit(send_url)
    key = parse_qs(parts.query)["key"][0]
    path = parts.path.rsplit("/", 1)[0] + "/upload_media"
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode({"key": key, "type": "file"}), ""))


def send_wecom(url: str, message: Message, tries: Tries, new: list[str] = (), test: bool = False) -> str:
    """The markdown, then the PDF as a file message; what the robot answered, in one line."""
    content = render.wecom_markdown(message, new, test)
    _step("markdown", tries, lambda: post_json(url, {"msgtype": "markdown", "markdown": {"content": content}}))
    try:
        pdf = message.pdf
        uploaded = _step("upload_media", tries, lambda: post_file(wecom_upload_url(url), "media", message.pdf_name,
                                                                  pdf))
        if not uploaded.get("media_id"):
            raise SendError("upload_media: 回复中没有 media_id")
        _step("file", tries, lambda: post_json(url, {"msgtype": "file", "file": {"media_id": uploaded["media_id"]}}))
    except SendError as e:   # the markdown has arrived: say so, so that nobody sends it again by hand
        raise SendError(f"markdown ok; {e}", e.retry) from None
    return f"markdown ok; file ok ({len(pdf):,} B)"


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """钉钉's 加签: base64 of HMAC-SHA256 keyed with the secret over "timestamp\\nsecret", URL-encoded."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest))


def dingtalk_url(url: str, secret: str | None, now_ms: int | None = None) -> str:
    """The webhook address to post to: with `timestamp` and `sign` when the robot has 加签."""
    if not secret:
        return url
    stamp = now_ms if now_ms is not None else int(time.time() * 1000)
    return f"{url}&timestamp={stamp}&sign={dingtalk_sign(secret, stamp)}"


def dingtalk_payload(message: Message, new: list[str] = (), test: bool = False) -> dict:
    """An actionCard whose button opens the dashboard, or markdown when there is no link."""
    title = render.heading(message, test)
    text = render.dingtalk_markdown(message, new, test)
    if message.link:
        return {"msgtype": "actionCard", "actionCard": {"title": title, "text": text, "btnOrientation": "0",
                                                         "singleTitle": t("push_open", message.lang),
                                                         "singleURL": message.link}}
    return {"msgtype": "markdown", "markdown": {"title": title, "text": text}}


def send_dingtalk(url: str, secret: str | None, message: Message, tries: Tries, new: list[str] = (),
                  test: bool = False) -> str:
    """The message, signed anew on every try (钉钉 refuses a timestamp more than an hour off)."""
    payload = dingtalk_payload(message, new, test)
    _step(payload["msgtype"], tries, lambda: post_json(dingtalk_url(url, secret), payload))
    return f"{payload['msgtype']} ok"
