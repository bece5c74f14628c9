"""Names of people, organisations and places, with their spelling variants merged.

Outlets spell the same name differently ("Kim Jong-un" / "Kim Jong Un", "Alexandr" /
"Aleksandr Matsegora") and shorten it ("Lyubimova", "KCNA"). Facts are only counted as confirmed
by several sources when those variants are recognised as one entity, and a spelling variant must
never be reported as a disagreement. Everything here is rule-based and gazetteer-free: the
variants are found in the story's own texts.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

logger = logging.getLogger(__name__)

# Capitalised words that open sentences or name no one; never the start of a name.
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "he",
        "she",
        "his",
        "her",
        "they",
        "their",
        "we",
        "our",
        "i",
        "you",
        "in",
        "on",
        "at",
        "for",
        "from",
        "to",
        "by",
        "with",
        "of",
        "and",
        "or",
        "but",
        "as",
        "after",
        "before",
        "during",
        "since",
        "while",
        "when",
        "where",
        "what",
        "who",
        "why",
        "how",
        "if",
        "then",
        "there",
        "here",
        "according",
        "meanwhile",
        "however",
        "also",
        "later",
        "earlier",
        "still",
        "yet",
        "some",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "mr",
        "mrs",
        "ms",
        "photo",
        "read",
        "more",
        "related",
        "watch",
        "advertisement",
        "update",
        "about",
        "around",
        "some",
        "nearly",
        "almost",
        "over",
        "least",
        "roughly",
        "approximately",
        "under",
        "just",
        "only",
        "through",
        "into",
        "via",
        "against",
        "between",
        "among",
        "toward",
        "towards",
        "behind",
        "across",
        "upon",
        "whenever",
        "wherever",
        "whether",
        "does",
        "did",
        "is",
        "are",
        "was",
        "were",
        "has",
        "have",
        "had",
    ]
)
# Titles written short before a name; their full stop ends neither the name nor the sentence.
TITLE_ABBREVIATIONS = frozenset(
    {"Gov", "Sen", "Rep", "Gen", "Lt", "Col", "Sgt", "Capt", "Cpl", "Pvt", "Maj", "Adm", "Cmdr"}
    | {"Dr", "Mr", "Mrs", "Ms", "Prof", "Rev", "Det", "Insp", "Supt", "Atty", "Amb", "St"}
    | {"Msgr", "Fr"}
)
_COURTESY = frozenset({"Mr", "Mrs", "Ms", "St"})  # no role ("St. Louis" is a place)


# Words that make a preceding phrase a role ("Russian Culture Minister", "North Korean leader").
ROLE_WORDS = frozenset(
    [
        "minister",
        "president",
        "ambassador",
        "leader",
        "secretary",
        "chancellor",
        "governor",
        "gov",
        "senator",
        "sen",
        "judge",
        "ceo",
        "chief",
        "director",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "king",
        "queen",
        "prince",
        "premier",
        "general",
        "gen",
        "commander",
        "founder",
        "chairman",
        "chair",
        "head",
        "officer",
        "official",
        "envoy",
        "mayor",
        "attorney",
        "deputy",
        "vice",
        "foreign",
        "defense",
        "defence",
        "culture",
        "prime",
        "representative",
        "rep",
        "coroner",
        "analyst",
        "executive",
        "manager",
        "professor",
        "dr",
        "daughter",
        "son",
        "wife",
        "husband",
        "sister",
        "brother",
        "coach",
        "administrator",
        "captain",
        "inspector",
        "detective",
        "sergeant",
        "sgt",
        "lieutenant",
        "lt",
        "constable",
        "admiral",
        "colonel",
        "sheriff",
        "commissioner",
        "superintendent",
        "congressman",
        "congresswoman",
        "councilman",
        "councilwoman",
        "councillor",
        "lawmaker",
        "speaker",
        "bishop",
        "archbishop",
        "pope",
        "rabbi",
        "imam",
        "editor",
        "producer",
        "lawyer",
        "economist",
        "scientist",
    ]
) | {a.lower() for a in TITLE_ABBREVIATIONS - _COURTESY}  # "Col. Ann Lee", "Rev. Al Sharpton"
_ORG_WORDS = frozenset(
    [
        "agency",
        "party",
        "committee",
        "ministry",
        "association",
        "center",
        "centre",
        "council",
        "court",
        "bank",
        "inc",
        "corp",
        "corporation",
        "university",
        "administration",
        "news",
        "times",
        "service",
        "office",
        "department",
        "commission",
        "company",
        "group",
        "union",
        "organization",
        "organisation",
        "institute",
        "board",
        "army",
        "navy",
        "force",
        "forces",
        "assembly",
        "tribune",
        "post",
        "press",
        "network",
        "league",
        "federation",
        "fund",
        "station",
        "theatre",
        "theater",
        "hall",
        "tower",
        "choir",
        "monument",
        "stadium",
        "arena",
        "airport",
        "river",
        "county",
        "treaty",
        "cosmodrome",
        "club",
        "field",
        "residence",
        "store",
        "summit",
        "society",
        "foundation",
        "authority",
        "museum",
        "school",
        "college",
        "hospital",
        "church",
        "trust",
        "bureau",
        "parliament",
        "congress",
        "senate",
        "coalition",
        "alliance",
        "police",
        "guard",
        "directorate",
        "house",
        "securities",
        "capital",
        "partners",
        "holdings",
        "research",
        "investments",
        "embassy",
        "palace",
        "government",
        "cabinet",
    ]
)
_ADJECTIVE_SUFFIX = re.compile(
    r"-(?:sent|led|backed|based|owned|born|made|run|era|style|linked|funded|controlled|held|"
    r"bound|related|like|type|built|speaking|inspired|designed|affiliated|aligned|allied|"
    r"friendly|wide|level|focused|supported|sponsored|brokered)$"
)
_PLACE_PREP = frozenset(
    ["in", "at", "near", "from", "to", "across", "into", "over", "outside", "inside", "around"]
)
_TOKEN = r"(?:[A-Z][\w’'.-]*[\w’']|[A-Z]\.?)"
# "Gov. Ron DeSantis", "St. Louis": an abbreviated title's full stop does not end the name.

_TITLE_ABBR = rf"(?:{'|'.join(sorted(TITLE_ABBREVIATIONS))})\.(?=[ \t]+[A-Z])"
_WORD = rf"(?:\b{_TITLE_ABBR}|{_TOKEN})"
_NAME_RE = re.compile(
    rf"{_WORD}(?:(?:[ \t]+(?:of|de|da|von|van|al|bin|du|la)[ \t]+|[ \t]+){_WORD})*"
)
_ACRO_DEF = re.compile(
    r"([A-Z][\w’'-]*(?:\s+(?:of|the|and|for|[A-Z][\w’'-]*))+)\s+\(([A-Z]{2,6})\)"
)
_VERB_LIKE = re.compile(r"(?:ing|ed)$|^(?:said|says|told|met|saw|hit|beat|won|took|made|is|was)$")
_INITIAL = re.compile(r"[A-Z]\.")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


@dataclass(frozen=True)
class Mention:
    """A capitalised name as written, with the role words written just before it."""

    text: str
    start: int
    end: int
    role: str = ""
    prep: str = ""


@dataclass(frozen=True)
class Entity:
    """One real-world name and every way the texts wrote it."""

    name: str
    variants: tuple[str, ...]
    kind: str  # person | org | place | other
    count: int
    roles: tuple[str, ...] = ()


def name_key(surface: str) -> str:
    """Spelling-insensitive key: case, hyphens, spaces and possessives ignored."""
    s = _POSSESSIVE.sub("", surface.strip())
    return re.sub(r"[\s\-‐’'.]+", "", s).lower()


def _tokens(surface: str) -> list[str]:
    s = _POSSESSIVE.sub("", surface.strip())
    return [t for t in re.split(r"[\s\-‐]+", s.lower()) if t and t not in ("of", "the", "and")]


def _translit(s: str) -> str:
    """Fold common transliteration differences (Alexandr/Aleksandr, Yuri/Iouri)."""
    s = s.replace("ks", "x").replace("ph", "f").replace("yu", "iu").replace("kh", "h")
    return s.replace("y", "i").replace("w", "v").replace("j", "i")


def edit_distance(a: str, b: str, cap: int = 3) -> int:
    """Levenshtein distance, giving up (returning cap+1) once it exceeds `cap`."""
    if abs(len(a) - len(b)) > cap:
        return cap + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
        if min(cur) > cap:
            return cap + 1
        prev = cur
    return prev[-1]


def find_mentions(sentence: str) -> list[Mention]:
    """Capitalised name spans in one sentence, minus sentence-opening function words."""
    out: list[Mention] = []
    for m in _NAME_RE.finditer(sentence):
        words = m.group(0).split()
        if "AND" in words:
            continue  # "WINSTON BLACKMORE AND JAMES OLER": two people in capitals, not one name
        for piece, start in _owner_split(sentence, words, m.start()):
            mention = _mention(sentence, piece, start)
            if mention is not None:
                out.append(mention)
    return out


_GROUPS_OF_PEOPLE = frozenset(["women", "men", "children", "people", "girls", "boys"])


def _owner_split(sentence: str, words: list[str], start: int) -> list[tuple[list[str], int]]:
    """ "HP's Mark Hurd" is two names, the owner and the person, not one variant of Mark Hurd.
    A role between them ("Russia's President Vladimir Putin") keeps the run whole: the owner
    is then part of the role."""
    for i, w in enumerate(words[:-2]):
        rest = words[i + 1 :]
        if (
            _POSSESSIVE.search(w)
            and not w.endswith(("'", "’"))
            and _POSSESSIVE.sub("", w).lower() not in _GROUPS_OF_PEOPLE
            and len(rest) <= 3
            and all(re.fullmatch(r"[A-Z][a-z]+(?:-[A-Z]?[a-z]+)?", r) for r in rest)
            and not any(r.lower() in _ORG_WORDS or r.lower() in ROLE_WORDS for r in rest)
        ):
            rest_start = sentence.index(rest[0], start + len(" ".join(words[: i + 1])))
            return [(words[: i + 1], start), (rest, rest_start)]
    return [(words, start)]


def _mention(sentence: str, words: list[str], start: int) -> Mention | None:
    """The name a capitalised run holds, with its role, or None when it is no name."""
    # Drop leading stop words ("The", "During") and role words become the role.
    # "A. J. Smith": a lone capital with a full stop is an initial, not the article.
    while words and words[0].lower().strip(".") in _STOP and not _INITIAL.fullmatch(words[0]):
        start += len(words[0]) + 1
        start = sentence.index(words[1], start - 1) if len(words) > 1 else start
        words = words[1:]
    if not words:
        return None
    role_end = 0
    # A plural role word capitalised inside a sentence is a name ("Queens District Attorney",
    # "Chiefs quarterback"); opening a sentence, it is the role ("Producers Laurence Mark").
    opening = not sentence[:start].rsplit("\n", 1)[-1].strip(" \"“'‘(")
    for i, w in enumerate(words[:-1]):
        bare = w.lower().strip(".")
        if bare in ROLE_WORDS:
            role_end = i + 1
        elif (
            i == 0
            and opening
            and _role_word(bare)
            # ... unless a title runs on after it: "Queens District Attorney Richard Brown"
            and not any(x.lower().strip(".") in ROLE_WORDS for x in words[1:-1])
        ):
            role_end = 1
    role_words = words[:role_end]
    if role_end == 1:
        role_words = [_singular_role(words[0])]
    name_words = words[role_end:]
    if role_words and name_words[0].lower() == "of" and _titled_name(name_words[1:]):
        # "Secretary of State Antony Blinken": the title runs on to the last two words.
        role_words, name_words = words[: len(words) - 2], words[len(words) - 2 :]
    if role_words and name_words[0].lower() in ("of", "at", "for"):
        # "CEO of The Wildlife Society": the role is someone else's; the name is the body's.
        role_words = []
    while name_words and name_words[0].lower() in ("of", "at", "for", "the"):
        name_words = name_words[1:]
    while name_words and name_words[-1].lower() in ("of", "de", "and", "von", "van"):
        name_words = name_words[:-1]
    if len(name_words) > 1 and _ADJECTIVE_SUFFIX.search(name_words[0]):
        name_words = name_words[1:]  # "the Utah-based Fundamentalist Church"
    if name_words:
        # "the Wildlife Society-sent letters", "Russia-backed": the name without the adjective
        name_words[-1] = _ADJECTIVE_SUFFIX.sub("", name_words[-1])
    if not name_words:
        return None
    if "of" in name_words:
        # "Dan Ives of Wedbush Securities": a person's name, then where they work.
        cut = name_words.index("of")
        head, tail = name_words[:cut], name_words[cut + 1 :]
        titled = (
            bool(role_words)
            or sentence[max(0, start - 20) : start].rstrip().split(" ")[-1].lower().strip(".,")
            in ROLE_WORDS
        )
        if (
            2 <= len(head) <= 3
            and not any(w.lower() in _ORG_WORDS for w in head)
            # "Sgt. Bob Rifkin of Operation Safe Streets": a titled person, then where from
            and (titled or any(w.lower() in _ORG_WORDS for w in tail))
        ):
            name_words = head
    text = _POSSESSIVE.sub("", " ".join(name_words))
    if not text or text.lower() in _STOP or len(text) < 2:
        return None
    n_start = sentence.find(name_words[0], start)
    before = sentence[max(0, start - 60) : start].split("\n")[-1].split()
    role_prefix: list[str] = []
    for w in reversed(before):
        bare = w.strip(",.;:()").lower()
        if not bare or w[-1] in ",.;:" or bare in _STOP:
            break
        if w[0].islower() and not _role_word(bare) and _VERB_LIKE.search(bare):
            break  # "hiring former lawyer Shawn Holley": the verb is no part of the role
        if bare == "official" and not role_prefix and _after_article(before):
            break  # "the official Doctor Who magazine": an adjective, not an official's title
        if (
            bare in ROLE_WORDS
            or (w[0].islower() and _role_word(bare))
            or w[0].isupper()
            or role_prefix
        ):
            role_prefix.insert(0, _singular_role(w) if w[0].islower() else w)
            if len(role_prefix) >= 5:
                break
        else:
            break
    # Keep the lowercase role only if it contains a real role word.
    if role_prefix and not any(w.lower().strip(",.") in ROLE_WORDS for w in role_prefix):
        role_prefix = []
    role = " ".join(role_prefix + role_words)
    prep = before[-1].lower() if before and not role_prefix else ""
    if prep == "to" and len(before) >= 2 and before[-2].lower() == "according":
        prep = "according"  # "according to Alan Mauldin" is a source, not a destination
    return Mention(text, n_start, n_start + len(text), role, prep)


def _role_word(bare: str) -> bool:
    """A role word, or its plural ("producers Laurence Mark and Bill Condon")."""
    return bare in ROLE_WORDS or (len(bare) > 4 and bare.endswith("s") and bare[:-1] in ROLE_WORDS)


def _singular_role(word: str) -> str:
    """ "Producers" before each of two names is each one's "Producer"."""
    bare = word.lower().strip(".,")
    if bare not in ROLE_WORDS and _role_word(bare):
        return word[: word.lower().rindex("s")] + word[word.lower().rindex("s") + 1 :]
    return word


def _titled_name(words: list[str]) -> bool:
    """ "State Antony Blinken": the rest of a title, then a two-word name."""
    return (
        len(words) >= 3
        and "of" not in words
        and not any(w.lower() in _ORG_WORDS for w in words)
        and all(w[:1].isupper() for w in words)
    )


def _after_article(before: list[str]) -> bool:
    """The word before the last one is an article or possessive ("the official ...")."""
    return len(before) >= 2 and before[-2].lower() in (
        "the",
        "a",
        "an",
        "its",
        "their",
        "his",
        "her",
    )


def _kind(surface: str, prep_counts: Counter[str], roles: Iterable[str]) -> str:
    toks = _tokens(surface)
    if any(t in _ORG_WORDS for t in toks) or (surface.isupper() and len(surface) >= 2):
        return "org"
    if any(r for r in roles):
        return "person"
    if prep_counts and sum(prep_counts[p] for p in _PLACE_PREP) >= max(
        1, sum(prep_counts.values()) // 2
    ):
        return "place"
    return "other"


class EntityIndex:
    """Merged entities of a set of texts; `canonical()` maps any variant to one name."""

    def __init__(self, texts: Iterable[str]) -> None:
        surfaces: Counter[str] = Counter()
        preps: dict[str, Counter[str]] = {}
        roles: dict[str, Counter[str]] = {}
        acronyms: dict[str, str] = {}
        for text in texts:
            for m in _ACRO_DEF.finditer(text):
                long_form, acro = m.group(1), m.group(2)
                acronyms[acro] = _strip_leading_stop(long_form)
            for mention in find_mentions(text):
                surfaces[mention.text] += 1
                preps.setdefault(mention.text, Counter())[mention.prep] += 1
                if mention.role:
                    roles.setdefault(mention.text, Counter())[mention.role] += 1
        self._surfaces = surfaces
        # "Ambassador to North Korea Alexandr Matsegora" reads as one capitalised run: split off
        # a known prefix when the rest ends in a surname the texts also use on its own.
        alias: dict[str, str] = {}
        for s in list(surfaces):
            t = s.split()
            for cut in range(1, len(t) - 1):
                prefix, rest = " ".join(t[:cut]), " ".join(t[cut:])
                if prefix in surfaces and t[-1] in surfaces and len(t) - cut >= 2:
                    alias[s] = rest
                    surfaces[rest] += surfaces.pop(s)
                    if s in roles:
                        roles.setdefault(rest, Counter()).update(roles.pop(s))
                    break
        parent: dict[str, str] = {}

        def find(k: str) -> str:
            while parent.setdefault(k, k) != k:
                parent[k] = parent[parent[k]]
                k = parent[k]
            return k

        def union(a: str, b: str) -> None:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[rb] = ra

        keys = {s: name_key(s) for s in surfaces}
        toks = {s: _tokens(s) for s in surfaces}
        for s in surfaces:
            find(keys[s])
        # Acronym <-> expansion, stated in the texts or spelled by a long name's initials.
        initials: dict[str, str] = {}
        for s in surfaces:
            t = toks[s]
            if len(t) >= 2:
                initials.setdefault("".join(w[0] for w in t), s)
        for s in list(surfaces):
            if s.isupper() and 2 <= len(s) <= 6:
                long_form = acronyms.get(s)
                if long_form is not None:
                    union(name_key(long_form), keys[s])
                    surfaces[long_form] += 0
                    keys.setdefault(long_form, name_key(long_form))
                    toks.setdefault(long_form, _tokens(long_form))
                elif s.lower() in initials:
                    union(keys[initials[s.lower()]], keys[s])
        multi = [s for s in surfaces if len(toks[s]) >= 2]
        # Transliteration-tolerant: same surname (or same first token), near-identical rest.
        # Names are bucketed by first and last token so only plausible pairs are compared.
        buckets: dict[tuple[int, str, str], list[str]] = {}
        for a in multi:
            ta = toks[a]
            buckets.setdefault((len(ta), "first", ta[0]), []).append(a)
            buckets.setdefault((len(ta), "last", ta[-1]), []).append(a)
        for names in buckets.values():
            for i, a in enumerate(names):
                ra = _translit("".join(toks[a]))
                for b in names[i + 1 :]:
                    if keys[a] == keys[b]:
                        union(keys[a], keys[b])
                        continue
                    rb = _translit("".join(toks[b]))
                    if edit_distance(ra, rb, 2) <= max(1, min(2, len(ra) // 6)):
                        union(keys[a], keys[b])
        for a in multi:  # identical keys of different lengths ("Jong-un" / "Jong Un")
            for b in buckets.get((len(toks[a]), "first", toks[a][0]), ()):
                if keys[a] == keys[b]:
                    union(keys[a], keys[b])
        # Shortened mentions ("Lyubimova", "Ju-ae") join the most frequent full name holding them.
        holders: dict[str, list[str]] = {}
        for full in multi:
            tf = toks[full]
            if any(w in _ORG_WORDS for w in tf) or re.search(r"[A-Za-z]-[A-Z]", full):
                continue  # "North Korea-Russia Treaty" is not a longer "North Korea"
            for w in set(tf):
                holders.setdefault(w, []).append(full)
        containers: dict[str, Counter[str]] = {}
        # Every "Given Surname" holding a lone word, by its given name: a surname two people
        # share ("Gigante": Vincent and the Rev. Louis) belongs to neither for sure.
        given: dict[str, list[tuple[str, str, int]]] = {}  # (root, given name, count)
        for s in surfaces:
            t = toks[s]
            if not t or s.isupper():
                continue
            for full in holders.get(t[0], ()):
                tf = toks[full]
                if not (len(tf) > len(t) and _contains(tf, t)):
                    continue
                if len(t) == 1:
                    if _given_name(full, tf):
                        person = (find(keys[full]), tf[0][:3], surfaces[full] or 1)
                        given.setdefault(s, []).append(person)
                    if full not in roles:
                        continue  # a lone word only shortens a person's name
                containers.setdefault(s, Counter())[find(keys[full])] += surfaces[full] or 1
        for s, options in containers.items():
            if find(keys[s]) in options:
                continue
            ranked = _people(given.get(s, []))
            if len(ranked) >= 2 and ranked[1][1] >= ranked[0][1]:
                continue  # two people as often: "Gigante" is neither for sure
            best = options.most_common(1)[0][0]
            mine = next((n for roots, n in ranked if any(find(r) == find(best) for r in roots)), 0)
            if ranked and ranked[0][1] >= SURNAME_OWNER_RATIO * mine > 0 or (ranked and not mine):
                # "LaRue" is the Fred LaRue most reports name, not the relative whose role
                # ("daughter Patricia LaRue") made her the only titled LaRue; nicknames
                # ("James" and "Jim" Oler, 4 to 2) are too close to tell apart
                continue
            union(best, keys[s])
        groups: dict[str, list[str]] = {}
        for s in surfaces:
            groups.setdefault(find(keys[s]), []).append(s)
        self._by_surface: dict[str, Entity] = {}
        self._by_key: dict[str, Entity] = {}
        self.entities: list[Entity] = []
        for members in groups.values():
            full_forms = [s for s in members if len(toks[s]) >= 2 and not s.isupper()]
            name = max(
                full_forms or members,
                key=lambda s: (surfaces[s], " of " not in s, -len(toks[s]), -members.index(s)),
            )
            role_counts: Counter[str] = Counter()
            prep_counts: Counter[str] = Counter()
            for s in members:
                role_counts.update(roles.get(s, Counter()))
                prep_counts.update(preps.get(s, Counter()))
            ent = Entity(
                name=name,
                variants=tuple(sorted(members, key=lambda s: -surfaces[s])),
                kind=_kind(name, prep_counts, role_counts),
                count=sum(surfaces[s] for s in members),
                roles=tuple(r for r, _ in role_counts.most_common()),
            )
            self.entities.append(ent)
            for s in members:
                self._by_surface[s] = ent
                self._by_key[keys[s]] = ent
        for s, rest in alias.items():
            if rest in self._by_surface:
                self._by_surface[s] = self._by_surface[rest]
        self.entities.sort(key=lambda e: -e.count)

    def entity(self, surface: str) -> Entity | None:
        """The merged entity a surface form belongs to, if it was seen in the texts."""
        return self._by_surface.get(surface) or self._by_key.get(name_key(surface))

    def canonical(self, surface: str) -> str:
        """The most common full form of the name; the input itself when unknown."""
        ent = self.entity(surface)
        return ent.name if ent else surface

    def same(self, a: str, b: str) -> bool:
        """True when two surfaces name the same entity (a spelling variant is not a conflict)."""
        ea, eb = self.entity(a), self.entity(b)
        return ea is not None and ea is eb


# A lone surname is not the titled person's when another of that surname is named this many
# times as often.
SURNAME_OWNER_RATIO = 3


def _people(names: list[tuple[str, str, int]]) -> list[tuple[set[str], int]]:
    """Each person's name roots and how often they are named, most first: full names of one
    entity, or with the same given name ("Richard Nixon", "Richard M. Nixon"), are one person."""
    groups: list[tuple[set[str], set[str], int]] = []
    for root, first, n in names:
        home = [g for g in groups if root in g[0] or first in g[1]]
        roots, firsts, total = {root}, {first}, n
        for g in home:
            groups.remove(g)
            roots |= g[0]
            firsts |= g[1]
            total += g[2]
        groups.append((roots, firsts, total))
    return sorted(((g[0], g[2]) for g in groups), key=lambda g: -g[1])


def _given_name(surface: str, tokens: list[str]) -> bool:
    """ "Vincent Gigante", "Joan Felt": a given name and a surname, not a role, an owner or
    an acronym before it ("Prosecutor David Rossi", "AMD's Meyer", "ADA Fairman")."""
    first = surface.split()[0]
    return (
        2 <= len(tokens) <= 3
        and not _POSSESSIVE_IN.search(surface)
        and not first.isupper()
        and tokens[0] not in ROLE_WORDS
        and first.rstrip(".") not in TITLE_ABBREVIATIONS
    )


_POSSESSIVE_IN = re.compile(r"['’]s\b")


def _contains(full: list[str], part: list[str]) -> bool:
    n = len(part)
    return any(full[i : i + n] == part for i in range(len(full) - n + 1))


def _strip_leading_stop(phrase: str) -> str:
    words = phrase.split()
    while words and words[0].lower() in _STOP:
        words = words[1:]
    return " ".join(words)
