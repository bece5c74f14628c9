"""Address checks and URL normalisation; fetches answered by httpx.MockTransport, never the net."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.fetch import BadURL, BlockedAddress, Fetcher, FetchError, check_url, is_public_address
from bot.netguard import address_problem, is_always_blocked, parse_ipv4_literal

PUBLIC_V4 = "93.184.216.34"


class FakeResolver:
    """Answers from a table (or a sequence of answers per host) and records every lookup."""

    def __init__(self, answers: dict[str, list[str] | list[list[str]]]) -> None:
        self.answers = answers
        self.calls: list[tuple[str, int]] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append((host, port))
        if host not in self.answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        answer = self.answers[host]
        if answer and isinstance(answer[0], list):  # successive answers: rebinding
            turn = sum(1 for h, _ in self.calls if h == host) - 1
            return list(answer[min(turn, len(answer) - 1)])  # type: ignore[arg-type]
        return list(answer)  # type: ignore[arg-type]


class Recorder:
    """MockTransport handler: records requests, answers from a function of the request."""

    def __init__(self, answer: Callable[[httpx.Request], httpx.Response] | None = None) -> None:
        self.requests: list[httpx.Request] = []
        self.answer = answer or (lambda r: httpx.Response(200, content=b"<rss/>"))

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.answer(request)


def make_fetcher(resolver: FakeResolver, recorder: Recorder) -> Fetcher:
    return Fetcher(transport=httpx.MockTransport(recorder), resolver=resolver)


BLOCKED = [
    ("127.0.0.1", "loopback"),
    ("127.255.0.9", "loopback"),
    ("::1", "loopback"),
    ("10.0.0.5", "private"),
    ("172.16.0.1", "private"),
    ("172.31.255.254", "private"),
    ("192.168.1.1", "private"),
    ("fc00::1", "private"),
    ("fd12:3456::1", "private"),
    ("169.254.0.1", "link-local"),
    ("169.254.169.254", "link-local"),
    ("fe80::1", "link-local"),
    ("fe80::1%eth0", "link-local"),
    ("100.64.0.1", "CGNAT"),
    ("100.127.255.254", "CGNAT"),
    ("224.0.0.1", "multicast"),
    ("239.255.255.250", "multicast"),
    ("ff02::1", "multicast"),
    ("240.0.0.1", "reserved"),
    ("0.0.0.0", "unspecified"),
    ("0.1.2.3", "this-network"),
    ("::", "unspecified"),
    ("255.255.255.255", "broadcast"),
    ("192.0.2.10", "documentation"),
    ("198.51.100.10", "documentation"),
    ("203.0.113.10", "documentation"),
    ("2001:db8::1", "documentation"),
    ("198.18.0.1", "benchmarking"),
    ("::ffff:127.0.0.1", "IPv4-mapped loopback"),
    ("::ffff:10.0.0.1", "IPv4-mapped private"),
    ("::ffff:169.254.169.254", "IPv4-mapped link-local"),
    ("64:ff9b::10.0.0.1", "NAT64 private"),
    ("2002:7f00:1::1", "6to4 loopback"),
    ("2002:c0a8:101::1", "6to4 private"),
    ("2001:0:4136:e378:8000:63bf:f5ff:fffe", "Teredo private"),  # client 10.0.0.1
    ("::127.0.0.1", "reserved"),  # deprecated IPv4-compatible
    ("2130706433", "loopback"),
    ("0177.0.0.1", "loopback"),
    ("0x7f.1", "loopback"),
    ("127.1", "loopback"),
]
PUBLIC = ["93.184.216.34", "8.8.8.8", "1.1.1.1", "2606:4700::1111", "2001:4860:4860::8888"]


@pytest.mark.parametrize(("ip", "why"), BLOCKED)
def test_blocked_ranges(ip: str, why: str) -> None:
    assert address_problem(ip) == why
    assert not is_public_address(ip)


@pytest.mark.parametrize("ip", PUBLIC)
def test_public_addresses(ip: str) -> None:
    assert address_problem(ip) is None
    assert is_public_address(ip)


@pytest.mark.parametrize("text", ["not-an-ip", "1.2.3.4.5", "256.0.0.1", ""])
def test_garbage_is_not_public(text: str) -> None:
    assert not is_public_address(text)


def test_metadata_is_always_blocked() -> None:
    assert is_always_blocked("169.254.169.254")
    assert is_always_blocked("::ffff:169.254.169.254")
    assert is_always_blocked("fd00:ec2::254")
    assert not is_always_blocked("10.0.0.1")


@pytest.mark.parametrize(
    ("url", "normal"),
    [
        ("http://2130706433/", "http://127.0.0.1/"),
        ("http://0177.0.0.1/x", "http://127.0.0.1/x"),
        ("http://0x7f.1/", "http://127.0.0.1/"),
        ("http://127.1:8080/", "http://127.0.0.1:8080/"),
        ("http://0x7f000001./", "http://127.0.0.1/"),
        ("HTTP://Feeds.Example.COM:80/a?b=1#frag", "http://feeds.example.com/a?b=1"),
        ("https://example.com:443", "https://example.com/"),
        ("https://example.com:8443/f", "https://example.com:8443/f"),
        ("http://bücher.de/feed", "http://xn--bcher-kva.de/feed"),
        ("http://ＥＸＡＭＰＬＥ.com/", "http://example.com/"),
        ("http://[::1]:8080/a", "http://[::1]:8080/a"),
        ("http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/"),
        ("  http://example.com/  ", "http://example.com/"),
    ],
)
def test_check_url_normalises(url: str, normal: str) -> None:
    assert check_url(url) == normal


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.com/", "not http/https"),
        ("file:///etc/passwd", "not http/https"),
        ("javascript:alert(1)", "not http/https"),
        ("gopher://127.0.0.1:6379/", "not http/https"),
        ("http:///path", "no host"),
        ("http://user:secret@example.com/", "credentials"),
        ("http://example.com@127.0.0.1/", "credentials"),
        ("http://example.com\\@127.0.0.1/", "credentials"),
        ("http://xn--zz.com/", "invalid host name"),
        ("http://☃.net/", "invalid host name"),
        ("http://a..b/", "invalid host name"),
        ("http://ex%2ecom/", "invalid host name"),
        ("http://1.2.3.4.5/", "invalid IPv4"),
        ("http://256.0.0.1/", "invalid IPv4"),
        ("http://08.0.0.1/", "invalid IPv4"),
        ("http://example.123/", "invalid IPv4"),
        ("http://example.com:99999/", "invalid URL"),
        ("http://example.com:0/", "port 0"),
        ("http://[fe80::1%25eth0]/", "zone"),
        ("http://exa mple.com/", "spaces"),
    ],
)
def test_check_url_rejects(url: str, message: str) -> None:
    with pytest.raises(BadURL, match=message) as info:
        check_url(url)
    assert "secret" not in str(info.value)
    assert isinstance(info.value, FetchError)


@given(st.integers(min_value=0, max_value=2**32 - 1), st.sampled_from(["dec", "oct", "hex", "2"]))
def test_ipv4_spellings_agree_with_inet_aton(number: int, style: str) -> None:
    a, b, c, d = ipaddress.IPv4Address(number).packed
    spelled = {
        "dec": str(number),
        "oct": ".".join(f"0{x:o}" for x in (a, b, c, d)),
        "hex": f"0x{a:x}.0x{b:x}.0x{c:x}.0x{d:x}",
        "2": f"{a}.{(b << 16) | (c << 8) | d}",
    }[style]
    expected = socket.inet_ntoa(socket.inet_aton(spelled))
    assert parse_ipv4_literal(spelled) == expected == str(ipaddress.IPv4Address(number))


@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_ipv4_mapped_is_judged_like_ipv4(number: int) -> None:
    v4 = ipaddress.IPv4Address(number)
    mapped = f"::ffff:{v4}"
    assert is_public_address(mapped) == is_public_address(str(v4))


# --- fetches through MockTransport with a fake resolver -------------------------------------


@pytest.mark.parametrize(("ip", "why"), [b for b in BLOCKED if "%" not in b[0]])
async def test_fetch_refuses_host_resolving_to_blocked_range(ip: str, why: str) -> None:
    address = ip if ":" in ip else str(parse_ipv4_literal(ip))
    resolver = FakeResolver({"feeds.example.com": [address]})
    recorder = Recorder()
    fetcher = make_fetcher(resolver, recorder)
    with pytest.raises(BlockedAddress, match="blocked address"):
        await fetcher.fetch("http://feeds.example.com/rss")
    assert recorder.requests == []
    await fetcher.aclose()


async def test_any_non_public_answer_blocks() -> None:
    resolver = FakeResolver({"feeds.example.com": [PUBLIC_V4, "10.0.0.5"]})
    recorder = Recorder()
    fetcher = make_fetcher(resolver, recorder)
    with pytest.raises(BlockedAddress, match=r"^blocked address 10\.0\.0\.5 \(private\)$"):
        await fetcher.fetch("http://feeds.example.com/rss")
    assert recorder.requests == []


@pytest.mark.parametrize(
    "url",
    [
        "http://2130706433/",
        "http://0177.0.0.1/",
        "http://0x7f.1/",
        "http://127.1/",
        "http://0.0.0.0/",
        "http://[::]/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://169.254.169.254/latest/meta-data/",
        "http://localhost:8080/",
        "http://api.localhost/",
    ],
)
async def test_literal_and_localhost_urls_are_refused_without_resolving(url: str) -> None:
    resolver = FakeResolver({"localhost": ["127.0.0.1"], "api.localhost": ["127.0.0.1"]})
    recorder = Recorder()
    fetcher = make_fetcher(resolver, recorder)
    with pytest.raises(BlockedAddress):
        await fetcher.fetch(url)
    assert recorder.requests == []
    assert resolver.calls == []


async def test_public_host_is_fetched_at_the_checked_ip_with_original_host() -> None:
    resolver = FakeResolver({"feeds.example.com": [PUBLIC_V4]})
    recorder = Recorder(
        lambda r: httpx.Response(200, content=b"<rss/>", headers={"Content-Type": "text/xml"})
    )
    fetcher = make_fetcher(resolver, recorder)
    result = await fetcher.fetch("https://feeds.example.com/rss?x=1")
    assert result.body == b"<rss/>"
    assert result.url == "https://feeds.example.com/rss?x=1"
    assert result.content_type == "text/xml"
    (request,) = recorder.requests
    assert request.url.host == PUBLIC_V4
    assert request.url.port is None and request.url.scheme == "https"
    assert request.url.path == "/rss" and request.url.query == b"x=1"
    assert request.headers["host"] == "feeds.example.com"
    assert request.extensions["sni_hostname"] == "feeds.example.com"
    assert request.headers["connection"] == "close"  # no pooled TLS reuse across names
    assert request.headers["user-agent"] == "newsdigest/0.1 (+feed reader)"
    assert resolver.calls == [("feeds.example.com", 443)]


async def test_non_default_port_and_ipv6_answer() -> None:
    resolver = FakeResolver({"feeds.example.com": ["2606:4700::1111"]})
    recorder = Recorder()
    fetcher = make_fetcher(resolver, recorder)
    await fetcher.fetch("http://feeds.example.com:8080/rss")
    (request,) = recorder.requests
    assert request.url.host == "2606:4700::1111" and request.url.port == 8080
    assert request.headers["host"] == "feeds.example.com:8080"
    assert "sni_hostname" not in request.extensions
    assert request.headers["connection"] == "keep-alive"  # plain http: Host picks the site
    assert resolver.calls == [("feeds.example.com", 8080)]


async def test_dns_rebinding_uses_the_one_checked_resolution() -> None:
    # First answer public, any later answer loopback: only the first may ever be used.
    resolver = FakeResolver({"rebind.example": [[PUBLIC_V4], ["127.0.0.1"]]})
    recorder = Recorder()
    fetcher = make_fetcher(resolver, recorder)
    await fetcher.fetch("http://rebind.example/feed")
    assert len(resolver.calls) == 1
    assert [r.url.host for r in recorder.requests] == [PUBLIC_V4]
    assert recorder.requests[0].headers["host"] == "rebind.example"


async def test_idn_host_is_resolved_as_a_label() -> None:
    resolver = FakeResolver({"xn--bcher-kva.de": [PUBLIC_V4]})
    recorder = Recorder()
    fetcher = make_fetcher(resolver, recorder)
    result = await fetcher.fetch("http://bücher.de/feed")
    assert resolver.calls == [("xn--bcher-kva.de", 80)]
    assert recorder.requests[0].headers["host"] == "xn--bcher-kva.de"
    assert result.url == "http://xn--bcher-kva.de/feed"


async def test_unresolvable_host_is_a_fetch_error() -> None:
    fetcher = make_fetcher(FakeResolver({}), Recorder())
    with pytest.raises(FetchError, match="could not resolve nowhere.example"):
        await fetcher.fetch("http://nowhere.example/")


def _redirect_to(location: str) -> Callable[[httpx.Request], httpx.Response]:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/feed":
            return httpx.Response(302, headers={"Location": location})
        return httpx.Response(200, content=b"final")

    return answer


@pytest.mark.parametrize(
    "location",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://internal.example/",
        "http://[::ffff:10.0.0.1]/",
        "http://2130706433/",
        "ftp://files.example/",
    ],
)
async def test_every_redirect_hop_is_rechecked(location: str) -> None:
    resolver = FakeResolver({"feeds.example.com": [PUBLIC_V4], "internal.example": ["10.1.2.3"]})
    recorder = Recorder(_redirect_to(location))
    fetcher = make_fetcher(resolver, recorder)
    with pytest.raises((BlockedAddress, BadURL)):
        await fetcher.fetch("http://feeds.example.com/feed")
    assert len(recorder.requests) == 1


async def test_relative_redirect_keeps_the_logical_host() -> None:
    resolver = FakeResolver({"feeds.example.com": [PUBLIC_V4]})
    recorder = Recorder(_redirect_to("/new-feed"))
    fetcher = make_fetcher(resolver, recorder)
    result = await fetcher.fetch("http://feeds.example.com/feed")
    assert result.url == "http://feeds.example.com/new-feed"
    assert result.body == b"final"
    assert [r.headers["host"] for r in recorder.requests] == ["feeds.example.com"] * 2


async def test_allow_private_covers_only_the_source_host() -> None:
    resolver = FakeResolver({"intranet.lan": ["10.0.0.7"], "other.lan": ["10.0.0.8"]})
    recorder = Recorder(_redirect_to("http://other.lan/"))
    fetcher = make_fetcher(resolver, recorder)
    with pytest.raises(BlockedAddress, match="10.0.0.8"):
        await fetcher.fetch("http://intranet.lan/feed", allow_private=True)
    assert [r.url.host for r in recorder.requests] == ["10.0.0.7"]
    ok = await fetcher.fetch("http://intranet.lan/other", allow_private=True)
    assert ok.body == b"final"


async def test_metadata_blocked_even_with_allow_private() -> None:
    fetcher = make_fetcher(FakeResolver({}), Recorder())
    with pytest.raises(BlockedAddress, match="cloud metadata"):
        await fetcher.fetch("http://169.254.169.254/", allow_private=True)


async def test_injected_client_is_used_and_not_closed() -> None:
    recorder = Recorder()
    async with httpx.AsyncClient(transport=httpx.MockTransport(recorder)) as client:
        fetcher = Fetcher(client, resolver=FakeResolver({"feeds.example.com": [PUBLIC_V4]}))
        await fetcher.fetch("http://feeds.example.com/")
        await fetcher.aclose()
        assert not client.is_closed
    assert recorder.requests[0].url.host == PUBLIC_V4
