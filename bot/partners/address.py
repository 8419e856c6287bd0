"""Outbound addresses are checked before every attempt: a webhook URL must not reach a
private, loopback, link-local or otherwise internal address (server-side request forgery)
unless the partners file allows it (`allow_private_addresses: true`, tests and demos)."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit


class AddressRefused(ValueError):
    pass


def _internal(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


async def check_url(url: str, allow_private: bool) -> None:
    """Raise AddressRefused when `url` may not be called."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http"):
        raise AddressRefused(f"scheme {parts.scheme!r} is not allowed")
    if allow_private:
        return
    if parts.scheme != "https":
        raise AddressRefused("webhooks must use https")
    host = parts.hostname or ""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(
            host, parts.port or 443, type=socket.SOCK_STREAM
        )
    except OSError as exc:
        raise AddressRefused(f"{host}: cannot be resolved") from exc
    for info in infos:
        ip = ipaddress.ip_address(info[4][0])
        if _internal(ip):
            raise AddressRefused(f"{host} resolves to an internal address")
