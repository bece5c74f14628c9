"""Date mentions in news text, resolved against the article's own date.

News copy says "on Sunday" or "last June" and relies on the dateline for the rest. A digest read
days later needs the absolute date, but only when it can be worked out: with no known year we say
"(year not stated)" instead of guessing one.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from digests.models import Article
from digests.verbs import IRREGULAR_PASTS

logger = logging.getLogger(__name__)

MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
MONTH_NAMES = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_MON = (
    r"(?P<mon>January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_MON2 = _MON.replace("?P<mon>", "?P<mon2>")
_MON3 = _MON.replace("?P<mon>", "?P<mon3>")
_WD = r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"

_DATE_RE = re.compile(
    r"(?P<iso>\b(?P<iy>(?:19|20)\d\d)-(?P<im>[01]\d)-(?P<id>[0-3]\d)\b)"
    rf"|(?P<md>\b{_MON}\s+(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+(?P<y1>(?:19|20)\d\d)\b)?)"
    rf"|(?P<dm>\b(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\s+{_MON2}(?:,?\s+(?P<y2>(?:19|20)\d\d)\b)?)"
    rf"|(?P<rm>\b(?P<rel>last|next|this)\s+{_MON3}\b(?!\s+\d))"
    rf"|(?P<wdm>\b(?:(?P<wrel>last|next|this|on|late|early)\s+)?{_WD}"
    r"(?:\s+(?:night|morning|evening|afternoon))?\b)"
    r"|(?P<dy>\b(?i:yesterday|today|tonight|tomorrow(?![’']s)|this (?:morning|afternoon|evening)"
    r"|last night|(?:two|three|four|five|six|[2-6]) days ago)\b)"
)
# Days counted from the day an article speaks from: "yesterday", "last night", "tomorrow".
_DAY_SHIFT = {"yesterday": -1, "last": -1, "tomorrow": 1}
_DAYS_AGO = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "2": 2, "3": 3, "4": 4,
             "5": 5, "6": 6}  # fmt: skip
_MONTH_LAST_YEAR = re.compile(
    r"\b(?:in\s+)?(?P<mon>January|February|March|April|May|June|July|August|September|"
    r"October|November|December)\s+last\s+year\b"
)
_DATELINE_DATE = re.compile(
    rf"{_MON}\s+(?P<d>[0-3]?\d)(?:,?\s+(?P<y>(?:19|20)\d\d))?", re.IGNORECASE
)
_LEADING_DATELINE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Za-z .'-]{1,40}?)[,.]\s+"
    rf"(?P<date>{_MON}\s+[0-3]?\d(?:,?\s+(?:19|20)\d\d)?)\s*"
    r"\((?P<agency>[A-Za-z][A-Za-z .&-]{0,30})\)\s*[-–—]*\s*"
)
_FUTURE = re.compile(r"\b(?:will|would|is due|are due|is set to|plans? to|is expected to)\b")
# What was decided or hoped for is still ahead of it: "agreed to meet on Sunday".
_INTENT = re.compile(
    r"\b(?:expects?|expected|hopes?|hoped|aims?|aimed|intends?|intended|wants?|wanted|agreed|"
    r"decided|voted|promised|vowed|pledged|threatened|planned|plans?)\s+to\b",
    re.IGNORECASE,
)
# A past verb a few words before a weekday ("smashed into the lunar surface on Saturday"),
# unless a future marker follows it ("said talks will resume on Saturday").
_PAST_BEFORE = re.compile(
    r"\b(?:said|told|announced|reported|confirmed|met|signed|agreed|was|were|\w+ed|"
    + "|".join(sorted(IRREGULAR_PASTS))
    + r")(?P<rest>(?:\s+[\w'’-]+){0,8})\s+(?:on\s+|early\s+|late\s+|last\s+)?$",
    re.IGNORECASE,
)
# What is planned for a day is still to come: "scheduled for Saturday", "postponed to Friday".
_PROSPECTIVE = re.compile(
    r"\b(?:scheduled|planned|slated|due|set|expected|postponed|rescheduled|delayed|moved)\b"
    r"(?:\s+[\w'’-]+){0,3}\s+$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class RefDate:
    """The day an article speaks from; `year` is None when no source states it."""

    month: int
    day: int
    year: int | None = None

    def as_date(self) -> date | None:
        if self.year is None:
            return None
        try:
            return date(self.year, self.month, self.day)
        except ValueError:
            return None


@dataclass(frozen=True)
class DateMention:
    """One date expression found in a sentence and what it resolves to.

    `resolved` is set only when the day (and year) is certain; `month_day` is set when the
    day of the month is known but the year is not.
    """

    start: int
    end: int
    text: str
    relative: bool
    resolved: date | None = None
    month_day: tuple[int, int] | None = None
    month_only: tuple[int, int | None] | None = None
    form: str = "date"  # date | weekday | month | day

    @property
    def display(self) -> str:
        """How the resolution reads, e.g. "June 29, 2025" or "June 29 (year not stated)"."""
        if self.resolved is not None:
            return fmt_date(self.resolved)
        if self.month_day is not None:
            m, d = self.month_day
            return f"{MONTH_NAMES[m]} {d} (year not stated)"
        if self.month_only is not None:
            m, y = self.month_only
            return f"{MONTH_NAMES[m]} {y}" if y else f"{MONTH_NAMES[m]} (year not stated)"
        return self.text

    @property
    def note(self) -> str | None:
        """What to add after the mention in parentheses; None when nothing is worth adding."""
        if not self.relative:
            return None
        if self.form == "date":
            if self.resolved is not None:
                return str(self.resolved.year)  # "June 29 (2025)": only the year was missing
            return "year not stated" if self.month_day else None
        if self.form == "month" and (self.month_only is None or self.month_only[1] is None):
            return None  # "last June" cannot be made clearer without a year
        shown = self.display
        return None if shown == self.text else shown


def fmt_date(d: date) -> str:
    return f"{MONTH_NAMES[d.month]} {d.day}, {d.year}"


def parse_dateline_date(text: str | None) -> tuple[int, int, int | None] | None:
    """Month, day and (maybe) year from a dateline's date text such as "June 30"."""
    if not text:
        return None
    m = _DATELINE_DATE.search(text)
    if not m:
        return None
    mon = MONTHS.get(m.group("mon").lower().rstrip("."))
    if mon is None:
        return None
    year = int(m.group("y")) if m.group("y") else None
    return mon, int(m.group("d")), year


def split_leading_dateline(text: str) -> tuple[tuple[str, str, str] | None, str]:
    """Find a `SEOUL, June 30 (AJP) -` opening; returns ((place, date, agency), rest)."""
    m = _LEADING_DATELINE.match(text)
    if not m:
        return None, text
    return (m.group("place").strip(), m.group("date"), m.group("agency").strip()), text[m.end() :]


def _closest_year(month: int, day: int, around: date) -> int:
    """The year that puts month/day nearest to `around` (a December story read in January)."""
    best = around.year
    best_gap = 10**6
    for y in (around.year - 1, around.year, around.year + 1):
        try:
            gap = abs((date(y, month, day) - around).days)
        except ValueError:
            continue
        if gap < best_gap:
            best, best_gap = y, gap
    return best


def reference_date(article: Article, year_hint: date | None = None) -> RefDate | None:
    """The date an article speaks from: its dateline, else its publication date.

    A dateline without a year takes the year of the publication date (or of `year_hint`, a date
    of another article in the same story) when that is within 45 days; otherwise the year stays
    unknown.
    """
    published: date | None = None
    if isinstance(article.published, datetime):
        published = article.published.date()
    dl_text = article.dateline.date_text if article.dateline else None
    if not dl_text:
        found, _ = split_leading_dateline(article.text.lstrip()[:120])
        dl_text = found[1] if found else None
    parsed = parse_dateline_date(dl_text)
    if parsed is not None:
        mon, day, year = parsed
        if year is None:
            for anchor in (published, year_hint):
                if anchor is None:
                    continue
                y = _closest_year(mon, day, anchor)
                try:
                    if abs((date(y, mon, day) - anchor).days) <= 45:
                        year = y
                        break
                except ValueError:
                    continue
        return RefDate(mon, day, year)
    if published is not None:
        return RefDate(published.month, published.day, published.year)
    return None


def find_dates(
    sentence: str, ref: RefDate | None, year_hint: date | None = None
) -> list[DateMention]:
    """Every date expression in `sentence`, resolved against `ref` where that is certain.

    `year_hint` (a date of another article in the same story) gives a bare "May 27" its year
    when the article itself has no date, provided the day lies within 45 days of the hint.
    """
    out: list[DateMention] = []
    ref_day = ref.as_date() if ref else None
    future = bool(_FUTURE.search(sentence))
    taken: list[tuple[int, int]] = []
    for m in _MONTH_LAST_YEAR.finditer(sentence):
        mon = MONTHS[m.group("mon").lower()]
        year = ref.year - 1 if ref and ref.year else None
        out.append(
            DateMention(m.start(), m.end(), m.group(0), True, month_only=(mon, year), form="month")
        )
        taken.append((m.start(), m.end()))
    for m in _DATE_RE.finditer(sentence):
        if any(s <= m.start() < e for s, e in taken):
            continue
        out.append(_mention(m, ref, ref_day, future, sentence, year_hint))
    out.sort(key=lambda d: d.start)
    return out


def _mention(
    m: re.Match[str],
    ref: RefDate | None,
    ref_day: date | None,
    future: bool,
    sentence: str,
    year_hint: date | None = None,
) -> DateMention:
    text = m.group(0)
    s, e = m.start(), m.end()
    if m.group("iso"):
        try:
            d = date(int(m.group("iy")), int(m.group("im")), int(m.group("id")))
            return DateMention(s, e, text, False, resolved=d)
        except ValueError:
            return DateMention(s, e, text, False)
    if m.group("md") or m.group("dm"):
        mon_s = m.group("mon") or m.group("mon2")
        mon = MONTHS[mon_s.lower().rstrip(".")]
        day = int(m.group("d1") or m.group("d2"))
        y_s = m.group("y1") or m.group("y2")
        if not 1 <= day <= 31:
            return DateMention(s, e, text, False)
        if y_s:
            try:
                return DateMention(s, e, text, False, resolved=date(int(y_s), mon, day))
            except ValueError:
                return DateMention(s, e, text, False)
        # "last June 29" is rare; a bare month-day takes the year nearest the reference date.
        anchor = ref_day or (year_hint if ref is None or ref.year is None else None)
        if anchor is not None:
            try:
                y = _closest_year(mon, day, anchor)
                d = date(y, mon, day)
                if ref_day is not None or abs((d - anchor).days) <= 45:
                    return DateMention(s, e, text, True, resolved=d)
            except ValueError:
                pass
        return DateMention(s, e, text, True, month_day=(mon, day))
    if m.group("rm"):
        mon = MONTHS[m.group("mon3").lower().rstrip(".")]
        rel = m.group("rel").lower()
        year: int | None = None
        if ref is not None and ref.year is not None:
            if rel == "last":
                year = ref.year if mon < ref.month else ref.year - 1
            elif rel == "next":
                year = ref.year if mon > ref.month else ref.year + 1
            else:
                year = ref.year
        return DateMention(s, e, text, True, month_only=(mon, year), form="month")
    if m.group("wdm"):
        wd = WEEKDAYS.index(m.group("wd").lower())
        rel = (m.group("wrel") or "").lower()
        # "Thursday (September 26)" already carries its date.
        if re.match(r"\s*\(?\s*,?\s*" + _MON, sentence[e : e + 16]):
            return DateMention(s, e, text, False, form="weekday")
        if re.search(r"\b(?:a|an|every|each|any|one)\s+$", sentence[max(0, s - 8) : s], re.I):
            return DateMention(s, e, text, False, form="weekday")  # "on a Sunday evening"
        if ref_day is None:
            return DateMention(s, e, text, True, form="weekday")
        ahead = (wd - ref_day.weekday()) % 7
        back = (ref_day.weekday() - wd) % 7
        # The tense next to the weekday decides ("said on Tuesday" is past even in a sentence
        # with "would"); unmarked, the nearer day wins ("talks on Thursday", said on a Monday).
        before = sentence[max(0, s - 60) : s]
        past = _PAST_BEFORE.search(before)
        prospect = bool(_PROSPECTIVE.search(before))
        past_here = (
            past is not None
            and not prospect
            and not _FUTURE.search(past.group("rest"))
            and not _INTENT.search(past.group(0))
        )
        future_here = prospect or (bool(_FUTURE.search(before)) and not past_here)
        if rel == "next" or (rel != "last" and not past_here and (future_here or 0 < ahead < back)):
            delta = ahead or (7 if rel == "next" else 0)
            d = ref_day + timedelta(days=delta)
            return DateMention(s, e, text, True, resolved=d, form="weekday")
        if rel == "last" and back == 0:
            back = 7
        d = ref_day - timedelta(days=back)
        return DateMention(s, e, text, True, resolved=d, form="weekday")
    word = text.lower()
    if ref_day is None or _inside_quote(sentence, s):
        # A speaker's "today" or "tomorrow" is the day they spoke, which the report may not be.
        return DateMention(s, e, text, True, form="day")
    shift = _DAY_SHIFT.get(word.split()[0], 0)
    if word.endswith("days ago"):
        shift = -_DAYS_AGO[word.split()[0]]
    return DateMention(s, e, text, True, resolved=ref_day + timedelta(days=shift), form="day")


def _inside_quote(sentence: str, pos: int) -> bool:
    """Whether `pos` lies inside quotation marks."""
    before = sentence[:pos]
    straight = before.count('"') % 2 == 1
    curly = before.count("“") > before.count("”")
    return straight or curly


def written_years(text: str) -> set[str]:
    """The years a text writes out ("2024"), as written."""
    return set(re.findall(r"\b(?:19|20)\d\d\b", text))


def annotate(sentence: str, mentions: list[DateMention], *, weekdays: bool = False) -> str:
    """The sentence with each relative date followed by its resolution in parentheses.

    Absolute dates are left as written; nothing is added when a mention cannot be resolved.
    With `weekdays`, a resolved date also says its day of the week ("June 19, 2024
    (Wednesday)"), as a reader asks of an event's date, unless the sentence names it already.
    """
    out: list[str] = []
    pos = 0
    for dm in mentions:
        note = dm.note
        if weekdays and dm.form == "date" and dm.resolved is not None:
            day = dm.resolved.strftime("%A")
            if day.lower() not in sentence[max(0, dm.start - 24) : dm.end + 16].lower():
                note = f"{day}, {note}" if note else day
        if note is None or dm.start < pos:
            continue
        if sentence[dm.end : dm.end + 2] == " (" or sentence[dm.start - 1 : dm.start] == "(":
            continue  # the writer already explained it, or this is the explanation
        end = dm.end
        if sentence[end : end + 2] in ("'s", "’s"):
            end += 2  # "Sunday's (November 22) quake", not "Sunday (November 22)'s quake"
        out.append(sentence[pos:end])
        out.append(f" ({note})")
        pos = end
    out.append(sentence[pos:])
    return "".join(out)
