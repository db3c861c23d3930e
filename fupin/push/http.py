"""Posting to a robot's webhook: JSON or a multipart file, the answer read as the robots answer (`errcode` 0 is
success, any other code a failure even in a 200), and tries again after a network error or a 5xx, never a 4xx."""

import json
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from typing import TypeVar

TIMEOUT_S = 20
# Waits between the 3 tries: with 20 s timeouts, all of them within 10 minutes.
RETRY_DELAYS_S = (30.0, 120.0)
MAX_ANSWER_BYTES = 1_000_000
T = TypeVar("T")


class SendError(Exception):
    """A send that failed: one line (no secret in it), and whether trying again may help (network, 5xx)."""

    def __init__(self, message: str, retry: bool = False):
        super().__init__(message)
        self.retry = retry


def post(url: str, body: bytes, content_type: str, timeout: float = TIMEOUT_S) -> dict:
    """POST `body` and return the robot's JSON answer; SendError on a network error, an HTTP error, an answer that
    is not JSON or an `errcode` other than 0."""
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": content_type, "User-Agent": "fupin-push"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read(MAX_ANSWER_BYTES)
    except urllib.error.HTTPError as e:
        raise SendError(f"HTTP {e.code} {e.reason}", retry=e.code >= 500) from None
    except urllib.error.URLError as e:
        raise SendError(f"网络错误：{e.reason}", retry=True) from None
    except (OSError, TimeoutError) as e:   # a reset or a timeout while reading the answer
        raise SendError(f"网络错误：{type(e).__name__} {e}", retry=True) from None
    try:
        answer = json.loads(raw)
    except ValueError:
        raise SendError(f"回复不是 JSON：{raw[:100].decode(errors='replace')}") from None
    if not isinstance(answer, dict):
        raise SendError(f"回复格式不对：{str(answer)[:100]}")
    if answer.get("errcode", 0) != 0:
        raise SendError(f"errcode {answer.get('errcode')}: {str(answer.get('errmsg', ''))[:200]}")
    return answer


def post_json(url: str, payload: dict) -> dict:
    return post(url, json.dumps(payload, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")


def post_file(url: str, field: str, name: str, data: bytes) -> dict:
    """A multipart/form-data upload of one file, as 企业微信's media upload documents it (name, filename,
    filelength)."""
    boundary = uuid.uuid4().hex
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{name}"; '
            f"filelength={len(data)}\r\nContent-Type: application/octet-stream\r\n\r\n").encode()
    return post(url, head + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}")


class Tries:
    """Counts the tries of a send and waits between them (`sleep` is injectable: tests do not wait)."""

    def __init__(self, sleep: Callable[[float], None] = time.sleep, delays: tuple[float, ...] = RETRY_DELAYS_S):
        self.sleep = sleep
        self.delays = delays
        self.count = 0

    def run(self, call: Callable[[], T]) -> T:
        """`call()`, tried again after each delay while it fails with a SendError that may pass."""
        waits = iter(self.delays)
        while True:
            self.count += 1
            try:
                return call()
            except SendError as e:
                wait = next(waits, None) if e.retry else None
                if wait is None:
                    raise
            self.sleep(wait)
