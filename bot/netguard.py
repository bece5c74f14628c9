"""Address and URL checks against server-side request forgery.

`/digest subscribe URL` takes a URL from any chat user, and the bot then fetches it from inside
our network. These checks decide, before any connection is made, whether a URL and the
addresses its host resolves to may be contacted. They are pure functions (no I/O) so they can be
tested exhaustively; `bot.fetch` does the resolving and pins the connection to the checked
address.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

import idna

__all__ = [
    "ALWAYS_BLOCKED",
    "BadURL",
    "address_problem",
    "check_url",
    "is_always_blocked",
    "is_public_address",
    "parse_ipv4_literal",
    "url_host",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class BadURL(ValueError):
    """The URL is syntactically unacceptable (scheme, host, credentials); message is for users.

    `bot.fetch.BadURL` subclasses this so callers catching `FetchError` see it too.
    """


# Cloud metadata endpoints stay blocked even for configured sources with allow_private: a feed
# never lives there, and reaching them leaks instance credentials.
ALWAYS_BLOCKED: frozenset[IPAddress] = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254")
)

# IANA special-purpose ranges, first match wins. Python's `is_global` differs between versions,
# so the ranges that matter are spelled out here and `is_global` is only the final safety net.
_V4_RANGES: tuple[tuple[str, str], ...] = (
    ("0.0.0.0/32", "unspecified"),
    ("0.0.0.0/8", "this-network"),
    ("127.0.0.0/8", "loopback"),
    ("10.0.0.0/8", "private"),
    ("172.16.0.0/12", "private"),
    ("192.168.0.0/16", "private"),
    ("169.254.0.0/16", "link-local"),
    ("100.64.0.0/10", "CGNAT"),
    ("192.0.0.0/24", "reserved"),
    ("192.0.2.0/24", "documentation"),
    ("198.51.100.0/24", "documentation"),
    ("203.0.113.0/24", "documentation"),
    ("192.88.99.0/24", "reserved"),
    ("198.18.0.0/15", "benchmarking"),
    ("224.0.0.0/4", "multicast"),
    ("255.255.255.255/32", "broadcast"),
    ("240.0.0.0/4", "reserved"),
)
_V6_RANGES: tuple[tuple[str, str], ...] = (
    ("::/128", "unspecified"),
    ("::1/128", "loopback"),
    ("fc00::/7", "private"),
    ("fe80::/10", "link-local"),
    ("fec0::/10", "site-local"),
    ("ff00::/8", "multicast"),
    ("2001:db8::/32", "documentation"),
    ("3fff::/20", "documentation"),
    ("100::/64", "discard"),
    ("64:ff9b:1::/48", "reserved"),
    ("2001:10::/28", "reserved"),
    ("2001:20::/28", "reserved"),
    ("::/96", "reserved"),  # deprecated IPv4-compatible addresses
)
_V4_NETS = tuple((ipaddress.IPv4Network(n), why) for n, why in _V4_RANGES)
_V6_NETS = tuple((ipaddress.IPv6Network(n), why) for n, why in _V6_RANGES)
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")

_NUM_PART = re.compile(r"^(0[xX][0-9a-fA-F]*|[0-9]+)$")
_LABEL = re.compile(r"^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$")


def _parse(ip: str | IPAddress) -> IPAddress | None:
    if not isinstance(ip, str):
        return ip
    text = ip.strip().strip("[]").split("%", 1)[0]  # scope id: fe80::1%eth0
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        pass
    try:
        v4 = parse_ipv4_literal(text)
    except BadURL:
        return None
    return ipaddress.IPv4Address(v4) if v4 is not None else None


def _embedded_v4(addr: ipaddress.IPv6Address) -> list[tuple[ipaddress.IPv4Address, str]]:
    """IPv4 addresses tunnelled inside an IPv6 one: mapped, NAT64, 6to4, Teredo."""
    found: list[tuple[ipaddress.IPv4Address, str]] = []
    if addr.ipv4_mapped is not None:
        found.append((addr.ipv4_mapped, "IPv4-mapped"))
    if addr in _NAT64:
        found.append((ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF), "NAT64"))
    if addr.sixtofour is not None:
        found.append((addr.sixtofour, "6to4"))
    if addr.teredo is not None:
        server, client = addr.teredo
        found.extend([(server, "Teredo"), (client, "Teredo")])
    return found


def address_problem(ip: str | IPAddress) -> str | None:
    """Why `ip` must not be contacted ("loopback", "private", …), or None if it is public.

    Accepts every spelling getaddrinfo would (`127.1`, `0x7f.1`, `2130706433`, `[::1]`,
    `fe80::1%eth0`); something that is not an address at all is "not an IP address".
    """
    addr = _parse(ip)
    if addr is None:
        return "not an IP address"
    if isinstance(addr, ipaddress.IPv6Address):
        if addr.ipv4_mapped is not None:  # the very same IPv4 host on a dual-stack socket
            inner_problem = address_problem(addr.ipv4_mapped)
            return None if inner_problem is None else f"IPv4-mapped {inner_problem}"
        for inner, how in _embedded_v4(addr):
            problem = address_problem(inner)
            if problem is not None:
                return f"{how} {problem}"
        nets: tuple[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, str], ...] = _V6_NETS
    else:
        nets = _V4_NETS
    for net, why in nets:
        if addr in net:
            return why
    if addr.is_private or addr.is_reserved or not addr.is_global:
        return "non-public"
    return None


def is_public_address(ip: str) -> bool:
    """True when `ip` is a globally routable unicast address (embedded IPv4 included)."""
    return address_problem(ip) is None


def is_always_blocked(ip: str | IPAddress) -> bool:
    """Cloud metadata endpoints (also behind IPv4-mapped/NAT64 spellings), never fetched."""
    addr = _parse(ip)
    if addr is None:
        return True
    candidates: list[IPAddress] = [addr]
    if isinstance(addr, ipaddress.IPv6Address):
        candidates.extend(inner for inner, _ in _embedded_v4(addr))
    return any(c in ALWAYS_BLOCKED for c in candidates)


def parse_ipv4_literal(host: str) -> str | None:
    """Read `host` the way inet_aton does (decimal, 0-octal, 0x-hex, 1–4 parts), dotted-quad out.

    Returns None when `host` is not numeric at all (a domain name); raises BadURL when it looks
    numeric but is no valid address, because resolvers disagree on such strings.
    """
    text = host[:-1] if host.endswith(".") else host
    parts = text.split(".")
    if not parts or not _NUM_PART.match(parts[-1]):
        return None  # WHATWG: only a numeric last label makes the host an IPv4 address
    if len(parts) > 4 or not all(_NUM_PART.match(p) for p in parts):
        raise BadURL(f"invalid IPv4 address {host!r}")
    values: list[int] = []
    for p in parts:
        try:
            if p[:2].lower() == "0x":
                values.append(int(p[2:] or "0", 16))
            elif len(p) > 1 and p.startswith("0"):
                values.append(int(p, 8))
            else:
                values.append(int(p, 10))
        except ValueError:
            raise BadURL(f"invalid IPv4 address {host!r}") from None
    *head, last = values
    if any(v > 255 for v in head) or last >= 256 ** (5 - len(values)):
        raise BadURL(f"invalid IPv4 address {host!r}")
    number = last
    for i, v in enumerate(head):
        number |= v << (24 - 8 * i)
    return str(ipaddress.IPv4Address(number))


def _normal_host(host: str) -> str:
    """The host as we connect to it: dotted-quad IPv4, bare IPv6, or an IDNA (A-label) name."""
    if not host:
        raise BadURL("URL has no host")
    if ":" in host:
        if "%" in host:
            raise BadURL("IPv6 zone ids are not allowed")
        try:
            return str(ipaddress.IPv6Address(host))
        except ValueError:
            raise BadURL(f"invalid IPv6 address {host!r}") from None
    v4 = parse_ipv4_literal(host)
    if v4 is not None:
        return v4
    name = host[:-1] if host.endswith(".") else host
    try:
        if name.isascii():
            name = name.lower()
            for label in name.split("."):
                if label.startswith("xn--"):
                    idna.decode(label)  # reject malformed A-labels
        else:
            name = idna.encode(name, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError) as exc:
        raise BadURL(f"invalid host name ({exc})") from None
    if len(name) > 253 or not all(_LABEL.match(label) for label in name.split(".")):
        raise BadURL("invalid host name")
    return name


def url_host(url: str) -> tuple[str, int]:
    """(host, port) of an already checked URL; IPv6 without brackets."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.hostname or "", port


def check_url(url: str) -> str:
    """Syntactic checks only (no DNS): http/https, a host, no credentials; returns a normal form.

    The normal form has a lower-case IDNA host, IPv4 literals as dotted quads, no default port
    and no fragment, so that what we check, log and connect to is one unambiguous string and
    parser differences (`http://a\\@b/`, `http://user@host/`) cannot smuggle in another host.
    """
    text = url.strip()
    if any(ord(c) < 0x21 or c == "\x7f" for c in text):
        raise BadURL("URL contains spaces or control characters")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise BadURL(f"invalid URL ({exc})") from None
    scheme = parts.scheme.lower()
    if not scheme:  # "not-a-url", "example.org/feed": say so, not "not http/https"
        raise BadURL(
            f"{text!r} is not a URL (give the full address, e.g. https://example.org/feed.xml)"
        )
    if scheme not in ("http", "https"):
        raise BadURL("not http/https")
    netloc = parts.netloc
    if "@" in netloc:
        raise BadURL("credentials in URLs are not allowed")
    if "\\" in netloc or "\\" in parts.path[:1]:
        raise BadURL("backslashes in the host part are not allowed")
    bracketed = netloc.startswith("[")
    host = _normal_host(parts.hostname or "")
    if ":" in host and not bracketed:
        raise BadURL("IPv6 addresses must be in brackets")
    if port == 0:
        raise BadURL("port 0 is not allowed")
    shown = f"[{host}]" if ":" in host else host
    default = 443 if scheme == "https" else 80
    if port is not None and port != default:
        shown = f"{shown}:{port}"
    path = parts.path or "/"
    query = f"?{parts.query}" if parts.query else ""
    return f"{scheme}://{shown}{path}{query}"
