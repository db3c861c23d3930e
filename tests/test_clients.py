"""The client of a request, one answer for sign-in, lock-out, the audit and demo mode: a forwarded header is believed
only from a trusted proxy (IPv4 peers mapped into IPv6 included), uvicorn's own belief in loopback forwarders is
undone, and demo mode fails closed."""

import logging

import pytest

from fupin.auth.clients import Client, client_of, forwarded_https, may_change_demo_data

V4 = ("127.0.0.1", 8501)     # the socket a request came in on
V6 = ("::1", 8501)


def xff(*values: str) -> list[tuple[bytes, bytes]]:
    return [(b"x-forwarded-for", value.encode()) for value in values]


@pytest.mark.parametrize("proxies, peer, headers, server, expected", [
    # no proxy set up: the peer is the client, a forwarded header changes nothing but `forwarded`
    ("", ("127.0.0.1", 50100), [], V4, Client("127.0.0.1", False, "loopback")),
    ("", ("::1", 50100), [], V6, Client("::1", False, "loopback")),
    ("", ("::ffff:127.0.0.1", 50100), [], ("::ffff:127.0.0.1", 8501), Client("127.0.0.1", False, "loopback")),
    ("", ("127.0.0.2", 50100), [], V4, Client("127.0.0.2", False, "loopback")),
    ("", ("10.1.2.3", 50100), [], V4, Client("10.1.2.3", False, "remote")),
    ("", ("10.1.2.3", 50100), xff("127.0.0.1"), V4, Client("10.1.2.3", True, "remote")),
    # uvicorn believed a loopback peer's header and reported its address, port 0: the loopback peer is put back
    ("", ("10.9.9.9", 0), xff("10.9.9.9"), V4, Client("127.0.0.1", True, "loopback")),
    ("", ("10.9.9.9", 0), xff("10.9.9.9"), V6, Client("::1", True, "loopback")),
    ("", ("10.9.9.9", 4444), xff("10.9.9.9:4444"), V4, Client("127.0.0.1", True, "loopback")),
    # a trusted proxy: the header's last address that is not a proxy; the peer as given when it sends none
    ("127.0.0.1", ("::ffff:127.0.0.1", 50100), xff("10.1.2.3"), V4, Client("10.1.2.3", True, "proxy")),
    ("127.0.0.0/8", ("127.0.0.2", 50100), xff("10.1.2.3"), V4, Client("10.1.2.3", True, "proxy")),
    ("10.0.0.0/24, 127.0.0.1", ("127.0.0.1", 50100), xff("1.2.3.4, 10.0.0.7", "10.0.0.8"), V4,
     Client("1.2.3.4", True, "proxy")),
    ("127.0.0.1", ("127.0.0.1", 50100), xff("9.9.9.9, 5.6.7.8"), V4, Client("5.6.7.8", True, "proxy")),
    ("127.0.0.1", ("127.0.0.1", 50100), [], V4, Client("127.0.0.1", False, "proxy")),
    ("127.0.0.1", ("10.9.9.9", 0), xff("10.9.9.9"), V4, Client("10.9.9.9", True, "proxy")),
    ("::1", ("::1", 50100), xff("[2001:db8::7]:443"), V6, Client("2001:db8::7", True, "proxy")),
])
def test_the_client_of_a_request(monkeypatch, proxies, peer, headers, server, expected):
    monkeypatch.setenv("FUPIN_TRUSTED_PROXIES", proxies)
    assert client_of(peer, headers, server) == expected


def test_a_forwarded_header_from_an_untrusted_peer_is_logged_once(monkeypatch, caplog):
    monkeypatch.setenv("FUPIN_TRUSTED_PROXIES", "127.0.0.2")
    with caplog.at_level(logging.WARNING, logger="fupin.auth.clients"):
        for _ in range(3):
            client_of(("10.4.4.4", 50100), xff("127.0.0.1"), V4)
    assert [r.getMessage() for r in caplog.records] == [
        "X-Forwarded-For '127.0.0.1' from 10.4.4.4 ignored: the peer is not in FUPIN_TRUSTED_PROXIES"]


@pytest.mark.parametrize("proxies, peer, proto, scheme, https", [
    ("127.0.0.1", ("127.0.0.1", 1), b"https", "http", True),
    ("", ("127.0.0.1", 1), b"https", "http", False),     # not a trusted proxy: its word is not taken
    ("127.0.0.1", ("127.0.0.1", 1), b"http", "http", False),
    ("", ("10.1.1.1", 1), None, "https", True),
])
def test_https_directly_or_per_a_trusted_proxy(monkeypatch, proxies, peer, proto, scheme, https):
    monkeypatch.setenv("FUPIN_TRUSTED_PROXIES", proxies)
    headers = [(b"x-forwarded-proto", proto)] if proto else []
    assert forwarded_https(peer, headers, scheme) is https


@pytest.mark.parametrize("client, writes, allowed", [
    (Client("127.0.0.1", False, "loopback"), "on", True),
    (Client("::1", False, "loopback"), None, True),
    (Client("127.0.0.1", True, "loopback"), "on", False),     # a forwarded header, believed or not
    (Client("127.0.0.1", False, "proxy"), "on", False),       # a trusted proxy that sent no header
    (Client("10.1.2.3", True, "proxy"), "on", False),
    (Client("10.1.2.3", False, "remote"), "on", False),
    (Client(None), "on", False),                              # nothing known (no middleware)
    (Client("127.0.0.1", False, "loopback"), "off", False),
    (Client("127.0.0.1", False, "loopback"), "maybe", False),  # an unusable setting counts as off
])
def test_demo_mode_fails_closed(monkeypatch, client, writes, allowed):
    if writes is None:
        monkeypatch.delenv("FUPIN_DEMO_WRITES", raising=False)
    else:
        monkeypatch.setenv("FUPIN_DEMO_WRITES", writes)
    assert may_change_demo_data(client) is allowed


@pytest.mark.parametrize("client", [Client("127.0.0.1", False, "loopback"), Client("10.1.2.3", True, "proxy"),
                                    Client("2001:db8::7", True, "remote"), Client(None)])
def test_the_middleware_header_reads_back(client):
    assert Client.from_header(client.header()) == client


@pytest.mark.parametrize("text", [None, "", "127.0.0.1", "127.0.0.1 direct loopback extra", "1.2.3.4 direct admin"])
def test_a_missing_or_strange_header_is_a_client_about_whom_nothing_is_known(text):
    assert Client.from_header(text) == Client(None) and not may_change_demo_data(Client.from_header(text))
