"""The console channel: digests printed to a terminal, through the same outbox."""

from __future__ import annotations

import itertools
import sys
from typing import TextIO

from bot.chat import Message
from digests.render import DigestView, UpdateView, render_text


class ConsolePoster:
    platform = "console"

    def __init__(self, out: TextIO | None = None) -> None:
        self._out = out
        self._ids = itertools.count(1)

    def render_digest(self, view: DigestView) -> list[Message]:
        return [{"text": render_text(view)}]

    def render_update(self, view: UpdateView) -> Message:
        return {"text": f"  ↳ update to “{view.headline}”: {view.text}\n"}

    async def send(self, channel_id: str, message: Message, *, thread_of: str | None = None) -> str:
        out = self._out or sys.stdout
        out.write(str(message.get("text", "")))
        out.flush()
        return f"console-{next(self._ids)}"
