"""The file channel: digests appended as Markdown to a file (or a folder of files).

Useful for static sites and for audits; it goes through the same outbox as chat.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from pathlib import Path

from bot.chat import DeliveryError, Message
from digests.render import DigestView, UpdateView, md_escape, render_markdown


class FilePoster:
    platform = "file"

    def __init__(self) -> None:
        self._ids = itertools.count(1)

    def render_digest(self, view: DigestView) -> list[Message]:
        return [{"text": render_markdown(view)}]

    def render_update(self, view: UpdateView) -> Message:
        return {"text": f"\n> Update to “{md_escape(view.headline)}”: {md_escape(view.text)}\n"}

    async def send(self, channel_id: str, message: Message, *, thread_of: str | None = None) -> str:
        target = Path(channel_id)
        if target.is_dir() or channel_id.endswith(("/", "\\")):
            target = target / f"digest-{datetime.now(UTC):%Y%m%d-%H%M%S}.md"
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("a", encoding="utf-8") as fh:
                fh.write(str(message.get("text", "")) + "\n")
        except OSError as exc:
            raise DeliveryError(f"cannot write {target}: {exc.strerror}", permanent=True) from None
        return f"{target}#{next(self._ids)}"
