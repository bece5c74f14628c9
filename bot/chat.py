"""What every chat platform offers the bot: render and send. Nothing else.

Adapters implement `ChatPoster`; delivery and the command handler only ever see
this protocol, so a digest behaves the same on Slack, Discord and the console.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from digests.render import DigestView, UpdateView

Message = dict[str, Any]


class DeliveryError(Exception):
    """A post the platform refused. `permanent` errors (channel gone, no access)
    are reported and not retried; others are retried with backoff."""

    def __init__(
        self, message: str, *, permanent: bool = False, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after


class ChatPoster(Protocol):
    platform: str

    def render_digest(self, view: DigestView) -> list[Message]:
        """One digest as one or more messages, each within the platform's limits."""
        ...

    def render_update(self, view: UpdateView) -> Message:
        """A thread reply for a story that gained sources."""
        ...

    async def send(self, channel_id: str, message: Message, *, thread_of: str | None = None) -> str:
        """Post and return the platform's message id (Slack ts, Discord message id)."""
        ...


@dataclass(frozen=True)
class Sent:
    channel_id: str
    message: Message
    thread_of: str | None
    message_id: str
