"""When the event fact happened, when its own sentence does not say.

A story's lead often names no date ("Hurricane Milton made landfall near Siesta Key"); the
sentences confirming it, the other outlets' openings and the reports' own dates do.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta

from digests.dates import WEEKDAYS, DateMention, fmt_date
from digests.story_sentences import StorySentence

# A date a few words after "after", "before", "since" is another happening's: "died in a Los
# Angeles hospital after suffering a heart attack on December 2".
_OTHER_TIME = re.compile(
    r"\b(?:after|before|since|following|until|ahead of|prior to)\b(?:\W+\w+){0,6}\W*$",
    re.IGNORECASE,
)


def with_event_date(
    text: str, rep: StorySentence, backing: list[StorySentence], leads: Sequence[StorySentence] = ()
) -> tuple[str, StorySentence | None]:
    """Give the event fact its date when its sentence has none, taking it from a confirming
    sentence (the most precise one: a full date, then a day without year).

    An undated "on Wednesday" also takes the date another outlet's lead gives for the same
    weekday: two reports of one event naming the same weekday mean the same day.
    """
    if any(d.resolved for d in rep.dates):
        return text, None
    weekdays = {
        w for d in rep.dates if d.form == "weekday" for w in d.text.lower().split() if w in WEEKDAYS
    }
    best: tuple[int, DateMention, StorySentence] | None = None
    for s in [rep, *backing]:
        for d in s.dates:
            if weekdays and d.resolved and d.resolved.strftime("%A").lower() not in weekdays:
                continue  # "on Saturday" is not given a Sunday's date
            if s is not rep and _OTHER_TIME.search(s.text[: d.start]):
                continue  # "died ... after suffering a heart attack on December 2"
            rank = 2 if d.resolved else 1 if d.month_day else 0
            if rank and (best is None or rank > best[0]):
                best = (rank, d, s)
    if (best is None or best[0] < 2) and weekdays:
        for s in leads:
            for d in s.dates:
                if d.resolved and d.resolved.strftime("%A").lower() in weekdays:
                    best = (2, d, s)
                    break
            if best is not None and best[0] == 2:
                break
    if best is None and not rep.dates:
        best = _agreed_day(leads, rep)
    own = max((2 if d.resolved else 1 if d.month_day else 0 for d in rep.dates), default=0)
    if best is None or best[2] is rep or best[0] <= own:
        return text, None  # nothing more precise than what the sentence already says
    _, d, s = best
    shown = d.display
    if d.resolved:
        shown = f"{d.resolved.strftime('%A')}, {shown}"
    return f"{text.rstrip()} — {shown}", s


def reported_day(rep: StorySentence, backing: Sequence[StorySentence]) -> str | None:
    """ "reported Friday, October 13, 2023": the earliest day a report of the fact speaks
    from, for an event fact no sentence dates. Said as the report's day, not the event's:
    "has completed its acquisition" was done by then, not necessarily on it."""
    days = [s.day for s in [rep, *backing] if s.day is not None]
    if not days:
        return None
    first = min(days)
    return f"reported {first.strftime('%A')}, {fmt_date(first)}"


def position_of(s: StorySentence) -> tuple[str, int]:
    """Where a sentence stands: a clause shares it with the sentence it was cut from."""
    return (s.article_id, s.pos)


def anchored_weekday(backing: Sequence[StorySentence]) -> tuple[str, StorySentence] | None:
    """An undated report's "Wednesday night" dated by the other reports of the same fact.

    The event happened on or before the earliest day a confirming report speaks from, and news
    names a weekday only for the past week: the weekday resolves to the last such day on or
    before it. Used only when no sentence of the fact gives a date of its own.
    """
    days = [s.day for s in backing if s.day is not None]
    if not days:
        return None
    anchor = min(days)
    for s in backing:
        if s.day is not None:
            continue  # its own date would have resolved the weekday already
        for d in s.dates:
            if d.form != "weekday" or d.resolved is not None:
                continue
            names = [w for w in d.text.lower().split() if w in WEEKDAYS]
            if len(names) != 1:
                continue
            back = (anchor.weekday() - WEEKDAYS.index(names[0])) % 7
            day = anchor - timedelta(days=back)
            return f"{day.strftime('%A')}, {fmt_date(day)}", s
    return None


def _agreed_day(
    leads: Sequence[StorySentence], rep: StorySentence
) -> tuple[int, DateMention, StorySentence] | None:
    """The full date that the openings of two or more other outlets give, when no other date
    is given as often: an event fact with no date of its own still says when. An opening that
    names only the weekday ("on Sunday", no year to resolve it) agrees with a date on that
    weekday."""
    outlets: dict[date, set[str]] = {}
    first: dict[date, tuple[DateMention, StorySentence]] = {}
    named: dict[str, set[str]] = {}  # weekday -> outlets naming it unresolved
    for s in leads:
        if s.source == rep.source:
            continue
        for d in s.dates:
            if d.resolved is not None:
                outlets.setdefault(d.resolved, set()).add(s.source)
                first.setdefault(d.resolved, (d, s))
            elif d.form == "weekday":
                for w in d.text.lower().split():
                    if w in WEEKDAYS:
                        named.setdefault(w, set()).add(s.source)
    for day, told in outlets.items():
        told |= named.get(day.strftime("%A").lower(), set())
    ranked = sorted(outlets.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    if not ranked or len(ranked[0][1]) < 2:
        return None
    if len(ranked) > 1 and len(ranked[1][1]) == len(ranked[0][1]):
        return None  # two days told as often: no agreement
    d, s = first[ranked[0][0]]
    return 2, d, s
