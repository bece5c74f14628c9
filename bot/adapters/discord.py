"""Discord edge: post digests and answer `/digest` through discord.py.

A thin translation, like the Slack adapter: an interaction becomes one
`CommandRequest`, the neutral `CommandHandler` answers, the `Reply` is rendered
by `digests.render_discord`. Mentions are disabled on every send (the renderer
also defuses them in the text), and the token only ever reaches discord.py.
"""

from __future__ import annotations

import copy
import hashlib
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import aiohttp
import discord
import yarl
from discord import app_commands

from bot.chat import DeliveryError, Message
from bot.commands import CommandHandler, CommandRequest, Reply
from digests.models import ChannelRef
from digests.render import DigestView, UpdateView
from digests.render_discord import (
    CONTENT_MAX,
    FOOTER_MAX,
    MESSAGE_TOTAL_MAX,
    embed_length,
    render_digest_messages,
    render_reply,
    render_update_message,
    truncate,
)

log = logging.getLogger(__name__)

DEFAULT_API_URL = "https://discord.com/api/v10"
DEFAULT_GATEWAY_URL = "wss://gateway.discord.gg/"
THREAD_NAME = "Story updates"
THREAD_ALREADY_EXISTS = 160004  # Discord's JSON error code
# Setup-changing sub-commands answer publicly when they succeed (the channel should know).
PUBLIC_WHEN_MANAGER = frozenset({"subscribe", "unsubscribe", "schedule", "mute", "unmute"})

# View Channel, Send Messages, Send Messages in Threads, Create Public Threads,
# Embed Links, Read Message History: what posting digests and update threads needs.
INVITE_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    create_public_threads=True,
    embed_links=True,
    read_message_history=True,
)

NO_MENTIONS = discord.AllowedMentions.none()

# How far back `find_sent` looks for a post of ours carrying an idempotency ref.
HISTORY_LOOKBACK = 50
REF_LEN = 10  # hex characters of sha1(idempotency key)


def apply_discord_urls(api_url: str | None, gateway_url: str | None) -> None:
    """Point discord.py at another REST base / gateway (proxies, self-hosted, tests).

    discord.py keeps both as class attributes; `None` restores Discord's defaults.
    A plain `Client` connects to `DEFAULT_GATEWAY` without asking `/gateway/bot`.
    """
    discord.http.Route.BASE = (api_url or DEFAULT_API_URL).rstrip("/")
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url or DEFAULT_GATEWAY_URL)


def invite_url(application_id: int) -> str:
    """The OAuth2 URL that adds the bot with exactly the permissions it uses."""
    return discord.utils.oauth_url(
        application_id,
        permissions=INVITE_PERMISSIONS,
        scopes=("bot", "applications.commands"),
    )


def _delivery_error(exc: Exception, what: str) -> DeliveryError:
    """Forbidden/NotFound will not heal by retrying; everything else might."""
    if isinstance(exc, (discord.Forbidden, discord.NotFound)):
        return DeliveryError(f"{what}: {exc}", permanent=True)
    if isinstance(exc, discord.RateLimited):
        return DeliveryError(f"{what}: rate limited", retry_after=exc.retry_after)
    return DeliveryError(f"{what}: {exc.__class__.__name__}: {exc}")


class StoryButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"newsdigest:(?P<kind>sources|story):(?P<number>\d+)",
):
    """ "Sources"/"More facts" under a digest; parsed from its custom id, so it keeps
    working after a restart without remembering any message."""

    def __init__(self, kind: str, number: int, label: str | None = None) -> None:
        default = f"{number} · {'Sources' if kind == 'sources' else 'More facts'}"
        super().__init__(
            discord.ui.Button(
                label=(label or default)[:80],
                style=discord.ButtonStyle.secondary,
                custom_id=f"newsdigest:{kind}:{number}",
            )
        )
        self.kind = kind
        self.number = number

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> StoryButton:
        label = item.label if isinstance(item, discord.ui.Button) else None
        return cls(match["kind"], int(match["number"]), label)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        client = interaction.client
        if not isinstance(client, DigestClient):
            return
        await client.run_command(interaction, self.kind, [str(self.number)], ephemeral=True)


def _view_from_components(rows: Sequence[dict[str, Any]]) -> discord.ui.View | None:
    """Rebuild the renderer's button rows as live, persistent buttons."""
    view = discord.ui.View(timeout=None)
    for row in rows:
        for component in row.get("components", []):
            match = StoryButton.__discord_ui_compiled_template__.fullmatch(
                str(component.get("custom_id", ""))
            )
            if match:
                view.add_item(
                    StoryButton(match["kind"], int(match["number"]), component.get("label"))
                )
    return view if view.children else None


def idempotency_ref(key: str) -> str:
    """The short, stable tag a post carries for its idempotency key (Discord has no message
    metadata, and history does not return nonces)."""
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:REF_LEN]


def tag_message(message: Message, ref: str) -> tuple[str | None, list[dict[str, Any]]]:
    """Content and embeds of `message` with `ref` added where readers barely see it: the end
    of the last embed's footer (" · ref <hex>"), or, without embeds, a subtext line after
    the content. Limits stay kept; `message` itself is not changed."""
    content: str | None = message.get("content") or None
    embeds: list[dict[str, Any]] = copy.deepcopy(list(message.get("embeds") or []))
    if embeds:
        last = embeds[-1]
        footer = dict(last.get("footer") or {})
        text = str(footer.get("text") or "")
        tail = f" · ref {ref}" if text else f"ref {ref}"
        text = truncate(text, FOOTER_MAX - len(tail)) if text else ""
        footer["text"] = text + tail
        last["footer"] = footer
        excess = sum(embed_length(e) for e in embeds) - MESSAGE_TOTAL_MAX
        if excess > 0:  # the renderer leaves room; shrink the last description if not
            description = str(last.get("description") or "")
            last["description"] = truncate(description, max(1, len(description) - excess))
        return content, embeds
    tail = f"\n-# ref {ref}"
    body = truncate(content or "", CONTENT_MAX - len(tail))
    return body + tail, embeds


def carries_ref(message: discord.Message, ref: str) -> bool:
    """Whether a fetched message carries `ref` where `tag_message` puts it."""
    mark = f"ref {ref}"
    if message.embeds:
        footer = message.embeds[-1].footer.text or ""
        if footer.endswith(mark):
            return True
    return (message.content or "").rstrip().endswith(mark)


class DiscordPoster:
    """`bot.chat.ChatPoster` for Discord, over a logged-in discord.py client."""

    platform = "discord"

    def __init__(self, client: discord.Client) -> None:
        self._client = client
        self._threads: dict[str, int] = {}  # message id -> thread id (equal on Discord)

    def render_digest(self, view: DigestView) -> list[Message]:
        return render_digest_messages(view)

    def render_update(self, view: UpdateView) -> Message:
        return render_update_message(view)

    async def send(self, channel_id: str, message: Message, *, thread_of: str | None = None) -> str:
        """Post `message`; with `thread_of`, into the thread on that message (made on demand).

        With `message["idempotency_key"]` the post carries a short ref of the key (see
        `tag_message`), so `find_sent` can recognise it after a crash.
        """
        content: str | None = message.get("content") or None
        embeds: list[dict[str, Any]] = list(message.get("embeds") or [])
        key = message.get("idempotency_key")
        if isinstance(key, str) and key:
            content, embeds = tag_message(message, idempotency_ref(key))
        kwargs: dict[str, Any] = {
            "content": content,
            "embeds": [discord.Embed.from_dict(e) for e in embeds],
            "allowed_mentions": NO_MENTIONS,
        }
        view = _view_from_components(message.get("components", []))
        if view is not None:
            kwargs["view"] = view
        try:
            channel = int(channel_id)
            parent = int(thread_of) if thread_of is not None else None
        except ValueError:
            raise DeliveryError(f"not a Discord id: {channel_id!r}", permanent=True) from None
        try:
            target = self._client.get_partial_messageable(channel)
            if parent is not None:
                thread_id = await self._thread_for(channel, parent)
                if thread_id is None:
                    kwargs["reference"] = discord.MessageReference(
                        message_id=parent, channel_id=channel, fail_if_not_exists=False
                    )
                else:
                    target = self._client.get_partial_messageable(thread_id)
            sent = await target.send(**kwargs)
        except (TimeoutError, discord.HTTPException, aiohttp.ClientError, OSError) as exc:
            raise _delivery_error(exc, f"discord channel {channel_id}") from exc
        return str(sent.id)

    async def find_sent(self, channel_id: str, idempotency_key: str) -> str | None:
        """The id of a recent post of ours in the channel carrying this key's ref, if any.

        Reads the channel's last `HISTORY_LOOKBACK` messages (needs Read Message History,
        which the invite asks for) and keeps only the bot's own. Any failure answers None,
        so the caller sends again: at-least-once, never lost. Updates posted into a story
        thread are not in the channel's history, so those are looked up in vain (re-sent).
        """
        ref = idempotency_ref(idempotency_key)
        try:
            me = self._client.user
            if me is None or self._client.is_closed():
                log.warning("discord history lookup in %s: client not ready", channel_id)
                return None
            channel = self._client.get_partial_messageable(int(channel_id))
            async for item in channel.history(limit=HISTORY_LOOKBACK):
                if item.author.id == me.id and carries_ref(item, ref):
                    return str(item.id)
        except Exception as exc:  # noqa: BLE001 - any failure means "not known": re-send
            log.warning(
                "discord history lookup in %s failed: %s: %s",
                channel_id,
                exc.__class__.__name__,
                exc,
            )
            return None
        return None

    async def _thread_for(self, channel_id: int, message_id: int) -> int | None:
        """The thread started on a message, created on first use; None when threads are
        not possible there (no permission, not a text channel), so the caller replies."""
        cached = self._threads.get(str(message_id))
        if cached is not None:
            return cached
        channel = self._client.get_channel(channel_id)
        try:
            if channel is None:
                channel = await self._client.fetch_channel(channel_id)
            if not isinstance(channel, discord.TextChannel):
                return None
            thread = await channel.get_partial_message(message_id).create_thread(
                name=THREAD_NAME, auto_archive_duration=1440
            )
            thread_id = thread.id
        except discord.HTTPException as exc:
            if exc.code == THREAD_ALREADY_EXISTS:
                thread_id = message_id  # a message's thread has the message's id
            elif isinstance(exc, (discord.Forbidden, discord.NotFound)) or exc.status == 400:
                log.info(
                    "no thread on message %s in %s (%s); replying", message_id, channel_id, exc
                )
                return None
            else:
                raise
        self._threads[str(message_id)] = thread_id
        return thread_id


class DigestClient(discord.Client):
    """discord.Client with the `/digest` tree and the persistent story buttons."""

    def __init__(
        self,
        handler: CommandHandler,
        *,
        guilds: Sequence[int],
        on_ready_hook: Callable[[], Awaitable[None]] | None = None,
        **options: Any,
    ) -> None:
        intents = discord.Intents.default()
        intents.message_content = False
        intents.members = False
        intents.presences = False
        super().__init__(intents=intents, allowed_mentions=NO_MENTIONS, **options)
        self.handler = handler
        self.guild_ids = tuple(guilds)
        self._on_ready_hook = on_ready_hook
        self.tree = app_commands.CommandTree(self)
        self.tree.add_command(DigestGroup())

    async def setup_hook(self) -> None:
        self.add_dynamic_items(StoryButton)
        if not self.guild_ids:
            synced = await self.tree.sync()
            log.info("synced %d global command(s); may take a while to appear", len(synced))
            return
        for guild_id in self.guild_ids:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            try:
                await self.tree.sync(guild=guild)
            except discord.HTTPException as exc:  # one bad guild must not stop the bot
                log.error(
                    "could not sync /digest to guild %s (%s); was the bot invited with the "
                    "applications.commands scope?",
                    guild_id,
                    exc,
                )
            else:
                log.info("synced /digest to guild %s", guild_id)

    async def on_ready(self) -> None:
        user = self.user
        log.info("connected to Discord as %s", user)
        if self.application_id is not None:
            log.info("invite the bot with: %s", invite_url(self.application_id))
        if self._on_ready_hook is not None:
            await self._on_ready_hook()

    async def run_command(
        self,
        interaction: discord.Interaction[Any],
        name: str,
        args: Sequence[str],
        *,
        ephemeral: bool | None = None,
    ) -> None:
        """Acknowledge at once, ask the neutral handler, answer with the rendered reply."""
        can_manage = bool(interaction.permissions.manage_channels)
        if ephemeral is None:
            ephemeral = not (name in PUBLIC_WHEN_MANAGER and can_manage)
        await interaction.response.defer(ephemeral=ephemeral, thinking=True)
        request = CommandRequest(
            platform="discord",
            channel_id=str(interaction.channel_id),
            user_id=str(interaction.user.id),
            text=" ".join([name, *args]),
            words=(name, *args),
            can_manage=can_manage,
            user_name=interaction.user.name,
        )
        reply = await self.handler.handle(request)
        await self._answer(interaction, reply, ephemeral)

    async def _answer(
        self, interaction: discord.Interaction[Any], reply: Reply, deferred_ephemeral: bool
    ) -> None:
        rendered = render_reply(reply.text, reply.story)
        ephemeral = deferred_ephemeral
        if reply.ephemeral and not deferred_ephemeral:
            # A refusal or usage hint after a public defer: keep it to the user.
            try:
                await interaction.delete_original_response()
                ephemeral = True
            except discord.HTTPException:
                log.debug("could not delete the deferred public response")
        await interaction.followup.send(
            content=rendered["content"] or discord.utils.MISSING,
            embeds=[discord.Embed.from_dict(e) for e in rendered["embeds"]],
            ephemeral=ephemeral,
            allowed_mentions=NO_MENTIONS,
        )


def _client(interaction: discord.Interaction[Any]) -> DigestClient:
    client = interaction.client
    assert isinstance(client, DigestClient)
    return client


StoryNumber = app_commands.Range[int, 1, 1000]


def _channel(interaction: discord.Interaction[Any]) -> ChannelRef:
    return ChannelRef("discord", str(interaction.channel_id))


async def story_choices(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[int]]:
    """The last digest's stories, "N. headline", for the number option."""
    items = _client(interaction).handler.suggest(_channel(interaction), "story", current)
    return [app_commands.Choice(name=label[:100], value=int(value)) for label, value in items]


async def source_choices(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """This channel's source names, for unsubscribe."""
    items = _client(interaction).handler.suggest(_channel(interaction), "source", current)
    return [app_commands.Choice(name=label[:100], value=value[:100]) for label, value in items]


class DigestGroup(app_commands.Group):
    """`/digest …`: the function signatures are the command schema."""

    def __init__(self) -> None:
        super().__init__(name="digest", description="News digests: stories, sources, setup")

    @app_commands.command(name="now", description="Post a digest of new stories here now")
    async def now(self, interaction: discord.Interaction[Any]) -> None:
        await _client(interaction).run_command(interaction, "now", [])

    @app_commands.autocomplete(number=story_choices)
    @app_commands.command(name="story", description="All facts and sources of story N")
    @app_commands.describe(number="The story's number in this channel's last digest")
    async def story(self, interaction: discord.Interaction[Any], number: StoryNumber) -> None:
        await _client(interaction).run_command(interaction, "story", [str(number)])

    @app_commands.autocomplete(number=story_choices)
    @app_commands.command(name="sources", description="The outlets behind story N, with links")
    @app_commands.describe(number="The story's number in this channel's last digest")
    async def sources(self, interaction: discord.Interaction[Any], number: StoryNumber) -> None:
        await _client(interaction).run_command(interaction, "sources", [str(number)])

    @app_commands.autocomplete(number=story_choices)
    @app_commands.command(name="ask", description="Answer a question from the sources of story N")
    @app_commands.describe(
        number="The story's number in this channel's last digest",
        question="What you want to know; answered with quotes from the sources",
    )
    async def ask(
        self, interaction: discord.Interaction[Any], number: StoryNumber, question: str
    ) -> None:
        await _client(interaction).run_command(interaction, "ask", [str(number), question])

    @app_commands.command(name="search", description="Find stories")
    @app_commands.describe(terms="Words to look for in stories")
    async def search(self, interaction: discord.Interaction[Any], terms: str) -> None:
        await _client(interaction).run_command(interaction, "search", [terms])

    @app_commands.command(name="subscribe", description="Add a feed for this channel (managers)")
    @app_commands.describe(url="The feed's URL (RSS, Atom or JSON Feed)")
    async def subscribe(self, interaction: discord.Interaction[Any], url: str) -> None:
        await _client(interaction).run_command(interaction, "subscribe", [url])

    @app_commands.autocomplete(name=source_choices)
    @app_commands.command(
        name="unsubscribe", description="Remove a feed from this channel (managers)"
    )
    @app_commands.describe(name="The source's name as listed by /digest feeds")
    async def unsubscribe(self, interaction: discord.Interaction[Any], name: str) -> None:
        await _client(interaction).run_command(interaction, "unsubscribe", [name])

    @app_commands.command(name="feeds", description="The sources this channel reads, and health")
    async def feeds(self, interaction: discord.Interaction[Any]) -> None:
        await _client(interaction).run_command(interaction, "feeds", [])

    @app_commands.command(name="schedule", description="When the daily digest is posted (managers)")
    @app_commands.describe(
        cron="Cron expression, e.g. 0 8 * * *", timezone="IANA time zone, e.g. Europe/Berlin"
    )
    async def schedule(
        self, interaction: discord.Interaction[Any], cron: str, timezone: str | None = None
    ) -> None:
        args = [cron] if timezone is None else [cron, timezone]
        await _client(interaction).run_command(interaction, "schedule", args)

    @app_commands.command(name="mute", description="Never post stories mentioning WORD (managers)")
    @app_commands.describe(word="A word; stories mentioning it are not posted here")
    async def mute(self, interaction: discord.Interaction[Any], word: str) -> None:
        await _client(interaction).run_command(interaction, "mute", [word])

    @app_commands.command(name="unmute", description="Post stories mentioning WORD again")
    @app_commands.describe(word="A word muted earlier with /digest mute")
    async def unmute(self, interaction: discord.Interaction[Any], word: str) -> None:
        await _client(interaction).run_command(interaction, "unmute", [word])

    @app_commands.command(name="why", description="What happened to that article")
    @app_commands.describe(url="The article's URL")
    async def why(self, interaction: discord.Interaction[Any], url: str) -> None:
        await _client(interaction).run_command(interaction, "why", [url])

    @app_commands.command(name="help", description="List the /digest commands")
    async def help(self, interaction: discord.Interaction[Any]) -> None:
        await _client(interaction).run_command(interaction, "help", [])


def build_discord_client(
    handler: CommandHandler,
    *,
    guilds: Sequence[int],
    on_ready_hook: Callable[[], Awaitable[None]] | None = None,
    **options: Any,
) -> discord.Client:
    """The bot's Discord client; `options` go to `discord.Client` (e.g. `guild_ready_timeout`).

    Start it with `await client.start(os.environ["DISCORD_BOT_TOKEN"])` after
    `apply_discord_urls(...)`; post with `DiscordPoster(client)`.
    """
    return DigestClient(handler, guilds=guilds, on_ready_hook=on_ready_hook, **options)


__all__ = [
    "DiscordPoster",
    "StoryButton",
    "apply_discord_urls",
    "build_discord_client",
    "invite_url",
]
