"""Verb forms, written once: answers match "met" to "meet", early reports look for the past
tense of the action a lead expected ("expected to sign" -> "signed")."""

from __future__ import annotations

# Base form, past, past participle (when it differs): one verb a group.
IRREGULAR_VERBS = """
meet met | take took taken | give gave given | leave left |
lead led | hold held | make made | go went gone | come came |
see saw seen | find found | run ran | fly flew flown | grow grew grown | know knew known |
speak spoke spoken | choose chose chosen | bring brought | build built |
send sent | spend spent | keep kept | shake shook shaken | break broke broken |
write wrote written | drive drove driven | flee fled | seek sought | fight fought |
catch caught | think thought | feel felt | stand stood | sink sank sunk | steal stole stolen |
throw threw thrown | tear tore torn | withdraw withdrew withdrawn | sweep swept | lend lent |
dig dug | shoot shot | become became | get got gotten | swear swore sworn | hang hung |
freeze froze frozen | overtake overtook overtaken | win won | lose lost | buy bought |
sell sold | pay paid | strike struck | begin began begun | beat beat beaten | sit sat |
say said | tell told | eat ate eaten | rise rose risen | fall fell fallen |
slide slid | spin spun | uphold upheld | undergo underwent undergone | forgive forgave forgiven |
bear bore borne | wear wore worn | stick stuck | blow blew blown
"""
# Verbs the same in every form ("hit", "set").
SAME_FORM_VERBS = frozenset(
    ["cut", "set", "hit", "let", "put", "shut", "quit", "spread", "cost", "split"]
)

_PAST_OF = {g.split()[0]: g.split()[1] for g in IRREGULAR_VERBS.split("|") if len(g.split()) > 1}
# The simple pasts not made with -ed ("won", "struck", "hit"): a past verb when read alone.
IRREGULAR_PASTS = frozenset(_PAST_OF.values()) | SAME_FORM_VERBS


def past_tense(verb: str) -> str:
    """The simple past: met, signed, approved, ratified, played, banned, admitted; a verb the
    same in every form ("cut", "set", "hit") stays as it is."""
    if verb in _PAST_OF:
        return _PAST_OF[verb]
    if verb in SAME_FORM_VERBS:
        return verb
    cvc = len(verb) >= 3 and verb[-1] not in "aeiouwxy" and verb[-2] in "aeiou"
    if cvc and verb[-3] not in "aeiou" and (len(verb) == 3 or verb.endswith("mit")):
        return verb + verb[-1] + "ed"
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and verb[-2] not in "aeiou":
        return verb[:-1] + "ied"
    return verb + "ed"
