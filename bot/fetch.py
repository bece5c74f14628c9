"""Polite, safe HTTP fetching of feeds: conditional GET, size and time limits, address checks.

Feed URLs come from chat users (`/digest subscribe URL`), so every fetch is a potential
server-side request forgery. The defences, in the order a fetch meets them:

1. `check_url`: http/https only, a host, no credentials, one normal spelling of the host
   (odd IPv4 spellings such as `0x7f.1` become `127.0.0.1`, IDN hosts become A-labels).
2. The host is resolved ONCE with the injected resolver; if any address is not public
   (loopback, private, link-local, CGNAT, …; see `bot.netguard`) the fetch is refused.
3. DNS-rebinding defence: the request is sent to the checked IP itself. The request URL's host
   is rewritten to that IP while the `Host` header and TLS SNI (`sni_hostname` request
   extension, which httpcore also uses for certificate verification) keep the original name, so
   no second, attacker-controlled resolution happens inside the HTTP stack. The rewrite is done
   on the request rather than in a custom transport, so it works with any injected client or
   transport (tests use `httpx.MockTransport`). https requests ask for `Connection: close`,
   because httpcore pools connections by IP and would otherwise reuse one TLS session (verified
   for one name) for another name on the same IP.
4. Redirects are followed by hand, each hop goes through 1–3 again, at most `max_redirects`.
   `allow_private` (a config source's opt-in) only covers the source's own host: a redirect to
   any other host is checked strictly. Cloud metadata addresses are refused even then.
5. Bodies are decompressed here, with a budget: output beyond `max_bytes` stops the read, so a
   small gzip bomb cannot inflate in memory. Only gzip/deflate are advertised.
6. Connect/read timeouts per operation plus a total deadline, against slow-loris servers.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import socket
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import urljoin, urlsplit

import httpx

from bot import netguard
from bot.netguard import address_problem, is_always_blocked, is_public_address, url_host

__all__ = [
    "BadURL",
    "BlockedAddress",
    "FetchError",
    "FetchLimits",
    "FetchResult",
    "FetchTimeout",
    "Fetcher",
    "HTTPStatusError",
    "Resolver",
    "TooLarge",
    "TooManyRedirects",
    "check_url",
    "is_public_address",
    "system_resolver",
]

log = logging.getLogger(__name__)

Resolver = Callable[[str, int], Awaitable[list[str]]]

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5"
)


@dataclass(frozen=True)
class FetchLimits:
    """Per-fetch limits; the defaults suit feeds, which are small and never urgent."""

    max_bytes: int = 10_000_000
    connect_timeout: float = 10
    read_timeout: float = 20
    total_timeout: float = 60
    max_redirects: int = 5


@dataclass(frozen=True)
class FetchResult:
    """One successful fetch. `url` is the final URL after redirects (original host name)."""

    url: str
    status: int
    body: bytes
    etag: str | None
    last_modified: str | None
    content_type: str | None
    not_modified: bool


class FetchError(Exception):
    """A fetch failed; `str(error)` is a short reason fit to show users (never credentials)."""


class BadURL(FetchError, netguard.BadURL):
    """The URL itself is unacceptable (scheme, host, credentials)."""


class BlockedAddress(FetchError):
    """The host resolves to an address we must not contact (SSRF protection)."""


class TooLarge(FetchError):
    """The (decoded) body exceeds `FetchLimits.max_bytes`."""


class FetchTimeout(FetchError):
    """Connect, read or total deadline exceeded."""


class TooManyRedirects(FetchError):
    """More than `FetchLimits.max_redirects` redirects."""


class HTTPStatusError(FetchError):
    """A non-2xx, non-304 final response."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(f"HTTP {status} {reason}".rstrip())
        self.status = status
        self.reason = reason


def check_url(url: str) -> str:
    """Syntactic URL checks (see `bot.netguard.check_url`), raising this module's `BadURL`."""
    try:
        return netguard.check_url(url)
    except netguard.BadURL as exc:
        raise BadURL(str(exc)) from None


async def system_resolver(host: str, port: int) -> list[str]:
    """All addresses the system resolver gives for `host`, in its order, without duplicates."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _size(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:g} MB"
    if n >= 1_000:
        return f"{n / 1_000:g} KB"
    return f"{n} bytes"


def _redacted(url: str) -> str:
    """URL for logs: no query string, which may carry tokens."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def _ip_literal(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return None


class _BodyDecoder:
    """Decodes gzip/deflate with an output budget, so a bomb stops at `limit` bytes in memory."""

    def __init__(self, content_encoding: str, limit: int) -> None:
        codings = [c.strip().lower() for c in content_encoding.split(",")]
        codings = [c for c in codings if c and c != "identity"]
        if len(codings) > 1:
            raise FetchError(f"unsupported Content-Encoding {content_encoding.strip()}")
        self._coding = codings[0] if codings else ""
        if self._coding in ("gzip", "x-gzip"):
            self._z: zlib._Decompress | None = zlib.decompressobj(zlib.MAX_WBITS | 16)
        elif self._coding == "deflate":
            self._z = zlib.decompressobj()
        elif not self._coding:
            self._z = None
        else:
            raise FetchError(f"unsupported Content-Encoding {self._coding}")
        self._first = True
        self._limit = limit
        self._size = 0

    def _count(self, out: bytes) -> bytes:
        self._size += len(out)
        if self._size > self._limit:
            raise TooLarge(f"response larger than {_size(self._limit)}")
        return out

    def decode(self, data: bytes) -> bytes:
        if self._z is None:
            return self._count(data)
        budget = self._limit - self._size + 1  # hitting the budget means we are over the cap
        try:
            out = self._z.decompress(data, budget)
        except zlib.error:
            if not (self._first and self._coding == "deflate"):
                raise FetchError(f"could not decode {self._coding} body") from None
            # Some servers send raw deflate without the zlib header (httpx does the same).
            self._z = zlib.decompressobj(-zlib.MAX_WBITS)
            self._first = False
            return self.decode(data)
        self._first = False
        return self._count(out)

    def flush(self) -> bytes:
        if self._z is None:
            return b""
        try:
            return self._count(self._z.flush())
        except zlib.error:
            raise FetchError(f"could not decode {self._coding} body") from None


class Fetcher:
    """Fetches feed URLs politely (conditional GET, ≤ `max_per_host` at once per host) and safely.

    Pass `client` to share an `httpx.AsyncClient` (it must not carry auth, cookies or proxies
    meant for other hosts), or `transport` to have one built around it. A built client ignores
    proxy/netrc settings from the environment: a proxy would resolve the host itself and undo
    the address pinning.
    """

    def __init__(
        self,
        client: httpx.AsyncClient | None = None,
        *,
        limits: FetchLimits = FetchLimits(),  # noqa: B008 - frozen, so sharing it is safe
        resolver: Resolver | None = None,
        user_agent: str = "newsdigest/0.1 (+feed reader)",
        transport: httpx.AsyncBaseTransport | None = None,
        max_per_host: int = 2,
    ) -> None:
        self._limits = limits
        self._timeout = httpx.Timeout(
            connect=limits.connect_timeout,
            read=limits.read_timeout,
            write=limits.read_timeout,
            pool=limits.connect_timeout,
        )
        self._owns_client = client is None
        self._client = client or httpx.AsyncClient(
            transport=transport, follow_redirects=False, trust_env=False, timeout=self._timeout
        )
        self._resolver: Resolver = resolver or system_resolver
        self._user_agent = user_agent
        self._max_per_host = max_per_host
        self._per_host: dict[str, asyncio.Semaphore] = {}

    async def aclose(self) -> None:
        """Close the client if this fetcher built it; an injected one belongs to the caller."""
        if self._owns_client:
            await self._client.aclose()

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        allow_private: bool = False,
    ) -> FetchResult:
        """GET `url`; 304 gives `not_modified=True` with the validators to keep.

        Raises a `FetchError` subclass for every failure. `allow_private` lets the source's own
        host be loopback/private (configured sources only — never for chat-supplied URLs).
        """
        current = check_url(url)
        source_host = url_host(current)[0]
        semaphore = self._per_host.setdefault(source_host, asyncio.Semaphore(self._max_per_host))
        async with semaphore:
            # The deadline starts once we hold the host's slot: queueing politely is not slowness.
            try:
                async with asyncio.timeout(self._limits.total_timeout):
                    return await self._follow(
                        current, source_host, etag, last_modified, allow_private
                    )
            except TimeoutError:
                raise FetchTimeout(f"timed out after {self._limits.total_timeout:g} s") from None

    async def _follow(
        self,
        current: str,
        source_host: str,
        etag: str | None,
        last_modified: str | None,
        allow_private: bool,
    ) -> FetchResult:
        for _hop in range(self._limits.max_redirects + 1):
            host, port = url_host(current)
            ip = await self._checked_address(host, port, allow_private and host == source_host)
            request = self._request(current, host, ip, etag, last_modified)
            log.debug("GET %s via %s", _redacted(current), ip)
            async with self._translate_errors(host):
                response = await self._client.send(request, stream=True, follow_redirects=False)
                try:
                    status = response.status_code
                    if status in _REDIRECTS:
                        location = response.headers.get("location")
                        if not location:
                            raise HTTPStatusError(status, "redirect without Location")
                        current = check_url(urljoin(current, location))
                        continue
                    headers = response.headers
                    if status == 304:
                        return FetchResult(
                            url=current,
                            status=status,
                            body=b"",
                            etag=headers.get("etag") or etag,
                            last_modified=headers.get("last-modified") or last_modified,
                            content_type=headers.get("content-type"),
                            not_modified=True,
                        )
                    if not 200 <= status < 300:
                        raise HTTPStatusError(status, _reason(status))
                    body = await self._read_body(response)
                    return FetchResult(
                        url=current,
                        status=status,
                        body=body,
                        etag=headers.get("etag"),
                        last_modified=headers.get("last-modified"),
                        content_type=headers.get("content-type"),
                        not_modified=False,
                    )
                finally:
                    await response.aclose()
        raise TooManyRedirects("too many redirects")

    async def _checked_address(self, host: str, port: int, private_ok: bool) -> str:
        """Resolve `host` once and return the address to connect to, or refuse."""
        literal = _ip_literal(host)
        if literal is not None:
            addresses = [literal]
        else:
            if (host == "localhost" or host.endswith(".localhost")) and not private_ok:
                raise BlockedAddress(f"blocked host {host} (loopback)")
            try:
                addresses = list(await self._resolver(host, port))
            except (OSError, UnicodeError) as exc:
                raise FetchError(f"could not resolve {host} ({exc})") from None
        if not addresses:
            raise FetchError(f"could not resolve {host}")
        for address in addresses:
            if is_always_blocked(address):
                raise BlockedAddress(f"blocked address {address} (cloud metadata)")
            problem = None if private_ok else address_problem(address)
            if problem is not None:
                log.info("refused %s: %s is %s", host, address, problem)
                raise BlockedAddress(f"blocked address {address} ({problem})")
        chosen = _ip_literal(addresses[0].split("%", 1)[0])
        if chosen is None:
            raise FetchError(f"could not resolve {host} (bad address from resolver)")
        return chosen

    def _request(
        self, url: str, host: str, ip: str, etag: str | None, last_modified: str | None
    ) -> httpx.Request:
        """The GET for `url`, addressed to `ip`, still naming `host` in Host and SNI."""
        logical = httpx.URL(url)
        headers = {
            "Host": logical.netloc.decode("ascii"),
            "User-Agent": self._user_agent,
            "Accept": _ACCEPT,
            "Accept-Encoding": "gzip, deflate",
        }
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        extensions: dict[str, str] = {}
        if logical.scheme == "https":
            extensions["sni_hostname"] = host
            # The pool keys connections by (scheme, IP, port) only: a kept-alive TLS connection
            # verified for one name could carry the next request for another name on that IP.
            headers["Connection"] = "close"
        return self._client.build_request(
            "GET",
            logical.copy_with(host=ip),
            headers=headers,
            timeout=self._timeout,
            extensions=extensions,
        )

    async def _read_body(self, response: httpx.Response) -> bytes:
        """Read at most `max_bytes` of decoded body (and of raw body), refusing early if we can."""
        limit = self._limits.max_bytes
        too_large = TooLarge(f"response larger than {_size(limit)}")
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise too_large
        if response.is_stream_consumed:  # built from bytes, e.g. by httpx.MockTransport
            if len(response.content) > limit:
                raise too_large
            return response.content
        decoder = _BodyDecoder(response.headers.get("content-encoding", ""), limit)
        chunks: list[bytes] = []
        raw_size = 0
        async for raw in response.aiter_raw():
            raw_size += len(raw)
            if raw_size > limit:  # e.g. endless garbage after the end of a gzip stream
                raise too_large
            chunks.append(decoder.decode(raw))
        chunks.append(decoder.flush())
        return b"".join(chunks)

    @contextlib.asynccontextmanager
    async def _translate_errors(self, host: str) -> AsyncIterator[None]:
        """httpx errors → FetchError with a short reason that never contains the URL."""
        try:
            yield
        except httpx.ConnectTimeout:
            raise FetchTimeout(
                f"connecting to {host} timed out after {self._limits.connect_timeout:g} s"
            ) from None
        except httpx.TimeoutException:
            raise FetchTimeout(f"{host} sent nothing for {self._limits.read_timeout:g} s") from None
        except httpx.HTTPError as exc:
            reason = str(exc) or type(exc).__name__
            raise FetchError(f"could not fetch from {host}: {reason}") from None


def _reason(status: int) -> str:
    """The standard phrase: the server's own reason text is not shown to users."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "error"
