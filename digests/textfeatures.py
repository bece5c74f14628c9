"""Cheap text features for story clustering: weighted terms, names, numbers and dates.

Everything here is a pure function of one article, so the clusterer stays deterministic.
Names ("entities-lite") are capitalised words that are not stop words: they carry most of
what tells two look-alike events apart (which leader, which visitor, which storm), so they
get a higher weight than ordinary words. Specific numbers (336,681; $3,499) and calendar dates
(06-29) become features of their own, so two reports sharing them score higher.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from digests.kernels import (
    CAPITALISED,
    NUMBER,
    WORD,
    DateGroups,
    TokenInfo,
    add_tokens,
    boost_names,
    find_dates,
    find_weekdays,
    lower_all,
    sublinear,
    tokenize,
)
from digests.models import Article

# Word weights: why a word is in an article matters as much as how often.
TITLE_WEIGHT = 3.0  # a headline states the event
LEAD_WEIGHT = 1.5  # news is written as an inverted pyramid
LEAD_TOKENS = 60
NAME_BOOST = 3.0  # capitalised, non-stop word: a person, place or organisation
NUMBER_WEIGHT = 1.5
DATE_WEIGHT = 2.0
MAX_BODY_TOKENS = 500  # the rest of a long article rarely changes which event it reports
MAX_BODY_CHARS = 4000  # about MAX_BODY_TOKENS words
DATELINE_CHARS = 400  # a date written this early is the report's own date, not background

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_FUTURE = re.compile(
    r"\b(?:will|would|(?:is|are) (?:due|set|scheduled|expected) to|plans? to|to (?:meet|resume|"
    r"hold|begin|start|vote|sit))\b"
)
# Words just before a date that make it another moment than the report's own: a date set
# ahead ("sentencing was set for March 28, 2024") or one looked back to ("had flown on
# January 16, 2025"). Such a date cannot stand in for a missing dateline.
_NOT_THE_DAY = re.compile(
    r"\b(?:will|would|set|scheduled|slated|due|expected|planned|until|till|since|previously|"
    r"earlier|before|after|had|from|by|deadline|ago)\b[^.;!?\n]{0,30}$",
    re.IGNORECASE,
)
# Which instance of a recurring event a report is about: Flight 9 or Flight 10, Q1 or Q2 results,
# Game 6 or Game 7. Look-alike events of one series differ in little else.
_ORDINAL_WORDS: tuple[str, ...] = (
    *("first", "second", "third", "fourth", "fifth", "sixth"),
    *("seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth"),
)
_ORDINALS = "|".join(_ORDINAL_WORDS)
# Found around each series noun: "Flight 9" after it, "ninth" (and for flights up to two words
# such as "demonstration" or "Starship test") before it; "Q2" on its own.
_NUMBER_AFTER = re.compile(r"\s+(\d{1,3})(?![\d,.:/\u2013-]*\d)")
_ORDINAL_BEFORE = re.compile(rf"\b({_ORDINALS}|\d{{1,2}}(?:st|nd|rd|th))[- ]$", re.IGNORECASE)
_ORDINAL_BEFORE_FLIGHT = re.compile(
    rf"\b({_ORDINALS}|\d{{1,2}}(?:st|nd|rd|th))[- ]"
    r"(?:(?:[A-Z]\w+|test|demonstration|orbital|integrated|crewed|uncrewed)[- ]){0,2}$",
    re.IGNORECASE,
)
_QUARTER_CODE = re.compile(r"\bQ([1-4])\b")
_NUMBERED = ("flight", "game", "stage", "leg", "episode")  # "Flight 9"
_ORDINAL_NOUNS = ("quarter", "flight", "launch", "game", "leg", "episode")  # "ninth flight"
# An ordinal quarter is a reporting period only with a year or a figure it reports on ("the
# fourth quarter" of a basketball game is not).
_PERIOD_CONTEXT = re.compile(
    r"(?:-|\s)?(?:\s*of)?(?:\s*(?:fiscal|financial))?\s*(?:20\d\d|results?|earnings|profits?|"
    r"revenues?|sales|deliveries|loss|losses|output|production|growth|GDP)\b",
    re.IGNORECASE,
)
_PERIOD_BEFORE = re.compile(
    r"\b(?:results?|earnings|profits?|revenues?|sales|deliveries|delivered|loss|output|produced|"
    r"production|growth|GDP)\b[^.;!?\n]{0,25}$",
    re.IGNORECASE,
)
_SERIES_OF = {"launch": "flight"}
# Series nouns (term keys): most leads have none, and then the text is never scanned.
_SERIAL_HINTS = ("flight", "game", "stage", "leg", "episode", "quarter", "launch")
# How far a story of a recurring kind has got, as its lead tells it: the verdict and the
# sentencing of one case, a product unveiled and the same product on sale, are two events. Each
# domain's steps in order; a lead's key is the furthest step it reports as done.
_STAGES: tuple[tuple[str, tuple[str, ...], tuple[tuple[int, tuple[str, ...]], ...]], ...] = (
    (
        "case",
        ("guilty", "convicted", "acquitted", "verdict", "sentenced", "jailed"),  # term keys
        (
            (1, ("guilty", "convicted", "acquitted", "verdict")),
            (2, ("sentenced", "jailed for")),
        ),
    ),
    (
        "product",
        ("unveiled", "unveil", "showed", "sale", "store", "shelve", "lined"),
        (
            (1, ("unveiled", "unveils", "showed off")),
            (2, ("went on sale", "goes on sale", "hit stores", "hit shelves", "lined up")),
        ),
    ),
)
# ...and a step still to come is not done: "faces up to 110 years", "will be sentenced".
_NOT_DONE = re.compile(
    r"\b(?:will|would|could|may|might|can|faces?|facing|expected|set|plans?|likely|before|until|"
    r"if|whether|when|not|never|to be)\b[^.;!?\n]{0,25}$",
    re.IGNORECASE,
)
_SCALED = re.compile(r"\b(\d+(?:[.,]\d+)?)\s*(million|billion|trillion|bn)\b", re.IGNORECASE)
_SCALES = {"mi": 1e6, "bi": 1e9, "bn": 1e9, "tr": 1e12}
LEAD_CHARS = 400
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# Function words and news boilerplate: they say nothing about which event this is.
_STOP_TEXT = """
a about above after again against ago all almost also although always am among an and another
any anyone are around as at away back be became because become been before being below between
both but by can could did do does doing done down during each either else even ever every few
for from further had has have having he her here hers herself him himself his how however i if
in into is it its itself just least less like likely made make many may me might more most much
must my myself near nearly neither never new next no nor not now of off often on once one only
or other others our ours ourselves out over own per perhaps quite rather really same several
shall she should since so some still such than that the their theirs them themselves then there
these they this those though through thus to too toward towards under until up upon us very via
was we well were what whatever when where whether which while who whom whose why will with
within without would yet you your yours yourself yourselves said says say saying told tell
according reported reports report reporting added adding also including include includes
included news today yesterday tomorrow week weeks month months year years day days time times
just like get got go going goes went come came comes take took made make makes making see seen
seeing use used using want wants know known think people mr mrs ms dr st per cent percent via
http https www com html htm amp nbsp photo image read more advertisement share click subscribe
newsletter copyright rights reserved monday tuesday wednesday thursday friday saturday sunday
january february march april june july august september october november december jan feb mar
apr jun jul aug sep sept oct nov dec first second third two three four five six seven eight
nine ten last
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())


@dataclass(frozen=True)
class TextFeatures:
    """One article reduced to what clustering needs.

    `terms` maps a feature to its raw (pre-IDF) weight: plain words, `#number`, `@MM-DD` dates.
    `names` holds the display form of capitalised words, for evidence shown to users.
    `dates` are full calendar dates the text mentions (year taken from `published` when absent).
    `dated` is `published`, or else the first date written with its year (a dateline
    stand-in: good to tell 2008 from 2012, not a day from the next).
    `lead_names` are the names (keys) in the headline and lead; `figures` and `lead_figures`
    the event-specific numbers (see `_figure`) in the whole text and in headline and lead.
    `long` is true for a full report (a body past the lead), not a headline or a teaser.
    """

    terms: dict[str, float]
    names: dict[str, str]
    dates: frozenset[date]
    numbers: frozenset[str]
    published: datetime | None
    dated: datetime | None = None
    lead_names: frozenset[str] = frozenset()
    figures: frozenset[float] = frozenset()
    lead_figures: frozenset[float] = frozenset()
    long: bool = False
    serials: frozenset[str] = frozenset()  # instance keys in headline and lead: "flight:9"
    told_doy: int | None = None  # undated: day of the year of the date its lead gives, if any


def stem(word: str) -> str:
    """A light, predictable plural/possessive fold: `minister's`/`ministers` -> `minister`."""
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    n = len(word)
    if n > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if n > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "'s")):
        return word[:-1]
    return word


def _number_feature(tok: str) -> str | None:
    """Specific numbers (and years) identify an event; one- and two-digit counts do not."""
    digits = tok.replace(",", "")
    if "." in digits:
        head = digits.split(".")[0]
        return "#" + digits if len(head) >= 1 and len(digits) >= 3 else None
    if len(digits) < 3:
        return None
    return "#" + digits


def _resolve(year: int | None, month: int, day: int, ref: datetime | None) -> date | None:
    if not 1 <= day <= 31:
        return None
    if year is None:
        if ref is None:
            return None
        year = ref.year
        try:
            d = date(year, month, day)
        except ValueError:
            return None
        # "December 30" read on 2 January means last year.
        if (d - ref.date()).days > 45:
            d = date(year - 1, month, day)
        return d
    try:
        return date(year, month, day)
    except ValueError:
        return None


def extract_dates(text: str, published: datetime | None) -> tuple[set[str], set[date], date | None]:
    """Dates the text mentions: `@MM-DD` features, full dates (year from `published` when
    the text omits it), and the first date written with its year (a dateline stand-in)."""
    feats: set[str] = set()
    full: set[date] = set()
    first: tuple[int, date] | None = None
    for start, groups in find_dates(text):
        y, mo, d = _ymd(groups)
        if not 1 <= d <= 31:
            continue
        feats.add(f"@{mo:02d}-{d:02d}")
        resolved = _resolve(y, mo, d, published)
        if resolved is None:
            continue
        full.add(resolved)
        early = (
            y is not None
            and start < DATELINE_CHARS
            and not _NOT_THE_DAY.search(text, max(0, start - 40), start)
        )
        if early and (first is None or start < first[0]):
            first = (start, resolved)
    if published is not None and "day" in text:  # every weekday name ends in "day"
        for start, name in find_weekdays(text):
            wd = _WEEKDAYS.index(name.lower())
            if _FUTURE.search(text, max(0, start - 40), start):
                # "talks will resume on Thursday": the coming one, not the last
                seen = published.date() + timedelta(days=(wd - published.weekday()) % 7)
            else:
                back = (published.weekday() - wd) % 7
                seen = published.date() - timedelta(days=back)
            feats.add(f"@{seen.month:02d}-{seen.day:02d}")
            full.add(seen)
    return feats, full, first[1] if first is not None else None


def serials(text: str, words: Container[str] | None = None) -> frozenset[str]:
    """Instance and stage keys a text names ("flight:9", "quarter:2", "case:2").

    `words`: the article's term keys, if known. Most leads name no series or stage, and a
    look-up there rules that out at no cost; then phrases are found with str.find, which costs a
    fraction of a regex scan.
    Without them, the lower-cased text is searched."""
    if words is None:
        words = text.lower()  # a substring test stands in for a word look-up
    if not any(map(words.__contains__, _ANY_HINT)) and "Q" not in text and "#" not in text:
        return _NONE
    found: set[str] = set()
    low = text.lower()
    if "#" in text:
        # "Frontier Diary #7", "Issue #12": a numbered instance of whatever series names it
        found.update(
            f"{m.group(1).lower()}#:{int(m.group(2))}" for m in _HASH_NUMBER.finditer(text)
        )
    _add_serials(text, low, words, found)
    for domain, hints, steps in _STAGES:
        if not any(map(words.__contains__, hints)):
            continue
        reached = 0
        for step, phrases in steps:
            if any(_done(text, low, phrase) for phrase in phrases):
                reached = step
        if reached:
            found.add(f"{domain}:{reached}")
    return frozenset(found)


def _done(text: str, low: str, phrase: str) -> bool:
    """`phrase` stands in `text` as words (a plural too), and not as a step still to come."""
    at = low.find(phrase)
    while at >= 0:
        end = at + len(phrase)
        if end < len(low) and low[end] == "s":
            end += 1
        if (
            (at == 0 or not low[at - 1].isalnum())
            and (end == len(low) or not low[end].isalnum())
            and not _NOT_DONE.search(text, max(0, at - 30), at)
        ):
            return True
        at = low.find(phrase, at + 1)
    return False


_HASH_NUMBER = re.compile(r"\b([A-Z][A-Za-z'’-]+)\s+#(\d{1,4})\b")
_ANY_HINT = (*_SERIAL_HINTS, *(hint for _, hints, _ in _STAGES for hint in hints))
_NONE: frozenset[str] = frozenset()


def _add_serials(text: str, low: str, words: Container[str], found: set[str]) -> None:
    if "Q" in text:
        found.update("quarter:" + m.group(1) for m in _QUARTER_CODE.finditer(text))
    named = [noun for noun in _SERIAL_HINTS if noun in words]
    if not named:
        return
    for noun in named:
        at = low.find(noun)
        while at >= 0:
            end = at + len(noun)
            if (at == 0 or not low[at - 1].isalnum()) and (
                end == len(low) or not low[end].isalnum()
            ):
                _add_serial(text, noun, at, end, found)
            at = low.find(noun, end)


def _add_serial(text: str, noun: str, at: int, end: int, found: set[str]) -> None:
    """The instance key of the series noun at text[at:end], if a number or ordinal names it."""
    if noun in _NUMBERED:
        m = _NUMBER_AFTER.match(text, end, end + 12)
        if m:
            found.add(f"{noun}:{int(m.group(1))}")
            return
    if noun not in _ORDINAL_NOUNS:
        return
    pattern = _ORDINAL_BEFORE_FLIGHT if noun in ("flight", "launch") else _ORDINAL_BEFORE
    m = pattern.search(text, max(0, at - 45), at)
    if not m:
        return
    word = m.group(1).lower()
    num = _ORDINAL_WORDS.index(word) + 1 if word in _ORDINAL_WORDS else int(word[:-2])
    if noun == "quarter" and (
        num > 4
        or not (
            _PERIOD_CONTEXT.match(text, end, end + 40)
            or _PERIOD_BEFORE.search(text, max(0, m.start() - 40), m.start())
        )
    ):
        return
    found.add(_SERIES_OF.get(noun, noun) + ":" + str(num))


def told_day_of_year(text: str) -> int | None:
    """Day of the year (1-366) of the first date the text gives as its own, with or without a
    year: an undated report of "May 27" is not about an event of August 26, whatever year."""
    for start, groups in find_dates(text):
        _, mo, d = _ymd(groups)
        if _NOT_THE_DAY.search(text, max(0, start - 40), start):
            continue
        try:
            return day_of_year(mo, d)
        except ValueError:
            continue
    return None


_DAYS_BEFORE = (0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335)  # a leap year's
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def day_of_year(month: int, day: int) -> int:
    """1-366 on a leap-year calendar, so one calendar day has one number in any year."""
    if not (1 <= month <= 12 and 1 <= day <= _MONTH_DAYS[month - 1]):
        raise ValueError(f"no such day: {month}-{day}")
    return _DAYS_BEFORE[month - 1] + day


def _ymd(groups: DateGroups) -> tuple[int | None, int, int]:
    # Groups in pattern order: md_m md_d md_y, dm_d dm_m dm_y, iso_y iso_m iso_d.
    md_m, md_d, md_y, dm_d, dm_m, dm_y, iso_y, iso_m, iso_d = groups
    if md_m:
        return (int(md_y) if md_y else None), _MONTHS[md_m[:3].lower()], int(md_d)
    if dm_m:
        return (int(dm_y) if dm_y else None), _MONTHS[dm_m[:3].lower()], int(dm_d)
    return int(iso_y), int(iso_m), int(iso_d)


def extract(article: Article) -> TextFeatures:
    """Weighted features of an article (title, lead and body weighted differently)."""
    return extract_with_tokens(article)[0]


# What `term_keys` already read of an article, for `extract` to reuse: the article, its
# title's tokens, its text's tokens (None unless the whole text was read) and its dates
# (None unless read from exactly the text `extract` reads them from).
Preread = tuple[
    Article,
    list[str],
    list[str] | None,
    tuple[set[str], set[date], date | None] | None,
]


def extract_with_tokens(
    article: Article, pre: Preread | None = None
) -> tuple[TextFeatures, list[str] | None]:
    """`extract`, and `article.text`'s word tokens as `tokens_for_shingles` reads them (not
    lower-cased) when they came for free (None when the body is not the whole text).
    `pre` is what `term_keys_preread` read of this article, if anything."""
    if pre is not None and pre[0] is not article:
        pre = None
    terms: dict[str, float] = {}
    caps: dict[str, float] = {}
    lower_seen: set[str] = set()
    names: dict[str, str] = {}
    numbers: set[str] = set()
    title = article.title.strip()
    body = article.text
    # Many bodies repeat the headline; don't count it twice.
    if title and body.startswith(title):
        body = body[len(title) :]
    tally = (_TOKEN_MEMO, _learn, terms, caps, lower_seen, names, numbers)  # for add_tokens
    # The title's tokens do not depend on surrounding spaces.
    title_tokens = pre[1] if pre is not None else tokenize(title)
    add_tokens(title_tokens, TITLE_WEIGHT, TITLE_WEIGHT * NUMBER_WEIGHT, *tally)
    if pre is not None and pre[2] is not None and body is article.text:
        tokens = pre[2]
    else:
        tokens = tokenize(body)
    text_tokens = tokens if body is article.text else None
    if len(tokens) > MAX_BODY_TOKENS:
        tokens = tokens[:MAX_BODY_TOKENS]
    lead_weight = LEAD_WEIGHT if title else TITLE_WEIGHT  # no headline: the lead stands in
    add_tokens(tokens[:LEAD_TOKENS], lead_weight, lead_weight * NUMBER_WEIGHT, *tally)
    lead_keys = set(names)  # names in the headline and lead: who and where the story is
    lead_numbers = set(numbers)
    add_tokens(tokens[LEAD_TOKENS:], 1.0, NUMBER_WEIGHT, *tally)
    # A capitalised word is a name only if the text never uses it in lower case
    # ("Shares rose" opens a sentence; "shares" elsewhere gives it away).
    boost_names(terms, caps, lower_seen, names, NAME_BOOST - 1.0)
    head = title + "\n" + body[:4000]
    if pre is not None and pre[3] is not None and title == article.title and body is article.text:
        date_feats, full_dates, first_full = pre[3]  # read from this same `head`
    else:
        date_feats, full_dates, first_full = extract_dates(head, article.published)
    for f in date_feats:
        terms[f] = DATE_WEIGHT
    dated = article.published
    if dated is None and first_full is not None:
        dated = datetime(first_full.year, first_full.month, first_full.day, 12, tzinfo=UTC)
    # Sublinear tf: the tenth mention of a word adds little.
    out = sublinear(terms)
    lead_names = frozenset([k for k in lead_keys if k in names])
    scaled, scaled_lead = _scaled_figures(head, len(title) + 1 + LEAD_CHARS)
    figure = _FIGURES.__getitem__  # `_figure`, memoised
    figures = frozenset({v for v in map(figure, numbers) if v is not None} | scaled)
    lead_figures = frozenset({v for v in map(figure, lead_numbers) if v is not None} | scaled_lead)
    feats = TextFeatures(
        out,
        names,
        frozenset(full_dates),
        frozenset(numbers),
        article.published,
        dated,
        lead_names,
        figures,
        lead_figures,
        len(tokens) > LEAD_TOKENS,
        serials(head[: len(title) + 1 + LEAD_CHARS], out),
        told_day_of_year(head[: len(title) + 1 + DATELINE_CHARS]) if dated is None else None,
    )
    return feats, text_tokens


def term_keys(article: Article) -> set[str]:
    """The features of an article without weights: what IDF counts. A cheaper pass than
    `extract` (no weights, names or figures)."""
    return term_keys_preread(article)[0]


def term_keys_preread(article: Article) -> tuple[set[str], Preread]:
    """`term_keys`, and what it read that `extract_with_tokens` can reuse (`pre`)."""
    text = article.title + "\n" + article.text[:MAX_BODY_CHARS]
    dates = extract_dates(text, article.published)
    # No token spans the newline: the title's tokens, then the text's.
    title_tokens = tokenize(article.title)
    whole = len(article.text) <= MAX_BODY_CHARS
    # Kept until the article is placed: shared (interned) strings keep that small.
    text_tokens = tokenize(article.text[:MAX_BODY_CHARS], whole)
    kept = text_tokens if whole else None
    pre: Preread = (article, title_tokens, kept, dates)
    tokens = title_tokens + (kept or text_tokens)
    key_of = _KEY_MEMO
    try:
        found = set(map(key_of.__getitem__, tokens))
    except KeyError:
        for tok in set(tokens).difference(key_of):
            _learn(tok)
        found = set(map(key_of.__getitem__, tokens))
    keys = set(filter(None, found))
    keys.update(dates[0])
    return keys, pre


def _figure(feature: str) -> float | None:
    """A figure specific to one event: 1,000 or more and not a year (336,681 deliveries,
    a 69 billion deal is written 69 and is left out)."""
    try:
        value = float(feature[1:])
    except ValueError:
        return None
    if value < 1000 or (value.is_integer() and 1900 <= value <= 2100):
        return None
    return value


class _Figures(dict[str, float | None]):
    """Number feature -> `_figure`, memoised: the same figures recur across reports of one
    event, and parsing one costs more than looking it up."""

    def __missing__(self, feature: str) -> float | None:
        if len(self) > 100_000:
            self.clear()
        value = self[feature] = _figure(feature)
        return value


_FIGURES = _Figures()


def _scaled_figures(text: str, lead_end: int) -> tuple[set[float], set[float]]:
    """ "812 million", "$69 billion": amounts written with a scale word (all of them, and
    those before `lead_end`). One scan, skipped when no scale word occurs."""
    found: set[float] = set()
    lead: set[float] = set()
    low = text.lower()
    if "illion" not in low and "bn" not in low:
        return found, lead
    for m in _SCALED.finditer(text):
        try:
            value = float(m.group(1).replace(",", "")) * _SCALES[m.group(2).lower()[:2]]
        except ValueError:
            continue
        found.add(value)
        if m.start() < lead_end:
            lead.add(value)
    return found, lead


def _rounding_unit(value: float) -> float:
    """10 ** (place of the last non-zero digit) of a whole figure: 384,000 -> 1,000."""
    if not float(value).is_integer() or value == 0:
        return 1.0
    n, unit = int(abs(value)), 1.0
    while n % 10 == 0:
        n //= 10
        unit *= 10.0
    return unit


def same_figure(a: float, b: float) -> bool:
    """One figure is the other as written or rounded to the rounder one's last digit ("about
    384,000" and 384,122; "$69 billion" and 68.7 billion), and within 5%: 384,122 and 386,810
    are two figures however close, and "1,000" is not 1,400."""
    gap = abs(a - b)
    if gap > 0.05 * max(abs(a), abs(b)):  # most pairs: no need to read their digits
        return False
    return gap <= max(_rounding_unit(a), _rounding_unit(b)) / 2.0


def figures_match(a: float, b: float) -> bool:
    """Same figure up to rounding ("about 384,000" vs 384,122)."""
    return abs(a - b) <= 0.01 * max(a, b)


# What a token counts as (kernels.WORD, CAPITALISED, NUMBER): a plain word, a capitalised
# word (a name, unless the text also uses it in lower case) or a specific number.
# token -> (feature key, kind, display form) or None (stop words, short numbers), and token ->
# feature key or None: bounded memos, since the same words recur in every article.
_TOKEN_MEMO: dict[str, TokenInfo] = {}
_KEY_MEMO: dict[str, str | None] = {}
_MEMO_SIZE = 300_000
# Lower-cased word -> its `stem`, or None for a stop word: what near-copy detection compares
# (digests.dedup fills and bounds it; `_learn` adds the stems it finds anyway).
LOWER_STEMS: dict[str, str | None] = {}


def _classify(tok: str) -> TokenInfo:
    if tok[0].isdigit():
        f = _number_feature(tok)
        return None if f is None else (f, NUMBER, tok)
    low = tok.lower()
    if low in STOP_WORDS or len(low) < 2:
        return None
    return stem(low), CAPITALISED if tok[0].isupper() else WORD, _display(tok)


def _learn(tok: str) -> TokenInfo:
    """Classify a token seen for the first time, into both memos (cleared together)."""
    if len(_TOKEN_MEMO) > _MEMO_SIZE:
        _TOKEN_MEMO.clear()
        _KEY_MEMO.clear()
    info = _TOKEN_MEMO[tok] = _classify(tok)
    _KEY_MEMO[tok] = info[0] if info is not None else None
    # Near-copy detection reads the same token lower-cased (`LOWER_STEMS`): a token new here
    # is new there too, and a word's stem is known now.
    if len(LOWER_STEMS) > _MEMO_SIZE:
        LOWER_STEMS.clear()
    low = tok.lower()
    if low in STOP_WORDS:
        LOWER_STEMS[low] = None
    else:
        LOWER_STEMS[low] = info[0] if info is not None and info[1] != NUMBER else stem(low)
    return info


def _display(tok: str) -> str:
    if tok.endswith(("'s", "’s")):
        return tok[:-2]
    return tok


def tokens_for_shingles(text: str) -> list[str]:
    """Lower-cased word tokens, punctuation dropped: what near-copy detection compares."""
    return lower_all(tokenize(text))
