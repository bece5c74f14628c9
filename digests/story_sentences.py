"""A story's sentence as read for facts, shared by fact selection and disagreement detection."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from digests.dates import DateMention
from digests.entities import Mention
from digests.models import FactKind
from digests.quantities import Quantity


@dataclass
class StorySentence:
    """A sentence of one of a story's articles (or a clause-level shortening of one), read."""

    article_id: str
    source: str
    pos: int
    text: str
    shown: str
    tokens: frozenset[str]
    dates: list[DateMention]
    numbers: list[Quantity]
    mentions: list[Mention]
    quote: str
    speaker: str
    published: datetime | None
    kind: FactKind | None = None  # filled in once the entity index is known
    rare: int = 0  # details no other part of the story gives (see `digests.facts._rare_details`)
    outlet: str = ""  # the outlet's name as shown to readers (`source` is a grouping key)
    whole: bool = True  # False for a clause-level shortening of a source sentence
    day: date | None = None  # the day the article speaks from (publication or dateline)
