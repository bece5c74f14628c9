"""A fake Slack Web API on 127.0.0.1 for tests: records every call and every
`response_url` post, and can be told to fail the next call to a method with a
429 (Retry-After), a 500, or an `{"ok": false, "error": ...}` answer."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    authorization: str


@dataclass
class FakeSlackApi:
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    retry_after: str = "0"
    calls: list[Call] = field(default_factory=list)
    # What chat.postMessage stored per channel, newest first (answers conversations.history).
    history: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    responses: list[dict[str, Any]] = field(default_factory=list)
    _failures: dict[str, list[str]] = field(default_factory=dict)
    _runner: web.AppRunner | None = None
    _port: int = 0
    _changed: asyncio.Event = field(default_factory=asyncio.Event)
    _ts: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    # Socket Mode: what the app sent back over the WebSocket (envelope acks).
    socket_received: list[dict[str, Any]] = field(default_factory=list)
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._port}/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"http://127.0.0.1:{self._port}/response/{name}"

    def fail_next(self, method: str, failure: str) -> None:
        """`failure` is "429", "500" or a Slack error code such as "channel_not_found"."""
        self._failures.setdefault(method, []).append(failure)

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def start(self) -> FakeSlackApi:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response/{name}", self._response)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = int(self._runner.addresses[0][1])
        return self

    async def stop(self) -> None:
        for ws in self._sockets:
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def wait_until(self, ready: Callable[[], bool], timeout: float = 5.0) -> None:
        """Wait (event-driven, no polling sleeps) until `ready()` holds."""

        async def wait() -> None:
            while not ready():
                self._changed.clear()
                await self._changed.wait()

        await asyncio.wait_for(wait(), timeout)

    @property
    def socket_connected(self) -> bool:
        return any(not ws.closed for ws in self._sockets)

    async def push_envelope(self, envelope: dict[str, Any]) -> None:
        """Send a Socket Mode envelope (e.g. a slash command) to the connected app."""
        for ws in self._sockets:
            if not ws.closed:
                await ws.send_json(envelope)

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_json({"type": "hello", "num_connections": 1})
        self._record()
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                self.socket_received.append(json.loads(message.data))
                self._record()
        self._record()
        return ws

    def _record(self) -> None:
        self._changed.set()

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            params.update(await request.json())
        elif request.can_read_body:
            params.update(dict(await request.post()))
        return params

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        self.calls.append(Call(method, params, request.headers.get("Authorization", "")))
        self._record()
        pending = self._failures.get(method)
        if pending:
            failure = pending.pop(0)
            if failure == "429":
                return web.json_response(
                    {"ok": False, "error": "ratelimited"},
                    status=429,
                    headers={"Retry-After": self.retry_after},
                )
            if failure == "500":
                return web.json_response({"ok": False, "error": "internal_error"}, status=500)
            return web.json_response({"ok": False, "error": failure})
        return web.json_response(self._answer(method, params))

    def _answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://test.slack.example/",
                "team": "Test",
                "team_id": "T1",
                "user": "newsdigest",
                "user_id": "UBOT",
                "bot_id": "BBOT",
            }
        if method == "users.info":
            user = self.users.get(str(params.get("user")))
            if user is None:
                return {"ok": False, "error": "user_not_found"}
            return {"ok": True, "user": {"id": params.get("user"), **user}}
        if method == "apps.connections.open":
            return {"ok": True, "url": f"ws://127.0.0.1:{self._port}/socket"}
        if method == "chat.postMessage":
            ts = f"1700000000.{next(self._ts):06d}"
            metadata = params.get("metadata")
            if isinstance(metadata, str):
                metadata = json.loads(metadata)
            self.history.setdefault(str(params.get("channel")), []).insert(
                0, {"ts": ts, "text": params.get("text", ""), "metadata": metadata or {}}
            )
            return {"ok": True, "channel": params.get("channel"), "ts": ts, "message": {}}
        if method == "conversations.history":
            messages = self.history.get(str(params.get("channel")), [])
            return {"ok": True, "messages": messages[: int(params.get("limit", 100))]}
        return {"ok": True}

    async def _response(self, request: web.Request) -> web.Response:
        body = json.loads(await request.text())
        body["_name"] = request.match_info["name"]
        self.responses.append(body)
        self._record()
        return web.Response(text="ok")
