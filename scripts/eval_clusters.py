#!/usr/bin/env python3
"""Cluster a JSONL dev set and score it (dev tool, not shipped).

usage: eval_clusters.py DATA.jsonl [--online] [--shuffle SEED] [--threshold T] [--official]

Prints BCubed P/R/F1 (our implementation), near-copy recall when the set marks near-copies,
and with --official also runs ../shared/eval/score_clusters.py on the same prediction.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from digests.cluster import JOIN_THRESHOLD, StoryClusterer, cluster_articles
from digests.cluster_eval import bcubed, load_jsonl, read_seed

SHARED = Path(__file__).resolve().parents[2] / "shared"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data", nargs="+")
    ap.add_argument("--online", action="store_true", help="StoryClusterer.add only, no warm-up")
    ap.add_argument("--shuffle", type=int, default=None)
    ap.add_argument("--threshold", type=float, default=JOIN_THRESHOLD)
    ap.add_argument("--official", action="store_true")
    ap.add_argument("--show", action="store_true", help="print merged stories")
    args = ap.parse_args()
    for name in args.data:
        path = Path(name)
        if path.is_dir():
            arts = [read_seed(p) for p in sorted(path.glob("*.txt"))]
            gold = {a.id: "seed" for a in arts}
            near: dict[str, str] = {}
        else:
            arts, gold, near = load_jsonl(path)
        if args.shuffle is not None:
            random.Random(args.shuffle).shuffle(arts)
        t0 = time.perf_counter()
        if args.online:
            c = StoryClusterer(threshold=args.threshold)
            assigns = {a.id: c.add(a) for a in arts}
            groups = c.groups()
        else:
            groups, assigns = cluster_articles(arts, threshold=args.threshold)
        dt = time.perf_counter() - t0
        pred = {aid: g.id for g in groups for aid in g.article_ids}
        s = bcubed(gold, pred)
        line = (
            f"{path.name}: n={len(arts)} stories={s.stories} events={s.events} "
            f"bcubed P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f} ({dt:.1f}s)"
        )
        if near:
            hit = sum(
                1 for a, o in near.items() if assigns[a].duplicate_of or assigns[o].duplicate_of
            )
            flagged = sum(1 for a in assigns.values() if a.duplicate_of)
            line += f" near-copies flagged {hit}/{len(near)} (total flagged {flagged})"
        print(line)
        if args.show:
            for g in groups:
                events = sorted({gold[a] for a in g.article_ids})
                if len(events) > 1:
                    print("  merged", events, g.article_ids)
        if args.official:
            doc = {"stories": [{"id": g.id, "articles": list(g.article_ids)} for g in groups]}
            with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
                json.dump(doc, fh)
            subprocess.run(
                [sys.executable, str(SHARED / "eval" / "score_clusters.py"), str(path), fh.name],
                check=False,
            )


if __name__ == "__main__":
    main()
