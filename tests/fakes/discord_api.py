"""A small fake Discord: REST under /api/v10 and a JSON gateway, on 127.0.0.1.

Enough of Discord for a real `discord.Client` to log in, identify, sync
application commands, receive interactions and post messages. Every REST call
is recorded; `fail()` queues error answers (403, 404, 429 ...) for a route.
Gateway frames go out as text, so discord.py's zlib/zstd stream decoder
(used only for binary frames) is never involved.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import WSMsgType, web

MANAGE_CHANNELS = 1 << 4
MEMBER_PERMISSIONS = (1 << 10) | (1 << 11) | (1 << 31)  # view channel, send, use commands


@dataclass
class Recorded:
    method: str
    path: str  # without the /api/v10 prefix
    query: dict[str, str]
    body: Any
    headers: dict[str, str]


@dataclass
class _Failure:
    method: str
    path: re.Pattern[str]
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    times: int = 1


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    """JSON with `Content-Type: application/json` exactly: discord.py treats anything
    else (aiohttp's `; charset=utf-8` included) as plain text."""
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        content_type="application/json",
        headers=headers,
    )


def _now() -> str:
    return datetime.now(UTC).isoformat()


class FakeDiscord:
    def __init__(
        self,
        *,
        token: str = "fake-bot-token.SECRET",
        application_id: int = 900000000000000001,
        bot_id: int = 900000000000000002,
        guild_id: int = 900000000000000003,
        channel_id: int = 900000000000000004,
    ) -> None:
        self.token = token
        self.application_id = application_id
        self.bot_id = bot_id
        self.guild_id = guild_id
        self.channel_id = channel_id
        self.requests: list[Recorded] = []
        self.identify: dict[str, Any] | None = None
        self.gateway_query: dict[str, str] = {}
        self.ready = asyncio.Event()
        self.threads: dict[int, int] = {}  # message id -> thread id
        self.messages: dict[int, list[dict[str, Any]]] = {}  # channel id -> posts, oldest first
        self._failures: list[_Failure] = []
        self._ids = itertools.count(1100000000000000000)
        self._seq = itertools.count(1)
        self._ws: web.WebSocketResponse | None = None
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None and server.sockets  # type: ignore[attr-defined]
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]

    async def close(self) -> None:
        if self._ws is not None and not self._ws.closed:
            await self._ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    # -- test controls ---------------------------------------------------------------------

    def fail(
        self,
        method: str,
        path: str,
        status: int,
        body: dict[str, Any] | None = None,
        *,
        headers: dict[str, str] | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next `times` calls matching `method` + `path` (a regex) with an error."""
        self._failures.append(
            _Failure(
                method,
                re.compile(path),
                status,
                body or {"message": f"error {status}", "code": 0},
                headers or {},
                times,
            )
        )

    def rate_limit(self, method: str, path: str, retry_after: float = 0.05) -> None:
        """A 429 as Discord sends it (discord.py only retries one with a `Via` header)."""
        self.fail(
            method,
            path,
            429,
            {"message": "You are being rate limited.", "retry_after": retry_after, "global": False},
            headers={"Via": "1.1 google"},
        )

    def add_message(
        self, channel_id: int, body: dict[str, Any], *, author_id: int | None = None
    ) -> dict[str, Any]:
        """Put a message into a channel's history (by another user with `author_id`)."""
        message = self._message(channel_id, body)
        if author_id is not None:
            message["author"] = self._user(author_id, "someone")
        self.messages.setdefault(channel_id, []).append(message)
        return message

    def calls(self, method: str, path: str) -> list[Recorded]:
        pattern = re.compile(path)
        return [r for r in self.requests if r.method == method and pattern.fullmatch(r.path)]

    async def wait_for(self, method: str, path: str, count: int = 1) -> list[Recorded]:
        """Wait until `count` matching calls were recorded (the test's timeout bounds it)."""
        async with self._changed:
            await self._changed.wait_for(lambda: len(self.calls(method, path)) >= count)
        return self.calls(method, path)

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        assert self._ws is not None, "no gateway connection"
        await self._send({"op": 0, "t": event, "s": next(self._seq), "d": data})

    def interaction_payload(
        self,
        options: list[dict[str, Any]],
        *,
        permissions: int = MEMBER_PERMISSIONS,
        user_id: int = 700000000000000001,
        component: str | None = None,
    ) -> dict[str, Any]:
        """INTERACTION_CREATE for `/digest <sub>` (or a button press with `component`)."""
        interaction_id = next(self._ids)
        payload: dict[str, Any] = {
            "id": str(interaction_id),
            "application_id": str(self.application_id),
            "type": 2,
            "token": f"itoken-{interaction_id}",
            "version": 1,
            "guild_id": str(self.guild_id),
            "channel_id": str(self.channel_id),
            "channel": self._channel(),
            "member": {
                "user": self._user(user_id, "reader"),
                "roles": [],
                "joined_at": _now(),
                "deaf": False,
                "mute": False,
                "flags": 0,
                "permissions": str(permissions),
            },
            "app_permissions": str(MEMBER_PERMISSIONS),
            "locale": "en-US",
            "guild_locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(self.guild_id)},
            "context": 0,
            "attachment_size_limit": 8 * 1024 * 1024,
        }
        if component is None:
            payload["data"] = {"id": "1", "name": "digest", "type": 1, "options": options}
        else:
            payload["type"] = 3
            payload["data"] = {"custom_id": component, "component_type": 2}
            button = {"type": 2, "style": 2, "label": "Press", "custom_id": component}
            payload["message"] = self._message(
                self.channel_id,
                {"content": "digest", "components": [{"type": 1, "components": [button]}]},
            )
        return payload

    # -- gateway ---------------------------------------------------------------------------

    async def _send(self, frame: dict[str, Any]) -> None:
        assert self._ws is not None
        await self._ws.send_str(json.dumps(frame))

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._ws = ws
        self.gateway_query = dict(request.query)
        await self._send({"op": 10, "d": {"heartbeat_interval": 45000}, "s": None, "t": None})
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                break
            frame = json.loads(msg.data)
            if frame["op"] == 1:
                await self._send({"op": 11, "d": None, "s": None, "t": None})
            elif frame["op"] == 2:
                self.identify = frame["d"]
                await self.dispatch("READY", self._ready())
                await self.dispatch("GUILD_CREATE", self._guild())
                self.ready.set()
        return ws

    def _user(self, user_id: int, name: str, *, bot: bool = False) -> dict[str, Any]:
        return {
            "id": str(user_id),
            "username": name,
            "global_name": None,
            "discriminator": "0",
            "avatar": None,
            "bot": bot,
            "public_flags": 0,
        }

    def _channel(self, channel_id: int | None = None, name: str = "news") -> dict[str, Any]:
        return {
            "id": str(channel_id or self.channel_id),
            "type": 0,
            "guild_id": str(self.guild_id),
            "name": name,
            "position": 0,
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": None,
            "topic": None,
            "rate_limit_per_user": 0,
            "last_message_id": None,
            "flags": 0,
        }

    def _ready(self) -> dict[str, Any]:
        return {
            "v": 10,
            "user": {**self._user(self.bot_id, "newsdigest", bot=True), "verified": True},
            "guilds": [{"id": str(self.guild_id), "unavailable": True}],
            "session_id": "fake-session",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(self.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
        }

    def _guild(self) -> dict[str, Any]:
        return {
            "id": str(self.guild_id),
            "name": "Newsroom",
            "icon": None,
            "owner_id": "700000000000000099",
            "roles": [
                {
                    "id": str(self.guild_id),
                    "name": "@everyone",
                    "permissions": str(MEMBER_PERMISSIONS),
                    "position": 0,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                    "flags": 0,
                }
            ],
            "channels": [self._channel()],
            "threads": [],
            "members": [
                {
                    "user": self._user(self.bot_id, "newsdigest", bot=True),
                    "roles": [],
                    "joined_at": _now(),
                    "deaf": False,
                    "mute": False,
                    "flags": 0,
                }
            ],
            "member_count": 2,
            "large": False,
            "unavailable": False,
            "joined_at": _now(),
            "emojis": [],
            "stickers": [],
            "features": [],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "mfa_level": 0,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "premium_tier": 0,
            "nsfw_level": 0,
            "system_channel_flags": 0,
            "preferred_locale": "en-US",
            "afk_timeout": 300,
        }

    # -- REST ------------------------------------------------------------------------------

    def _message(self, channel_id: int, body: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": str(next(self._ids)),
            "channel_id": str(channel_id),
            "author": self._user(self.bot_id, "newsdigest", bot=True),
            "content": body.get("content") or "",
            "timestamp": _now(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "pinned": False,
            "type": 0,
            "flags": body.get("flags", 0),
        }

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        raw = await request.read()
        body = json.loads(raw) if raw else None
        self.requests.append(
            Recorded(request.method, path, dict(request.query), body, dict(request.headers))
        )
        async with self._changed:
            self._changed.notify_all()
        if (
            request.headers.get("Authorization") is not None
            and not path.startswith(("/interactions/", "/webhooks/"))
            and request.headers["Authorization"] != f"Bot {self.token}"
        ):
            return json_response({"message": "401: Unauthorized", "code": 0}, 401)
        for failure in self._failures:
            if failure.times and failure.method == request.method and failure.path.fullmatch(path):
                failure.times -= 1
                return json_response(failure.body, failure.status, failure.headers)
        return json_response(self._answer(request.method, path, body or {}, dict(request.query)))

    def history(self, channel_id: int, query: dict[str, str]) -> list[dict[str, Any]]:
        """GET /channels/{id}/messages as Discord answers it: newest first, at most
        `limit` (default 50, 1..100), `before`/`after` honoured."""
        limit = max(1, min(int(query.get("limit", "50")), 100))
        posts = self.messages.get(channel_id, [])
        if "before" in query:
            posts = [p for p in posts if int(p["id"]) < int(query["before"])]
        if "after" in query:
            after = [p for p in posts if int(p["id"]) > int(query["after"])]
            return list(reversed(after[:limit]))
        return list(reversed(posts))[:limit]

    def _answer(
        self, method: str, path: str, body: Any, query: dict[str, str] | None = None
    ) -> Any:
        if path == "/users/@me":
            return self._user(self.bot_id, "newsdigest", bot=True)
        if path == "/oauth2/applications/@me":
            return {
                "id": str(self.application_id),
                "name": "newsdigest",
                "icon": None,
                "description": "",
                "bot_public": True,
                "bot_require_code_grant": False,
                "verify_key": "00",
                "flags": 0,
                "owner": self._user(700000000000000099, "owner"),
                "team": None,
            }
        if re.fullmatch(r"/applications/\d+(/guilds/\d+)?/commands", path) and method == "PUT":
            return [
                {
                    **command,
                    "id": str(next(self._ids)),
                    "application_id": str(self.application_id),
                    "version": "1",
                    "default_member_permissions": command.get("default_member_permissions"),
                }
                for command in body
            ]
        if m := re.fullmatch(r"/interactions/(\d+)/[^/]+/callback", path):
            return {
                "interaction": {
                    "id": m.group(1),
                    "type": 2,
                    "response_message_loading": body.get("type") == 5,
                    "response_message_ephemeral": bool(
                        (body.get("data") or {}).get("flags", 0) & 64
                    ),
                }
            }
        if re.fullmatch(r"/webhooks/\d+/[^/]+", path) and method == "POST":
            return {**self._message(self.channel_id, body), "webhook_id": str(self.application_id)}
        if re.fullmatch(r"/webhooks/\d+/[^/]+/messages/@original", path):
            return {}
        if m := re.fullmatch(r"/channels/(\d+)", path):
            return self._channel(int(m.group(1)))
        if m := re.fullmatch(r"/channels/(\d+)/messages", path):
            channel_id = int(m.group(1))
            if method == "GET":
                return self.history(channel_id, query or {})
            message = self._message(channel_id, body)
            self.messages.setdefault(channel_id, []).append(message)
            return message
        if m := re.fullmatch(r"/channels/(\d+)/messages/(\d+)/threads", path):
            message_id = int(m.group(2))
            self.threads[message_id] = message_id
            return {
                **self._channel(message_id, body.get("name", "thread")),
                "type": 11,
                "parent_id": m.group(1),
                "owner_id": str(self.bot_id),
                "message_count": 0,
                "member_count": 1,
                "thread_metadata": {
                    "archived": False,
                    "auto_archive_duration": body.get("auto_archive_duration", 1440),
                    "archive_timestamp": _now(),
                    "locked": False,
                },
            }
        return {}
