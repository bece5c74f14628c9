"""Who said a quote: the speech verb next to it names the speaker.

The attribution is read where the sentence puts it: the subject of "said" before or after the
quote ("Lavrov said that ...", "..., the commissioner told Peres"), the name after "said"
("..., said Kassie Siegel"), the one an agency "quoted ... as saying", the subject of a
participle that brings it ("Microsoft filed a notice, announcing it has ..."), or "he"/"she"
for the latest person named who can be "he" or "she" (`Recent`). A speaker the sentence names
only by a description ("the Russian leader said") is left unnamed: another name in the
sentence would be a misquote.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping

from digests.entities import ROLE_WORDS, TITLE_ABBREVIATIONS, Entity, EntityIndex, Mention
from digests.sentences import SPEECH_VERBS

QUOTE_RE = re.compile(r"[\"“]([^\"”]{12,}?)[\"”]")
_SPEECH = re.compile(
    r"\b(?P<pron>he|she|they)\s+(?:said|added|told|noted|stressed|warned)\b"
    r"|\b(?:said|added|told|noted)\s+(?P<pron2>he|she)\b",
    re.IGNORECASE,
)


class Recent:
    """The people a report has named so far, latest first, and the sex their titles tell
    ("Ms.", "spokeswoman", "husband"): "she said" is not given to the last man named."""

    def __init__(self, sexes: Mapping[str, str] | None = None) -> None:
        self.names: list[str] = []
        self.sexes = sexes or {}

    def add(self, name: str) -> None:
        if name in self.names:
            self.names.remove(name)
        self.names.insert(0, name)

    def person(self, pronoun: str = "") -> str:
        """The latest person "he"/"she"/"him"/"her" can be: not one known to be of the other
        sex; "" when the last three all are."""
        want = _PRONOUN_SEX.get(pronoun.lower(), "")
        known = [n for n in self.names[:3] if want == "f" and self.sexes.get(n) == "f"]
        if known and self.sexes.get(self.names[0]) is None:
            # "she said" after someone nothing tells of and a woman named before: most people
            # news names without a title are men, so "she" is more likely the woman
            return known[0]
        for name in self.names[:3]:
            if not want or self.sexes.get(name, want) == want:
                return name
        return ""


_PRONOUN_SEX = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f"}
_FEMALE = frozenset(
    [
        "ms",
        "mrs",
        "miss",
        "madam",
        "lady",
        "dame",
        "spokeswoman",
        "chairwoman",
        "congresswoman",
        "councilwoman",
        "businesswoman",
        "policewoman",
        "wife",
        "mother",
        "daughter",
        "sister",
        "queen",
        "princess",
        "actress",
        "grandmother",
        "duchess",
        "widow",
        "girlfriend",
        "aunt",
        "niece",
    ]
)
_MALE = frozenset(
    [
        "mr",
        "msgr",
        "sir",
        "lord",
        "spokesman",
        "chairman",
        "congressman",
        "councilman",
        "businessman",
        "policeman",
        "husband",
        "father",
        "son",
        "brother",
        "king",
        "prince",
        "grandfather",
        "duke",
        "widower",
        "boyfriend",
        "uncle",
        "nephew",
    ]
)


def sexes_of(
    mentions: Iterable[Mention], index: EntityIndex, sentences: Mapping[str, list[Mention]]
) -> dict[str, str]:
    """Each person's sex as the titles and roles before the name tell it ("Ms. Davis",
    "sheriff's spokeswoman Ann Lee"), when they all agree; else as the pronouns of sentences
    naming them alone tell it ("Page said she ..."), by two to one at least; people neither
    tells are left out. `sentences`: each sentence's mentions."""
    votes: dict[str, Counter[str]] = {}
    for mn in mentions:
        e = index.entity(mn.text)
        if e is None or e.kind not in ("person", "other"):
            continue
        words = {w.strip(".,’'").lower() for w in f"{mn.role} {mn.prep}".split()}
        for sex, table in (("f", _FEMALE), ("m", _MALE)):
            if words & table:
                votes.setdefault(e.name, Counter())[sex] += 1
    # Two votes apart leave it open: "Mr. Gray" and "Ms. Gray" are a son and his mother
    # whose surname alone reads as one name.
    out = {name: next(iter(c)) for name, c in votes.items() if len(c) == 1}
    said: dict[str, Counter[str]] = {}
    for text, found in sentences.items():
        named = [
            (mn, e)
            for mn in found
            if (e := index.entity(mn.text)) is not None and e.kind in ("person", "other")
        ]
        people = {e.name for _, e in named}
        if len(people) != 1:
            continue
        # only after the name: "her agent, Mark Roesler, said" tells nothing of Roesler
        after = text[named[0][0].end :]
        pronouns = {_PRONOUN_SEX[w.lower()] for w in _PRONOUNS.findall(after)}
        if len(pronouns) == 1:
            said.setdefault(people.pop(), Counter())[pronouns.pop()] += 1
    for name, c in said.items():
        (sex, n), *rest = c.most_common()
        if name not in votes and n >= 2 and (not rest or n >= 2 * rest[0][1]):
            out[name] = sex
    return out


_PRONOUNS = re.compile(r"\b(?:he|him|his|she|her)\b", re.IGNORECASE)


def quote_of(
    text: str, mentions: list[Mention], index: EntityIndex, recent: Recent | str
) -> tuple[str, str]:
    """The quoted words of a sentence and who said them ("he said" -> the last named person
    who can be "he"). `recent` may be one name, taken whatever the pronoun."""
    if isinstance(recent, str):
        name, recent = recent, Recent()
        if name:
            recent.add(name)
    m = QUOTE_RE.search(text)
    if not m or len(m.group(1).split()) < 6:
        return "", ""
    named = [
        (mn, e)
        for mn in mentions
        if (e := index.entity(mn.text)) is not None
        and not (m.start() < mn.start < m.end())
        and not re.match(r"['’]s\b", text[mn.end : mn.end + 3])  # "Lyubimova's visit"
        and len(e.name) >= 3
        and not re.fullmatch(r"[A-Z.]{1,3}", e.name)
    ]
    said = _attributed(text, m, named, recent, index)
    if said is not None:
        return m.group(1).strip().rstrip(","), said
    speaker = ""
    # No speech verb next to the quote: a person (or organisation) named nearest after it,
    # or else the first named before it.
    talkers = [(mn.start, e.kind == "person", e.name) for mn, e in named if e.kind in _TALKERS]
    after = [x for x in talkers if x[0] >= m.end()]
    before = [x for x in talkers if x[0] < m.start()]
    if after:
        people = [x for x in after if x[1]]
        speaker = (people or after)[0][2]
    elif before:
        # the sentence's subject: "Microsoft filed a notice with the SEC, announcing ..."
        people = [x for x in before if x[1]]
        speaker = (people or before)[0][2]
    elif pron := _SPEECH.search(text):
        speaker = recent.person(pron.group("pron") or pron.group("pron2") or "")
    return m.group(1).strip().rstrip(","), speaker


_TALKERS = ("person", "org")
_SAY = "|".join(sorted(SPEECH_VERBS | {"stated", "announced", "mentions", "mentioned", "remarked"}))
# After the quote: '..., said Kassie Siegel' or '..., the commissioner told Peres' (the subject
# before the verb), '..., the KCNA quoted him as saying'.
_SAID_AFTER = re.compile(
    rf"[\s,.:;!?\"”'’)]*(?:(?P<verb>{_SAY})\s+(?P<obj>.{{1,80}})"
    rf"|(?P<subj>[^,;:\"“”]{{1,80}}?)(?:,(?P<appo>[^;:\"“”]{{1,80}}?),)?"
    rf"\s+(?P<said>{_SAY}|was quoted as saying|quoted)\b"
    rf"(?P<rest>.*))",
    re.IGNORECASE | re.DOTALL,
)
# Before it: 'Lavrov said that North Korea had "reaffirmed ..."', 'He added, "..."'.
_SAID_BEFORE = re.compile(
    rf"(?:^|[.;:!?]\s+|,\s+|\band\s+)(?P<subj>[^,;:.!?\"“”]{{1,80}}?)"
    rf"(?:,(?P<appo>[^,\"“”]{{1,60}}),)?\s+(?:{_SAY})\b[^\"“”]{{0,160}}$",
    re.IGNORECASE | re.DOTALL,
)
# A participle clause that brings the quote: ', announcing it has "...'.
_SAYING = re.compile(
    r",\s+(?:announcing|saying|adding|stating|noting|declaring|writing|warning|insisting|"
    r"claiming|calling\s+it)\b[^\"“”]{0,80}$",
    re.IGNORECASE,
)
_VERB_BEFORE = re.compile(r"\b[a-z]+(?:ed|es)\b|\b(?:is|was|are|were|has|had|met|said)\b")
# A clause ends at punctuation, but not at a title's full stop ("said Rep. Jim McDermott").
_PHRASE_END = re.compile(
    r"[,;:]|" + "".join(rf"(?<!\b{a})" for a in TITLE_ABBREVIATIONS) + r"\.(?:\s|$)"
)
_OF_BODY = re.compile(r"\s+(?:of|at|from|for|with)\s+(?:the\s+)?")
_PREPOSITION = re.compile(r"\s(?:in|at|with|on|of|during|to|after|before|for|from|when)\s")
_PRONOUN = re.compile(r"^(?:he|she)$", re.IGNORECASE)


def _attributed(
    text: str,
    quote: re.Match[str],
    named: list[tuple[Mention, Entity]],
    recent: Recent,
    index: EntityIndex,
) -> str | None:
    """The speaker a speech verb next to the quote names: its subject ("Lavrov said that",
    "..., the commissioner told Peres") or, after "said", its object ("..., said Siegel").
    "He" is the last person named; an unnamed subject ("the Russian leader said") is nobody
    we can name (""), never another name in the sentence. None: no speech verb next to it."""

    def ending(lo: int, hi: int) -> str:
        """The name a subject phrase ends with ("Florida Gov. Ron DeSantis"); "" when it ends
        in a description ("the Russian leader")."""
        while hi > lo and text[hi - 1] in " ,":
            hi -= 1
        inside = [(mn, e.name) for mn, e in named if lo <= mn.start and mn.end <= hi]
        if not inside or inside[-1][0].end != hi:
            return ""
        if len(inside) >= 2 and _OF_BODY.fullmatch(text, inside[-2][0].end, inside[-1][0].start):
            return inside[-2][1]  # "the Rev. Larry Kroon of the Wasilla Bible Church"
        return inside[-1][1]

    def leading(lo: int) -> str:
        """The name an object phrase gives ("said Gartner analyst Tuong Nguyen, ..."): its last
        name before a preposition ("said Capaldi in an interview with Zoe Ball", "said Noah
        Greenwald of the Center"), or after it ("said a spokesperson for Interoute")."""
        stop = _PHRASE_END.search(text[lo : lo + 80])
        hi = lo + (stop.start() if stop else 80)
        prep = _PREPOSITION.search(text, lo, hi)
        inside = [
            (mn.start, e.name)
            for mn, e in named
            if lo <= mn.start < hi and e.name.lower() not in ROLE_WORDS  # "said Secretary of ..."
        ]
        first = [x for x in inside if prep is None or x[0] < prep.start()]
        return (first or inside)[-1][1] if inside else ""

    def subject_of(found: re.Match[str]) -> str:
        """The name a speech verb's subject gives: its own last words ("Florida Gov. Ron
        DeSantis said"), else a name set beside it ("The vice president of the union, Elias
        Vrettakos, told ..."), else the one person its description fits ("the Russian leader
        said" when one Russian president is named in the story)."""
        name = ending(found.start("subj"), found.end("subj"))
        if not name and found.group("appo"):
            name = ending(found.start("appo"), found.end("appo"))
        return name or _described(found.group("subj"), index)

    before = _SAID_BEFORE.search(text, 0, quote.start())
    named_before = subject_of(before) if before else ""
    after = _SAID_AFTER.match(text, quote.end())
    if after:
        if after.group("verb"):
            obj = after.group("obj").split()
            if obj and _PRONOUN.match(obj[0]):
                return named_before or recent.person(obj[0])  # 'Moffat said: "..." he said.'
            return leading(after.start("obj"))
        subj = after.group("subj").strip()
        if after.group("said").lower() == "quoted" and after.group("rest"):
            # "the KCNA quoted him as saying": the one quoted
            rest = after.group("rest").split()
            if rest and rest[0].lower() in ("him", "her"):
                return recent.person(rest[0])
            found = leading(after.start("rest"))
            if found:
                return found
        if _PRONOUN.match(subj):
            return named_before or recent.person(subj)
        return subject_of(after)
    if before:
        subj = before.group("subj").strip()
        last = subj.split()[-1] if subj else ""
        if _PRONOUN.match(last):
            return recent.person(last)
        return named_before
    saying = _SAYING.search(text, 0, quote.start())
    if saying:
        # "Microsoft filed a notice with the SEC, announcing it has "completed ...": the
        # sentence's subject speaks, if a name opens the sentence before any verb.
        verb = _VERB_BEFORE.search(text, 0, saying.start())
        subject = [
            (e.kind == "person", mn.start, e.name)
            for mn, e in named
            if mn.end <= (verb.start() if verb else saying.start())
        ]
        return max(subject)[2] if subject else ""
    return None


# "the Russian leader": a nationality or body, then a title
_DESCRIPTION = re.compile(
    r"\b(?:the|a)\s+((?:[A-Z][\w'’-]+\s+){1,3})(leader|president|premier|prime minister"
    r"|minister|chancellor|king|queen|chief|head|ambassador|spokesman|spokeswoman)\s*$"
)
_HEADS = ("leader", "president", "premier", "prime minister", "chancellor", "king", "queen")


def _described(phrase: str, index: EntityIndex) -> str:
    """The one person whose role fits a description ("the Russian leader": "Russian
    President"); "" when none or several do."""
    m = _DESCRIPTION.search(phrase.strip())
    if m is None:
        return ""
    marks = [w.lower() for w in m.group(1).split()]
    title = m.group(2).lower()
    titles = _HEADS if title == "leader" else (title,)
    fits = [
        e.name
        for e in index.entities
        if e.kind == "person"
        and any(
            all(w in r.lower().split() for w in marks) and any(t in r.lower() for t in titles)
            for r in e.roles
        )
    ]
    return fits[0] if len(fits) == 1 else ""
