"""Demo mode's one rule: without accounts, only a browser on the server's own machine may change data."""

import ipaddress


def local_client(ip: str | None) -> bool:
    """Whether a client address is this machine (127.0.0.0/8, ::1, or 127.x mapped into IPv6); None or anything
    unreadable is not. The address comes from `st.context.ip_address`: good enough to keep a demo on the intranet
    from being overwritten from another desk, never trusted for sign-in."""
    try:
        address = ipaddress.ip_address((ip or "").strip().split("%")[0])
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return (mapped or address).is_loopback
