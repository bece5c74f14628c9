"""Fetcher against a real local aiohttp server on 127.0.0.1 (allow_private, like a config source)."""

from __future__ import annotations

import asyncio
import gzip
import shutil
import ssl
import subprocess
import zlib
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import httpx
import pytest
from aiohttp import web

from bot.fetch import (
    BlockedAddress,
    Fetcher,
    FetchError,
    FetchLimits,
    FetchTimeout,
    HTTPStatusError,
    TooLarge,
    TooManyRedirects,
)

FEED = b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title></channel></rss>"
ETAG = '"v1"'
LAST_MODIFIED = "Wed, 25 Nov 2026 08:00:00 GMT"
CAP = 1_000_000


async def never_resolve(host: str, port: int) -> list[str]:
    raise AssertionError(f"resolver must not be asked for {host}")


async def etag_feed(request: web.Request) -> web.Response:
    if request.headers.get("If-None-Match") == ETAG:
        return web.Response(status=304, headers={"ETag": ETAG})
    return web.Response(body=FEED, content_type="application/rss+xml", headers={"ETag": ETAG})


async def lm_feed(request: web.Request) -> web.Response:
    if request.headers.get("If-Modified-Since") == LAST_MODIFIED:
        return web.Response(status=304)
    return web.Response(body=FEED, headers={"Last-Modified": LAST_MODIFIED})


async def loop_redirect(request: web.Request) -> web.Response:
    raise web.HTTPFound("/loop")


async def hop_redirect(request: web.Request) -> web.Response:
    n = int(request.match_info["n"])
    raise web.HTTPFound(f"/hop/{n - 1}" if n > 0 else "/etag")


async def metadata_redirect(request: web.Request) -> web.Response:
    raise web.HTTPFound("http://169.254.169.254/latest/meta-data/")


async def private_redirect(request: web.Request) -> web.Response:
    raise web.HTTPFound("http://10.0.0.5/feed")


async def huge_declared(request: web.Request) -> web.Response:
    return web.Response(body=b"x" * (CAP + 1))


async def huge_streamed(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse()  # chunked: no Content-Length to refuse early
    await response.prepare(request)
    chunk = b"x" * 65536
    try:
        for _ in range(CAP // len(chunk) + 4):
            await response.write(chunk)
    except (ConnectionError, aiohttp.ClientConnectionResetError):
        pass
    return response


BOMB_SIZE = 50 * CAP


def _gzip_bomb() -> bytes:
    z = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = b"\0" * CAP
    return b"".join([*(z.compress(block) for _ in range(BOMB_SIZE // CAP)), z.flush()])


BOMB = _gzip_bomb()


async def gzip_bomb(request: web.Request) -> web.Response:
    return web.Response(body=BOMB, headers={"Content-Encoding": "gzip"})


async def gzip_feed(request: web.Request) -> web.Response:
    return web.Response(body=gzip.compress(FEED), headers={"Content-Encoding": "gzip"})


async def deflate_feed(request: web.Request) -> web.Response:
    raw = request.query.get("raw") == "1"
    z = zlib.compressobj(wbits=-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)
    return web.Response(body=z.compress(FEED) + z.flush(), headers={"Content-Encoding": "deflate"})


async def brotli_feed(request: web.Request) -> web.Response:
    return web.Response(body=b"\x0b\x02\x80hi\x03", headers={"Content-Encoding": "br"})


async def slow_loris(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse()
    await response.prepare(request)
    try:
        for _ in range(100):  # "forever" for the client; bounded so shutdown never hangs
            await response.write(b"x")
            await asyncio.sleep(0.1)
    except (ConnectionError, aiohttp.ClientConnectionResetError):
        pass
    return response


async def not_found(request: web.Request) -> web.Response:
    return web.Response(status=404, reason="Not Found - see http://evil.example")


async def server_error(request: web.Request) -> web.Response:
    return web.Response(status=503)


@pytest.fixture
async def base() -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_get("/etag", etag_feed)
    app.router.add_get("/lm", lm_feed)
    app.router.add_get("/loop", loop_redirect)
    app.router.add_get("/hop/{n}", hop_redirect)
    app.router.add_get("/to-metadata", metadata_redirect)
    app.router.add_get("/to-private", private_redirect)
    app.router.add_get("/huge", huge_declared)
    app.router.add_get("/huge-stream", huge_streamed)
    app.router.add_get("/bomb", gzip_bomb)
    app.router.add_get("/gzip", gzip_feed)
    app.router.add_get("/deflate", deflate_feed)
    app.router.add_get("/br", brotli_feed)
    app.router.add_get("/slow", slow_loris)
    app.router.add_get("/missing", not_found)
    app.router.add_get("/down", server_error)
    runner = web.AppRunner(app, shutdown_timeout=0.5)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


@pytest.fixture
async def fetcher() -> AsyncIterator[Fetcher]:
    f = Fetcher(limits=FetchLimits(max_bytes=CAP), resolver=never_resolve)
    yield f
    await f.aclose()


async def test_etag_conditional_get(base: str, fetcher: Fetcher) -> None:
    first = await fetcher.fetch(f"{base}/etag", allow_private=True)
    assert (first.status, first.body, first.etag) == (200, FEED, ETAG)
    assert first.content_type == "application/rss+xml"
    assert not first.not_modified
    second = await fetcher.fetch(f"{base}/etag", etag=first.etag, allow_private=True)
    assert second.not_modified and second.status == 304 and second.body == b""
    assert second.etag == ETAG


async def test_last_modified_conditional_get(base: str, fetcher: Fetcher) -> None:
    first = await fetcher.fetch(f"{base}/lm", allow_private=True)
    assert first.last_modified == LAST_MODIFIED and first.etag is None
    second = await fetcher.fetch(
        f"{base}/lm", last_modified=first.last_modified, allow_private=True
    )
    assert second.not_modified and second.body == b""
    assert second.last_modified == LAST_MODIFIED  # kept although the 304 did not repeat it


async def test_redirect_chain_within_cap_is_followed(base: str, fetcher: Fetcher) -> None:
    result = await fetcher.fetch(f"{base}/hop/4", allow_private=True)  # 5 redirects
    assert result.url == f"{base}/etag"
    assert result.body == FEED


async def test_redirect_loop_is_too_many_redirects(base: str, fetcher: Fetcher) -> None:
    with pytest.raises(TooManyRedirects, match="^too many redirects$"):
        await fetcher.fetch(f"{base}/loop", allow_private=True)
    with pytest.raises(TooManyRedirects):
        await fetcher.fetch(f"{base}/hop/5", allow_private=True)  # 6 redirects


async def test_redirect_to_metadata_is_blocked(base: str, fetcher: Fetcher) -> None:
    with pytest.raises(BlockedAddress, match="169.254.169.254"):
        await fetcher.fetch(f"{base}/to-metadata", allow_private=True)


async def test_allow_private_does_not_follow_a_redirect_elsewhere(
    base: str, fetcher: Fetcher
) -> None:
    with pytest.raises(BlockedAddress, match=r"blocked address 10\.0\.0\.5 \(private\)"):
        await fetcher.fetch(f"{base}/to-private", allow_private=True)


async def test_local_server_is_refused_as_loopback_by_default(base: str, fetcher: Fetcher) -> None:
    with pytest.raises(BlockedAddress, match=r"^blocked address 127\.0\.0\.1 \(loopback\)$"):
        await fetcher.fetch(f"{base}/etag")


async def test_declared_huge_body_is_refused(base: str, fetcher: Fetcher) -> None:
    with pytest.raises(TooLarge, match="^response larger than 1 MB$"):
        await fetcher.fetch(f"{base}/huge", allow_private=True)


async def test_streamed_huge_body_stops_at_cap(base: str, fetcher: Fetcher) -> None:
    with pytest.raises(TooLarge):
        await fetcher.fetch(f"{base}/huge-stream", allow_private=True)


async def test_gzip_bomb_stops_at_cap(base: str, fetcher: Fetcher) -> None:
    assert len(BOMB) < CAP // 4  # small on the wire, 50 MB inflated
    with pytest.raises(TooLarge, match="1 MB"):
        await fetcher.fetch(f"{base}/bomb", allow_private=True)


async def test_gzip_and_deflate_bodies_are_decoded(base: str, fetcher: Fetcher) -> None:
    for path in ("/gzip", "/deflate", "/deflate?raw=1"):
        result = await fetcher.fetch(f"{base}{path}", allow_private=True)
        assert result.body == FEED, path


async def test_unadvertised_encoding_is_an_error(base: str, fetcher: Fetcher) -> None:
    with pytest.raises(FetchError, match="unsupported Content-Encoding br"):
        await fetcher.fetch(f"{base}/br", allow_private=True)


async def test_slow_loris_hits_total_deadline(base: str) -> None:
    limits = FetchLimits(total_timeout=0.5, read_timeout=20)
    async with asyncio.timeout(10):  # guard the test itself
        f = Fetcher(limits=limits, resolver=never_resolve)
        with pytest.raises(FetchTimeout, match="^timed out after 0.5 s$"):
            await f.fetch(f"{base}/slow", allow_private=True)
        await f.aclose()


async def test_read_timeout(base: str) -> None:
    f = Fetcher(limits=FetchLimits(read_timeout=0.05), resolver=never_resolve)
    with pytest.raises(FetchTimeout, match="sent nothing for 0.05 s"):
        await f.fetch(f"{base}/slow", allow_private=True)
    await f.aclose()


async def test_404_is_http_status_error(base: str, fetcher: Fetcher) -> None:
    with pytest.raises(HTTPStatusError, match="^HTTP 404 Not Found$") as info:
        await fetcher.fetch(f"{base}/missing", allow_private=True)
    assert info.value.status == 404


async def test_503_is_http_status_error(base: str, fetcher: Fetcher) -> None:
    with pytest.raises(HTTPStatusError, match="^HTTP 503 Service Unavailable$"):
        await fetcher.fetch(f"{base}/down", allow_private=True)


async def test_connection_refused_is_a_fetch_error(fetcher: Fetcher) -> None:
    with pytest.raises(FetchError, match="could not fetch from 127.0.0.1"):
        await fetcher.fetch("http://127.0.0.1:9/", allow_private=True)


async def test_per_host_concurrency_is_limited() -> None:
    in_flight: list[str] = []
    peak = 0
    release = asyncio.Event()

    async def answer(request: httpx.Request) -> httpx.Response:
        nonlocal peak
        in_flight.append(request.headers["host"])
        peak = max(peak, len(in_flight))
        await release.wait()
        in_flight.remove(request.headers["host"])
        return httpx.Response(200, content=FEED)

    async def resolve(host: str, port: int) -> list[str]:
        return ["93.184.216.34"]

    f = Fetcher(transport=httpx.MockTransport(answer), resolver=resolve)
    tasks = [asyncio.create_task(f.fetch(f"http://a.example/{i}")) for i in range(5)]
    tasks.append(asyncio.create_task(f.fetch("http://b.example/")))
    for _ in range(100):  # let every task get as far as it can
        await asyncio.sleep(0)
    assert sorted(in_flight) == ["a.example", "a.example", "b.example"]
    release.set()
    results = await asyncio.gather(*tasks)
    assert all(r.body == FEED for r in results)
    assert peak == 3
    await f.aclose()


# --- TLS: connect to the checked IP, verify the certificate against the original name -------


@pytest.fixture
async def tls_base(tmp_path: Path) -> AsyncIterator[tuple[int, ssl.SSLContext]]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl command not available")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "1", "-subj", "/CN=feeds.test",
         "-addext", "subjectAltName=DNS:feeds.test",
         "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_ctx.load_cert_chain(cert, key)
    app = web.Application()
    app.router.add_get("/etag", etag_feed)
    runner = web.AppRunner(app, shutdown_timeout=0.5)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=server_ctx)
    await site.start()
    try:
        yield runner.addresses[0][1], ssl.create_default_context(cafile=str(cert))
    finally:
        await runner.cleanup()


async def test_tls_uses_original_name_for_sni_and_verification(
    tls_base: tuple[int, ssl.SSLContext],
) -> None:
    port, client_ctx = tls_base
    seen: list[str] = []

    async def resolve(host: str, port: int) -> list[str]:
        seen.append(host)
        return ["127.0.0.1"]

    f = Fetcher(transport=httpx.AsyncHTTPTransport(verify=client_ctx), resolver=resolve)
    result = await f.fetch(f"https://feeds.test:{port}/etag", allow_private=True)
    assert result.body == FEED and result.url == f"https://feeds.test:{port}/etag"
    # Same IP, but the certificate is not valid for this name: verification must fail.
    with pytest.raises(FetchError, match="could not fetch from other.test"):
        await f.fetch(f"https://other.test:{port}/etag", allow_private=True)
    assert seen == ["feeds.test", "other.test"]
    await f.aclose()
