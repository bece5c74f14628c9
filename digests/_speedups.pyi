"""Types of the compiled kernels (digests/_speedups.c); see digests.kernels."""

from collections.abc import Callable, Sequence

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
def tokenize(text: str, intern: bool = False, /) -> list[str]: ...
def post(
    postings: dict[str, list[int]], vec: dict[str, float], n_terms: int, idx: int, cap: int, /
) -> None: ...
def merge_new(dst: dict[str, str], src: dict[str, str], cap: int, /) -> None: ...
