"""The client of a request: one answer for sign-in, lock-out, the audit log and demo mode.

Only a peer in FUPIN_TRUSTED_PROXIES is believed when it says, in X-Forwarded-For, whom it forwards; a forwarded header
from any other peer is ignored (and logged) and the client is the peer itself. uvicorn, under `streamlit run`, has
already believed X-Forwarded-For from its own trusted peers (FORWARDED_ALLOW_IPS, loopback by default) before the app
sees the request: it then reports the header's address with the header's port (0 when it names none); `client_of`
recognises that and puts the loopback peer back. Addresses mapped into IPv6 (`::ffff:127.0.0.1`) count as the IPv4
address they carry.

Demo mode fails closed: data may be changed only by a loopback peer that is not a proxy and sent no forwarded header,
and never when FUPIN_DEMO_WRITES=off.
"""

import ipaddress
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from .. import settings

log = logging.getLogger(__name__)
HEADER = "x-fupin-client"   # set by the app's middleware on every request (any such header a client sends is dropped)
_WARNED_MAX = 256           # forged headers logged once per peer and value, among the last this many
_warned: dict[tuple[str, str], None] = {}


PEERS = ("loopback", "proxy", "remote")   # what the peer is: this machine, a trusted proxy, anything else


@dataclass(frozen=True)
class Client:
    """Who is at the other end: the address to record (None only when the request has no peer at all), whether a
    forwarded header came with it (believed or not), and what the peer itself is (one of PEERS; a trusted proxy on
    loopback is a proxy)."""

    address: str | None
    forwarded: bool = False
    peer: str = "remote"

    @property
    def on_this_machine(self) -> bool:
        """A browser on the server itself, with nothing in between: demo mode's condition for changing data."""
        return self.peer == "loopback" and not self.forwarded

    def header(self) -> str:
        """This client as the middleware hands it to the page (`from_header` reads it back)."""
        return f"{self.address or '-'} {'forwarded' if self.forwarded else 'direct'} {self.peer}"

    @classmethod
    def from_header(cls, text: str | None) -> "Client":
        """The client the middleware wrote; no header (no middleware: AppTest, or a script run on its own) is a
        client about whom nothing is known, which may change nothing."""
        parts = (text or "").split()
        if len(parts) != 3 or parts[2] not in PEERS:
            return cls(None)
        address, how, peer = parts
        return cls(None if address == "-" else address, how != "direct", peer)


def _address(text: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address((text or "").strip().strip("[]").split("%")[0])
    except ValueError:
        return None
    return getattr(address, "ipv4_mapped", None) or address


def _host_port(item: str) -> tuple[str, int]:
    """One X-Forwarded-For entry as host and port (0 when it names none), as uvicorn reads it."""
    item = item.strip()
    if item.startswith("[") and "]" in item:
        host, _, rest = item[1:].partition("]")
        return host, int(rest[1:]) if rest.startswith(":") and rest[1:].isdigit() else 0
    if item.count(":") == 1:
        host, _, port = item.partition(":")
        return host, int(port) if port.isdigit() else 0
    return item, 0


def _trusted(address, proxies) -> bool:
    return address is not None and any(address.version == net.version and address in net for net in proxies)


def _rewritten_by_server(peer: tuple[str, int], forwarded: list[str]) -> bool:
    """Whether the ASGI server already replaced the peer by an address of the header (uvicorn's proxy headers)."""
    host, port = peer
    return any(_host_port(item) == (host, port) for item in forwarded)


def _server_loopback(server: tuple | None) -> str:
    """The loopback address uvicorn trusted the peer as: the family of the socket the request came in on."""
    host = (server or ("127.0.0.1",))[0] or "127.0.0.1"
    address = _address(host)
    return "::1" if address is not None and address.version == 6 else "127.0.0.1"


def _warn_once(peer: str, forwarded: str) -> None:
    key = (peer, forwarded)
    if key in _warned:
        return
    _warned[key] = None
    if len(_warned) > _WARNED_MAX:
        del _warned[next(iter(_warned))]
    log.warning("X-Forwarded-For %r from %s ignored: the peer is not in FUPIN_TRUSTED_PROXIES", forwarded, peer)


def client_of(peer: tuple[str, int] | None, headers: Iterable[tuple[bytes, bytes]],
              server: tuple | None = None) -> Client:
    """The client of an ASGI request, from its `client` (peer), raw `headers` and `server` (see the module)."""
    values = [value.decode("latin-1") for name, value in headers if name.lower() == b"x-forwarded-for"]
    forwarded = [item for value in values for item in value.split(",") if item.strip()]
    if peer is None:
        return Client(None, bool(forwarded))
    host = peer[0]
    if forwarded and _rewritten_by_server(peer, forwarded):
        host = _server_loopback(server)
    address = _address(host)
    shown = str(address) if address is not None else host
    try:
        proxies = settings.trusted_proxies()
    except settings.SettingsError:   # shown on every page; meanwhile no proxy is believed
        proxies = ()
    proxy = _trusted(address, proxies)
    kind = "proxy" if proxy else "loopback" if address is not None and address.is_loopback else "remote"
    if not forwarded:
        return Client(shown, False, kind)
    if not proxy:
        _warn_once(shown, ", ".join(values))
        return Client(shown, True, kind)
    for item in reversed(forwarded):   # each proxy appends whom it heard from: the first one not a proxy is the client
        hop = _address(_host_port(item)[0])
        if hop is None or not _trusted(hop, proxies):
            return Client(str(hop) if hop is not None else item.strip(), True, kind)
    first = _address(_host_port(forwarded[0])[0])
    return Client(str(first) if first is not None else forwarded[0].strip(), True, kind)


def forwarded_https(peer: tuple[str, int] | None, headers: Iterable[tuple[bytes, bytes]], scheme: str) -> bool:
    """Whether the request came over https: directly, or per X-Forwarded-Proto from a trusted proxy."""
    proto = next((value.decode("latin-1").strip().lower() for name, value in headers
                  if name.lower() == b"x-forwarded-proto"), None)
    try:
        proxies = settings.trusted_proxies()
    except settings.SettingsError:
        proxies = ()
    if proto and peer is not None and _trusted(_address(peer[0]), proxies):
        return proto in ("https", "wss")
    return scheme in ("https", "wss")


def may_change_demo_data(client: Client | None) -> bool:
    """Demo mode's rule: a browser on this machine with nothing in between, unless FUPIN_DEMO_WRITES=off (an
    unusable value counts as off)."""
    try:
        allowed = settings.demo_writes()
    except settings.SettingsError:
        return False
    return allowed and client is not None and client.on_this_machine
