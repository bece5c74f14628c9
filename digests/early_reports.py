"""Reports filed before the outcome they anticipate.

An outlet that wrote "Putin and Kim are expected to sign a treaty" before the signing tells a
different story from the outlets that report it signed: readers should know which report is
out of date. A lead is taken as written ahead when it frames the story's action as expected
while at least two other independent outlets' leads tell the same matter without that framing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from digests.disagreements import outlet_names
from digests.models import Disagreement
from digests.story_sentences import StorySentence
from digests.verbs import past_tense

# How many opening sentences of an article make its lead.
LEAD_SENTENCES = 3
# Other outlets that must tell the matter as done.
MIN_OTHERS = 2
# Content words an expectation shares with a lead that tells the same matter.
_MIN_SHARED = 3
_EXPECTED = re.compile(
    r"\b(?:is|are|'s|’s)\s+(?:widely\s+|now\s+|also\s+)?"
    r"(?:expected|set|poised|scheduled|slated|due|likely|about)\s+to\s+[a-z]+[^,;.]*",
    re.IGNORECASE,
)
# The verbs an expectation awaits: "expected to decide ... whether to grant".
_AWAITED = re.compile(r"\bto\s+([a-z]{3,})\b")


def reported_ahead(sents: Sequence[StorySentence]) -> list[Disagreement]:
    """One line per outlet whose lead anticipates what other outlets' leads report."""
    leads: dict[str, list[StorySentence]] = {}
    for s in sents:
        if s.pos < LEAD_SENTENCES:
            leads.setdefault(s.source, []).append(s)
    out: list[Disagreement] = []
    for source, own in leads.items():
        ahead = next((s for s in own if _EXPECTED.search(s.text)), None)
        if ahead is None:
            continue
        done = _done(ahead.text)
        if done is None:
            continue
        words = _words(ahead)
        told = [
            src
            for src, theirs in leads.items()
            if src != source
            and any(
                not _EXPECTED.search(x.text)
                and done.search(x.text)
                and len(words & _words(x)) >= _MIN_SHARED
                for x in theirs
            )
        ]
        if len(told) < MIN_OTHERS:
            continue
        out.append(
            Disagreement(
                f"Written before the outcome: {outlet_names([ahead])} says “{ahead.text}”",
                (ahead.article_id,),
            )
        )
    return out


def _done(text: str) -> re.Pattern[str] | None:
    """The awaited actions told as done ("sign" -> "signed"), or None if nothing is awaited."""
    found = _EXPECTED.search(text)
    if found is None:
        return None
    verbs = [v.lower() for v in _AWAITED.findall(found.group(0)) if v.lower() != "be"]
    forms = {past_tense(v) for v in verbs}
    if not forms:
        return None
    return re.compile(r"\b(?:" + "|".join(sorted(forms)) + r")\b", re.IGNORECASE)


def _words(s: StorySentence) -> set[str]:
    return {t for t in s.tokens if not t[0].isdigit()}
