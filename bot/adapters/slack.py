"""Slack edge: post digests with the Web API, answer `/digest` through slack-bolt.

The adapter only translates: a slash command or a button click becomes one
`CommandRequest` for the neutral `CommandHandler`, and its `Reply` goes back
through `respond()`. Tokens and the signing secret are passed in (read from the
environment by the caller) and never logged; the Web API base URL is
configurable (`SLACK_API_URL`) so tests and proxies can stand in for slack.com.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import (
    FixedValueRetryIntervalCalculator,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

from bot.chat import DeliveryError, Message
from bot.commands import SETUP_COMMANDS, CommandHandler, CommandRequest, Reply
from digests.render import DigestView, UpdateView
from digests.render_slack import (
    SOURCES_ACTION,
    STORY_ACTION,
    render_digest_messages,
    render_reply,
    render_update_message,
)

log = logging.getLogger(__name__)

DEFAULT_API_URL = "https://slack.com/api/"
EVENTS_PATH = "/slack/events"
# Errors that no retry will fix: the channel is gone or closed to us, or the token is dead.
PERMANENT_ERRORS = frozenset(
    {"channel_not_found", "not_in_channel", "is_archived", "invalid_auth", "account_inactive"}
)
ADMIN_CACHE_SECONDS = 300.0

Sleep = Callable[[float], Awaitable[Any]]


def slack_api_url(value: str | None) -> str:
    """`SLACK_API_URL` or the default, always with the trailing slash the SDK expects."""
    url = (value or "").strip() or DEFAULT_API_URL
    return url if url.endswith("/") else url + "/"


def _retry_after(headers: Mapping[str, Any] | None) -> float | None:
    if not headers:
        return None
    for key, value in headers.items():
        if key.lower() == "retry-after":
            raw = value[0] if isinstance(value, list | tuple) else value
            try:
                return max(0.0, float(raw))
            except (TypeError, ValueError):
                return None
    return None


class RateLimitRetryHandler(AsyncRateLimitErrorRetryHandler):
    """Waits out a 429 exactly as long as Retry-After says (the SDK's own handler
    reads only the header's first digit and adds jitter). A wait longer than
    `max_wait` is not done here: the 429 surfaces as a DeliveryError with
    `retry_after`, so the outbox reschedules instead of blocking the sender."""

    def __init__(
        self, max_retry_count: int = 1, *, max_wait: float = 30.0, sleep: Sleep = asyncio.sleep
    ) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.max_wait = max_wait
        self._sleep = sleep

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        wait = _retry_after(response.headers)
        return wait is None or wait <= self.max_wait

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        wait = _retry_after(response.headers if response else None)
        state.next_attempt_requested = True
        await self._sleep(1.0 if wait is None else wait)
        state.increment_current_attempt()


def make_slack_client(
    token: str,
    *,
    api_url: str | None = None,
    retry_interval: float = 1.0,
    max_rate_limit_wait: float = 30.0,
    sleep: Sleep = asyncio.sleep,
) -> AsyncWebClient:
    """An AsyncWebClient that retries one 429 (after Retry-After), one 500/503
    and one dropped connection before giving up to the caller."""
    interval = FixedValueRetryIntervalCalculator(retry_interval)
    handlers: list[AsyncRetryHandler] = [
        AsyncConnectionErrorRetryHandler(max_retry_count=1, interval_calculator=interval),
        RateLimitRetryHandler(max_retry_count=1, max_wait=max_rate_limit_wait, sleep=sleep),
        AsyncServerErrorRetryHandler(max_retry_count=1, interval_calculator=interval),
    ]
    return AsyncWebClient(
        token=token,
        base_url=slack_api_url(api_url),
        retry_handlers=handlers,
        logger=logging.getLogger(f"{__name__}.web"),
    )


METADATA_EVENT = "newsdigest_post"


class SlackPoster:
    """`bot.chat.ChatPoster` for Slack: Block Kit rendering, chat.postMessage."""

    platform = "slack"

    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client

    @property
    def client(self) -> AsyncWebClient:
        """Shared with the bolt app, so commands and digests use one retrying client."""
        return self._client

    def render_digest(self, view: DigestView) -> list[Message]:
        return render_digest_messages(view)

    def render_update(self, view: UpdateView) -> Message:
        return render_update_message(view)

    async def send(self, channel_id: str, message: Message, *, thread_of: str | None = None) -> str:
        kwargs: dict[str, Any] = {
            "channel": channel_id,
            "text": message.get("text", ""),
            "unfurl_links": False,
            "unfurl_media": False,
        }
        if message.get("blocks"):
            kwargs["blocks"] = message["blocks"]
        if thread_of:
            kwargs["thread_ts"] = thread_of
        key = message.get("idempotency_key")
        if key:
            # Lets find_sent recognise this post after a crash between Slack's OK and our save.
            kwargs["metadata"] = {"event_type": METADATA_EVENT, "event_payload": {"key": key}}
        try:
            response = await self._client.chat_postMessage(**kwargs)
        except SlackApiError as exc:
            raise _delivery_error(channel_id, exc) from None
        except (TimeoutError, SlackClientError, OSError) as exc:
            log.warning("slack post to %s failed: %s", channel_id, type(exc).__name__)
            raise DeliveryError(f"Slack unreachable: {type(exc).__name__}") from None
        ts = response.get("ts")
        if not isinstance(ts, str) or not ts:
            raise DeliveryError("Slack accepted the post but returned no ts")
        return ts

    async def find_sent(self, channel_id: str, idempotency_key: str) -> str | None:
        """The ts of a recent post of ours carrying this key, if Slack has it.

        Looks at the channel's latest messages (metadata included); a lookup that fails
        answers None, so the caller sends again: at-least-once, never lost.
        """
        try:
            response = await self._client.conversations_history(
                channel=channel_id, limit=100, include_all_metadata=True
            )
        except (SlackApiError, SlackClientError, TimeoutError, OSError) as exc:
            log.warning("slack history lookup in %s failed: %s", channel_id, type(exc).__name__)
            return None
        for item in response.get("messages") or []:
            meta = item.get("metadata") or {}
            payload = meta.get("event_payload") or {}
            if meta.get("event_type") == METADATA_EVENT and payload.get("key") == idempotency_key:
                ts = item.get("ts")
                return ts if isinstance(ts, str) else None
        return None


def _delivery_error(channel_id: str, exc: SlackApiError) -> DeliveryError:
    status = getattr(exc.response, "status_code", None)
    data = getattr(exc.response, "data", None)
    error = data.get("error", "") if isinstance(data, dict) else ""
    if status == 429:
        wait = _retry_after(getattr(exc.response, "headers", None))
        log.warning("slack rate-limited posting to %s (retry after %s s)", channel_id, wait)
        return DeliveryError("Slack rate limit", retry_after=wait if wait is not None else 1.0)
    permanent = error in PERMANENT_ERRORS
    log.warning("slack refused post to %s: %s (status %s)", channel_id, error or "?", status)
    return DeliveryError(f"Slack error: {error or status}", permanent=permanent)


class AdminCheck:
    """Who may change a channel's setup: configured admins, or workspace
    admins/owners per users.info (cached briefly; an API failure means no)."""

    def __init__(
        self,
        admins: Sequence[str],
        *,
        ttl: float = ADMIN_CACHE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._admins = frozenset(admins)
        self._ttl = ttl
        self._clock = clock
        self._cache: dict[str, tuple[float, bool]] = {}

    def is_listed(self, user_id: str) -> bool:
        return user_id in self._admins

    async def can_manage(self, client: AsyncWebClient, user_id: str) -> bool:
        if user_id in self._admins:
            return True
        now = self._clock()
        cached = self._cache.get(user_id)
        if cached and cached[0] > now:
            return cached[1]
        try:
            response = await client.users_info(user=user_id)
        except (TimeoutError, SlackClientError, OSError) as exc:
            log.warning("users.info for %s failed (%s): treating as non-admin", user_id, exc)
            return False
        user = response.get("user") or {}
        allowed = any(bool(user.get(k)) for k in ("is_admin", "is_owner", "is_primary_owner"))
        self._cache[user_id] = (now + self._ttl, allowed)
        return allowed


def _respond_kwargs(reply: Reply) -> dict[str, Any]:
    message = render_reply(reply.text, reply.story)
    return {
        "text": message["text"],
        "blocks": message["blocks"],
        "response_type": "ephemeral" if reply.ephemeral else "in_channel",
        "replace_original": False,
    }


def build_slack_app(
    handler: CommandHandler,
    *,
    token: str,
    signing_secret: str,
    api_url: str | None,
    admins: Sequence[str],
    client: AsyncWebClient | None = None,
) -> AsyncApp:
    """The bolt app answering `/digest` and the digest buttons.

    Construction makes no network call; bolt calls auth.test (at `api_url`)
    lazily on the first request. Request signatures are always verified in
    HTTP mode, so `signing_secret` is required there.
    """
    web_client = client or make_slack_client(token, api_url=api_url)
    app = AsyncApp(
        client=web_client,
        signing_secret=signing_secret,
        request_verification_enabled=True,
        name="newsdigest",
        logger=logging.getLogger(f"{__name__}.bolt"),
    )
    admin_check = AdminCheck(admins)

    async def answer(text: str, body: Mapping[str, Any], respond: Any, user_id: str) -> None:
        channel_id = str(body.get("channel_id") or (body.get("channel") or {}).get("id") or "")
        user_name = str(body.get("user_name") or (body.get("user") or {}).get("username") or "")
        # users.info only when the answer matters (setup commands); listed admins are free.
        verb = (text.split() or [""])[0].lower()
        can_manage = admin_check.is_listed(user_id) or (
            verb in SETUP_COMMANDS and await admin_check.can_manage(app.client, user_id)
        )
        request = CommandRequest(
            platform="slack",
            channel_id=channel_id,
            user_id=user_id,
            text=text,
            can_manage=can_manage,
            user_name=user_name,
        )
        reply = await handler.handle(request)
        try:
            await respond(**_respond_kwargs(reply))
        except Exception as exc:  # an expired response_url must not kill the listener
            log.warning("slack respond in %s failed: %s", channel_id, type(exc).__name__)

    @app.command("/digest")
    async def digest_command(ack: Any, command: dict[str, Any], respond: Any) -> None:
        await ack()
        await answer(str(command.get("text") or ""), command, respond, str(command["user_id"]))

    async def story_button(verb: str, ack: Any, body: dict[str, Any], respond: Any) -> None:
        await ack()
        actions = body.get("actions") or [{}]
        number = str(actions[0].get("value") or "")
        user_id = str((body.get("user") or {}).get("id") or "")
        if not number.isdigit() or not user_id:
            log.warning("slack %s button with bad payload ignored", verb)
            return
        await answer(f"{verb} {number}", body, respond, user_id)

    @app.action(SOURCES_ACTION)
    async def sources_button(ack: Any, body: dict[str, Any], respond: Any) -> None:
        await story_button("sources", ack, body, respond)

    @app.action(STORY_ACTION)
    async def story_detail_button(ack: Any, body: dict[str, Any], respond: Any) -> None:
        await story_button("story", ack, body, respond)

    return app


async def start_slack_http(
    app: AsyncApp, host: str = "0.0.0.0", port: int = 3000
) -> tuple[web.AppRunner, int]:
    """Serve POST /slack/events; returns the runner (call `cleanup()` to stop)
    and the bound port (useful with port 0)."""
    runner = web.AppRunner(app.web_app(path=EVENTS_PATH, port=port))
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    address = runner.addresses[0]
    bound = int(address[1])
    log.info("slack HTTP mode listening on %s:%s%s", host, bound, EVENTS_PATH)
    return runner, bound


async def run_slack(
    app: AsyncApp, *, port: int, app_token: str | None, host: str = "0.0.0.0"
) -> None:
    """Run until cancelled: Socket Mode when `app_token` is set, else HTTP mode."""
    if app_token:
        # aiohttp-based Socket Mode client (slack_sdk.socket_mode.aiohttp); no extra package.
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        socket_handler = AsyncSocketModeHandler(app, app_token)
        try:
            await socket_handler.connect_async()
            log.info("slack Socket Mode connected")
            await asyncio.Event().wait()
        finally:
            await socket_handler.close_async()
        return
    runner, _ = await start_slack_http(app, host=host, port=port)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
