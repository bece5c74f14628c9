"""Follow-up questions answered with source sentences, never with invented text.

Question and sentences meet in a small news vocabulary ("struck" is "strike"; "killed", "dead"
and "toll" are all "die"; a "chief executive" is a CEO). An answer must say the question's
point: its predicate ("died" in "how many people died?", not just "people"), else its rarest
word, and most of what else it asks beyond the story's topic. Those answers are ranked by word
overlap (rare words count more) and by whether they hold what the question asks for: a number
for "how many", a date for "when", a name for "who", a place for "where". A question whose
point no source states gets no answer; the caller then says "not found".
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from digests.dates import find_dates, reference_date
from digests.entities import find_mentions
from digests.event_answers import (
    EVENT_KINDS,
    MIN_COVER,
    NEXT_Q,
    WHY_Q,
    centre,
    event_score,
    fits,
    overtaken,
)
from digests.models import Article
from digests.quantities import find_quantities
from digests.sentences import fact_sentences
from digests.tokens import content_tokens
from digests.verbs import IRREGULAR_VERBS

logger = logging.getLogger(__name__)

_Q_WORDS = frozenset(
    [
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "why",
        "how",
        "many",
        "much",
        "did",
        "does",
        "do",
        "is",
        "are",
        "was",
        "were",
    ]
)


@dataclass(frozen=True)
class Answer:
    sentence: str
    article_ids: tuple[str, ...]
    score: float


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# "how long", "how tall": the measure asked for, and the units that state it.
_MEASURES: dict[str, frozenset[str]] = {
    "long": _words(
        "year years month months week weeks day days hour hours minute minutes second seconds"
        " foot feet ft mile miles km kilometre kilometres kilometer kilometers metre metres"
        " meter meters inch inches yard yards"
    ),
    "tall": _words("foot feet ft metre metres meter meters m inch inches storey story"),
    "high": _words("foot feet ft metre metres meter meters m mile miles km percent"),
    "far": _words("mile miles km kilometre kilometres kilometer kilometers foot feet"),
    "old": _words("year years old age aged"),
    "fast": _words("mph kph km/h knot knots mile miles kilometre kilometres"),
}
_MEASURES["deep"] = _MEASURES["tall"] | _MEASURES["far"]
_MEASURES["wide"] = _MEASURES["far"]
_MEASURE_Q = re.compile(r"\bhow (" + "|".join(_MEASURES) + r")\b")
# "what was the wind speed?": the measure named as a noun; the answer states its unit, not
# the word ("120 mph winds").
_MEASURE_NOUNS = {
    "speed": "fast", "height": "tall", "depth": "deep", "length": "long", "distance": "far",
    "age": "old", "duration": "long",
}  # fmt: skip
_MEASURE_NOUN_Q = re.compile(r"\b(?:what|which)\b.*?\b(" + "|".join(_MEASURE_NOUNS) + r")\b")
# "what time", "which country": the kind of answer, not a word it must share.
_KIND_Q = re.compile(r"\b(?:what|which) (?:day|date|time|year|place|city|country)\b")
# "which countries", "what drug": the kind of thing the answer names.
_WHICH_Q = re.compile(
    r"\b(?:which|what)\s+(?!(?:is|are|was|were|did|does|do|has|have|had|will|would|can|could"
    r"|should|may|might)\b)([a-z][\w'-]*)"
)
# How something came about, right after the verb asked about: "died of pneumonia", "started
# after a short circuit", "collapsed due to".
_CAUSE = re.compile(
    # "died of", "died Thursday of"; "fell from 443,956", "a drop from a year earlier" is a
    # change measured, not caused
    r"\w*\s+(?:[a-z0-9,.]+\s+)?(?:of|from)\s(?![$€£]?\d|(?:a|the|last|previous)\s+"
    r"(?:year|quarter|month|week|same|period|record)|(?:a\s+)?year\s+(?:earlier|ago|before))"
    r"|\w*\s+(?:[a-z0-9,.]+\s+){0,8}?(?:after|following|due to|because(?: of)?|caused by"
    r"|as a result of)\s"
)


def _tells_cause(sent: str, verb: str) -> bool:
    """Whether the sentence says how or why the thing asked about happened, next to its verb."""
    if not verb:
        return False
    low = sent.lower()
    return any(_CAUSE.match(low, m.start()) for m in re.finditer(rf"\b{re.escape(verb)}", low))


# "what is the drug called?", "what's its name?": a name the sources give it.
_NAME_Q = re.compile(r"\b(?:called|named|dubbed)\b|\bname\b")
_NAMING = re.compile(
    r"\b(?:called|named|dubbed|known as|brand name|branded|under the name|nicknamed)\s+"
    r"(?:the\s+)?[\"“'‘]?[A-Z0-9]"
)
_SCORE_Q = re.compile(r"\b(?:score|scores|scoreline|result)\b")
_SCORE_WORDS = frozenset({"scor", "scorelin", "result"})  # as `_tokens` spells them
# A match result as written: "6-3", "7-6 (7-4)", "2-1".
_SCORE = re.compile(r"(?<![\d.,/-])\d{1,2}[-–]\d{1,2}(?:\s*\(\d{1,2}[-–]\d{1,2}\))?(?![\d/-])")
# The thing a "how many" question counts.
_COUNTED_Q = re.compile(r"\bhow many ([a-z][\w-]*)")
_NUMBER_Q = re.compile(
    r"\bhow (?:many|much|large|big|heavy|often)\b|\bwhat (?:number|share|percentage|amount)\b"
)
# A time of day answers "when" as a date does ("at 4:17 a.m.").
_CLOCK = re.compile(r"\b\d{1,2}(?:[:.]\d{2})?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)", re.IGNORECASE)
# British and American spellings of one word must meet ("defence" asked, "defense" written).
_US_SPELLING = {
    "defence": "defense",
    "offence": "offense",
    "licence": "license",
    "pretence": "pretense",
    "centre": "center",
    "metre": "meter",
    "litre": "liter",
    "theatre": "theater",
    "programme": "program",
    "travell": "travel",
    "cancell": "cancel",
    "aluminium": "aluminum",
    "grey": "gray",
}
_OUR_WORDS = _words(
    "colour favour honour labour neighbour harbour behaviour rumour humour flavour armour"
    " vapour endeavour savour valour vigour tumour"
)
_ISE_ROOTS = re.compile(
    r"^(organ|recogn|real|critic|apolog|author|privat|mobil|stabil|final|legal|minim|maxim"
    r"|summar|priorit|character|capital|normal|util|hospital|modern|central|special|civil"
    r"|custom|optim|emphas|penal|subsid|synchron|visual|terror|jeopard|sympath)is"
)


def _us_spelling(token: str) -> str:
    """One spelling for words British and American English spell apart."""
    for uk, us in _US_SPELLING.items():
        if token.startswith(uk):
            return us + token[len(uk) :]
    base = token.rstrip("s")
    if base in _OUR_WORDS or base[:-2] in _OUR_WORDS or base[:-3] in _OUR_WORDS:
        return token.replace("our", "or", 1)
    m = _ISE_ROOTS.match(token)
    if m:
        return m.group(1) + "iz" + token[m.end() :]
    return token


# News vocabulary, so that a question and its answer meet whatever words each uses: irregular
# verb forms ("met" answers "meet") and words news copy uses for one thing ("killed", "dead",
# "toll" all answer "die"). Each group, between bars: the one spelling, then the words it
# stands for.

# What happened, to whom, in what: when a question names one of these ("died", "CEO",
# "struck"), that is its point, and an answer must say it too (irregular forms included).
_PREDICATES = """
die dies died dying dead death deaths deadly deadliest kill kills killed killing toll tolls
  fatality fatalities fatal perish perished perishing
| injure injures injured injuring injury injuries hurt hurts hurting wound wounds wounded
| arrest arrests arrested arresting detain detains detained detaining detention custody
| ceo ceos | premier premiers pm
| buy buys buying bought buyer buyers acquire acquires acquired acquiring acquisition
  acquisitions takeover takeovers purchase purchases purchased purchasing
| quake quakes earthquake earthquakes tremor tremors temblor temblors
| strike strikes struck striking stricken hit hits hitting landfall
| win wins won winning winner winners victory victories beat beats beaten beating defeat
  defeats defeated
| lose loses lost losing loser losers
| price prices priced pricing cost costs costing pay pays paid paying payment payments worth
  valued valuing
| vehicle vehicles car cars automobile automobiles
| sell sells sold selling sale sales seller sellers
| rise rises rose risen rising increase increases increased increasing climb climbs climbed
  jump jumps jumped gain gains gained
| fall falls fell fallen falling drop drops dropped decline declines declined slump slumped
  plunge plunged plunges
| begin begins began begun beginning start starts started starting
| convict convicts convicted conviction convictions guilty
| approve approves approved approving approval authorise authorised authorize authorized
| announce announces announced announcing unveil unveils unveiled unveiling reveal reveals
  revealed
| resign resigns resigned resigning resignation
| apologise apologises apologised apologising apologize apologizes apologized apologizing
  apology apologies sorry
| outage outages blackout blackouts
| evacuate evacuates evacuated evacuating evacuation evacuations evacuee evacuees
| founder founders founded founding | chair chairs chairman chairwoman chairperson
| head heads headed chief chiefs boss bosses leader leaders
| gift gifts gifted
| travel travels traveled travelled traveling travelling arrive arrives arrived arriving
  arrival journey journeys journeyed
| wrong fail fails failed failing failure failures malfunction malfunctions malfunctioned
  glitch glitches anomaly anomalies fault faults faulty problem problems mishap mishaps
  setback setbacks leak leaks leaked leaking
"""
# Words of several, each read as one word ("chief executive" is a CEO).
_PHRASES = (
    (re.compile(r"\bchief executive(?: officer)?s?\b"), "ceo"),
    (re.compile(r"\bprime ministers?\b"), "premier"),
    (
        re.compile(
            r"\blives (?:were |have been |had been )?lost\b|\blost (?:their|his|her) lives\b"
            r"|\bloss of (?:life|lives)\b"
        ),
        "die",
    ),
    (re.compile(r"\b(?:take|takes|took|taken|taking) place\b"), "happen"),
    (re.compile(r"\b(?:take|takes|took|taken|taking) over\b(?! as\b)"), "takeover"),
    (re.compile(r"\bstep(?:s|ped|ping)? down\b"), "resign"),
    # "who leads ISRO?" asks for its head; "led to" and "took the lead" are no one's post.
    (re.compile(r"(?<=\bwho )(?:leads|led|runs|ran)\b(?! to\b)"), "head"),
    (
        re.compile(
            r"\b(?:without|lost|lose|loses|losing) (?:power|electricity)\b"
            r"|\bpower (?:cuts?|was cut|were cut)\b|\bcut(?:s|ting)? (?:off )?power\b"
            r"|\bknock(?:s|ed|ing)? out power\b"
        ),
        "outage",
    ),
)
# "what did Putin give Kim?" asks for the gift: "gave" is otherwise filler.
_GIFT_Q = re.compile(r"\b((?:what|which)\b.*?)\b(?:give|gives|gave|given)\b")
# Words a question uses without saying what it asks about ("did anyone die?").
# Light verbs say nothing either ("when will the talks be held?" is about the talks).
_FILLER = re.compile(
    r"\b(?:any|every|some|no)(?:one|body|thing)\b|\bhappen(?:s|ed|ing)?\b|\boccur(?:s|red|ring)?\b"
    r"|\b(?:exactly|actually|really|ever|still|yet|currently|now|please|tell|know|things?"
    r"|name|kind|sort|type|called|named|react|reacts|reacted|reaction|respond|responds"
    r"|involved|involves|involve"
    r"|responded|response)\b"
    r"|\b(?:hold|holds|held|holding|get|gets|got|gotten|getting"
    r"|go|goes|went|gone|going|come|comes|came|coming|give|gives|gave|given|giving"
    r"|take|takes|took|taken|taking|last|lasts|lasted|lasting)\b"
)
# Words too common to be what a question is about ("how many people died?" is about dying).
_NEXT_WORDS = frozenset({"next", "step", "now"})
_GENERIC = "people person persons man men woman women number total day days"
# To "why?", a sentence giving a cause of the verb asked ("fell because") scores this many
# times one that gives none; one giving a cause elsewhere ("blamed softer sales on") less.
WHY_CAUSE = 3.0
WHY_CAUSE_NEAR = 2.0
# A measure question about the story's event ("how long did the match last?"), when no sentence
# with its word gives the measure, is answered by the sentences stating the event that do;
# shares of the event's headline and lead words (see `event_answers.centre`):
MEASURE_EVENT_COVER = 0.1  # ...the question's word is told of the event this fully
MEASURE_ANSWER_COVER = 0.15  # ...and the answer states the event at least this fully
# A sum of money states a price ("for $68.7 billion" answers "how much did they pay?").
_MONEY = re.compile(
    r"(?:[$€£¥₹]|\b[a-z]{1,2}\$)\s?\d[\d,.]*(?:\s*(?:million|billion|trillion|bn)\b)?"
    r"|\b\d[\d,.]*(?:\s*(?:million|billion|trillion))?"
    r"\s*(?:dollars?|euros?|pounds?|crowns?|yen|yuan|rupees?|francs?)\b"
)
# Someone's height as news writes it: "the 6-foot-9 senior", "5-foot-8".
_HEIGHT = re.compile(r"\d{1,2}[- ](?:foot|feet|ft)[- ]\d{1,2}\b")
# A figure's time of day ("at 5 pm") is no prime minister.
_PM_TIME = re.compile(r"(?<=\d)\s*pm\b")


def _vocabulary(table: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for group in table.split("|"):
        words = group.split()
        for w in words:
            out.setdefault(w, words[0])
    return out


_PREDICATE_OF = _vocabulary(_PREDICATES)
_WORD_OF = {**_vocabulary(IRREGULAR_VERBS), **_PREDICATE_OF}
_WORD = re.compile(r"[a-z]+")
_SHORT_ENDING = re.compile(r"^([a-z]{3,}?)(?:ed|ing|(?<!s)s)$")


@lru_cache(maxsize=4096)
def _one_word(word: str) -> str:
    """The vocabulary's spelling of `word`; a short word the stemmer leaves whole ("asked",
    "citing", "asks") loses its ending, so it meets "ask" and "cite"."""
    if word in _WORD_OF:
        return _WORD_OF[word]
    m = _SHORT_ENDING.match(word)
    if m and len(word) <= 6 and content_tokens(word) == [word]:
        stem = m.group(1)
        return stem if content_tokens(stem) == [stem] else word  # "owns" is no "own"
    return word


def _in_vocabulary(text: str, *, question: bool = False) -> str:
    """`text` with news vocabulary in one spelling each. A sentence keeps a phrase's own words
    beside the one word for it ("Prime Minister" still answers "which minister?"); a question
    asks for the phrase only, without its filler words."""
    text = _PM_TIME.sub(" ", text.lower())
    for pattern, word in _PHRASES:
        text = pattern.sub(word if question else (lambda m, w=word: f"{m.group()} {w}"), text)
    if question:
        text = _GIFT_Q.sub(lambda m: m.group(1) + "gift", text)
        return _WORD.sub(lambda m: _one_word(m.group()), _FILLER.sub(" ", text))
    text = _MONEY.sub(lambda m: f"{m.group()} price", text)
    return _WORD.sub(lambda m: _one_word(m.group()), text)


def _tokens(text: str, *, question: bool = False) -> set[str]:
    """Content words, spelled one way; a final "e" goes, as the stemmer already drops it
    from "sentenced" but not from "sentence"."""
    return set(_token_list(text, question=question))


def _token_list(text: str, *, question: bool = False) -> list[str]:
    """`_tokens` in the order the text has them."""
    out = []
    for t in content_tokens(_in_vocabulary(text, question=question)):
        t = _us_spelling(t)
        out.append(t[:-1] if len(t) > 3 and t.endswith("e") else t)
    return out


def _question_type(question: str) -> tuple[str, frozenset[str]]:
    """What the question asks for, and for a measure ("how long") the units that state it."""
    q = question.lower()
    m = _MEASURE_Q.search(q)
    if m:
        return "number", _MEASURES[m.group(1)]
    m = _MEASURE_NOUN_Q.search(q)
    if m:
        return "number", _MEASURES[_MEASURE_NOUNS[m.group(1)]]
    if _NUMBER_Q.search(q):
        return "number", frozenset()
    if re.search(r"\bwhen\b|\bwhat (?:day|date|time|year)\b", q):
        return "when", frozenset()
    if re.search(r"\bwho\b|\bwhom\b|\bwhose\b", q):
        return "who", frozenset()
    if re.search(r"\bwhere\b|\bwhat (?:place|city|country)\b", q):
        return "where", frozenset()
    if _NAME_Q.search(q):
        return "name", frozenset()
    if re.search(r"^\s*how (?:did|does|do|was|were|is|are|could|can)\b", q):
        return "how", frozenset()  # the manner or cause: "how did she die?"
    return "other", frozenset()


# An age as news writes it: "aged 85", "at the age of 85", "85-year-old", "She was 85", "Page, 85,".
_AGE = re.compile(
    r"\b(?:aged|age of)\s+\d{1,3}\b|\b\d{1,3}-year-old\b"
    r"|\b(?:was|is|were)\s+\d{1,3}(?:\.|,|\s*$)|[A-Z][a-z]+,\s+\d{1,3},"
)


def _states_measure(sent: str, units: frozenset[str]) -> bool:
    """Whether a sentence gives a figure in the measure asked for (an age for "how old")."""
    if units == _MEASURES["old"]:
        return bool(_AGE.search(sent))
    return _number_fit(sent, units, set()) > 2.0


def _number_fit(sent: str, units: frozenset[str], asked: set[str]) -> float:
    """How well a sentence's figures fit a number question: a figure in the unit asked for
    ("how long" -> years, hours, feet) or counting what is asked ("how many troops") beats
    any figure; a sentence without a figure gains nothing."""
    found = [q for q in find_quantities(sent) if not q.text.isalpha()]
    if not found:
        return 1.0
    best = 2.0
    if not units and asked & _tokens("price") and _MONEY.search(sent.lower()):
        best = 3.0  # "how much did they pay?": a sum of money is the figure asked for
    for qty in found:
        if units and units != _MEASURES["old"] and qty.unit.lower().endswith("-old"):
            continue  # "the 22-year-old" is someone's age, no duration
        if units and units != _MEASURES["tall"] and _HEIGHT.match(sent, qty.start):
            continue  # "the 6-foot-9 senior" is his height, no distance
        words = {w.lower().strip("-") for n in qty.nouns for w in n.split("-")}
        words.add(qty.unit.lower())
        if units and words & units:
            best = max(best, 3.0)
        # A measure's answer is in its unit ("magnitude 5.4 earthquake" is no depth).
        counted = set() if units else {t for w in words for t in _tokens(w)}
        if asked & counted:
            best = max(best, 3.0)
    return best if not units or best > 2.0 else 1.5


def _spread(seq: Sequence[str], words: set[str]) -> int:
    """How many words apart the fewest consecutive ones holding all of `words` lie: an answer
    whose matches sit in one clause ("the earthquake struck") beats one that has them in
    clauses apart ("the quake ..., unlike the tremor that hit Orsk")."""
    last: dict[str, int] = {}
    best = len(seq)
    for i, t in enumerate(seq):
        if t in words:
            last[t] = i
            if len(last) == len(words):
                best = min(best, i - min(last.values()))
    return best


def _question_terms(question: str) -> tuple[set[str], set[str]]:
    """The question's content words: not the kind of answer it wants ("how many", "what
    time"), not its filler ("anyone", "happen"); and of those, the ones naming the kind of
    thing asked for ("countries" in "which countries landed ..."), which the answer names
    rather than repeats."""
    q = question.lower()
    asked = _KIND_Q.sub(" ", _NUMBER_Q.sub(" ", _MEASURE_Q.sub(" ", q)))
    noun = _MEASURE_NOUN_Q.search(asked)
    if noun:
        asked = asked[: noun.start(1)] + " " + asked[noun.end(1) :]
    terms = {t for t in _tokens(asked, question=True) if t not in _Q_WORDS}
    m = _WHICH_Q.search(asked)
    return terms, (_tokens(m.group(1), question=True) & terms if m else set())


@lru_cache(maxsize=1)
def _generic_and_predicate_terms() -> tuple[frozenset[str], frozenset[str]]:
    return frozenset(_tokens(_GENERIC)), frozenset(_tokens(" ".join(_PREDICATE_OF.values())))


def _point(
    q_tokens: set[str], kind: set[str], topic: set[str], df: Counter[str], n: int
) -> tuple[str, dict[str, float]] | None:
    """What an answer must say: the one word it must contain (the question's predicate, else
    its rarest word) and the weights of all it should cover; None when the sources lack it.

    Words every article uses (the story's topic: "ferry", "earthquake"), words too common to
    ask about ("people") and the kind of thing asked for ("which countries") only count when
    the question has nothing else."""
    generic, predicates = _generic_and_predicate_terms()
    content = q_tokens - generic - (kind - predicates) or q_tokens
    point = content - topic or content
    if any(t in predicates and not df[t] for t in point):
        return None  # "how many died?" where nobody dies: the question's point is not here
    present = [t for t in point if df[t]]
    if not present:
        return None
    must = min(present, key=lambda t: (t not in predicates, df[t], t))
    # A word no source uses is the rarest of all: it weighs most, so an answer covering
    # only the question's lesser words ("capital" of "capital of France") falls short.
    return must, {t: math.log(1 + n / max(df[t], 0.5)) for t in point}


# The one asked about, named beside the word for them: "the suspect, 38-year-old Ann Lee",
# "the gunman was identified as Ann Lee", "Ann Lee, the alleged gunman".
_NAME_AFTER = re.compile(
    r"(?:,|\s+(?:was|is|has been|had been|were|are))?\s*(?:(?:later|since|publicly)\s+)?"
    r"(?:identified|named)\s+(?:\w+\s+)?as\s+(?:\d+-year-old\s+)?[A-Z]"
    r"|,\s+(?:(?:a|an)\s+)?(?:\d+-year-old\s+|\d+,\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)+"
)
_NAME_BEFORE = re.compile(
    r"[A-Z][\w'’-]+\s+[A-Z][\w'’-]+,\s+(?:\d+,\s+)?(?:the|a|an)\s+(?:[a-z-]+\s+){0,2}$"
)


_WHO_IS = re.compile(r"\bwho (?:is|was|are|were)\s+(?:the|a|an|their|its)\s+([a-z-]+)\s*\??$")


def _identifies(sentence: str, word: str) -> bool:
    """The sentence names the one `word` stands for right beside it."""
    if not word:
        return False
    for m in _WORD_RE.finditer(sentence):
        if word not in _token_list(m.group()):
            continue
        if _NAME_AFTER.match(sentence, m.end()):
            return True
        before = _NAME_BEFORE.search(sentence[: m.start()])
        if before:
            # a name of two words or more ends at the comma ("In February, a gunman" has none)
            names = find_mentions(sentence[: before.start() + before.group().index(",")])
            if names and len(names[-1].text.split()) >= 2:
                return True
    return False


_WORD_RE = re.compile(r"[A-Za-z]+")


def answer_question(articles: Sequence[Article], question: str, limit: int = 3) -> list[Answer]:
    """Up to `limit` source sentences that answer `question`, best first; [] when none match."""

    qtype, units = _question_type(question)
    low = question.lower()
    if NEXT_Q.search(low):
        qtype = "next"
    elif qtype == "other" and WHY_Q.search(low):
        qtype = "why"
    # "who is the suspect?": the one asked about, named beside that word in an answer
    who_is = _WHO_IS.search(question.lower()) if qtype == "who" else None
    asked = next(iter(_tokens(who_is.group(1), question=True)), "") if who_is else ""
    q_tokens, kind = _question_terms(question)
    # "what was the score?": no source writes "score"; a result is written "6-3, 7-6".
    wants_score = bool(_SCORE_Q.search(question.lower()))
    if wants_score:
        q_tokens -= _SCORE_WORDS
    if qtype == "next":
        q_tokens -= _NEXT_WORDS
    # "how old was she?", "how deep was it?": the measure itself is the question's point.
    wants_measure = qtype == "number" and bool(units) and not q_tokens
    # "when did it happen?", "what happens next?": about the story's own event
    about_event = not q_tokens and qtype in EVENT_KINDS
    if not q_tokens and not wants_score and not wants_measure and not about_event:
        return []
    pool: list[tuple[str, str, list[str], Article, int]] = []
    df: Counter[str] = Counter()
    leads: list[list[str]] = []
    for a in articles:
        lead = _token_list(a.title)
        for i, s in enumerate(fact_sentences(a)):
            seq = _token_list(s)
            pool.append((a.id, s, seq, a, i))
            df.update(set(seq))
            if i == 0:
                lead += seq
        leads.append(lead)
    merged: dict[str, tuple[float, str, list[str], set[str]]] = {}
    if about_event:
        return _about_event(pool, centre(articles, leads), qtype, limit)
    n = max(1, len(pool))
    topic = {t for a in articles for t in _tokens(a.title)}
    topic |= {t for t, c in df.items() if c >= 0.4 * n and n >= 3}
    if wants_score:
        pool = [p for p in pool if _SCORE.search(p[1])]
    found = _point(q_tokens, kind, topic, df, n) if q_tokens else ("", {})
    if found is None:
        return []
    must, weights = found
    event: dict[str, float] = {}
    if (
        qtype == "number"
        and units
        and must
        and not any(must in p[2] and _states_measure(p[1], units) for p in pool)
    ):
        # "how long did the match last?": no sentence naming the match gives a duration, but
        # the match is the story's event ("Sinner beat Medvedev") and a sentence stating the
        # event gives one ("won 3-6, 3-6, 6-4, 6-4, 6-3 in three hours and 44 minutes").
        event = centre(articles, leads)
        if any(
            must in p[2] and event_score(set(p[2]), event, p[4]) >= MEASURE_EVENT_COVER
            for p in pool
        ):
            wants_measure, must = True, ""
            weights = dict.fromkeys(weights, 0.0)
            pool = [p for p in pool if event_score(set(p[2]), event, p[4]) >= MEASURE_ANSWER_COVER]
    told: Counter[str] = Counter()  # how many sentences give each figure of the measure
    if wants_measure:
        pool = [p for p in pool if _states_measure(p[1], units)]
        for p in pool:
            told.update(set(re.findall(r"\d[\d,.]*", p[1])))
    # "how many aces did Zverev hit?": the figure counts aces, whatever verb tells it.
    counted = _COUNTED_Q.search(question.lower())
    if counted:
        noun = next(iter(_tokens(counted.group(1), question=True) & weights.keys()), "")
        if noun and df[noun]:
            must = noun
    needed = 0.5 * sum(weights.values())
    causes: dict[str, tuple[float, str, list[str], set[str]]] = {}  # to "why?": the answers
    event_told = False  # a sentence saying the question's point states the story's event
    for aid, sent, seq, art, place in pool:
        toks = set(seq)
        overlap = q_tokens & toks
        # The answer says the question's point and most of what else it asks.
        if (must and must not in toks) or sum(weights[t] for t in weights.keys() & toks) < needed:
            continue
        score = sum(math.log(1 + n / df[t]) for t in overlap) / math.sqrt(len(q_tokens) or 1)
        if wants_score:
            score += 1.0 + 0.5 * len(_SCORE.findall(sent))  # the fuller result first
        if wants_measure:
            # the figure most sources agree on ("aged 85") before a side one ("27-year-old")
            agreed = max((told[f] for f in re.findall(r"\d[\d,.]*", sent)), default=0)
            score += 1.0 + 0.5 * math.log(1 + agreed)
        if overlap:  # a measure asked of the event alone has no words to keep together
            score /= 1 + 0.05 * max(0, _spread(seq, overlap) - 2)
        # News puts what matters first: of equal matches, the one nearer its lead wins.
        score /= 1 + 0.02 * min(place, 10)
        if qtype == "number" and not wants_measure:
            score *= _number_fit(sent, units, q_tokens)
        elif qtype == "when" and (find_dates(sent, reference_date(art)) or _CLOCK.search(sent)):
            score *= 2.0
        elif qtype in ("how", "why") and _tells_cause(sent, must):
            # "died of pneumonia", "started after a short circuit"; to "why?" a sentence
            # without a cause is hardly an answer
            score *= WHY_CAUSE if qtype == "why" else 1.5
            if qtype == "why":
                _keep(causes, score, aid, sent, toks)
        elif qtype == "why" and fits("why", sent, art):
            score *= WHY_CAUSE_NEAR  # "attributed the decline to ...", "amid a backlash"
            _keep(causes, score, aid, sent, toks)
        elif qtype == "next" and fits("next", sent, art):
            score *= 2.0  # "the talks will resume next week"
        elif qtype == "name" and _NAMING.search(sent):
            score *= 2.0  # "under the brand name Kisunla", "dubbed MS08-078"
        elif qtype in ("who", "where"):
            ments = find_mentions(sent)
            names = [m for m in ments if m.text.lower() not in {w.lower() for w in overlap}]
            if qtype == "who" and any(len(m.text.split()) >= 2 for m in names):
                # "Judge Lewis Kaplan" answers "who is the judge?"; "by a judge" does not.
                named = any(overlap & _tokens(m.role) for m in names if m.role)
                named = named or _identifies(sent, asked)
                score *= 2.0 if named else 1.5
            if qtype == "where" and any(m.prep in ("in", "at", "near") for m in names):
                score *= 1.5
        if qtype == "why" and not event_told:
            event = event or centre(articles, leads)
            event_told = event_score(toks, event, place) >= MIN_COVER["when"]
        _keep(merged, score, aid, sent, toks)
    if qtype == "why":
        # To "why?" only a sentence giving a cause answers ("not found" when none does, not
        # the event retold). "why did deliveries fall?" asks why the story's event happened:
        # with no cause beside "deliveries fell", one telling the event's cause in other
        # words does ("Tesla's difficulties in the second quarter stem from competitors ...").
        if causes:
            return _ranked(causes, limit)
        return _about_event(pool, event, "why", limit) if event_told else []
    if qtype == "number" and not wants_measure:
        # "how much does it cost?" is answered by a figure: a sentence about paying that
        # gives none is no answer, and without one anywhere there is none.
        merged = {k: v for k, v in merged.items() if _gives_figure(v[1])}
    return _ranked(merged, limit)


_FIGURE_WORDS = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|scores"
    r"|hundreds|thousands|millions|billions|several|half|a few|no one|nobody|none"
    r"|life (?:in prison|sentences?|imprisonment|behind bars))\b",
    re.IGNORECASE,
)


def _gives_figure(sentence: str) -> bool:
    """Whether a sentence states a number, in digits or in words ("three", "dozens")."""
    return bool(re.search(r"\d", sentence) or _FIGURE_WORDS.search(sentence))


def _about_event(
    pool: Sequence[tuple[str, str, list[str], Article, int]],
    event: dict[str, float],
    qtype: str,
    limit: int,
) -> list[Answer]:
    """Answers to a question about the story's event: sentences stating it (`event`: the
    words its headlines and leads share) that give what is asked."""
    merged: dict[str, tuple[float, str, list[str], set[str]]] = {}
    sentences = [(p[1], set(p[2])) for p in pool]
    for aid, sent, seq, art, place in pool:
        toks = set(seq)
        cover = event_score(toks, event, place)
        if cover < MIN_COVER[qtype] or not fits(qtype, sent, art):
            continue
        if qtype == "next":
            if overtaken(sent, toks, sentences):
                continue
            cover = min(cover, 0.3)  # what is to come is told beside the event, not in it
        _keep(merged, 1.0 + 5.0 * cover, aid, sent, toks)
    return _ranked(merged, limit)


def _keep(
    merged: dict[str, tuple[float, str, list[str], set[str]]],
    score: float,
    aid: str,
    sent: str,
    toks: set[str],
) -> None:
    """Keep a scored sentence; a reworded copy of one already kept cites its article there."""
    key = re.sub(r"\W+", " ", sent.lower()).strip()
    if key not in merged:
        for other_key, (_, _, _, other_toks) in merged.items():
            if len(toks & other_toks) / math.sqrt(len(toks) * len(other_toks) or 1) >= 0.75:
                key = other_key
                break
    if key in merged:
        old = merged[key]
        merged[key] = (max(old[0], score), old[1], old[2] + [aid], old[3])
    else:
        merged[key] = (score, sent, [aid], toks)


def _ranked(merged: dict[str, tuple[float, str, list[str], set[str]]], limit: int) -> list[Answer]:
    """The kept sentences best first, down to a third of the best score."""
    if not merged:
        return []
    best = max(v[0] for v in merged.values())
    ranked = sorted(merged.values(), key=lambda v: -v[0])
    out = [
        Answer(sent, tuple(dict.fromkeys(ids)), round(score, 3))
        for score, sent, ids, _ in ranked
        if score >= 0.35 * best and score >= 0.8
    ]
    return out[:limit]
