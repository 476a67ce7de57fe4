"""`[web] listen` and `[web] public_url`: an address the dashboard can listen on, and one people can open.

`listen` is `host:port` — an IPv4 address, a host name, or an IPv6 address in brackets (`[::1]:8080`), the port
1–65535; `public_url` an http(s) address with a host and no query or fragment. Each problem names the value
and what it should look like."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

_HOSTNAME = re.compile(
    r"(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
)
LISTEN_EXAMPLE = "127.0.0.1:8080（IPv6 写作 [::1]:8080）"


def listen_problem(listen: str, example: str = LISTEN_EXAMPLE, any_host: bool = False) -> str | None:
    """Why `listen` is no address to listen on, or None (`example`: the key's own, in the message; `any_host`:
    `:8443`, without a host, listens on every interface)."""
    host, colon, port = listen.rpartition(":")
    if not colon:
        return f"“{listen}”缺少端口，应形如 {example}"
    if not port.isascii() or not port.isdigit() or not 1 <= int(port) <= 65535:
        return f"“{listen}”的端口“{port}”应为 1–65535 之间的整数，例如 {example}"
    if not host and any_host:
        return None
    if host.startswith("[") and host.endswith("]"):
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            return f"“{listen}”方括号中的“{host[1:-1]}”不是 IPv6 地址，例如 {example}"
        return None
    if ":" in host:
        return f"“{listen}”中的 IPv6 地址须加方括号，例如 [{host}]:{port}"
    if re.fullmatch(r"[0-9.]+", host):
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            return f"“{listen}”中的“{host}”不是 IPv4 地址，例如 {example}"
        return None
    if not _HOSTNAME.fullmatch(host):
        return f"“{listen}”中的主机“{host}”不是地址或主机名，例如 {example}"
    return None


def public_url_problem(url: str) -> str | None:
    """Why `url` is no address people could open the dashboard at, or None."""
    parts = urlsplit(url)
    example = "例如 https://dubanbot.example.gov.cn"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"“{url}”应为 http 或 https 地址，{example}"
    try:
        port = parts.port
    except ValueError:
        return f"“{url}”的端口应为 1–65535 之间的整数，{example}"
    if port == 0 or parts.query or parts.fragment or parts.username or parts.password:
        return f"“{url}”应只含协议、主机、端口和路径，{example}"
    if any(c.isspace() for c in url):
        return f"“{url}”中含有空白字符，{example}"
    return None


def url_host(host: str) -> str:
    """A host as it goes into a URL: an IPv6 address in brackets."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host
