"""A story's articles read as sentences: splitting, page furniture, datelines and clauses.

Facts, answers, headlines and the boilerplate scan all read articles this way, so a sentence
is the same unit everywhere (and `sentence_key` the same key).
"""

from __future__ import annotations

import re

from digests.dates import split_leading_dateline
from digests.entities import TITLE_ABBREVIATIONS
from digests.models import Article
from digests.normalize import strip_template_tags

# Live-blog stamps and stray punctuation at the start of a sentence.
_LEAD_JUNK = re.compile(
    r"^(?:[^\w\"“‘'(]+|(?:last\s+)?updated?:?\s*(?:[A-Z][a-z]{2,8}\.? \d{1,2},?\s*)?"
    r"(?:\d{1,2}:\d\d\s*[ap]\.?m\.?\s*[A-Z]{0,4}\s*)?:\s*|editor'?s note:\s*|breaking:\s*)",
    re.IGNORECASE,
)

# An opening that leans on the sentence before ("It", "However"), which a reader of one fact
# will not see.
VAGUE_START = re.compile(
    r"^(?:It|(?:This|That|These|Those)(?!\s+(?:morning|afternoon|evening|night|week|weekend|"
    r"month|year|spring|summer|autumn|fall|winter|season|time)\b)|He|She|They|His|Her|Their|"
    r"However|But|And|Also|Still|So|Yet|Meanwhile|Then(?!-)|Even so|Nonetheless|Nevertheless)\b"
)


_ABBREV = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "gov",
        "sen",
        "rep",
        "gen",
        "col",
        "lt",
        "sgt",
        "jr",
        "sr",
        "inc",
        "corp",
        "co",
        "ltd",
        "no",
        "vs",
        "etc",
        "fla",
        "calif",
        "ga",
        "ala",
        "tenn",
        "mass",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "a.m",
        "p.m",
        "u.s",
        "u.k",
        "u.n",
        "e.g",
        "i.e",
        "approx",
        "est",
        "dept",
        "univ",
        "ft",
        "mt",
    ]
) | {a.lower() for a in TITLE_ABBREVIATIONS}  # "Msgr. Ivo Kask" goes on


# A sentence may open with a quote, a parenthesis or a bracket ("[In January 2022, ...": an
# editor's insert or a scraper's leftover).
_SPLIT = re.compile(r"(?<=[.!?])([\"”’']?)\s+(?=[\"“'‘(\[]?[A-Z0-9])")


_FURNITURE = re.compile(
    r"^(?:advertisement|related|read more|watch|photo|getty|copyright|all rights|subscribe|"
    r"sign up|share|follow|click|get latest|track the|listen|trending|also read|by\s+[A-Z])",
    re.IGNORECASE,
)


_MONTH_DAY = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?) [0-3]?\d"
)


_DAY_MONTH = (
    r"(?:" + _MONTH_DAY + r"|[0-3]?\d (?:January|February|March|April|May|June|July|August|"
    r"September|October|November|December))(?:,? (?:19|20)\d\d)?"
)


_CAPTION = re.compile(r"\b(?:Photo|Image|Picture) (?:by|credit|:)|\(PHOTO|/EPA|/AFP|/Reuters", re.I)


# Photo captions written as sentences: "A sign ... is seen outside ...", "General view of ...".
_PHOTO = re.compile(
    r"\b(?:is|are) (?:seen|pictured|displayed)\b|^(?:General view|File photo|This (?:handout )?"
    r"(?:photo|image|picture|handout)|(?:A|The) (?:logo|sign)\b[\w ]{0,30}? (?:is|sits|stands|for)\b|"
    r"In this (?:\w+ )?photo)|\bphotograph(?:ed)? (?:released|provided|shows|distributed)|"
    r"\bprovided by\b.*\bshows\b|^[A-Z][a-z]+ [A-Z][a-z]+ / [A-Z]",
)


# A wire caption ends on its place and full date ("... arrives at court in New York, U.S.,
# August 11, 2023."), told in the present tense; a report of the past is news.
_CAPTION_END = re.compile(
    r"(?:(?<![a-z]day),|[A-Z][\w.]*, on) (?:[A-Z][a-z]+day, )?"
    + _MONTH_DAY
    + r", (?:19|20)\d\d\.?$"
)


_PAST = re.compile(r"\b(?:was|were|had|did|said|[a-z]{3,}ed)\b")


# A dateline opening a sentence: "SEOUL:", "MOSCOW/SEOUL -", "CUPERTINO, Calif. (AP) –",
# "Seoul, 19 June 2024 (dpa/MIA) -", "Jan. 26 (UPI) --".
_AGENCY = r"\s*\([^()]{1,24}\)"  # "(AP)", "(dpa/MIA)"


_DASH = r"\.?\s*(?:--|—|–|-)"


_STATE = r"(?:,\s*[A-Z][a-z]{1,5}\.)?"  # ", Calif."


_PLACE = r"[A-Z][a-z]+(?: [A-Z][a-z]+)?"


_DATELINE = re.compile(
    "^(?:"
    + "|".join(
        [
            # "SEOUL:", "MOSCOW/SEOUL -", "CUPERTINO, Calif. (AP) –", "NEW YORK (EFE).—"
            r"[A-Z]{2}[A-Z'-]+(?:[ /][A-Z][A-Z.'-]+)*" + _STATE + rf"(?:,\s*{_DAY_MONTH})?"
            rf"(?:{_AGENCY})?(?:{_DASH}|\s*:)",
            # "Seoul, 19 June 2024 (dpa/MIA) -": a mixed-case place needs an agency or a date
            _PLACE + _STATE + rf"(?:,\s*{_DAY_MONTH})?{_AGENCY}{_DASH}",
            _PLACE + _STATE + rf",\s*{_DAY_MONTH}{_DASH}",
            _DAY_MONTH + _AGENCY + _DASH,  # "Jan. 26 (UPI) --"
        ]
    )
    + r")\s+(?=[\"“‘'A-Z])"
)


# "Melbourne: It was ...": an article's opening may name its place with a colon. Elsewhere
# "Putin: Russia will ..." names a speaker, who must stay.
_OPENING_PLACE = re.compile("^" + _PLACE + r" ?:\s+(?=[A-Z][a-z])")


# Verbs that attribute words to a speaker.
SPEECH_VERBS = frozenset(
    ["said", "says", "told", "tells", "asked", "asks", "added", "wrote", "shouted", "replied",
     "warned", "noted", "explained", "insisted", "declared", "demanded", "cried", "yelled",
     "exclaimed", "wondered", "tweeted", "posted", "recalled", "continued"]
)  # fmt: skip


# A quotation ending in a question or exclamation mark, closing quote included.
_ASKED = re.compile(r"[?!][\"”’']$")


_ASKED_THEN = re.compile(r"[?!][\"”]\s+(?=\S)")


def _attribution_of(quotation: str, after: str) -> bool:
    """Whether `after` only says who spoke the quotation ending `quotation` ("“Who will pay
    for this?” the chairman told the crowd."): it stays with it, as one sentence."""
    return bool(_ASKED.search(quotation)) and _says(after)


def _says(text: str) -> bool:
    """A short attribution: a speech verb within twelve words ("UHW chairman Viktor Salo
    told the crowd.")."""
    words = text.split()
    return len(words) <= 12 and any(w.strip(",.;:!?").lower() in SPEECH_VERBS for w in words)


def _open_quote(text: str) -> bool:
    """Whether a text's quotation marks do not pair up (it ends a quotation begun before)."""
    return text.count('"') % 2 == 1 or text.count("”") > text.count("“")


def _join_quotation(merged: list[str]) -> None:
    """When the last piece ends a question or exclamation quoted over several pieces and
    says who spoke it, join the quotation's earlier pieces to it (up to three): "“Retraining
    for what? For watching robots?” Salo told the crowd." is one sentence."""
    last = merged[-1]
    ends = [m.end() for m in _ASKED_THEN.finditer(last)]
    if not ends or not _open_quote(last) or not _says(last[ends[-1] :]):
        return
    for n in range(2, min(4, len(merged)) + 1):
        joined = " ".join(merged[-n:])
        if not _open_quote(joined):
            merged[-n:] = [joined]
            return


# "majors.The Italian": a lost space between sentences (a lower-case word of three letters
# or more, a full stop, a capitalised word); "U.S.", "St.Louis" and domains do not match.
_GLUED = re.compile(r"(?<=[a-z]{3})\.(?=[A-Z][a-z]+\b)")


def split_sentences(text: str) -> list[str]:
    """Sentences of a text; line breaks always end one, abbreviations ("Gov.", "U.S.") do not."""
    out: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        pieces = _SPLIT.split(_GLUED.sub(". ", line))
        # re.split with a group yields text, closing-quote, text, ...: glue quotes back on.
        buf = ""
        chunks: list[str] = []
        for i, piece in enumerate(pieces):
            if i % 2 == 1:
                buf += piece
                continue
            if buf:
                chunks.append(buf)
            buf = piece
        if buf:
            chunks.append(buf)
        merged: list[str] = []
        for chunk in chunks:
            if merged and (ends_with_abbrev(merged[-1]) or _attribution_of(merged[-1], chunk)):
                merged[-1] = merged[-1] + " " + chunk
            else:
                merged.append(chunk)
            _join_quotation(merged)
        out.extend(c.strip() for c in merged if c.strip())
    return out


def ends_with_abbrev(s: str) -> bool:
    m = re.search(r"(\S+)\.$", s)
    if not m:
        return False
    word = m.group(1).lower().lstrip('("“')
    return word in _ABBREV or len(word) == 1 or bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", word))


# A line's text up to its last sentence end followed by more text: "... 200,000 units. That's".
_COMPLETED = re.compile(r".*[a-z0-9%)][.!?][\"”’')]?(?=\s+\S)")


# A sentence a feed's excerpt cut short ("... and senior ...") states something only if this
# many words came before the cut.
MIN_ELIDED_WORDS = 10
_ELIDED = re.compile(r"(?:\.\.\.|…)\s*$")


def content_sentences(article: Article) -> list[str]:
    """The article's prose sentences, without page furniture, captions, bylines or datelines."""
    title_key = _norm(article.title)
    seen: set[str] = set()
    out: list[str] = []
    for raw in article.text.splitlines():
        line = raw.strip()
        if line.startswith("•"):
            line = line.lstrip("• ")  # a bullet point is prose; a menu of them is too short
        if not line or line.startswith(("http://", "https://")) or _FURNITURE.match(line):
            continue
        _, line = split_leading_dateline(line)
        if "{" in line:
            line = " ".join(strip_template_tags(line).split())
        line = re.sub(r"^[A-Z][A-Z .,'-]{2,40}(?:,\s*[A-Z][a-z.]+)?\s*(?:--|—|–)\s*", "", line)
        if _CAPTION.search(line):
            continue
        words = line.split()
        if len(words) < 25 and not re.search(r"[.!?][\"”’')]?$", line):
            # Headings, navigation and timestamps; but prose cut off mid-sentence (an excerpt
            # ends where it ends) keeps the sentences it completed.
            whole = _COMPLETED.match(line)
            if whole is None or len(whole.group(0).split()) < 8:
                continue
            line = whole.group(0)
        if title_key and _norm(line) == title_key and not line.endswith("."):
            continue  # the headline repeated; a title made from this sentence is no headline
        for s in split_sentences(line):
            s = _DATELINE.sub("", _LEAD_JUNK.sub("", s))
            if s.startswith("[") and "]" not in s:
                s = s[1:].lstrip()  # a bracket opened and never closed: page residue
            if not out:
                s = _OPENING_PLACE.sub("", s)
            key = _norm(s)
            if len(s.split()) < 5 or key in seen or _PHOTO.search(s):
                continue
            if _ELIDED.search(s) and len(s.split()) < MIN_ELIDED_WORDS:
                continue  # "The shares were sold at ...": an excerpt cut before it said anything
            if _CAPTION_END.search(s) and not _PAST.search(s):
                continue
            seen.add(key)
            out.append(s)
    return out


def fact_sentences(article: Article) -> list[str]:
    """The sentences facts and answers are drawn from. A record with no body (a feed item that
    carries only its headline) offers its title: its outlet states that as much as a sentence."""
    texts = content_sentences(article)
    if texts or not article.title.strip():
        return texts
    from digests.headlines import clean_title, usable_title  # headlines reads our sentences

    title = clean_title(article.title, article.source)
    return [title] if usable_title(title, article.source) else []


def _norm(s: str) -> str:
    return re.sub(r"\W+", " ", s.lower()).strip()


def sentence_key(sentence: str) -> str:
    """A sentence's identity across articles: case, punctuation and spacing ignored."""
    return _norm(sentence)


def article_sentences(article: Article) -> list[str]:
    """The prose sentences facts are drawn from (page furniture, captions and datelines
    left out)."""
    return content_sentences(article)


# Where a sentence's main statement ends and an add-on begins (relative, participial, adverbial
# or attribution clause); everything from here on may be dropped.
_CLAUSE_CUT = re.compile(
    r",\s+(?:which|who|whose|while|whereas|as(?!\s+(?:well|of|part|a\s+result|much|many|long))|"
    r"after|following|amid|according\s+to|saying|adding|citing|making|marking|bringing|leaving|"
    r"becoming|prompting|sending|forcing|but|although|though|even\s+as|despite|in\s+a\s+"
    r"(?:statement|post|move|sign)|where|when|with|just|less\s+than|more\s+than|two|three|"
    r"four|days?|weeks?|months?|hours?)\b"
    r"|\s+(?:—|–|--)\s+|;\s+|:\s+(?=[a-z])|\s+and\s+(?:said|says|added|told)\b"
)


# Clauses that are sentences of their own once split off ("...; the booster was lost").
_CLAUSE_TAIL = re.compile(r";\s+|,\s+(?:while|whereas|but)\s+(?=(?:the|a|an|[A-Z])\b)")


# ", who founded FTX," / ", which opened in 2024,": a non-restrictive aside mid-sentence.
_ASIDE = re.compile(
    r",\s+(?:who|which|whose)\s+[^,;:—–\"“”()]{3,90},\s+(?=(?:is|was|are|were|has|have|had|will|"
    r"would|can|could|said|says|met|won|lost|made|took|gave|held|led|became|[a-z]{3,}ed)\b)"
)


_PAREN = re.compile(r"\s*\([^()]{1,60}\)")


# ", the ministry said" / ", officials told reporters" / ", according to state media": generic
# attribution that names nobody; named speakers and sources stay.
ATTRIB_TAIL = re.compile(
    r",\s+(?:(?:the\s+)?[a-z][a-z’' -]{1,40}?\s+(?:said|says|reported|reports|told\s+[a-z ]+|"
    r"announced)(?:\s+(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"today|yesterday))?(?:\s+in\s+a\s+[a-z ]+)?|according\s+to\s+(?:the\s+)?[a-z][a-z ]{2,40})"
    r"\s*[.!]?$"
)

# A finite verb: a clause with none is no statement of its own.
FINITE = re.compile(
    r"\b(?:is|was|are|were|has|have|had|will|would|can|could|did|does|do|may|might|must|"
    r"met|won|lost|said|says|made|took|gave|held|began|left|came|went|got|set|hit|ran|rose|fell|"
    r"sent|told|led|saw|paid|sold|bought|became|struck|brought|kept|spent|grew|drew|flew|"
    r"[a-z]{2,}ed|[a-z]{3,}(?:es|ts|ds|ns|ks|ys|rs|ls|ps))\b"
)


_SUBORDINATE_START = re.compile(
    r"^(?:If|Although|Though|While|When|Whether|Because|Unless|As|After|Before|Since|Once|"
    r"Despite|Even|Whereas|Until|Where|With|Without)\b"
)


_BAD_END = re.compile(
    r"\b(?:the|a|an|of|to|in|on|at|by|for|with|from|and|or|but|that|its|their|his|her|as|than)$",
    re.IGNORECASE,
)


def clauses(sentence: str) -> list[str]:
    """Self-contained, faithful shortenings of a long sentence, each stating one fact.

    The main clause without its add-ons (", which ...", ", while ...", "; ...", attribution
    such as ", the agency said", short parentheticals), and independent clauses split off at
    ";" or ", while". Nothing is reworded: each shortening is the source's own words, in order,
    with only whole clauses left out, so every name, number and counted noun it keeps is stated
    as the source states it. Returns [] when no shortening is safe.
    """
    words = len(sentence.split())
    if words < 14 or sentence.count('"') % 2 or sentence.count("“") != sentence.count("”"):
        return []
    out: list[str] = []
    body = sentence.rstrip().rstrip(".!")
    base = _ASIDE.sub(" ", body)
    base = _PAREN.sub("", base)
    m = _CLAUSE_CUT.search(base)
    head = base[: m.start()] if m else base
    head = ATTRIB_TAIL.sub("", head)
    out.append(head)
    for tm in _CLAUSE_TAIL.finditer(body):
        tail = body[tm.end() :]
        nxt = _CLAUSE_CUT.search(tail)
        tail = ATTRIB_TAIL.sub("", tail[: nxt.start()] if nxt else tail)
        if tail[:1].islower():
            tail = tail[0].upper() + tail[1:]
        if not VAGUE_START.match(tail):
            out.append(tail)
    keep: list[str] = []
    for c in out:
        c = " ".join(c.split()).strip(" ,.;:")
        n = len(c.split())
        if n < 6 or n > words - 3 or _SUBORDINATE_START.match(c) or _BAD_END.search(c):
            continue
        if not FINITE.search(c) or c.count("(") != c.count(")"):
            continue
        if c.count('"') % 2 or c.count("“") != c.count("”"):
            continue
        c += "."
        if c not in keep:
            keep.append(c)
    return keep
