"""Dev tool: check that a clusterer change leaves every result identical.

    python scripts/check_same_clusters.py --save /tmp/speed-baseline   # record
    python scripts/check_same_clusters.py --check /tmp/speed-baseline  # compare (exit 1 on diff)

For each corpus (ECB+, pages devset, UCI sample, the demo folder, a synthetic stream) it
writes the full `cluster_articles` result (groups and every Assignment, score rounded to 6
decimals) and the online path (`StoryClusterer().add` one article at a time).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import digests
from digests.cluster import StoryClusterer, cluster_articles
from digests.cluster_eval import load_jsonl
from digests.models import Article, Assignment
from digests.synthetic import synthetic_stream

DATA = Path("/work/shared/data")


def _jsonl(path: Path) -> Callable[[], list[Article]]:
    return lambda: load_jsonl(path)[0]


def _demo() -> list[Article]:
    from digests.ingest import read_paths

    return list(read_paths([Path(digests.__file__).parent / "demo"]).articles)


def _synthetic(n: int) -> Callable[[], list[Article]]:
    return lambda: [a for a, _ in synthetic_stream(n)]


CORPORA: dict[str, Callable[[], list[Article]]] = {
    "ecbplus": _jsonl(DATA / "ecbplus-subtopics/ecbplus.jsonl"),
    "pages": _jsonl(DATA / "pages-devset/articles.jsonl"),
    "uci": _jsonl(DATA / "uci-news-aggregator-sample/uci_sample.jsonl"),
    "demo": _demo,
    "synthetic20k": _synthetic(20_000),
}


def _assignment(a: Assignment) -> dict[str, object]:
    return {
        "article_id": a.article_id,
        "story_id": a.story_id,
        "new_story": a.new_story,
        "score": round(a.score, 6),
        "evidence": list(a.evidence),
        "duplicate_of": a.duplicate_of,
    }


def results(articles: list[Article]) -> dict[str, object]:
    groups, assignments = cluster_articles(articles)
    clusterer = StoryClusterer()
    online = [_assignment(clusterer.add(a)) for a in articles]
    return {
        "batch_groups": [[g.id, list(g.article_ids)] for g in groups],
        "batch_assignments": {k: _assignment(v) for k, v in assignments.items()},
        "online": online,
        "online_groups": [[g.id, list(g.article_ids)] for g in clusterer.groups()],
    }


def _first_diff(a: object, b: object, where: str = "") -> str:
    if type(a) is not type(b):
        return f"{where}: {a!r} != {b!r}"
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return f"{where}/{k}: only on one side"
            if a[k] != b[k]:
                return _first_diff(a[k], b[k], f"{where}/{k}")
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{where}: length {len(a)} != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if x != y:
                return _first_diff(x, y, f"{where}[{i}]")
    return f"{where}: {a!r} != {b!r}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--save", type=Path, help="write results to this folder")
    mode.add_argument("--check", type=Path, help="compare with results in this folder")
    ap.add_argument("--only", nargs="*", choices=sorted(CORPORA), help="corpora to run")
    args = ap.parse_args()
    failed = False
    for name in args.only or list(CORPORA):
        articles = CORPORA[name]()
        t0 = time.perf_counter()
        got = json.loads(json.dumps(results(articles)))
        secs = time.perf_counter() - t0
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            (args.save / f"{name}.json").write_text(json.dumps(got, indent=0), encoding="utf-8")
            print(f"{name}: saved ({len(articles)} articles, {secs:.1f}s)")
            continue
        want = json.loads((args.check / f"{name}.json").read_text(encoding="utf-8"))
        if got == want:
            print(f"{name}: identical ({len(articles)} articles, {secs:.1f}s)")
        else:
            failed = True
            print(f"{name}: DIFFERENT {_first_diff(want, got)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
