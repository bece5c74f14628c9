"""Figures, times and dates a story's outlets report differently.

Separate from fact selection: a conflict is told per outlet and only where two reports
plainly give one quantity or moment, while a toll that only grows in later reports is an update.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from functools import lru_cache

from digests.dates import written_years
from digests.models import Disagreement, Fact
from digests.quantities import Quantity, counted_words, in_range, measure_of, names_people
from digests.story_sentences import StorySentence
from digests.tokens import similarity, stem
from digests.verbs import IRREGULAR_PASTS

# Units that measure many things in one story (distances, durations, scores).
GENERIC_UNITS = frozenset(
    [
        "mile",
        "mph",
        "km",
        "kilometer",
        "kilomet",
        "hour",
        "minut",
        "minute",
        "second",
        "year",
        "day",
        "week",
        "month",
        "feet",
        "foot",
        "meter",
        "metr",
        "time",
        "percent",
        "point",
        "set",
        "game",
        "match",
    ]
)
# What a later report counts higher as news comes in: an update, not a conflict.
_RISING = frozenset(
    [
        "die",
        "kill",
        "dead",
        "deaths",
        "death",
        "died",
        "killed",
        "fatalities",
        "casualties",
        "injured",
        "missing",
        "toll",
        "victims",
        "people",
        "customers",
        "homes",
        "outages",
        "outage",
        "evacuated",
        "displaced",
        "arrested",
    ]
)


def number_conflicts(sents: list[StorySentence]) -> tuple[list[Fact], list[Disagreement]]:
    """The same quantity reported differently: an update if a later article has a higher toll."""
    # A range ("between 360,000 and 370,000") is an estimate, not a figure to hold others to.
    items: list[tuple[StorySentence, Quantity]] = [
        (s, q)
        for s in sents
        for q in s.numbers
        if (q.nouns or q.before) and not in_range(s.text, q)
    ]
    # Two figures one sentence states side by side (deliveries vs production) are different
    # quantities, whatever words follow them elsewhere; unless the sentence sets two
    # sources' estimates against each other ("police said 1,200, the union claimed 1,400").
    competing = {id(s) for s in sents if _competing(s)}
    stated = [
        {q.value for q in s.numbers} for s in sents if len(s.numbers) > 1 and id(s) not in competing
    ]
    by_source: dict[str, set[float]] = {}
    for s in sents:
        if id(s) not in competing:
            by_source.setdefault(s.source, set()).update(q.value for q in s.numbers)
    figures = _Figures(by_source, stated)
    # Only figures sharing a counted word (or two ages) can be one quantity: each is compared
    # with those alone, in item order, so a story of hundreds of reports stays quick.
    keys = [
        frozenset(["#age"]) if _age_holder(s.text, q) is not None else _counted(q) for s, q in items
    ]
    by_key: dict[str, list[int]] = {}
    for i, ks in enumerate(keys):
        for key in ks:
            by_key.setdefault(key, []).append(i)
    # Wire copies repeat one sentence under many outlets: the check reads only a figure's
    # sentence and what its outlet states, so copies alike in both are checked once.
    kinds: dict[tuple[str, Quantity, frozenset[float]], int] = {}
    outlet_values = {src: frozenset(vs) for src, vs in by_source.items()}
    kind = [
        kinds.setdefault((s.text, q, outlet_values.get(s.source, frozenset())), len(kinds))
        for s, q in items
    ]
    checked: dict[tuple[int, int], bool] = {}
    used: set[int] = set()
    updates: list[Fact] = []
    disagreements: list[Disagreement] = []
    for i, (s1, q1) in enumerate(items):
        if i in used:
            continue
        cluster = [i]
        near = sorted({j for key in keys[i] for j in by_key[key]})
        for j in near:  # earlier items too: the result must not hang on order
            if j == i or j in used:
                continue
            s2, q2 = items[j]
            if s1.source == s2.source:
                continue
            pair = (kind[i], kind[j])
            same = checked.get(pair)
            if same is None:
                same = checked[pair] = _same_quantity(s1, q1, s2, q2, figures)
            if not same:
                continue
            cluster.append(j)
        if len(cluster) < 2:
            continue
        if figures.side_by_side(*(items[k][1].value for k in cluster)):
            continue
        values: dict[float, list[tuple[StorySentence, Quantity]]] = {}
        for k in cluster:
            values.setdefault(items[k][1].value, []).append(items[k])
        per_source: dict[str, set[float]] = {}
        for v, lst in values.items():
            for s, _ in lst:
                if id(s) not in competing:
                    per_source.setdefault(s.source, set()).add(v)
        if len(values) < 2 or len({s.source for k in cluster for s in [items[k][0]]}) < 2:
            continue
        if any(len(vs) > 1 for vs in per_source.values()):
            continue  # one outlet gives several values: a breakdown, not a conflict
        if max(values) <= 1.003 * min(values) and not q1.currency:
            continue  # "336,000" vs "336,681": one count, rounded (a price is stated exactly)
        if len(values) == 2 and _rounded_alike(*([q for _, q in lst] for lst in values.values())):
            continue  # "some 1.2 million" customers is the 1,182,921 another outlet counts
        used.update(cluster)
        ordered = sorted(values.items(), key=lambda kv: _when(kv[1]) or _NEVER)
        label = _conflict_label([items[k] for k in cluster])
        times = [_when(lst) for _, lst in ordered]
        rising = [v for v, _ in ordered]
        if (
            any(n in _RISING for n in q1.nouns)
            and all(t is not None for t in times)
            and len(set(times)) == len(times)
            and rising == sorted(rising)
        ):
            first, last = ordered[0][1][0][1], ordered[-1][1][0][1]
            ids = tuple(dict.fromkeys(s.article_id for _, lst in ordered for s, _ in lst))
            text = f"{label} rose from {_inline(first)} to {_inline(last)} in later reports"
            srcs = len({s.source for _, lst in ordered for s, _ in lst})
            updates.append(Fact(text, "number", ids, srcs))
            continue
        parts: list[str] = []
        ids_all: list[str] = []
        for _, lst in sorted(values.items(), key=lambda kv: -len(kv[1])):
            q = lst[0][1]
            parts.append(f"{_inline(q)} ({outlet_names([s for s, _ in lst])})")
            ids_all.extend(s.article_id for s, _ in lst)
        text = f"{label}: " + " vs ".join(parts)
        disagreements.append(Disagreement(text, tuple(dict.fromkeys(ids_all))))
    return updates, disagreements


# What a figure measures, read from the words next to it (stems, as `find_quantities` gives).
_CHANGE_WORDS = {
    "decrease": "Decrease",
    "decline": "Decline",
    "drop": "Drop",
    "fall": "Fall",
    "fell": "Fall",
    "rise": "Rise",
    "rose": "Rise",
    "increase": "Increase",
    "gain": "Gain",
    "jump": "Jump",
    "plunge": "Plunge",
    "slump": "Slump",
    "growth": "Growth",
    "cut": "Cut",
}
_CASUALTY_WORDS = {
    "kill": "killed",
    "die": "died",
    "dead": "dead",
    "death": "deaths",
    "injur": "injured",
    "injure": "injured",
    "wound": "wounded",
    "missing": "missing",
    "evacuat": "evacuated",
    "displac": "displaced",
    "arrest": "arrested",
    "destroy": "destroyed",
    "damag": "damaged",
}


_PHRASE_STOP_WORDS = (
    "of in on at to into onto from for by with and or but as than that which who were was are is"
    " be been have has had per a an the this these those its their his her after before since"
    " about over under across near during while when where because so not also around among"
    " between against through toward towards within without including like such each every"
    " ago today yesterday tonight now then"
)
_PHRASE_STOP = frozenset(_PHRASE_STOP_WORDS.split())
_TIME_UNITS = frozenset(
    ["years", "year", "months", "month", "weeks", "week", "days", "day", "hours", "hour",
     "minutes", "minute", "seconds"]
)  # fmt: skip
_PHRASE_VERB_WORDS = (
    "took take takes went go goes came come comes made make makes left leave leaves rose fell"
    " remain remains must may will would could can did do does"
)
_PHRASE_VERBS = frozenset(_PHRASE_VERB_WORDS.split()) | IRREGULAR_PASTS
_DISTANCE_UNITS = {
    "mile": "miles", "miles": "miles", "km": "km", "kilometres": "km", "kilometers": "km",
    "metres": "metres", "meters": "metres",
}  # fmt: skip
_PHRASE_WORD = re.compile(r"\s*([A-Za-z][A-Za-z0-9'’-]*)")
_PER_HOUR = re.compile(r"^[^.;]{0,30}?\bper hour\b|^\s*(?:mph|kph|km/h)\b", re.IGNORECASE)


def _speed_unit(after: str) -> str:
    """ "mph" / "km/h" from the words after a speed ("miles per hour", " kph")."""
    low = after.lower()
    if "mile" in low or "mph" in low:
        return "mph"
    return "km/h" if re.search(r"km|kph|kilomet", low) else ""


def _counted_phrase(text: str, q: Quantity) -> str:
    """The words a figure counts, as the sentence writes them ("elite troops",
    "storm-related deaths"): up to two words after it, stopping at function words."""
    rest = text[q.start + len(q.text) :]
    rest = re.sub(r"^\s*(?:and a half|and half)\b", "", rest)
    words: list[str] = []
    for _ in range(2):
        m = _PHRASE_WORD.match(rest)
        if not m or m.group(1).lower() in _PHRASE_STOP:
            break
        low = m.group(1).lower()
        if words and (
            low.endswith("ed")
            or low in _PHRASE_VERBS
            or (low.endswith("ing") and names_people(stem(words[0].lower())))
        ):
            break  # "people filled", "vehicles delivered", "people knowing": the noun is enough
        words.append(m.group(1))
        rest = rest[m.end() :]
    return " ".join(words)


def _conflict_label(pairs: Sequence[tuple[StorySentence, Quantity]]) -> str:
    """A reader's name for what the figures measure ("Wind speed", "Elite troops",
    "People killed", "Decline"), from the words the reports put next to them."""
    n = len(pairs)
    cues: Counter[str] = Counter()
    for _, q in pairs:
        cues.update(set(q.nouns) | set(q.before))

    def common(*stems: str) -> bool:
        """Most reports put one of these words next to the figure."""
        return 2 * sum(c for w, c in cues.items() if w.startswith(stems)) >= n

    first_s, first = pairs[0]
    if all(_age_holder(s.text, q) is not None for s, q in pairs):
        return "Age"  # not "Year-old"
    change = next((_CHANGE_WORDS[w] for w, _ in cues.most_common() if w in _CHANGE_WORDS), "")
    if first.pct:
        if common("share", "stock") and change:
            return f"Share price {change.lower()}"
        return change or "Percentage"
    if first.currency:
        if common("price", "cost", "priced"):
            return "Price"
        return "Value" if common("worth", "deal", "valu", "acqui") else "Amount"
    speeds = [m for s, q in pairs if (m := _PER_HOUR.match(s.text[q.start + len(q.text) :]))]
    if speeds:
        # The unit goes into the label, as the figures are shown bare: "Wind speed (mph)".
        units = Counter(_speed_unit(m.group(0)) for m in speeds)
        unit = units.most_common(1)[0][0] if len(units) == 1 else ""
        what = "Wind speed" if common("wind", "gust") else "Speed"
        return f"{what} ({unit})" if unit else what
    phrases = Counter(p for s, q in pairs if (p := _counted_phrase(s.text, q)))
    phrase = phrases.most_common(1)[0][0] if phrases else ""
    if phrase.split(" ")[0].lower() in _DISTANCE_UNITS:
        words = re.findall(r"[A-Za-z]+", " ".join(phrases).lower())
        lengths = {_DISTANCE_UNITS[w] for w in words if w in _DISTANCE_UNITS}
        return f"Distance ({min(lengths)})" if len(lengths) == 1 else "Distance"
    if common("outage", "without"):
        return f"{phrase} without power".capitalize() if phrase else "Without power"
    what = next((v for stem, v in _CASUALTY_WORDS.items() if common(stem)), "")
    head = phrase.split(" ")[0].lower()
    if head in _THINGS or head in _TIME_UNITS:
        what = ""  # "seven villages", "eight years ago": no toll of people
    if what and phrase and not any(phrase.lower().startswith(x) for x in _CASUALTY_WORDS):
        low = phrase.lower()
        if not any(stem in low for stem in ("death", "dead", "fatalit", "casualt")):
            return f"{phrase} {what}".capitalize()
    return _sentence_case(phrase) if phrase else (first.unit.capitalize() or "Figure")


def _sentence_case(phrase: str) -> str:
    """ "AK-47 rifles" stays as written; "elite troops" -> "Elite troops"."""
    first, _, rest = phrase.partition(" ")
    head = first if first.isupper() or any(c.isdigit() for c in first) else first.capitalize()
    return f"{head} {rest.lower()}".strip()


_ESTIMATE_SOURCE = re.compile(
    r"\b(?:said|says|say|estimated|estimates?|claimed|claims?|put|puts|gave|gives|counted|"
    r"reported|according to|by (?:its|their|the) (?:own )?(?:count|estimate))\b",
    re.IGNORECASE,
)


def _competing(s: StorySentence) -> bool:
    """Two figures for one thing in one sentence, set against each other (see below)."""
    if len(s.numbers) < 2 or not _competing_estimates(s.text):
        return False
    return any(
        not a.nouns or not b.nouns or set(a.nouns) & set(b.nouns)
        for i, a in enumerate(s.numbers)
        for b in s.numbers[i + 1 :]
        if a.pct == b.pct and a.currency == b.currency
    )


def _competing_estimates(text: str) -> bool:
    """A sentence giving two sources' figures for one thing: two attributions, or estimates
    said to vary ("police said about 1,200 took part, while the union claimed 1,400")."""
    if re.search(r"\bestimates?\b[^.]{0,40}\b(?:varied|vary|differ|differed)\b", text, re.I):
        return True
    # "an estimated 1,239,359 customers" is a hedge, not a second source
    told = _ESTIMATE_SOURCE.findall(re.sub(r"\b(?:an|the)\s+estimated\b", "", text, flags=re.I))
    return len(told) >= 2 and bool(
        re.search(r"\b(?:while|whereas|but|against|compared with)\b|;", text)
    )


class _Figures:
    """The figures each outlet and each sentence states, indexed for the pairwise checks."""

    def __init__(self, by_source: Mapping[str, set[float]], stated: Sequence[set[float]]):
        self.by_source = by_source
        self._outlets: dict[float, set[str]] = {}
        for source, values in by_source.items():
            for v in values:
                self._outlets.setdefault(v, set()).add(source)
        pairs = sorted((v, k) for k, st in enumerate(stated) for v in st)
        self._values = [v for v, _ in pairs]
        self._sentences = [k for _, k in pairs]
        self._near: dict[float, list[tuple[int, float]]] = {}
        self._pairs: dict[tuple[float, ...], bool] = {}

    def one_outlet_states(self, a: float, b: float) -> bool:
        """Whether one outlet's report gives both figures (exactly as written)."""
        return bool(self._outlets.get(a, set()) & self._outlets.get(b, set()))

    def _stated_near(self, v: float) -> list[tuple[int, float]]:
        """(sentence, figure) for every figure a sentence states within rounding of `v`."""
        if v not in self._near:
            lo = bisect_left(self._values, 0.995 * v)
            hi = bisect_right(self._values, v / 0.995)
            self._near[v] = [
                (self._sentences[i], x)
                for i in range(lo, hi)
                if abs((x := self._values[i]) - v) <= 0.005 * max(x, v)
            ]
        return self._near[v]

    def side_by_side(self, *values: float) -> bool:
        """Whether one sentence states two of these figures as separate ones, rounded or not:
        "produced 362,615, delivered 336,681" makes 336,000 and 362,615 two quantities."""
        key = tuple(sorted(set(values)))
        if key not in self._pairs:
            hits: dict[int, set[float]] = {}
            for v in key:
                for k, x in self._stated_near(v):
                    hits.setdefault(k, set()).add(x)
            self._pairs[key] = any(len(xs) > 1 for xs in hits.values())
        return self._pairs[key]


_NEVER = datetime.max.replace(tzinfo=UTC)


def _when(lst: list[tuple[StorySentence, Quantity]]) -> datetime | None:
    ts = [s.published for s, _ in lst if s.published is not None]
    return min(ts) if ts else None


_AGE_AFTER = re.compile(r"(?:-|\s)years?(?:-|\s)old\b", re.IGNORECASE)
_NAME = r"[A-Z][\w'’.-]*"
_NAMES_AFTER = re.compile(r"(?:-|\s)years?(?:-|\s)old\s+((?:" + _NAME + r"\s*){1,4})")
_NAMES_BEFORE = re.compile(r"((?:" + _NAME + r"\s+){0,2}" + _NAME + r"),\s*(?:(?:a|an|the)\s+)?$")
_AVERAGED = re.compile(r"\baverag\w*\b[^.;]{0,25}$|\bon average\b[^.;]{0,15}$", re.IGNORECASE)


# Each figure is weighed against many others: what it counts is read once.
_counted = lru_cache(maxsize=8192)(counted_words)


def _counts_people(q: Quantity) -> bool:
    """The figure names people as what it counts ("three people", "11,000 troops")."""
    return bool(q.nouns) and names_people(q.nouns[0])


# Things a story counts that are never people (a closed list: occupations and the like are
# endless, and "2,100 nurses" may well be the "2,600 people" of another outlet).
_THINGS = frozenset(
    ["villages", "homes", "houses", "buildings", "structures", "vehicles", "cars", "trucks",
     "boats", "ships", "vessels", "planes", "schools", "shops", "stores", "businesses", "towns",
     "cities", "districts", "provinces", "countries", "rifles", "weapons", "guns", "tanks",
     "rockets", "missiles", "drones", "bombs", "shells", "rounds", "bridges", "roads",
     "churches", "mosques", "hospitals", "farms", "tents", "acres", "apartments", "flats"]
)  # fmt: skip


@lru_cache(maxsize=4096)
def _counts_things(text: str, q: Quantity) -> bool:
    """The figure counts things that are never people: "seven villages", "40 homes"."""
    phrase = _counted_phrase(text, q).split()
    return bool(phrase) and phrase[0] in _THINGS and not _counts_people(q)


# A figure for one place: "363,000 in South Carolina", "734,000 homes in Georgia", "35 miles
# south-southwest of Clemson".
_PLACE_AFTER = re.compile(
    r"(?:\s+[a-z][\w-]*){0,3}\s+in\s+((?:[A-Z][\w.'’-]*\s?){1,3})"
    # a distance from a place: "35 miles south-southwest of Clemson"
    r"|\s*(?:miles?|km|kilomet(?:er|re)s?|met(?:er|re)s?)\s+(?:[a-z-]+\s+)?(?:of|from)\s+"
    r"((?:[A-Z][\w.'’-]*\s?){1,3})"
)


@lru_cache(maxsize=4096)
def _place_of(text: str, q: Quantity) -> str:
    m = _PLACE_AFTER.match(text, q.start + len(q.text))
    return (m.group(1) or m.group(2)).strip().rstrip(".") if m else ""


@lru_cache(maxsize=4096)
def _years(text: str) -> frozenset[str]:
    return frozenset(written_years(text))


@lru_cache(maxsize=4096)
def _age_holder(text: str, q: Quantity) -> frozenset[str] | None:
    """Whose age a figure gives ("Jonathan Carrasquillo, 24," or "17-year-old Kristian"), as
    the names next to it; empty when nobody is named; None when the figure is no age."""
    end = q.start + len(q.text)
    after = text[end : end + 40]
    before = text[max(0, q.start - 60) : q.start]
    if _AGE_AFTER.match(after):
        named = _NAMES_AFTER.match(after)
        if named is None:
            named = _NAMES_BEFORE.search(before)  # "Lopez, a 20-year-old"
        return frozenset(named.group(1).lower().split()) if named else frozenset()
    if re.match(r"\s*[,)]", after) and (named := _NAMES_BEFORE.search(before)):
        return frozenset(named.group(1).lower().split())  # "Jonathan Carrasquillo, 24,"
    return None


@lru_cache(maxsize=4096)
def _averaged(text: str, q: Quantity) -> bool:
    """A figure given as an average ("averaged a team-high 22.8 points")."""
    return bool(_AVERAGED.search(text[max(0, q.start - 40) : q.start]))


def _same_quantity(
    s1: StorySentence,
    q1: Quantity,
    s2: StorySentence,
    q2: Quantity,
    figures: _Figures,
) -> bool:
    """Whether two figures from different outlets measure the same thing.

    Same kind of number, a shared counted noun, a plausible ratio and similar sentences; small
    numbers ("20 hours", "three sets") need closer sentences, as they count many things.
    """
    if s1.source == s2.source or q1.pct != q2.pct or q1.currency != q2.currency:
        return False
    low, high = sorted((q1.value, q2.value))
    if low > 0 and high - low > 2 and high / low > 2.6:
        return False  # too far apart to be one figure (checked again below, precisely)
    if q1.part != q2.part:
        return False  # "29 of the engines" vs "its 33 engines": a part and the whole
    stated_by = figures.by_source
    if q1.value != q2.value and {q1.value, q2.value} <= stated_by.get(s1.source, set()):
        return False  # this outlet itself reports both: two different moments or things
    if q1.value != q2.value and {q1.value, q2.value} <= stated_by.get(s2.source, set()):
        return False
    if (
        q1.value != q2.value
        and not q1.pct
        and not set(q1.nouns) & set(q2.nouns) & _RISING
        and figures.one_outlet_states(q1.value, q2.value)
    ):
        return False  # a third outlet reports both: two different things (or moments)
    if q1.value != q2.value and figures.side_by_side(q1.value, q2.value):
        return False  # one sentence states both: "produced 362,615, delivered 336,681"
    y1, y2 = _years(s1.text), _years(s2.text)
    if y1 and y2 and not y1 & y2:
        return False  # "433,371 in Q1 2024" vs "362,615 in Q1 2025": two periods
    age1, age2 = _age_holder(s1.text, q1), _age_holder(s2.text, q2)
    if (age1 is None) != (age2 is None) or (age1 and age2 and not age1 & age2):
        return False  # "Carrasquillo, 24," and "17-year-old Kristian": two people's ages
    if age1 is not None:
        # One person's age told two ways ("Jeffs, 55," / "the 54-year-old Jeffs"); years
        # further apart are two people (of one name: a father and his son). An age that names
        # nobody ("a 21-year-old") is someone's named elsewhere only in a close restatement.
        close = abs(q1.value - q2.value) <= 2
        return close and (bool(age1 and age2) or similarity(s1.tokens, s2.tokens) >= W_UNNAMED_AGE)
    if measure_of(q1) != measure_of(q2):
        return False  # "a 7.62mm rifle" counts no rifles; "40 km" is not "25 miles"
    place1, place2 = _place_of(s1.text, q1), _place_of(s2.text, q2)
    if place1 and place2 and place1 != place2:
        return False  # "363,000 in South Carolina" is not "465,783 in North Carolina"
    if (_counts_people(q1) and _counts_things(s2.text, q2)) or (
        _counts_people(q2) and _counts_things(s1.text, q1)
    ):
        return False  # "three people killed" is not "seven villages flattened"
    shared_nouns = set(q1.nouns) & set(q2.nouns)
    shared_ctx = _counted(q1) & _counted(q2)  # "1,400 people" and "1,200 dockworkers"
    if not shared_ctx or q1.value == 0 or q2.value == 0:
        return False
    ratio = max(q1.value, q2.value) / min(q1.value, q2.value)
    tolls = bool(shared_nouns & _RISING)
    # "shares rose 5%" / "the stock was up about 2%": one share move, however worded
    moves = q1.pct and (
        len(set(q1.before) & set(q2.before)) >= 2 or ("share" in q1.before and "share" in q2.before)
    )
    if ratio > (2.6 if tolls or moves else 1.6):
        return False
    counts_people = "#people" in _counted(q1) | _counted(q2) or tolls
    if counts_people and not q1.pct and any(q.value % 1 for q in (q1, q2)):
        return False  # people come whole: "7.6" beside "eight people killed" is a magnitude
    if _averaged(s1.text, q1) != _averaged(s2.text, q2):
        return False  # "averaged 22.8 points" is not the "24 points" of one game
    sim = similarity(s1.tokens, s2.tokens)
    if q1.currency and not {t for t in shared_ctx if not t.startswith(q1.currency)}:
        # "$11 billion in assets" vs "$10 billion in missing deposits": two sums of money
        # share only their unit; only a close restatement makes them one amount.
        return sim >= 0.3
    if moves and sim >= (0.05 if len(set(q1.before) & set(q2.before)) >= 2 else 0.15):
        return True  # "shares rose 5%" / "shares rose about 2 percent"
    if shared_nouns and shared_nouns <= GENERIC_UNITS and ratio > 1.25:
        return sim >= 0.35  # miles, hours, years measure many things in one story
    if shared_nouns and ratio <= 1.25 and sim >= 0.05:
        return True  # "20 months" vs "nearly 22 months": one figure, told two ways
    shared = {t for t in s1.tokens & s2.tokens if not t[0].isdigit()}
    small = max(q1.value, q2.value) < 100 and not q1.pct
    need = 0.3 if small and not tolls else 0.2
    return len(shared) >= 3 and sim >= need


# Clock times this close, in similar sentences, are one moment told differently (6:03 vs 6:04
# p.m.); further apart they are most often two moments of one story (liftoff, then loss).
CLOCK_SLACK_MINUTES = 15
# An age that names nobody ("a 21-year-old") is one named elsewhere only in sentences this close.
W_UNNAMED_AGE = 0.35
_FUTURE_TENSE = re.compile(r"\b(?:will|would|is due|are due|is set to|plans? to|is expected to)\b")
# "state media reported Monday": the day of the report, not of the event.
_REPORTED = re.compile(r"\b(?:reported|said|announced|told|confirmed|stated)\s+(?:on\s+)?$")
_CLOCK = re.compile(
    r"\b(?P<h>[0-2]?\d)(?::(?P<m>[0-5]\d))?\s*(?P<ap>a\.m\.|p\.m\.|am\b|pm\b)"
    r"(?:\s*\(?(?P<tz>(?-i:[A-Z]{2,4}))\b\)?)?",
    re.IGNORECASE,
)


def _clock_times(text: str) -> list[tuple[int, str]]:
    """Clock times as minutes after midnight, with the text as written."""
    out: list[tuple[int, str]] = []
    for m in _CLOCK.finditer(text):
        h = int(m.group("h")) % 12
        if m.group("ap").lower().startswith("p"):
            h += 12
        out.append((h * 60 + int(m.group("m") or 0), m.group(0).strip()))
    return out


def time_and_date_conflicts(sents: list[StorySentence]) -> list[Disagreement]:
    """The same moment given different clock times or different dates by different outlets."""
    timed = [(s, _clock_times(s.text)) for s in sents]
    timed = [(s, t) for s, t in timed if t]
    dated = [
        (
            s,
            [
                d
                for d in s.dates
                if d.resolved
                and d.form in ("date", "weekday")
                and not _REPORTED.search(s.text[max(0, d.start - 30) : d.start])
            ],
        )
        for s in sents
    ]
    # Only sentences with one date at all: with two, which one is the event's is a guess.
    dated = [(s, d) for s, d in dated if len(d) == 1 and len(s.dates) == 1]
    ahead = {id(s) for s, _ in dated if _FUTURE_TENSE.search(s.text)}
    pairs: list[tuple[str, str, StorySentence, str, StorySentence]] = []
    for i, (a, ta) in enumerate(timed):
        for b, tb in timed[i + 1 :]:
            if a.source == b.source or {x[0] for x in ta} & {y[0] for y in tb}:
                continue
            close = [
                (abs(x[0] - y[0]), x, y)
                for x in ta
                for y in tb
                if abs(x[0] - y[0]) <= CLOCK_SLACK_MINUTES
            ]
            if close and similarity(a.tokens, b.tokens) >= 0.12:
                _, x, y = min(close)
                pairs.append(("Time", x[1], a, y[1], b))
    for i, (a, da) in enumerate(dated):
        for b, db in dated[i + 1 :]:
            day_a, day_b = da[0].resolved, db[0].resolved
            if a.source == b.source or day_a is None or day_b is None or day_a == day_b:
                continue
            # The same day of the same month in another year is one date misdated (a typo or
            # a wrong year); any other pair must be close restatements to be one moment.
            if (day_a.month, day_a.day) == (day_b.month, day_b.day):
                need = 0.15
            elif (
                max(a.pos, b.pos) <= 1
                and abs((day_a - day_b).days) <= 2
                and not _published_apart(a, b)
            ):
                need = 0.15  # two leads of one day's reports dating the event a day apart
            elif id(a) in ahead or id(b) in ahead:
                continue  # "will meet on Thursday" is another moment than the event's
            else:
                need = 0.55
            if similarity(a.tokens, b.tokens) >= need:
                pairs.append(("Date", da[0].display, a, db[0].display, b))
    return _merge_pairs(pairs)


def _published_apart(a: StorySentence, b: StorySentence) -> bool:
    """Published (or datelined) on different days: each lead dates its own day's news
    (Sunday's quake, Monday's aftershocks), so leads a day apart are not a conflict."""
    return a.day is not None and b.day is not None and a.day != b.day


def _merge_pairs(
    pairs: list[tuple[str, str, StorySentence, str, StorySentence]],
) -> list[Disagreement]:
    """Pairwise conflicts that share a sentence become one disagreement listing every version."""
    groups: list[tuple[str, dict[str, list[StorySentence]], set[int]]] = []
    for label, va, a, vb, b in pairs:
        home = next((g for g in groups if g[0] == label and (id(a) in g[2] or id(b) in g[2])), None)
        if home is None:
            home = (label, {}, set())
            groups.append(home)
        for v, sent in ((va, a), (vb, b)):
            if id(sent) not in home[2]:
                home[2].add(id(sent))
                key = re.sub(r"[\s.()]", "", v.lower())
                shown = next((k for k in home[1] if re.sub(r"[\s.()]", "", k.lower()) == key), v)
                home[1].setdefault(shown, []).append(sent)
    out: list[Disagreement] = []
    for label, versions, _ in groups:
        parts = [f"{v} ({outlet_names(ss)})" for v, ss in versions.items()]
        ids = tuple(dict.fromkeys(x.article_id for ss in versions.values() for x in ss))
        out.append(Disagreement(f"{label}: " + " vs ".join(parts), ids))
    return out


def outlet_names(sents: Sequence[StorySentence]) -> str:
    """`outlet, outlet`: who said it, by the names readers know (the articles themselves are
    the disagreement's `article_ids`; an id can be a whole URL)."""
    return ", ".join(dict.fromkeys(x.outlet or x.source for x in sents))


_ROUGH = frozenset(["about", "around", "approximately", "roughly", "some", "an estimated"])
ROUNDED_ALIKE_SHARE = 0.025


def _rounded_alike(a: Sequence[Quantity], b: Sequence[Quantity]) -> bool:
    """One figure given roughly by every outlet giving it ("some 1.2 million") and the other
    exactly by every outlet: the exact one, rounded as the rough one is written, is it."""
    for rough, exact in ((a, b), (b, a)):
        if any(q.hedge not in _ROUGH for q in rough) or any(q.hedge for q in exact):
            continue
        value = rough[0].value
        step = 1.0
        while value > 0 and value % (step * 10) == 0:
            step *= 10
        close = abs(exact[0].value - value) <= ROUNDED_ALIKE_SHARE * value  # 35 is no "about 40"
        if step >= 10 and close and round(exact[0].value / step) * step == value:
            return True
    return False


def _inline(q: Quantity) -> str:
    """A figure as written, for the middle of a line: "Some 1,400" opened its sentence,
    "some 1,400" is how it reads after a label."""
    return q.text[0].lower() + q.text[1:] if q.hedge else q.text
