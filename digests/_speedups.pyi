"""Types of the compiled kernels (digests/_speedups.c); see digests.kernels."""

from collections.abc import Callable, Iterable, Sequence
from typing import Any

def dot(a: dict[str, float], b: dict[str, float], /) -> float: ...
def best_member(
    vec: dict[str, float], members: Sequence[tuple[str, dict[str, float]]], min_cos: float, /
) -> tuple[float, list[str]]: ...
def top_hits(
    vec: dict[str, float], postings: dict[str, list[int]], n_terms: int, k: int, /
) -> list[int]: ...
def add_into(dst: dict[str, float], src: dict[str, float], /) -> None: ...
def tfidf_vector(
    terms: dict[str, float], df: dict[str, int], n: float, k: int, /
) -> dict[str, float]: ...
def matched(a: Sequence[str], b: Sequence[str], floor: float, /) -> int: ...
def first_stems(
    tokens: Sequence[str],
    memo: dict[str, str | None],
    learn: Callable[[list[str]], None],
    limit: int,
    /,
) -> list[str]: ...
def sublinear(terms: dict[str, float], /) -> dict[str, float]: ...
def shingle_jaccards(a: Sequence[str], others: Sequence[Sequence[str]], /) -> list[float]: ...
def add_tokens(
    tokens: Sequence[str],
    weight: float,
    number_weight: float,
    memo: dict[str, tuple[str, int, str] | None],
    learn: Callable[[str], tuple[str, int, str] | None],
    terms: dict[str, float],
    caps: dict[str, float],
    lower_seen: set[str],
    names: dict[str, str],
    numbers: set[str],
    /,
) -> None: ...
def find_dates(text: str, /) -> list[tuple[int, tuple[str | None, ...]]]: ...
def find_weekdays(text: str, /) -> list[tuple[int, str]]: ...
def tokenize(text: str, intern: bool = False, /) -> list[str]: ...
def post(
    postings: dict[str, list[int]], vec: dict[str, float], n_terms: int, idx: int, cap: int, /
) -> None: ...
def purge(postings: dict[str, list[int]], alive: Sequence[bool], /) -> None: ...
def merge_new(dst: dict[str, str], src: dict[str, str], cap: int, /) -> None: ...
def boost_names(
    terms: dict[str, float],
    caps: dict[str, float],
    lower_seen: set[str],
    names: dict[str, str],
    boost: float,
    /,
) -> None: ...
def count_into(counts: dict[Any, int], keys: Iterable[Any], /) -> None: ...
def shared_names(
    names: dict[str, str],
    story_names: dict[str, str],
    df: dict[str, int],
    n: float,
    min_idf: float,
    k: int,
    /,
) -> list[str]: ...
def lower_all(tokens: Sequence[str], /) -> list[str]: ...
def closest_stories(
    vec: dict[str, float],
    stories: Sequence[Any],
    candidates: Sequence[int],
    dots: dict[int, float],
    /,
) -> list[int]: ...
