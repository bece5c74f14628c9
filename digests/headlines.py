"""A story's headline: the clearest title its outlets gave it.

A good headline is informative, of medium length and worded like the other sources' titles;
it is never a wire slug, an "UPDATE 1-" or "LIVE:" label, or the outlet's own name. A short
title ("DNA as Code") stands when no longer one does; only when no article has a usable title
does the lead sentence most like the others' leads stand in, shortened where a phrase ends
rather than mid-thought.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from digests.models import Article
from digests.sentences import FINITE, article_sentences, ends_with_abbrev, sentence_key
from digests.tokens import content_tokens, similarity

_TITLE_PREFIX = re.compile(
    r"^(?:(?:UPDATE|REFILE|CORRECTED|EXCLUSIVE|BREAKING|WRAPUP|ANALYSIS|LIVE|WATCH|VIDEO|"
    r"FACTBOX|RPT|INSIGHT)(?:\s*\d+)?\s*[-:–—|]\s*)+",
    re.IGNORECASE,
)
_TITLE_SUFFIX = re.compile(r"\s+(?:\||-|–|—|::)\s+([^|\-–—]{2,40})$")


def clean_title(title: str, source: str = "") -> str:
    """A title without wire prefixes ("UPDATE 1-") or an outlet suffix (" | Outlet")."""
    t = " ".join(title.split())
    t = _TITLE_PREFIX.sub("", t)
    t = re.sub(r"^live(?: updates?)?\s*[:|-]\s*", "", t, flags=re.IGNORECASE)
    t = re.sub(r"[:|-]\s*live(?: updates?)?$", "", t, flags=re.IGNORECASE).strip()
    t = re.sub(r"^[A-Z][a-z]{2,8}\.? \d{1,2},? \d{4}\s*[:|-]\s*", "", t)  # "March 28 2024: "
    t = re.sub(r"\s+\(\d\)$", "", t)  # a wire's update count: "... Japan Bankruptcy (2)"
    for _ in range(2):
        m = _TITLE_SUFFIX.search(t)
        if not m:
            break
        tail = m.group(1).strip()
        host = re.sub(r"^www\.|\.[a-z.]+$", "", source.lower())
        tail_key = re.sub(r"\W", "", tail.lower())
        looks_outlet = (
            len(tail.split()) <= 4
            and (tail[:1].isupper() or "." in tail)
            and (
                (host and (host in tail_key or tail_key in host.replace("-", "")))
                or "." in tail
                or len(tail.split()) <= 3
            )
        )
        if looks_outlet and len(t[: m.start()].split()) >= 3:
            t = t[: m.start()].strip()
        else:
            break
    return t


# A page's time stamp passed off as a title: "Last Updated: Monday, 28 November 2005, 02:24 GMT".
_STAMP_TEXT = (
    "posted updated last published modified at on am pm a m p gmt utc et edt est bst ist cet th"
    " st nd rd jan feb mar apr jun jul aug sep sept oct nov dec january february march april may"
    " june july august september october november december monday tuesday wednesday thursday"
    " friday saturday sunday"
)
_STAMP_WORDS = frozenset(_STAMP_TEXT.split())


def usable_title(t: str, source: str, min_words: int = 4) -> bool:
    """Whether a cleaned title can stand as a headline: news words, not a slug or a stamp."""
    words = t.split()
    if len(words) < min_words:
        return False
    if len([w for w in re.findall(r"[A-Za-z]+", t) if w.lower() not in _STAMP_WORDS]) < 2:
        return False  # a date and time, not news
    letters = [c for c in t if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) / len(letters) > 0.8:
        return False  # all caps or a wire slug
    if re.search(r"\w/\w|^[A-Z0-9-]+$", t) and len(words) < 6:
        return False
    return sentence_key(t) != sentence_key(source)


def _stand_in_title(title: str, text: str) -> bool:
    """A title made from the article's own first sentence (what ingest gives a record that
    has none): it reads as a sentence or is cut short, and the text opens with it."""
    t = title.strip()
    if not t.endswith((".", "…")):
        return False
    # Ingest passes over a timestamp or label line before the prose.
    return "\n" + t.rstrip("…").rstrip() in "\n" + text.lstrip()[:1500]


def choose_headline(articles: Sequence[Article]) -> str:
    """The clearest title: informative, medium length, and worded like the other sources."""
    cands: list[tuple[str, str]] = []
    stand_ins: list[tuple[str, str]] = []
    short: list[str] = []
    for a in articles:
        if a.title:
            t = clean_title(a.title, a.source)
            if _stand_in_title(a.title, a.text):
                # Made at ingest from the first sentence, cut by length: make it again, cut
                # where a phrase ends.
                lead = next(iter(article_sentences(a)), "")
                stub = t.rstrip("…").strip()
                t = _shorten(lead if lead and lead[:30] in stub else stub, _HEADLINE_WORDS)
                if usable_title(t, a.source):
                    stand_ins.append((t, a.source))
                continue
            first = _first_sentence(t)
            if first != t and len(first.split()) >= 5:
                t = first  # "Storm rips off roof. Look at the damage": keep the news part
            if usable_title(t, a.source):
                # A live blog's title describes one moment of a moving story.
                cands.append((t, "live" if re.search(r"\blive\b", a.title, re.I) else a.source))
            elif usable_title(t, a.source, _SHORT_TITLE_WORDS):
                short.append(t)
    # An outlet's own headline beats one made from an article's first sentence; it is worded
    # like the other reports' titles, made ones included ("Tara Reid Finally Checks Into
    # Rehab", not "Oh, it's been so long since we were on the rehab beat!").
    others = [set(content_tokens(t)) for t, _ in stand_ins] if cands else []
    made = not cands  # headlines made from first sentences, cut where a phrase ends
    cands = cands or stand_ins
    if cands:
        toks = [set(content_tokens(t)) for t, _ in cands]
        best, best_score = cands[0][0], -1e9
        for i, (t, _src) in enumerate(cands):
            agree = sum(
                len(toks[i] & other) / (len(toks[i] | other) or 1)
                for j, other in enumerate(toks + others)
                if j != i
            )
            n = len(t.split())
            length = -abs(n - 11) * 0.08
            live = -0.5 if _src == "live" or t.endswith("?") else 0.0
            # "With India's probe landed on the Moon": the clause before the news, cut off.
            lean = -1.0 if _SUBORDINATE.match(t) else 0.0
            if made and not FINITE.search(t):
                # "The Apple Vision Pro, the company's first foray": cut before its verb
                lean -= 1.0
            score = agree + length + live + lean + 0.03 * len(toks[i])
            if score > best_score:
                best, best_score = t, score
        return best
    if short:
        # "DNA as Code" is what its outlet called it; a blog's opening line ("Over the holidays
        # I was chatting with my brother") is no headline. One word ("Moving") says too little.
        return max(short, key=lambda t: (short.count(t), len(t.split())))
    # No usable title: the lead sentence most like the other articles' leads, shortened.
    leads = [sents[0] for a in articles if (sents := article_sentences(a))]
    if not leads:
        return ""
    lead_toks = [frozenset(content_tokens(x)) for x in leads]
    heads = [_shorten(x, _HEADLINE_WORDS) for x in leads]
    best_i = max(
        range(len(leads)),
        key=lambda i: (
            # a lead cut before its verb says what, not what happened
            bool(FINITE.search(heads[i])),
            sum(similarity(lead_toks[i], lead_toks[j]) for j in range(len(leads)) if j != i),
            -i,
        ),
    )
    return heads[best_i]


def _first_sentence(title: str) -> str:
    """A title up to its first full stop that ends a sentence: "after Nov. 8 quake" goes on."""
    for m in re.finditer(r"\. ", title):
        if not ends_with_abbrev(title[: m.start() + 1]):
            return title[: m.start()]
    return title


# A sentence-opening adverbial a headline does without: "On August 23, 2023, ISRO landed ..."
_LEAD_ADVERBIAL = re.compile(
    r"^(?:(?:On|In|By|At|Early|Late|Earlier|Later|Last|This)\b[^,;:\"“]{1,40}(?:,\s*\d{4})?"
    r"|(?:Today|Yesterday|Tonight|Meanwhile|Overnight))\s*,\s+(?=[A-Z\"“‘']|(?:the|an?)\s)"
)
# A headline that opens with a subordinate clause leans on a main clause it does not have.
_SUBORDINATE = re.compile(
    r"(?:With|After|As|While|Although|Though|Despite|Upon|Following|Since|Because|If|When)\s",
)
# Only a time goes: "In Harlow, police ..." keeps its place.
_WHEN_WORDS = re.compile(
    r"\d|\b(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|January|February|March|April|May|June|"
    r"July|August|September|October|November|December|today|yesterday|tonight|morning|"
    r"afternoon|evening|night|week|weekend|month|year|meanwhile|overnight|earlier|later)\b",
    re.IGNORECASE,
)
# Words a headline may stop before: the phrase ahead is whole ("... beat Daniil Medvedev |
# in a gruelling five-set final").
_PHRASE_START = frozenset((
    "in", "on", "at", "during", "after", "before", "amid", "with", "as", "while", "when",
    "following", "since", "despite", "which", "who", "where", "that", "because", "for", "from",
    "over", "into", "near",
))  # fmt: skip
_NO_END = frozenset((
    "a", "an", "the", "of", "to", "and", "or", "but", "by", "for", "with", "his", "her", "its",
    "their", "our", "this", "that", "these", "those", "is", "was", "are", "were", "be", "been",
    "has", "have", "had", "will", "would", "could", "should", "may", "might", "not", "very",
))  # fmt: skip
_HEADLINE_MIN_WORDS = 6
# "Name, a description of up to ten words, verb ...": the description between the commas.
# It opens as a description does: "the company's first ...", "a former ...", "Valdoria's ...".
_APPOSITIVE = re.compile(
    r"((?:[A-Z][\w'’.-]*\s+){0,4}[A-Z][\w'’.-]*),\s+"
    r"(?:(?:the|a|an|its|his|her|their)\s|[A-Z]?[\w.-]+['’]s\s)[^,]{3,80}?,\s+(?=[a-z])"
)
_SHORT_TITLE_WORDS = 2
_HEADLINE_WORDS = 16
_HEADLINE_SLACK = 6  # a lead this much longer stays whole rather than lose its verb


def _shorten(sentence: str, max_words: int) -> str:
    """A headline from a lead sentence: without its opening adverbial ("On Sunday, ...") and,
    when still too long, cut where a phrase ends; an ellipsis only when none does."""
    body = sentence.strip().rstrip(".")
    opening = _LEAD_ADVERBIAL.match(body)
    trimmed = body[opening.end() :] if opening else body
    if (
        opening
        and _WHEN_WORDS.search(opening.group(0))
        and len(trimmed.split()) >= _HEADLINE_MIN_WORDS
    ):
        body = trimmed[:1].upper() + trimmed[1:]
    words = body.split()
    if len(words) <= max_words:
        return " ".join(words)
    # An aside in brackets ("(what they prefer to call spatial computing)") is the first
    # thing a headline drops.
    body = re.sub(r"\s*\((?:[^()\s]+\s+){3,}[^()]{0,60}\)", "", body)  # "(Flight 9)" stays
    words = body.split()
    if len(words) <= max_words:
        return " ".join(words)
    # So is an appositive after the subject: "Sennet Telecom, Valdoria's largest mobile
    # operator, said ..." is "Sennet Telecom said ...".
    aside = _APPOSITIVE.match(body)
    if aside:
        body = f"{aside.group(1)} {body[aside.end() :]}"
        words = body.split()
        if len(words) <= max_words:
            return " ".join(words)
    for keep in range(max_words, _HEADLINE_MIN_WORDS - 1, -1):
        last, nxt = words[keep - 1], words[keep]
        clause_end = last.endswith((",", ";", ":"))
        if last.endswith("ing") and words[keep - 2].endswith(","):
            continue  # "... the hard way, coming": the clause before the comma is whole
        if clause_end or (
            nxt.lower() in _PHRASE_START and last.lower().strip("\"“”'’") not in _NO_END
        ):
            head = " ".join(words[:keep]).rstrip(",;:")
            if head.count("(") == head.count(")") and head.count('"') % 2 == 0:
                if not FINITE.search(head) and len(words) <= max_words + _HEADLINE_SLACK:
                    break  # "The Apple Vision Pro, the company's first foray": no news yet
                return head
    if len(words) <= max_words + _HEADLINE_SLACK:
        return " ".join(words)
    return " ".join(words[:max_words]).rstrip(",;:") + "…"


__all__ = ["choose_headline", "clean_title"]
