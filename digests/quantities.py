"""Figures as sentences state them, read once and shared by fact grouping and disagreements."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from digests.dates import DateMention
from digests.tokens import STOP_WORDS, stem

_HEDGES = (
    "more than",
    "less than",
    "fewer than",
    "at least",
    "up to",
    "as many as",
    "nearly",
    "almost",
    "about",
    "around",
    "approximately",
    "roughly",
    "over",
    "some",
    "an estimated",
    "estimated",
    "just over",
    "just under",
    "under",
    "below",
    "above",
)
_WORD_NUM = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "dozen": 12, "twenty": 20,
}  # fmt: skip
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "m": 1e6}
_NUM_RE = re.compile(
    r"(?P<hedge>\b(?:" + "|".join(h.replace(" ", r"\s+") for h in _HEDGES) + r")\s+)?"
    r"(?P<cur>[$€£¥])?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\b(?:" + "|".join(_WORD_NUM) + r")\b)"
    r"(?P<half>\s+and\s+a\s+half\b)?"
    r"(?P<scale>(?:\s*|-)(?:thousand|million|billion|trillion|bn)\b)?"
    r"(?P<pct>\s*(?:%|percent\b|per\s+cent\b))?",
    re.IGNORECASE,
)
_OUTAGE = re.compile(r"\bwithout (?:power|electricity)\b|\bpower outages?\b|knocked out power")
_OUTAGE_NOUNS = frozenset(
    ["home", "business", "customer", "without", "people", "resident", "household", "already",
     "currently", "left", "account", "power"]
)  # fmt: skip


@dataclass(frozen=True)
class Quantity:
    """A number as reported: value, hedge ("around"), and the words that say what it counts."""

    value: float
    text: str
    hedge: str
    pct: bool
    currency: str
    nouns: tuple[str, ...]
    start: int
    unit: str = ""  # the counted word as written ("troops"), for labels
    before: tuple[str, ...] = ()  # stems of the words leading up to it ("shares rose")
    part: bool = False  # "29 of the engines": a part of a whole, never the whole's count
    measure: str = ""  # a unit written right after it ("7.62mm", "40 km"), lower case


# A unit written right after the figure makes it a measure ("7.62mm", "40 km", "140-mph").
_MEASURE = re.compile(
    r"[\s-]?(mm|cm|km/h|km|kg|mph|kph|ft|lbs?|[kMGT]B|[GM]Hz|[kMG]W)\b", re.IGNORECASE
)
# "130 miles (215 kilometers) per hour" is a speed, both figures.
_PER_HOUR = re.compile(
    r"\s*(miles?|kilomet(?:er|re)s?)\b(?:\s*\([^)]{0,40}\)|\))?\s+(?:per|an|a)\s+hour", re.I
)
# Unit words spelt out, by the abbreviation they share (`measure_of`).
_UNIT_WORDS = (
    ("millimet", "mm"), ("centimet", "cm"), ("kilomet", "km"), ("kilogram", "kg"),
    ("feet", "ft"), ("foot", "ft"), ("gigabyte", "gb"), ("terabyte", "tb"),
    ("megabyte", "mb"), ("gigahertz", "ghz"), ("megahertz", "mhz"), ("kilowatt", "kw"),
    ("megawatt", "mw"), ("gigawatt", "gw"), ("metre", "m"), ("meter", "m"), ("mile", "mi"),
)  # fmt: skip


def measure_of(q: Quantity) -> str:
    """The unit a figure measures in ("km" for "40 km" and "40 kilometres"), or "" for a count:
    a calibre ("a 7.62mm rifle") is never a count of rifles."""
    return q.measure


def _measure_at(sentence: str, end: int, unit: str) -> str:
    """The unit the figure ending at `end` measures in (see `measure_of`)."""
    m = _MEASURE.match(sentence, end)
    if m:
        found = m.group(1).lower()
        return {"lbs": "lb", "km/h": "kph"}.get(found, found)
    m = _PER_HOUR.match(sentence, end)
    if m:
        return "mph" if m.group(1).lower().startswith("mile") else "kph"
    word = unit.lower()
    return next((abbr for prefix, abbr in _UNIT_WORDS if word.startswith(prefix)), "")


_PARTITIVE = re.compile(
    r"\s+of\s+(?:the|its|their|his|her|our|those|these|them|whom|which)\b"
    r"|\s+[a-z]+\s+of\s+(?:its|their)\b",  # "345,454 units of its Model 3 and Model Y"
    re.IGNORECASE,
)
_CAPITALISED = re.compile(r"[A-Z][a-z]+")
_WORD_BEFORE = re.compile(r"(\S+)\s+$")
_WORD_AFTER = re.compile(r"\s*([A-Za-z][\w-]*)")
_CALENDAR = frozenset(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
     "saturday", "sunday"]
)  # fmt: skip


def _name_number(sentence: str, m: re.Match[str]) -> bool:
    """A number that is part of a name ("Luna 25 lander", "Phase 3 trial", "Section 3553 of
    the law"): a bare integer after a capitalised word inside a sentence, before a word that
    counts nothing (a singular). A headline capitalises every word: there it proves nothing."""
    raw = m.group("num")
    if not raw.isdigit() or m.group("hedge") or m.group("cur") or m.group("pct"):
        return False
    if m.group("scale"):
        return False
    head = sentence[: m.start()]
    prev = _WORD_BEFORE.search(head)
    if prev is None or prev.start() == 0:
        return False
    word = prev.group(1)
    if not _CAPITALISED.fullmatch(word) or word.lower() in _CALENDAR:
        return False
    words = sentence.split()
    if sum(bool(_CAPITALISED.match(w)) for w in words) > 0.6 * len(words):
        return False
    nxt = _WORD_AFTER.match(sentence, m.end())
    return nxt is None or not nxt.group(1).lower().endswith("s")


# Telephone numbers: "0845 125 2222", "(555) 123-4567", "1-800-222-1222", "713-222-8477".
_PHONE = re.compile(
    r"(?<![\d,.])(?:\+\d{1,3}[ -])?(?:\(\d{3,5}\)\s?|0\d{2,4}[ -]|1-\d{3}-|\d{3}-)"
    r"\d{3,4}[ -]?\d{3,4}\b"
)


def find_quantities(sentence: str, dates: Sequence[DateMention] = ()) -> list[Quantity]:
    """Counted amounts in a sentence; years, dates, times, scores and model numbers are skipped."""
    out: list[Quantity] = []
    spans = [(d.start, d.end) for d in dates]
    spans += [(p.start(), p.end()) for p in _PHONE.finditer(sentence)]
    for m in _NUM_RE.finditer(sentence):
        s, e = m.start("num"), m.end("num")
        if any(a <= s < b for a, b in spans):
            continue
        raw = m.group("num")
        before = sentence[max(0, s - 12) : s]
        after = sentence[e : e + 8]
        if re.search(r"[A-Za-z\-/#:]$", before) and not m.group("cur"):
            continue  # Q1, M2, Flight-9, 3-6, the minutes in 06:03
        if re.match(
            r"(?::\d|-\d|/\d|\.\d|\s*(?:(?i:a\.m|p\.m|am\b|pm\b)|GMT|UTC|ET\b|EDT|IST|Hrs))", after
        ):
            continue
        if re.search(
            r"\b(?:[Cc]ategory|Flight|Model|No\.|Ship|Booster|Game|Set|Article|Q)\s*$", before
        ):
            continue
        if re.match(r"(?:st|nd|rd|th)\b", after):
            continue
        if _name_number(sentence, m):
            continue
        low = raw.lower()
        if low in _WORD_NUM:
            value = float(_WORD_NUM[low])
        else:
            value = float(raw.replace(",", ""))
            if (
                re.fullmatch(r"(?:19|20)\d\d", raw)
                and not m.group("cur")
                and not m.group("pct")
                and not m.group("scale")
            ):
                continue  # a year
        if m.group("half"):
            value += 0.5  # "six and a half years"
        scale = (m.group("scale") or "").strip().lstrip("-").lower()
        value *= _SCALE.get(scale, 1.0)
        tail = sentence[m.end() : m.end() + 60]
        nouns = tuple(
            stem(w)
            for w in re.findall(r"[A-Za-z][\w-]*", tail)[:4]
            if w.lower() not in STOP_WORDS and not w[0].isupper() and len(w) >= 3
        )[:2]
        if m.group("cur"):
            nouns = (m.group("cur") + (scale or ""),) + nouns  # "$ billion" is its own unit
        elif value >= 1e4 and _OUTAGE.search(sentence) and not set(nouns) - _OUTAGE_NOUNS:
            # "3 million homes and businesses" / "customers" / "without power": one count
            nouns = ("outage",) + nouns
        if low in _WORD_NUM and not nouns:
            continue
        unit = next(
            (
                w
                for w in re.findall(r"[A-Za-z][\w-]*", tail)[:3]
                if w.lower() not in STOP_WORDS and len(w) >= 3
            ),
            "",
        )
        measure = "" if m.group("cur") else _measure_at(sentence, m.end(), unit)
        lead = re.findall(r"[A-Za-z][\w’'-]*", sentence[max(0, m.start() - 50) : m.start()])
        lead_stems = tuple(
            "share" if st in ("stock", "shar") else st
            for w in lead[-4:]
            if w.lower() not in STOP_WORDS and len(w) >= 3
            for st in (stem(w),)
        )
        out.append(
            Quantity(
                value=value,
                text=m.group(0).strip(),
                hedge=(m.group("hedge") or "").strip().lower(),
                pct=bool(m.group("pct")),
                currency=m.group("cur") or "",
                nouns=nouns,
                start=m.start(),
                unit="amount" if m.group("cur") else "share" if m.group("pct") else unit,
                before=lead_stems,
                part=bool(_PARTITIVE.match(sentence, m.end())),
                measure=measure,
            )
        )
    return out


# Nouns that count people, however an outlet names them: "1,400 people" and "1,200
# dockworkers and supporters" count one crowd (stems, as `find_quantities` gives them).
_PEOPLE = frozenset(
    ["people", "person", "resident", "worker", "supporter", "protester", "demonstrator",
     "marcher", "participant", "employe", "staff", "member", "civilian", "children", "adult",
     "passenger", "student", "voter", "spectator", "fan", "fans", "troop", "soldier", "migrant",
     "refuge", "crowd", "attende", "visitor", "pilgrim", "volunteer", "union", "unionist"]
)  # fmt: skip


def names_people(word: str) -> bool:
    """Whether a counted word (a stem, as in `Quantity.nouns`) names people."""
    return word in _PEOPLE or word.endswith("worker")


def counted_words(q: Quantity) -> frozenset[str]:
    """The words saying what a figure counts, people of any name as one."""
    return frozenset("#people" if names_people(w) else w for w in q.nouns + q.before)


_RANGE_NEXT = re.compile(r"^\s*(?:-|–|to|and)\s*[$€£¥]?\d")
_RANGE_PREV = re.compile(r"(?:\bbetween\s+|\d\s*(?:-|–|to|and)\s*[$€£¥]?)$")


def in_range(text: str, q: Quantity) -> bool:
    """Whether a figure is one end of a range ("between 360,000 and 370,000", "40-50 years")."""
    end = q.start + len(q.text)
    return bool(_RANGE_NEXT.match(text[end : end + 8]) or _RANGE_PREV.search(text[: q.start]))
