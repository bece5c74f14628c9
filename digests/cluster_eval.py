"""Measuring story quality: BCubed scores and readers for the team's dev sets.

Used by `scripts/eval_clusters.py`, the quality gate test and the benchmark. Readers build
`Article`s straight from records so measuring does not depend on the ingest module.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from digests.models import UNKNOWN_SOURCE, Article


@dataclass(frozen=True)
class Scores:
    """BCubed precision/recall/F1 (precision falls when different events share a story)."""

    precision: float
    recall: float
    f1: float
    stories: int
    events: int


def bcubed(gold: Mapping[str, str], pred: Mapping[str, str]) -> Scores:
    """BCubed over the gold ids; an article missing from `pred` counts as its own story."""
    g_members: dict[str, set[str]] = defaultdict(set)
    p_members: dict[str, set[str]] = defaultdict(set)
    labels = {a: pred.get(a, "__single__" + a) for a in gold}
    for a, event in gold.items():
        g_members[event].add(a)
        p_members[labels[a]].add(a)
    p_sum = r_sum = 0.0
    for a, event in gold.items():
        same_p, same_g = p_members[labels[a]], g_members[event]
        inter = len(same_p & same_g)
        p_sum += inter / len(same_p)
        r_sum += inter / len(same_g)
    n = len(gold) or 1
    p, r = p_sum / n, r_sum / n
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return Scores(p, r, f1, len(p_members), len(g_members))


def _published(value: object) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        dt = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def load_jsonl(path: Path) -> tuple[list[Article], dict[str, str], dict[str, str]]:
    """Articles, gold event per id, and `near_duplicate_of` per id (when the set marks it)."""
    articles: list[Article] = []
    gold: dict[str, str] = {}
    near: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        aid = str(row["id"])
        articles.append(
            Article(
                id=aid,
                title=row.get("title") or "",
                text=row.get("text") or "",
                source=row.get("source") or UNKNOWN_SOURCE,
                url=row.get("url"),
                published=_published(row.get("published")),
                lang=row.get("lang") or "en",
            )
        )
        gold[aid] = str(row.get("event_id"))
        if row.get("near_duplicate_of"):
            near[aid] = str(row["near_duplicate_of"])
    return articles, gold, near


_COPYRIGHT = re.compile(r"^\s*(copyright|©|\(c\))", re.IGNORECASE)


def read_seed(path: Path) -> Article:
    """A plain-text article: title = first short line (or the short line before Copyright)."""
    lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
    lines = [ln for ln in lines if ln]
    title = ""
    for i, ln in enumerate(lines):
        if _COPYRIGHT.match(ln) and i > 0 and len(lines[i - 1]) < 160:
            title = lines[i - 1]
            break
    if not title and lines and len(lines[0]) < 160:
        title = lines[0]
    body = "\n".join(ln for ln in lines if ln != title and not _COPYRIGHT.match(ln))
    return Article(id=path.stem, title=title, text=body, source=path.stem)
