"""A deterministic synthetic news stream with gold event ids, for the benchmark.

Everything is generated here from our own syllables and templates (no third-party text):
invented people, places and companies; events of a dozen kinds, each reported by several
outlets in their own words; look-alike events that reuse the main actor on a later date with
other details (the hard case); syndicated wire copies with a new dateline and small edits;
and one-off noise items. Articles arrive in publication order at a steady rate, so a longer
stream spans more days rather than packing more events into each day.
"""

from __future__ import annotations

import heapq
import random
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from digests.models import Article

ARTICLES_PER_DAY = 400
_ONSETS = [
    "b",
    "c",
    "d",
    "f",
    "g",
    "h",
    "j",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
    "z",
    "br",
    "dr",
    "gr",
    "kr",
    "pr",
    "st",
    "tr",
    "ch",
    "sh",
    "th",
]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "io", "ou"]
_CODAS = ["", "", "n", "r", "s", "l", "m", "k", "nd", "rt", "sk"]
_MONTHS = "January February March April May June July August September October November December"
_MONTH_NAMES = _MONTHS.split()
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_OUTLETS = [f"outlet{i:02d}.example" for i in range(60)]
_WIRES = ["Wire One", "Global Wire", "Metro Press Agency"]

# Our own filler: background sentences assembled from parts, so two outlets rarely write
# the same one word for word (as in real coverage), yet all share the beat's vocabulary.
_F_SUBJECTS = [
    "Officials",
    "Analysts",
    "Local residents",
    "Observers",
    "Critics",
    "Supporters",
    "Independent experts",
    "Several witnesses",
    "Community leaders",
    "Market watchers",
]
_F_VERBS = [
    "said",
    "warned",
    "noted",
    "suggested",
    "cautioned",
    "argued",
    "stressed",
    "expected",
]
_F_OBJECTS = [
    "that more details would follow",
    "that the situation remained fluid",
    "that the decision could have wider consequences",
    "that early figures may change",
    "that further talks were likely",
    "that the timing was unusual",
    "that reactions had been mixed",
    "that the matter deserved closer scrutiny",
    "that updates would be published",
    "that questions remained unanswered",
]
_F_TAILS = [
    "",
    " later in the day",
    " in the coming weeks",
    " on social media",
    " at a briefing",
    " in a statement",
    " during an interview",
]


def _filler(rng: random.Random) -> str:
    return (
        f"{rng.choice(_F_SUBJECTS)} {rng.choice(_F_VERBS)} {rng.choice(_F_OBJECTS)}"
        f"{rng.choice(_F_TAILS)}."
    )


_SYNONYMS = {
    "said": ["stated", "told reporters", "announced"],
    "met": ["held talks with", "received", "sat down with"],
    "struck": ["hit", "shook", "rocked"],
    "reported": ["posted", "announced", "disclosed"],
    "beat": ["defeated", "overcame", "edged"],
    "unveiled": ["introduced", "presented", "showed off"],
    "killed": ["left dead", "claimed the lives of"],
}


@dataclass(frozen=True)
class _Event:
    id: str
    kind: str
    day: datetime
    slots: dict[str, str]
    n_reports: int


class _Names:
    """Invented proper names; a small pool per role so look-alike events share actors."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def word(self, syllables: int) -> str:
        r = self.rng
        parts = [r.choice(_ONSETS) + r.choice(_VOWELS) for _ in range(syllables)]
        return ("".join(parts) + r.choice(_CODAS)).capitalize()

    def person(self) -> str:
        return f"{self.word(2)} {self.word(self.rng.randint(2, 3))}"

    def place(self) -> str:
        return self.word(self.rng.randint(2, 3)) + self.rng.choice(["", "", " City", "burg"])

    def org(self) -> str:
        return self.word(2) + self.rng.choice([" Motors", " Systems", " Bank", " Labs", " Group"])


# Each kind: the slots it needs and a few ways an outlet may open the story.
_KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "meeting": (
        ("leader", "visitor", "city", "topic"),
        (
            "{leader} met {visitor} in {city} on {weekday} to discuss {topic}.",
            "In {city}, {visitor} held talks with {leader} on {date}, focusing on {topic}.",
            "{visitor} arrived in {city} and met {leader}; the two discussed {topic}.",
        ),
    ),
    "earnings": (
        ("company", "ceo", "quarter"),
        (
            "{company} reported {quarter} revenue of {num1} million, chief executive {ceo} said.",
            "{company} posted {quarter} results on {date}: revenue reached {num1} million.",
            "Revenue at {company} came in at {num1} million for the {quarter}, {ceo} announced.",
        ),
    ),
    "quake": (
        ("city", "region"),
        (
            "A magnitude {small} earthquake struck near {city} in {region} on {weekday}, "
            "killing {num2} people.",
            "An earthquake of magnitude {small} hit {region} on {date}; at least {num2} died "
            "near {city}.",
            "{num2} people were killed when a strong quake shook {city}, {region}.",
        ),
    ),
    "final": (
        ("player", "rival", "tournament"),
        (
            "{player} beat {rival} in the {tournament} final on {weekday}, winning {score}.",
            "{rival} lost the {tournament} final to {player} {score} on {date}.",
            "{player} won the {tournament} title, defeating {rival} {score}.",
        ),
    ),
    "court": (
        ("defendant", "judge", "city"),
        (
            "{defendant} was sentenced to {years} years in prison by judge {judge} in {city}.",
            "Judge {judge} handed {defendant} a {years}-year sentence on {date}.",
            "A court in {city} sentenced {defendant} to {years} years; judge {judge} presided.",
        ),
    ),
    "launch": (
        ("company", "product", "ceo"),
        (
            "{company} unveiled the {product} on {weekday}, priced at {num3} dollars.",
            "{ceo} presented the new {product} from {company} on {date}; it costs {num3} dollars.",
            "The {product}, launched by {company}, will sell for {num3} dollars, {ceo} said.",
        ),
    ),
    "fire": (
        ("city", "building", "official"),
        (
            "A fire destroyed the {building} in {city} on {weekday}, officials said.",
            "Firefighters battled a blaze at the {building} in {city} on {date}.",
            "The {building} in {city} burned down overnight, fire chief {official} said.",
        ),
    ),
    "election": (
        ("candidate", "rival", "region"),
        (
            "{candidate} won the election in {region} with {pct} percent of the vote.",
            "Voters in {region} chose {candidate} over {rival} on {date}, {pct} percent to "
            "the rest.",
            "{rival} conceded to {candidate} after the {region} vote on {weekday}.",
        ),
    ),
}
_TOPICS = ["trade", "energy supplies", "border security", "cultural exchange", "fisheries"]
_QUARTERS = ["first quarter", "second quarter", "third quarter", "fourth quarter"]
_BUILDINGS = [
    "old mill",
    "central library",
    "dairy warehouse",
    "city theatre",
    "market hall",
    "bus depot",
    "textile factory",
    "harbour shed",
    "town hall",
    "sports centre",
    "cathedral roof",
    "hotel",
]


def _slot_value(role: str, names: _Names, rng: random.Random) -> str:
    if role in ("leader", "visitor", "ceo", "player", "rival", "defendant", "judge"):
        return names.person()
    if role in ("candidate", "official"):
        return names.person()
    if role in ("city",):
        return names.place()
    if role == "region":
        return names.word(3)
    if role == "company":
        return names.org()
    if role == "product":
        return names.word(2) + " " + rng.choice(["Pro", "One", "Max", "Air"])
    if role == "tournament":
        return names.word(2) + " Open"
    if role == "topic":
        return rng.choice(_TOPICS)
    if role == "quarter":
        return rng.choice(_QUARTERS)
    if role == "building":
        return rng.choice(_BUILDINGS)
    return names.word(2)


def _date_text(day: datetime) -> str:
    return f"{_MONTH_NAMES[day.month - 1]} {day.day}"


class SyntheticStream:
    """Generates `n` articles with gold event ids; same seed, same stream."""

    def __init__(self, n: int, *, seed: int = 7) -> None:
        self.n = n
        self.seed = seed

    def __iter__(self) -> Iterator[tuple[Article, str]]:
        rng = random.Random(self.seed)
        names = _Names(rng)
        start = datetime(2024, 1, 1, tzinfo=UTC)
        days = max(1.0, self.n / ARTICLES_PER_DAY)
        # Articles wait in a heap until nothing generated later can be published earlier
        # (look-alikes land at most 30 days ahead), so memory stays bounded.
        pending: list[tuple[datetime, int, Article, str]] = []
        horizon = timedelta(days=32)
        made = 0
        seq = 0
        n_events = 0
        recent: deque[_Event] = deque(maxlen=200)
        while made < self.n:
            t = start + timedelta(days=days * made / self.n)
            while pending and pending[0][0] < t - horizon:
                _, _, art, gold = heapq.heappop(pending)
                yield art, gold
            roll = rng.random()
            if roll < 0.08:
                art = self._noise(rng, names, t, made)
                heapq.heappush(pending, (t, seq, art, f"noise-{made}"))
                made += 1
                seq += 1
                continue
            if roll < 0.35 and recent:
                base = rng.choice(recent)
                event = self._lookalike(base, rng, names, t, n_events)
            else:
                event = self._new_event(rng, names, t, n_events)
            n_events += 1
            recent.append(event)
            reports: list[Article] = []
            for k in range(min(event.n_reports, self.n - made)):
                pub = event.day + timedelta(hours=rng.uniform(0.5, 40))
                if reports and rng.random() < 0.15:
                    art = self._wire_copy(rng, rng.choice(reports), event, pub, k)
                else:
                    art = self._report(rng, names, event, pub, k)
                reports.append(art)
                heapq.heappush(pending, (pub, seq, art, event.id))
                seq += 1
                made += 1
        while pending:
            _, _, art, gold = heapq.heappop(pending)
            yield art, gold

    # ---- pieces ------------------------------------------------------------------------
    @staticmethod
    def _new_event(rng: random.Random, names: _Names, t: datetime, idx: int) -> _Event:
        kind = rng.choice(list(_KINDS))
        roles, _ = _KINDS[kind]
        slots = {role: _slot_value(role, names, rng) for role in roles}
        slots.update(_numbers(rng))
        return _Event(f"e{idx}", kind, t, slots, _n_reports(rng))

    @staticmethod
    def _lookalike(
        base: _Event, rng: random.Random, names: _Names, t: datetime, idx: int
    ) -> _Event:
        """Same kind and main actor as `base`, other details, at least a week later."""
        roles, _ = _KINDS[base.kind]
        slots = dict(base.slots)
        for role in roles[1:]:
            if rng.random() < 0.7:
                slots[role] = _slot_value(role, names, rng)
        slots.update(_numbers(rng))
        day = max(t, base.day + timedelta(days=rng.uniform(7, 30)))
        return _Event(f"e{idx}", base.kind, day, slots, _n_reports(rng))

    @staticmethod
    def _report(rng: random.Random, names: _Names, event: _Event, pub: datetime, k: int) -> Article:
        _, templates = _KINDS[event.kind]
        slots = dict(event.slots)
        slots["weekday"] = _WEEKDAYS[event.day.weekday()]
        slots["date"] = _date_text(event.day)
        order = list(templates)
        rng.shuffle(order)
        sentences = [_vary(rng, s.format(**slots)) for s in order[: rng.randint(1, 2)]]
        sentences += [_filler(rng) for _ in range(rng.randint(2, 4))]
        if rng.random() < 0.5:  # an outlet quotes someone of its own
            sentences.insert(2, f'"We are following this closely," said {names.person()}.')
        title_src = sentences[0].rstrip(".")
        title = title_src if len(title_src) < 90 else title_src[:87] + "..."
        outlet = rng.choice(_OUTLETS)
        return Article(
            id=f"{event.id}-{k}-{outlet.split('.')[0]}",
            title=title if rng.random() < 0.9 else "",
            text=" ".join(sentences),
            source=outlet,
            published=pub,
        )

    @staticmethod
    def _wire_copy(
        rng: random.Random, original: Article, event: _Event, pub: datetime, k: int
    ) -> Article:
        """A syndicated copy: a new dateline, maybe a trimmed end, one word swapped."""
        place = next(iter(event.slots.values()))
        words = original.text.split()
        if len(words) > 30 and rng.random() < 0.5:
            words = words[: int(len(words) * 0.8)]
        if len(words) > 10:
            i = rng.randrange(len(words))
            words[i] = rng.choice(["reportedly", "also", "then"])
        dateline = f"{place.upper()}, {_date_text(event.day)} ({rng.choice(_WIRES)}) -"
        outlet = rng.choice(_OUTLETS)
        return Article(
            id=f"{event.id}-{k}-copy-{outlet.split('.')[0]}",
            title=original.title,
            text=dateline + " " + " ".join(words),
            source=outlet,
            published=pub,
        )

    @staticmethod
    def _noise(rng: random.Random, names: _Names, t: datetime, made: int) -> Article:
        who, where = names.person(), names.place()
        text = f"{who} opened a small exhibition in {where}. " + " ".join(
            _filler(rng) for _ in range(3)
        )
        return Article(
            id=f"noise-{made}",
            title=f"{who} opens exhibition in {where}",
            text=text,
            source=rng.choice(_OUTLETS),
            published=t,
        )


def _numbers(rng: random.Random) -> dict[str, str]:
    return {
        "num1": f"{rng.randint(100, 9999):,}",
        "num2": str(rng.randint(3, 400)),
        "num3": f"{rng.randint(199, 4999):,}",
        "small": f"{rng.uniform(4.0, 7.9):.1f}",
        "score": f"{rng.randint(6, 7)}-{rng.randint(2, 5)}, {rng.randint(6, 7)}-{rng.randint(2, 5)}",
        "years": str(rng.randint(2, 40)),
        "pct": str(rng.randint(51, 78)),
    }


def _n_reports(rng: random.Random) -> int:
    return min(12, 1 + int(rng.expovariate(1 / 3.5)))


_MODIFIERS = ["reportedly", "officially", "finally", "late", "early", "locally", "briefly"]


def _vary(rng: random.Random, sentence: str) -> str:
    """Outlets word things differently: synonyms, and a few words of their own."""
    for word, options in _SYNONYMS.items():
        if f" {word} " in sentence and rng.random() < 0.6:
            sentence = sentence.replace(f" {word} ", f" {rng.choice(options)} ", 1)
    words = sentence.split(" ")
    for _ in range(rng.randint(1, 3)):
        words.insert(rng.randint(1, len(words)), rng.choice(_MODIFIERS))
    return " ".join(words)


def synthetic_stream(n: int, *, seed: int = 7) -> list[tuple[Article, str]]:
    """The whole stream as a list (convenient for tests and small benchmarks)."""
    return list(SyntheticStream(n, seed=seed))
