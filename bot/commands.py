"""The one platform-neutral `/digest` command handler: CommandRequest -> Reply.

Slack and Discord adapters only translate their request into a CommandRequest
and render the Reply; every sub-command is implemented (and tested) here once.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from digests.facts import Answer
from digests.models import ChannelRef, Story
from digests.render import StoryView, story_view

log = logging.getLogger(__name__)

SETUP_COMMANDS = frozenset({"subscribe", "unsubscribe", "schedule", "mute", "unmute"})
SHAREABLE = frozenset({"story", "sources", "ask", "search", "why"})

HELP = """\
/digest now — post a digest of new stories here now
/digest story N — all facts and sources of story N of the last digest
/digest sources N — the outlets behind story N, with links
/digest ask N QUESTION — answer from the sources of story N (quoted, cited)
/digest search TERMS — find stories
/digest why URL — what happened to that article (stored, duplicate, which story, posted)
/digest feeds — the sources this channel reads and their health
/digest subscribe URL — add a feed for this channel (needs channel-manage rights)
/digest unsubscribe NAME — remove a feed from this channel (needs channel-manage rights)
/digest schedule CRON [TZ] — when the daily digest is posted (needs channel-manage rights)
/digest mute WORD — never post stories mentioning WORD here (needs channel-manage rights)
/digest unmute WORD — post stories mentioning WORD here again (needs channel-manage rights)
/digest help — this list
Add "share" at the end of story, sources, ask, search or why to answer in the channel."""


class CommandError(Exception):
    """A user mistake; its message is shown to the user as is."""


QUOTES = "\"'“”‘’„«»`"
# A cron expression typed in quotes, then optionally a time zone: "0 8 * * *" Europe/Berlin
_QUOTED = re.compile(rf"^[{QUOTES}](?P<inner>[^{QUOTES}]*)[{QUOTES}]\s*(?P<rest>.*)$")


def one_word(args: Sequence[str], usage: str) -> str:
    """The one argument of `mute WORD` and the like, without a pair of quotes around it
    (`mute "war"` mutes war, as it did when chat text was shell-parsed)."""
    word = args[0] if len(args) == 1 else ""
    if len(word) > 1 and word[0] in QUOTES and word[-1] in QUOTES:
        word = word[1:-1]
    if not word.strip():
        raise CommandError(f"Usage: /digest {usage}")
    return word


def chat_url(text: str) -> str:
    """A URL as chat clients send it: Slack wraps links as `<url>` or `<url|label>`, and
    people paste them inside quotes (a stray quote would make the URL another one)."""
    return text.strip().strip(QUOTES).strip("<>").split("|", 1)[0].strip().strip(QUOTES)


def refuse_private_literal(url: str) -> None:
    """An IP literal that can never be fetched is refused now, with the reason, rather than
    failing later on `/digest feeds` (host names are checked again at every fetch)."""
    from bot.netguard import BadURL, address_problem, check_url, url_host

    try:
        host, _ = url_host(check_url(url))
    except BadURL as exc:
        raise CommandError(f"Cannot subscribe: {exc}") from None
    if host.lower() == "localhost" or host.lower().endswith(".localhost"):
        raise CommandError("Cannot subscribe: localhost is not reachable from the bot")
    problem = address_problem(host)
    if problem is not None and problem != "not an IP address":
        raise CommandError(f"Cannot subscribe: {host} is a {problem} address")


@dataclass(frozen=True)
class CommandRequest:
    platform: str
    channel_id: str
    user_id: str
    text: str
    can_manage: bool = False
    user_name: str = ""
    # The command and its arguments as the platform already separated them (Discord options);
    # None: `text` is what a user typed, split on whitespace.
    words: tuple[str, ...] | None = None

    @property
    def channel(self) -> ChannelRef:
        return ChannelRef(self.platform, self.channel_id)


@dataclass(frozen=True)
class Reply:
    """Plain, unescaped text (adapters escape it), optionally a story detail view."""

    text: str
    story: StoryView | None = None
    ephemeral: bool = True
    ok: bool = True


class BotService(Protocol):
    """The use cases the commands need; implemented by `bot.app.Bot`."""

    async def post_now(self, channel: ChannelRef) -> int: ...
    def numbered_story(self, channel: ChannelRef, number: int) -> Story | None: ...
    async def search(self, terms: str, limit: int = 5) -> list[Story]: ...
    def ask(self, story: Story, question: str) -> list[Answer]: ...
    def why(self, url: str) -> str: ...
    def feeds(self, channel: ChannelRef) -> list[str]: ...
    def subscribe(self, channel: ChannelRef, url: str) -> str: ...
    def unsubscribe(self, channel: ChannelRef, name: str) -> bool: ...
    def schedule(self, channel: ChannelRef, cron: str, timezone: str | None) -> str: ...
    def mute(self, channel: ChannelRef, word: str) -> None: ...
    def unmute(self, channel: ChannelRef, word: str) -> bool: ...
    def digest_headlines(self, channel: ChannelRef) -> list[str]: ...
    def source_names(self, channel: ChannelRef) -> list[str]: ...


class CommandHandler:
    def __init__(self, service: BotService) -> None:
        self._service = service

    def suggest(self, channel: ChannelRef, field: str, typed: str) -> list[tuple[str, str]]:
        """Autocomplete choices (label, value): story numbers of the last digest, with their
        headlines, or this channel's source names; filtered by what was typed so far."""
        typed = typed.strip().lower()
        if field == "story":
            items = [
                (f"{n}. {headline}", str(n))
                for n, headline in enumerate(self._service.digest_headlines(channel), start=1)
            ]
        elif field == "source":
            items = [(name, name) for name in self._service.source_names(channel)]
        else:
            return []
        return [(label, value) for label, value in items if typed in label.lower()][:25]

    async def handle(self, request: CommandRequest) -> Reply:
        # Chat text is prose, not shell: "what's the quake's magnitude?" must survive as typed,
        # so words are split on whitespace only (`schedule` strips its own quotes).
        words = list(request.words) if request.words is not None else request.text.split()
        if not words:
            return Reply(HELP)
        name, args = words[0].lower(), words[1:]
        # "/digest story 2 share": the answer goes to the channel instead of to the asker.
        # The same rule for every command, `ask` included: to ask about "market share",
        # end the question with "?".
        share = name in SHAREABLE and len(args) > 1 and args[-1].lower() == "share"
        if share:
            args = args[:-1]
        reply = await self._dispatch(request, name, args)
        if share and reply.ok:
            return Reply(reply.text, reply.story, ephemeral=False, ok=True)
        return reply

    async def _dispatch(self, request: CommandRequest, name: str, args: list[str]) -> Reply:
        if name in SETUP_COMMANDS and not request.can_manage:
            return Reply(
                f"Sorry, `{name}` changes this channel's setup and needs the right to manage "
                "the channel.",
                ok=False,
            )
        method = getattr(self, f"_cmd_{name}", None)
        if method is None:
            return Reply(f"Unknown command `{name}`. Try `/digest help`.", ok=False)
        try:
            reply: Reply = await method(request, args)
            return reply
        except CommandError as exc:
            return Reply(str(exc), ok=False)
        except Exception:
            log.exception("command %r failed in %s", name, request.channel.key)
            return Reply("Something went wrong on our side; it has been logged.", ok=False)

    async def _cmd_help(self, request: CommandRequest, args: Sequence[str]) -> Reply:
        return Reply(HELP)

    async def _cmd_now(self, request: CommandRequest, args: Sequence[str]) -> Reply:
        count = await self._service.post_now(request.channel)
        if count == 0:
            return Reply("No new stories since the last digest.")
        return Reply(f"Posted a digest of {count} stor{'y' if count == 1 else 'ies'}.")

    def _story(self, request: CommandRequest, args: Sequence[str], usage: str) -> Story:
        # ASCII digits only: "²".isdigit() is true but int() rejects it, and "١" would
        # silently become story 1.
        if not args or not (args[0].isascii() and args[0].isdigit()):
            raise CommandError(f"Usage: /digest {usage}")
        number = int(args[0])
        story = self._service.numbered_story(request.channel, number)
        if story is None:
            raise CommandError(
                f"There is no story {number} in this channel's last digest. "
                "Use `/digest now` to post one."
            )
        return story

    async def _cmd_story(self, request: CommandRequest, args: Sequence[str]) -> Reply:
        story = self._story(request, args, "story N")
        view = story_view(story, int(args[0]), all_facts=True)
        return Reply(f"{view.number}. {view.headline}", story=view)

    async def _cmd_sources(self, request: CommandRequest, args: Sequence[str]) -> Reply:
        story = self._story(request, args, "sources N")
        lines = [f"Sources for {args[0]}. {story.headline}:"]
        by_id = {a.id: a for a in story.articles}
        for source in story.sources:
            via = f" (also republished by {', '.join(source.via)})" if source.via else ""
            first = by_id.get(source.article_ids[0]) if source.article_ids else None
            title = f" — {first.title}" if first and first.title else ""
            link = f" {source.url}" if source.url else ""
            lines.append(f"• {source.name}{title}{link}{via}")
        return Reply("\n".join(lines))

    async def _cmd_ask(self, request: CommandRequest, args: Sequence[str]) -> Reply:
        if len(args) < 2:
            raise CommandError("Usage: /digest ask N QUESTION")
        story = self._story(request, args, "ask N QUESTION")
        question = " ".join(args[1:])
        answers = self._service.ask(story, question)
        if not answers:
            return Reply(f"Not found in the sources of story {args[0]}.")
        by_id = {a.id: a for a in story.articles}
        lines = [f"From the sources of story {args[0]}:"]
        for answer in answers:
            names = sorted({by_id[i].source for i in answer.article_ids if i in by_id})
            lines.append(f"• “{answer.sentence}” — {', '.join(names)}")
        return Reply("\n".join(lines))

    async def _cmd_search(self, request: CommandRequest, args: Sequence[str]) -> Reply:
        if not args:
            raise CommandError("Usage: /digest search TERMS")
        stories = await self._service.search(" ".join(args))
        if not stories:
            return Reply(f"No story matches “{' '.join(args)}”.")
        lines = [f"Stories matching “{' '.join(args)}”:"]
        for story in stories:
            lines.append(f"• {story.headline} ({len(story.sources)} sources)")
        return Reply("\n".join(lines))

    async def _cmd_why(self, request: CommandRequest, args: Sequence[str]) -> Reply:
        if len(args) != 1:
            raise CommandError("Usage: /digest why URL")
        return Reply(self._service.why(chat_url(args[0])))

    async def _cmd_feeds(self, request: CommandRequest, args: Sequence[str]) -> Reply:
        lines = self._service.feeds(request.channel)
        if not lines:
            return Reply("This channel reads no sources yet. Add one with `/digest subscribe URL`.")
        return Reply("\n".join(lines))

    async def _cmd_subscribe(self, request: CommandRequest, args: Sequence[str]) -> Reply:
        if len(args) != 1:
            raise CommandError("Usage: /digest subscribe URL")
        url = chat_url(args[0])
        refuse_private_literal(url)
        name = self._service.subscribe(request.channel, url)
        return Reply(f"Subscribed this channel to `{name}`.", ephemeral=False)

    async def _cmd_unsubscribe(self, request: CommandRequest, args: Sequence[str]) -> Reply:
        name = one_word(args, "unsubscribe NAME")
        if not self._service.unsubscribe(request.channel, name):
            raise CommandError(f"This channel has no source named `{name}` (see `/digest feeds`).")
        return Reply(f"Unsubscribed this channel from `{name}`.", ephemeral=False)

    async def _cmd_schedule(self, request: CommandRequest, args: Sequence[str]) -> Reply:
        usage = (
            'Usage: /digest schedule "CRON" [TZ], e.g. /digest schedule "0 8 * * *" Europe/Berlin'
        )
        text = " ".join(" ".join(args).split())
        if not text:
            raise CommandError(usage)
        quoted = _QUOTED.match(text)
        if quoted:
            cron, rest = quoted["inner"].strip(), quoted["rest"].split()
        else:  # unquoted: a cron expression has five fields
            cron, rest = " ".join(text.split()[:5]), text.split()[5:]
        if len(rest) > 1:
            raise CommandError(usage)
        summary = self._service.schedule(request.channel, cron, rest[0] if rest else None)
        return Reply(summary, ephemeral=False)

    async def _cmd_mute(self, request: CommandRequest, args: Sequence[str]) -> Reply:
        word = one_word(args, "mute WORD")
        self._service.mute(request.channel, word)
        return Reply(f"Stories mentioning “{word}” will not be posted here.", ephemeral=False)

    async def _cmd_unmute(self, request: CommandRequest, args: Sequence[str]) -> Reply:
        word = one_word(args, "unmute WORD")
        if not self._service.unmute(request.channel, word):
            raise CommandError(f"“{word}” is not muted here.")
        return Reply(f"“{word}” is no longer muted here.", ephemeral=False)
