"""The compiled kernels (digests/_speedups.c) give what their Python versions
(digests.kernels.py_*) give: on hand-written cases, on generated inputs, and end to end (a
synthetic stream clustered with each gives the same stories, ids and assignments)."""

from __future__ import annotations

import copy
import json
import math
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digests import kernels

_speedups: ModuleType | None
try:
    from digests import _speedups
except ImportError:  # installed without a C compiler
    _speedups = None

compiled = pytest.mark.skipif(
    _speedups is None,
    reason="digests._speedups is not built (installed without a C compiler): only the "
    "pure-Python kernels exist, so there is nothing to compare them with",
)
SETTINGS = settings(max_examples=300, deadline=None)


def test_compiled_kernels_are_built_when_required() -> None:
    """Set NEWSDIGEST_REQUIRE_SPEEDUPS=1 where a compiler is known to be present: then a
    build that silently fell back to Python fails here instead of just running slower."""
    if os.environ.get("NEWSDIGEST_REQUIRE_SPEEDUPS") != "1":
        pytest.skip("NEWSDIGEST_REQUIRE_SPEEDUPS is not 1")
    assert _speedups is not None, "digests._speedups did not build or does not import"
    assert kernels.COMPILED or os.environ.get("NEWSDIGEST_PURE_PYTHON") == "1"


@compiled
def test_the_compiled_kernels_are_the_ones_in_use() -> None:
    if os.environ.get("NEWSDIGEST_PURE_PYTHON") == "1":
        assert not kernels.COMPILED
    else:
        assert kernels.COMPILED and kernels.dot is c("dot")


def c(name: str) -> Callable[..., Any]:
    """The compiled kernel `name`."""
    assert _speedups is not None
    fn: Callable[..., Any] = getattr(_speedups, name)
    return fn


def py(name: str) -> Callable[..., Any]:
    fn: Callable[..., Any] = getattr(kernels, "py_" + name)
    return fn


def same_float(a: float, b: float) -> bool:
    return type(a) is type(b) is float and (
        a == b or math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-300)
    )


# ---- generated inputs ------------------------------------------------------------------
# Few distinct terms, so vectors share some; odd characters, so str ordering is exercised.
terms = st.sampled_from(["a", "b", "ab", "Ab", "é", "éa", "z", "#100", "@06-29", "日本", "x" * 9])
weights = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_subnormal=False)
vectors = st.dictionaries(terms, weights, max_size=11)
words = st.lists(st.sampled_from(["the", "bridge", "closed", "mayor", "said", "x"]), max_size=40)


# ---- dot, best_member, add_into ---------------------------------------------------------
@compiled
def test_dot_cases() -> None:
    a = {"x": 0.5, "y": 0.25, "z": 2.0}
    b = {"y": 4.0, "x": 2.0}
    for x, y in [(a, b), (b, a), (a, {}), ({}, {}), (a, a)]:
        assert same_float(c("dot")(x, y), py("dot")(x, y))
    assert c("dot")(a, b) == 2.0
    assert c("dot")({}, {}) == 0.0


@compiled
@SETTINGS
@given(vectors, vectors)
def test_dot_matches(a: dict[str, float], b: dict[str, float]) -> None:
    assert same_float(c("dot")(a, b), py("dot")(a, b))
    assert same_float(c("dot")(b, a), py("dot")(b, a))


@compiled
@SETTINGS
@given(vectors, st.lists(st.tuples(st.text(max_size=3), vectors), max_size=8), weights)
def test_best_member_matches(
    vec: dict[str, float], members: list[tuple[str, dict[str, float]]], min_cos: float
) -> None:
    got, want = c("best_member")(vec, members, min_cos), py("best_member")(vec, members, min_cos)
    assert same_float(got[0], want[0]) and got[1] == want[1]


@compiled
@SETTINGS
@given(vectors, vectors)
def test_add_into_matches(dst: dict[str, float], src: dict[str, float]) -> None:
    a, b = dict(dst), dict(dst)
    c("add_into")(a, src)
    py("add_into")(b, src)
    assert list(a) == list(b) and all(same_float(a[k], b[k]) for k in a)
    a, b = dict(dst), dict(dst)
    c("add_into")(a, a)  # a vector added to itself
    py("add_into")(b, b)
    assert a == b


# ---- candidates and postings ------------------------------------------------------------
postings_st = st.dictionaries(terms, st.lists(st.integers(0, 12), max_size=6), max_size=11)


@compiled
def test_top_hits_cases() -> None:
    vec = {"a": 0.5, "b": 0.3, "c": 0.1}
    postings = {"a": [3, 1], "b": [1, 2], "c": [2, 3], "d": [9]}
    for k in (0, 1, 2, 5):
        assert c("top_hits")(vec, postings, 3, k) == py("top_hits")(vec, postings, 3, k)
    assert c("top_hits")(vec, postings, 3, 5) == [1, 3, 2]  # 0.8, 0.6, then 2 (0.4)
    assert c("top_hits")(vec, postings, 1, 5) == [1, 3]  # ties go to the lower index
    assert c("top_hits")({}, postings, 3, 5) == []


@compiled
@SETTINGS
@given(vectors, postings_st, st.integers(0, 12), st.integers(0, 6))
def test_top_hits_matches(
    vec: dict[str, float], postings: dict[str, list[int]], n: int, k: int
) -> None:
    assert c("top_hits")(vec, postings, n, k) == py("top_hits")(vec, postings, n, k)


@compiled
@SETTINGS
@given(postings_st, vectors, st.integers(0, 12), st.integers(0, 12), st.integers(1, 4))
def test_post_matches(
    postings: dict[str, list[int]], vec: dict[str, float], n: int, idx: int, cap: int
) -> None:
    a, b = copy.deepcopy(postings), copy.deepcopy(postings)
    c("post")(a, vec, n, idx, cap)
    py("post")(b, vec, n, idx, cap)
    assert a == b and list(a) == list(b)


@compiled
@SETTINGS
@given(postings_st, st.lists(st.booleans(), min_size=13, max_size=13))
def test_purge_matches(postings: dict[str, list[int]], alive: list[bool]) -> None:
    a, b = copy.deepcopy(postings), copy.deepcopy(postings)
    c("purge")(a, alive)
    py("purge")(b, alive)
    assert list(a.items()) == list(b.items())


@compiled
@SETTINGS
@given(
    st.dictionaries(terms, terms, max_size=8),
    st.dictionaries(terms, terms, max_size=8),
    st.integers(0, 12),
)
def test_merge_new_matches(dst: dict[str, str], src: dict[str, str], cap: int) -> None:
    a, b = dict(dst), dict(dst)
    c("merge_new")(a, src, cap)
    py("merge_new")(b, src, cap)
    assert list(a.items()) == list(b.items())


# ---- tf-idf vectors ---------------------------------------------------------------------
@compiled
def test_tfidf_vector_cases() -> None:
    terms_ = {"b": 1.0, "a": 1.0, "c": 2.0, "é": 1.0, "Z": 1.0}
    df = {"c": 3, "a": 1}
    for k in (0, 1, 3, 48):
        got, want = c("tfidf_vector")(terms_, df, 20.0, k), py("tfidf_vector")(terms_, df, 20.0, k)
        assert list(got.items()) == list(want.items())  # same order: ties by term
    # A weight of exactly zero everywhere: the norm falls back to 1.0.
    assert c("tfidf_vector")({"a": 1.0}, {"a": 0}, 0.5, 5) == {"a": 0.0}


@compiled
@SETTINGS
@given(
    st.dictionaries(terms, st.sampled_from([0.5, 1.0, 1.5, 2.0, 1e-3, 7.25]), max_size=11),
    st.dictionaries(terms, st.integers(0, 40), max_size=11),
    st.sampled_from([0.5, 1.0, 20.0, 21.0, 1234.0]),
    st.integers(0, 12),
)
def test_tfidf_vector_matches(
    terms_: dict[str, float], df: dict[str, int], n: float, k: int
) -> None:
    got, want = c("tfidf_vector")(terms_, df, n, k), py("tfidf_vector")(terms_, df, n, k)
    assert list(got) == list(want)
    assert all(same_float(got[t], want[t]) for t in got)


@compiled
@SETTINGS
@given(
    st.dictionaries(terms, st.floats(min_value=0.0, max_value=1e9) | st.sampled_from([1.0, 4.5]))
)
def test_sublinear_matches(terms_: dict[str, float]) -> None:
    got, want = c("sublinear")(terms_), py("sublinear")(terms_)
    assert list(got) == list(want) and all(same_float(got[t], want[t]) for t in got)


# ---- word alignment ---------------------------------------------------------------------
@compiled
def test_matched_cases() -> None:
    a = ["the", "mayor", "said", "the", "bridge", "closed", "on", "monday"]
    b = ["on", "monday", "the", "mayor", "said", "the", "bridge", "had", "closed"]
    for floor in (0.0, 0.45, 0.9):
        assert c("matched")(a, b, floor) == py("matched")(a, b, floor)
    assert c("matched")(a, b, 0.0) == 6  # "the mayor said the bridge" + "closed"
    assert c("matched")([], b, 0.0) == 0 == c("matched")(a, [], 0.5)


@compiled
@SETTINGS
@given(words, words, st.sampled_from([0.0, 0.3, 0.45, 0.9, 1.0]))
def test_matched_matches(a: list[str], b: list[str], floor: float) -> None:
    assert c("matched")(a, b, floor) == py("matched")(a, b, floor)


@compiled
def test_shingle_jaccards_cases() -> None:
    a = ["the", "mayor", "said", "the", "mayor", "said", "so"]
    b = ["the", "mayor", "said", "so"]
    others = [b, a, [], ["x", "y"], [w.upper() for w in a], ["".join(["th", "e"]), "mayor", "said"]]
    got, want = c("shingle_jaccards")(a, others), py("shingle_jaccards")(a, others)
    assert len(got) == len(others) and all(map(same_float, got, want))
    assert got[0] == 2 / 4  # b's two 3-grams are among a's four
    assert got[5] == 1 / 4  # equal words that are different str objects still match
    assert c("shingle_jaccards")([], others) == [0.0] * len(others)
    with pytest.raises(TypeError):
        c("shingle_jaccards")([1, 2, 3], [[1, 2, 3]])


@compiled
@SETTINGS
@given(words, st.lists(words, max_size=4))
def test_shingle_jaccards_matches(a: list[str], others: list[list[str]]) -> None:
    got, want = c("shingle_jaccards")(a, others), py("shingle_jaccards")(a, others)
    assert len(got) == len(want) and all(map(same_float, got, want))


@compiled
@SETTINGS
@given(words, st.integers(-1, 12), st.lists(st.sampled_from(["the", "x", "bridge"]), max_size=3))
def test_first_stems_matches(tokens: list[str], limit: int, known: list[str]) -> None:
    results = []
    for fn in (c("first_stems"), py("first_stems")):
        memo: dict[str, str | None] = {w: (None if w == "the" else w.upper()) for w in known}

        def learn(words_: list[str], memo: dict[str, str | None] = memo) -> None:
            for w in set(words_).difference(memo):
                memo[w] = None if w in ("the", "said") else w.upper()

        results.append(fn(tokens, memo, learn, limit))
    assert results[0] == results[1]


# ---- tokens -----------------------------------------------------------------------------
@compiled
def test_tokenize_cases() -> None:
    texts = [
        "",
        "Kim Jong-un's 3,499.50 dollars; 1.2.3 and 4,,5 or 6.",
        "O’Brien's rock'n'roll ''quoted'' it's 'x' _under_score",
        "x²³ Ⅻ ½ ٣٤ 12٣ a1b2 éa ß ǅ 〇 \u0300a",
        "trailing apostrophe' and dot 7. and comma 8,",
    ]
    for text in texts:
        assert c("tokenize")(text) == kernels.TOKEN.findall(text)
        assert c("tokenize")(text, True) == py("tokenize")(text, True)


@compiled
@SETTINGS
@given(st.text(alphabet="aZé_'’.,-1٣²Ⅻ ½\n\u0300ǅ", max_size=40) | st.text(max_size=40))
def test_tokenize_matches(text: str) -> None:
    assert c("tokenize")(text) == kernels.TOKEN.findall(text)


# Text shaped like the dates DATE_ANY and WEEKDAY read, each part sometimes off (a
# missing space, an extra digit, a tab, a lower-case month), so that matches, near misses
# and backtracking all come up.
_ws = st.sampled_from(["", " ", "  ", "\t", "\n", "\u00a0", "\u2003", ",", ", "])
_months = st.sampled_from(
    [
        "Jan",
        "January",
        "Janu",
        "Feb",
        "February",
        "Mar",
        "March",
        "May",
        "Mayor",
        "June",
        "Jun",
        "July",
        "Jul",
        "Aug",
        "August",
        "Sep",
        "Sept",
        "September",
        "Sepember",
        "Septe",
        "Oct",
        "October",
        "Nov",
        "November",
        "Dec",
        "December",
        "may",
        "x",
    ]
)
_days = st.sampled_from(["1", "5", "12", "31", "123", "05", "٣", "1٣", "²", ""])
_suffixes = st.sampled_from(["", "st", "nd", "rd", "th", "s", "thx"])
_years = st.sampled_from(["", "2024", "1999", "202", "20245", "٢٠٢٤"])
_edges = st.sampled_from(["", " ", "x", "_", "(", "é", "2", "-", "."])
_month_first = st.tuples(
    _edges, _months, st.sampled_from(["", "."]), _ws, _days, _suffixes, _ws, _years, _edges
)
_day_first = st.tuples(
    _edges,
    _days,
    _suffixes,
    _ws,
    st.sampled_from(["", "of", "of ", "of\t", "off", "Of"]),
    _ws,
    _months,
    st.sampled_from(["", "."]),
    _ws,
    _years,
    _edges,
)
_iso = st.tuples(
    _edges,
    st.sampled_from(["19", "20", "21", "2"]),
    st.sampled_from(["99", "24", "٢٤", "9"]),
    st.sampled_from(["-", "", "--"]),
    st.sampled_from(["01", "12", "1", "١٢"]),
    st.sampled_from(["-", ""]),
    st.sampled_from(["05", "31", "5", "050"]),
    _edges,
)
_weekday = st.tuples(
    _edges,
    st.sampled_from(
        [
            "on",
            "On",
            "late",
            "Late",
            "early",
            "Early",
            "last",
            "Last",
            "this",
            "This",
            "upon",
            "one",
            "lately",
            "ON",
        ]
    ),
    _ws,
    st.sampled_from(
        [
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
            "Mondays",
            "monday",
            "Fri",
        ]
    ),
    _edges,
)
date_texts = st.lists(
    st.one_of(_month_first, _day_first, _iso, _weekday).map("".join), max_size=4
).map("".join)


@compiled
def test_find_dates_cases() -> None:
    texts = [
        "June 29, 2025 and 29 June 2025 and 2025-06-29; Sept. 3rd,  1999 x 3 of May 2001",
        "on Monday, Late Friday, last Sunday; upon Monday; on Mondays; This  Tuesday",
        "May 123 Mayor 5 May5 12th of March. 2020 Janu 5 1999-01-011 ٣ May ٢٠٢٤",
        "éon Monday _on Monday 2on Monday xlast Friday ÉLate Friday (this Sunday) ٣5 May",
        "",
    ]
    for text in texts:
        assert c("find_dates")(text) == py("find_dates")(text)
        assert c("find_weekdays")(text) == py("find_weekdays")(text)
    assert [g for _, g in c("find_dates")(texts[0])][0] == (("June", "29", "2025") + (None,) * 6)


@compiled
@settings(max_examples=2000, deadline=None)
@given(date_texts)
def test_find_dates_matches(text: str) -> None:
    assert c("find_dates")(text) == py("find_dates")(text)
    assert c("find_weekdays")(text) == py("find_weekdays")(text)


@compiled
@SETTINGS
@given(st.text(max_size=60))
def test_find_dates_matches_any_text(text: str) -> None:
    assert c("find_dates")(text) == py("find_dates")(text)
    assert c("find_weekdays")(text) == py("find_weekdays")(text)


@compiled
def test_tokenize_interns_kept_tokens() -> None:
    a = c("tokenize")("Bridge closed", True)
    b = c("tokenize")("the bridge " + "Bridge", True)
    assert a[0] is b[-1]


# ---- token tallies ----------------------------------------------------------------------
def _classify(tok: str) -> tuple[str, int, str] | None:
    if tok.startswith("#"):
        return (tok, kernels.NUMBER, tok)
    if tok in ("the", "a"):
        return None
    return (tok.lower(), kernels.CAPITALISED if tok[0].isupper() else kernels.WORD, tok)


@compiled
@SETTINGS
@given(
    st.lists(st.sampled_from(["the", "a", "Bridge", "bridge", "Mayor", "#42,000", "said"])),
    st.sampled_from([1.0, 1.5, 3.0]),
    st.lists(st.sampled_from(["the", "Bridge", "said"]), max_size=3),
)
def test_add_tokens_matches(tokens: list[str], weight: float, known: list[str]) -> None:
    results: list[object] = []
    for fn in (c("add_tokens"), py("add_tokens")):
        memo = {t: _classify(t) for t in known}

        def learn(tok: str, memo: dict[str, Any] = memo) -> tuple[str, int, str] | None:
            info = memo[tok] = _classify(tok)
            return info

        state: tuple[dict[str, float], dict[str, float], set[str], dict[str, str], set[str]]
        state = ({}, {}, set(), {}, set())
        fn(tokens, weight, weight * 1.5, memo, learn, *state)
        terms_, caps, lower_seen, names, numbers = state
        results.append(
            (list(terms_.items()), list(caps.items()), lower_seen, list(names.items()), numbers)
        )
        results.append(sorted(memo))
    assert results[:2] == results[2:]


@compiled
@SETTINGS
@given(
    st.dictionaries(terms, st.sampled_from([0.5, 1.5, 3.0]), max_size=8),
    st.sets(terms, max_size=6),
    st.dictionaries(terms, terms, max_size=8),
)
def test_boost_names_matches(
    caps: dict[str, float], lower: set[str], names: dict[str, str]
) -> None:
    results = []
    for fn in (c("boost_names"), py("boost_names")):
        terms_ = {k: 1.0 for k in [*caps, "other"]}
        names_ = dict(names)
        fn(terms_, caps, lower, names_, 2.0)
        results.append((list(terms_.items()), list(names_.items())))
    assert results[0] == results[1]
    with pytest.raises(KeyError):
        c("boost_names")({}, {"a": 1.0}, set(), {}, 2.0)  # as terms["a"] += ... would


@compiled
def test_closest_stories_cases() -> None:
    vec = {"a": 0.6, "b": 0.8}
    stories = [
        SimpleNamespace(active=True, centroid={"a": 1.0}, norm=1.0),
        SimpleNamespace(active=False, centroid={"a": 1.0, "b": 1.0}, norm=1.5),
        SimpleNamespace(active=True, centroid={"b": 2.0, "a": 1.0}, norm=0.0),
        SimpleNamespace(active=True, centroid={"a": 1.0}, norm=1.0),  # ties with 0
        SimpleNamespace(active=True, centroid={}, norm=0.0),
    ]
    for cands in ([0, 1, 2, 3, 4], [3, 0], [], [4, 2]):
        got_dots: dict[int, float] = {}
        want_dots: dict[int, float] = {}
        got = c("closest_stories")(vec, stories, cands, got_dots)
        assert got == py("closest_stories")(vec, stories, cands, want_dots)
        assert got_dots == want_dots
    assert c("closest_stories")(vec, stories, [0, 1, 2, 3, 4], {}) == [2, 0, 3, 4]


@compiled
@SETTINGS
@given(
    vectors,
    st.lists(st.tuples(st.booleans(), vectors, st.floats(0.0, 1e3)), min_size=1, max_size=8),
    st.lists(st.integers(0, 7), max_size=8, unique=True),
)
def test_closest_stories_matches(
    vec: dict[str, float], made: list[tuple[bool, dict[str, float], float]], cands: list[int]
) -> None:
    stories = [SimpleNamespace(active=a, centroid=cen, norm=norm) for a, cen, norm in made]
    cands = [i for i in cands if i < len(stories)]
    got_dots: dict[int, float] = {}
    want_dots: dict[int, float] = {}
    got = c("closest_stories")(vec, stories, cands, got_dots)
    assert got == py("closest_stories")(vec, stories, cands, want_dots)
    assert list(got_dots) == list(want_dots)
    assert all(same_float(got_dots[i], want_dots[i]) for i in got_dots)


# ---- tallies, evidence names, lower case ------------------------------------------------
@compiled
def test_count_into_cases() -> None:
    for keys in (["a", "b", "a"], frozenset({"x", "y"}), {"k": 1.0, "j": 2.0}, [], iter("abca")):
        a: dict[str, int] = {"a": 2}
        b: dict[str, int] = {"a": 2}
        c("count_into")(a, copy.copy(keys))
        py("count_into")(b, copy.copy(keys))
        assert list(a.items()) == list(b.items())
    counter: Counter[str] = Counter({"a": 1})
    c("count_into")(counter, ["a", "b"])
    assert counter == Counter({"a": 2, "b": 1}) and isinstance(counter, Counter)


@compiled
@SETTINGS
@given(st.dictionaries(terms, st.integers(0, 9), max_size=6), st.lists(terms, max_size=20))
def test_count_into_matches(counts: dict[str, int], keys: list[str]) -> None:
    a, b = dict(counts), Counter(counts)
    c("count_into")(a, keys)
    b.update(keys)  # what it stands in for
    assert list(a.items()) == list(b.items())
    d = dict(counts)
    py("count_into")(d, keys)
    assert list(d.items()) == list(a.items())


names_st = st.dictionaries(terms, st.text(max_size=3), max_size=11)
df_st = st.dictionaries(terms, st.integers(0, 50), max_size=11)


@compiled
def test_shared_names_cases() -> None:
    names = {"kiev": "Kiev", "putin": "Putin", "nato": "NATO", "uk": "UK"}
    story = {"putin": "Putin", "nato": "NATO", "uk": "UK", "paris": "Paris"}
    df = {"putin": 3, "nato": 3, "uk": 40}
    for args in [
        (names, story, df, 100.0, 2.0, 4),
        (names, story, df, 100.0, 2.0, 1),
        (names, {}, df, 100.0, 2.0, 4),
    ]:
        assert c("shared_names")(*args) == py("shared_names")(*args)
    assert c("shared_names")(names, story, df, 100.0, 2.0, 4) == ["nato", "putin"]
    tied = {k: k for k in ["é", "e", "日本", "ab", "a", "Ab", "éa", "ÿ", "Ā"]}  # equal idf
    assert c("shared_names")(tied, tied, {}, 100.0, 2.0, 9) == sorted(tied)
    assert c("tfidf_vector")(dict.fromkeys(tied, 1.0), {}, 100.0, 9) == py("tfidf_vector")(
        dict.fromkeys(tied, 1.0), {}, 100.0, 9
    )
    assert list(c("tfidf_vector")(dict.fromkeys(tied, 1.0), {}, 100.0, 9)) == sorted(tied)


@compiled
@SETTINGS
@given(names_st, names_st, df_st, st.floats(1.0, 1e6), st.floats(-5.0, 10.0), st.integers(0, 6))
def test_shared_names_matches(
    names: dict[str, str],
    story: dict[str, str],
    df: dict[str, int],
    n: float,
    min_idf: float,
    k: int,
) -> None:
    assert c("shared_names")(names, story, df, n, min_idf, k) == py("shared_names")(
        names, story, df, n, min_idf, k
    )


@compiled
@SETTINGS
@given(st.lists(st.text(max_size=6) | st.sampled_from(["Ab", "AB", "ab", "İ", "ÉCOLE", ""])))
def test_lower_all_matches(tokens: list[str]) -> None:
    got = c("lower_all")(tokens)
    assert got == py("lower_all")(tokens) and all(type(t) is str for t in got)


# ---- errors and references --------------------------------------------------------------
@compiled
def test_bad_arguments_raise_instead_of_crashing() -> None:
    with pytest.raises(TypeError):
        c("dot")({"a": 1.0}, [1.0])
    with pytest.raises(TypeError):
        c("dot")({"a": "x"}, {"a": 1.0})
    with pytest.raises(TypeError):
        c("tfidf_vector")({1: 1.0}, {}, 20.0, 5)
    with pytest.raises(ValueError):
        c("tfidf_vector")({"a": 1.0}, {}, -1.0, 5)  # log of a negative number
    with pytest.raises(TypeError):
        c("top_hits")({"a": 1.0}, {"a": ["x"]}, 5, 5)
    with pytest.raises(TypeError):
        c("best_member")({"a": 1.0}, [("id",)], 0.4)
    with pytest.raises(TypeError):
        c("tokenize")(b"bytes")
    with pytest.raises(ZeroDivisionError):
        c("add_tokens")(["x"], 1.0, 1.5, {}, lambda tok: 1 / 0, {}, {}, set(), {}, set())


@compiled
def test_no_references_are_leaked() -> None:
    vec = {"a": 0.5, "b": 0.25}
    members = [("m1", {"a": 1.0}), ("m2", {"b": 2.0})]
    postings = {"a": [1, 2], "b": [2]}
    words_ = ["the", "bridge", "closed"] * 20
    text = "The bridge closed on Monday, 3,499 cars"
    watched = [vec, members, postings, words_, text, *vec, *members, *postings.values()]
    before = [sys.getrefcount(x) for x in watched]
    for _ in range(1000):
        c("dot")(vec, vec)
        c("best_member")(vec, members, 0.4)
        c("top_hits")(vec, postings, 10, 5)
        c("tfidf_vector")(vec, {"a": 3}, 20.0, 48)
        c("matched")(words_, words_[::-1], 0.0)
        c("tokenize")(text, True)
        c("count_into")({}, words_)
        c("shared_names")(vec, vec, {"a": 3}, 20.0, 0.0, 4)
        c("lower_all")(words_)
        c("closest_stories")(vec, [SimpleNamespace(active=True, centroid=vec, norm=1.0)], [0], {})
    assert [sys.getrefcount(x) for x in watched] == before


# ---- end to end -------------------------------------------------------------------------
_CLUSTER_SCRIPT = """
import json, sys
from digests import kernels
from digests.cluster import cluster_articles
from digests.synthetic import SyntheticStream

articles = [a for a, _ in SyntheticStream(int(sys.argv[1]))]
groups, assignments = cluster_articles(articles)
json.dump({
    "compiled": kernels.COMPILED,
    "groups": [[g.id, list(g.article_ids)] for g in groups],
    "assignments": {
        k: [a.story_id, a.new_story, a.score, list(a.evidence), a.duplicate_of]
        for k, a in assignments.items()
    },
}, sys.stdout)
"""


def _cluster_in_subprocess(n: int, pure: bool) -> dict[str, Any]:
    env = dict(os.environ)
    env.pop("NEWSDIGEST_PURE_PYTHON", None)
    if pure:
        env["NEWSDIGEST_PURE_PYTHON"] = "1"
    out = subprocess.run(
        [sys.executable, "-c", _CLUSTER_SCRIPT, str(n)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result: dict[str, Any] = json.loads(out)
    return result


@compiled
def test_clustering_is_the_same_with_compiled_and_python_kernels() -> None:
    n = 3_000  # small enough for the batch review (refine) to run too
    fast = _cluster_in_subprocess(n, pure=False)
    slow = _cluster_in_subprocess(n, pure=True)
    assert fast.pop("compiled") is True and slow.pop("compiled") is False
    assert len(fast["assignments"]) == n
    assert len(fast["groups"]) > 100  # a real partition, not one story or n of them
    assert fast["groups"] == slow["groups"]
    assert fast["assignments"] == slow["assignments"]
