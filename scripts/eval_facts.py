"""Dev check of key facts against pages-devset gold facts and the two seed articles.

Usage: python scripts/eval_facts.py [--verbose] [--misses] [--misses]

A gold key fact counts as found when one of a story's first 8 facts covers most of its content
words (and most of its numbers). Since an extractive sheet cannot state what no single source
sentence states, it also reports how many of the gold facts one raw source sentence covers and
how many of those were found. A gold disagreement counts as flagged when one reported
disagreement (or a "rose from ... to" fact) names at least two of its figures, or the outlets
it names. Reads ../shared; prints a short report.

--misses explains the ordering losses: for every gold fact one candidate sentence states but the
first 8 miss, it prints where that candidate's group ranks (by score and in the chosen order),
its coverage gain against each pick that beat it, and the facts ranked above it.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from digests.dates import split_leading_dateline
from digests.facts import (
    _concept_weights,
    _gain,
    _rank,
    extract_facts,
    split_sentences,
)
from digests.headlines import choose_headline
from digests.models import Article, Dateline
from digests.tokens import content_tokens

SHARED = Path(__file__).resolve().parents[2] / "shared"
_MONTHS = "january february march april may june july august september october november december"


def _norm_tokens(text: str) -> set[str]:
    toks = set(content_tokens(text.replace("-", " ")))
    out = set()
    for t in toks:
        if t in _MONTHS.split():
            t = t[:3]
        out.add(t[:6])
    return out


def covered(gold: str, fact_texts: list[str], need: float = 0.6) -> bool:
    g = _norm_tokens(gold)
    nums = {t for t in g if t[0].isdigit()}
    for text in fact_texts:
        f = _norm_tokens(text)
        if not g:
            return False
        share = len(g & f) / len(g)
        num_share = len(nums & f) / len(nums) if nums else 1.0
        if share >= need and num_share >= 0.5:
            return True
    return False


_WORDS = {"two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7"}


def _figures(text: str) -> set[str]:
    low = re.sub(r"\b(" + "|".join(_WORDS) + r")\b", lambda m: _WORDS[m.group(1)], text.lower())
    return set(re.findall(r"\d[\d,.]*\d|\d", low))


def flagged(gold: str, texts: list[str], notes: bool = True) -> bool:
    """Whether a reported line matches a gold disagreement: two of its figures, or two of the
    outlets it names and one figure. With `notes`, also a note on one outlet ("Rocket height
    given as 403 feet (firstpulse.in)") or without figures ("nordot.app was filed before the
    signing"): every outlet it names, and one figure it writes in digits or else three of its
    words besides the outlets' names."""
    figures = _figures(gold)
    digits = set(re.findall(r"\d[\d,.]*\d|\d", gold))
    hosts = {h.removeprefix("www.") for h in re.findall(r"[a-z0-9-]+\.[a-z.]+", gold)}
    host_words = _norm_tokens(" ".join(h.replace(".", " ") for h in hosts))
    words = _norm_tokens(gold) - host_words
    for t in texts:
        tf = _figures(t)
        th = {h.removeprefix("www.") for h in re.findall(r"[a-z0-9-]+\.[a-z.]+", t)}
        if len(figures & tf) >= 2 or (len(hosts & th) >= 2 and len(figures & tf) >= 1):
            return True
        if not notes or not hosts or not hosts <= th:
            continue
        if digits & tf if digits else len(words & _norm_tokens(t)) >= 3:
            return True
    return False


def explain_misses(
    articles: list[Article], dups: dict[str, str], golds: list[str], top: list[str], raw: list[str]
) -> None:
    """Why reachable gold facts miss the first 8 (`top`): rank, score and gain of the best
    candidate stating them, or that no candidate does (the raw sentence was dropped)."""
    ranking = _rank(articles, dups)
    if ranking is None:
        return
    scored, chosen = ranking.scored, ranking.chosen
    df: Counter[str] = Counter()
    by_source: dict[str, set[str]] = {}
    for x in ranking.sents:
        by_source.setdefault(x.source, set()).update(x.tokens)
    for toks in by_source.values():
        df.update(toks)
    weights = _concept_weights(df)
    group_of = {id(m): i for i, (_, g, _) in enumerate(scored) for m in g.members}
    chosen_pos = {id(c[1]): i for i, c in enumerate(chosen)}
    for gold in golds:
        if covered(gold, top):
            continue
        hits = [x for x in ranking.sents if covered(gold, [x.text])]
        if not hits:
            said = next((r for r in raw if covered(gold, [r])), None)
            if said:
                print(f"  MISS {gold}\n     no candidate; dropped raw sentence: {said[:150]}")
            continue

        # The covering candidate whose group ranks best in the chosen order, else by score.
        def order(x: object) -> tuple[int, int]:
            gi = group_of[id(x)]
            return (chosen_pos.get(id(scored[gi][1]), 99), gi)

        best = min(hits, key=order)
        gi = group_of[id(best)]
        score, g, rep = scored[gi]
        pos = chosen_pos.get(id(g))
        if pos is not None and pos < 8 and covered(gold, [rep.text]):
            continue
        where = f"chosen #{pos + 1}" if pos is not None else "not chosen"
        print(f"  MISS {gold}")
        print(
            f"     best: score rank {gi + 1}/{len(scored)} ({score:.2f}), {where},"
            f" {'whole' if best.whole else 'clause'}, group of {len(g.members)},"
            f" rep covers: {covered(gold, [rep.text])}"
        )
        print(f"     cand: {best.text[:150]}")
        if rep is not best:
            print(f"     rep:  {rep.text[:150]}")
        for k in range(1, min(8, len(chosen))):
            cov: set[str] = set()
            for c in chosen[:k]:
                cov |= c[2].tokens
            kinds = Counter(c[2].kind or "other" for c in chosen[:k])
            mine = _gain((score, g, best), cov, weights, kinds)
            pick = _gain(chosen[k], cov, weights, kinds)
            print(
                f"     step {k + 1}: gain {mine:5.2f} vs pick {pick:5.2f}"
                f" (score {chosen[k][0]:.2f}) {chosen[k][2].text[:90]}"
            )


def devset(verbose: bool, misses: bool = False) -> None:
    base = SHARED / "data" / "pages-devset"
    arts = [json.loads(line) for line in (base / "articles.jsonl").open()]
    events = [json.loads(line) for line in (base / "events.jsonl").open()]
    found = total = dfound = dfound_before = dtotal = lenient = joint = reachable = reached = 0
    worst = 0.0
    for ev in events:
        recs = [r for r in arts if r["event_id"] == ev["event_id"]]
        articles = [
            Article(
                id=r["id"],
                title=r["title"],
                text=r["text"],
                source=r["source"],
                url=r["url"],
                published=datetime.fromisoformat(r["published"]).replace(tzinfo=UTC)
                if r["published"]
                else None,
            )
            for r in recs
        ]
        dups = {r["id"]: r["near_duplicate_of"] for r in recs if r["near_duplicate_of"]}
        t0 = time.perf_counter()
        sheet = extract_facts(articles, dups)
        worst = max(worst, time.perf_counter() - t0)
        top = [f.text for f in sheet.facts[:8]]
        ok = [covered(k, top) for k in ev["key_facts"]]
        found += sum(ok)
        lenient += sum(covered(k, top, 0.5) for k in ev["key_facts"])
        joint += sum(covered(k, [" ".join(top)]) for k in ev["key_facts"])
        total += len(ok)
        # Gold facts one source sentence states on its own: what an extractive sheet can reach.
        sentences = [x for r in recs for x in split_sentences(r["text"])]
        for k, hit in zip(ev["key_facts"], ok, strict=True):
            if covered(k, sentences):
                reachable += 1
                reached += hit
        dis_texts = [d.text for d in sheet.disagreements] + [
            f.text for f in sheet.facts if "rose from" in f.text
        ]
        dok = [flagged(d, dis_texts) for d in ev["disagreements"]]
        dfound += sum(dok)
        dfound_before += sum(flagged(d, dis_texts, notes=False) for d in ev["disagreements"])
        dtotal += len(dok)
        print(
            f"{ev['event_id']}: facts {sum(ok)}/{len(ok)}  disagreements {sum(dok)}/{len(dok)}"
            f"  reported {len(sheet.disagreements)}  headline: {choose_headline(articles)}"
        )
        if misses:
            explain_misses(articles, dups, ev["key_facts"], top, sentences)
        if verbose:
            for k, hit in zip(ev["key_facts"], ok, strict=True):
                together = covered(k, [" ".join(top)])
                print(f"   {'+' if hit else '-'}{'j' if together else ' '} {k}")
            for f in sheet.facts:
                print(f"   [{f.kind} x{f.source_count}] {f.text[:160]}")
            for d in sheet.disagreements:
                print(f"   DIS {d.text[:200]}")
    print(f"devset key facts in first 8: {found}/{total} = {found / max(1, total):.0%}")
    print(f"  (half of content words instead of 60%: {lenient}/{total})")
    print(f"  (60% covered by the first 8 facts together: {joint}/{total})")
    print(f"  (of the {reachable} stated whole by one source sentence: {reached})")
    print(f"devset disagreements flagged: {dfound}/{dtotal} = {dfound / max(1, dtotal):.0%}")
    print(f"  (by figures and outlet pairs alone, the rule before notes: {dfound_before}/{dtotal})")
    print(f"slowest extract_facts: {worst * 1000:.1f} ms")


def end_to_end() -> None:
    """The acceptance path: ingest the JSONL file, cluster it, and score each gold event
    against the facts of the story holding most of its articles (our own copy detection,
    headlines and datelines, not the set's annotations)."""
    from digests.ingest import read_paths
    from digests.pipeline import cluster_batch

    base = SHARED / "data" / "pages-devset"
    events = [json.loads(line) for line in (base / "events.jsonl").open()]
    gold = {r["id"]: r["event_id"] for r in map(json.loads, (base / "articles.jsonl").open())}
    result = cluster_batch(read_paths([base / "articles.jsonl"]).articles)
    found = total = joint = dfound = dtotal = 0
    for ev in events:
        story = max(
            result.stories,
            key=lambda s: sum(gold.get(a.id) == ev["event_id"] for a in s.articles),
        )
        top = [f.text for f in story.facts[:8]]
        found += sum(covered(k, top) for k in ev["key_facts"])
        joint += sum(covered(k, [" ".join(top)]) for k in ev["key_facts"])
        total += len(ev["key_facts"])
        texts = [d.text for d in story.disagreements] + [f.text for f in top if "rose from" in f]
        dfound += sum(flagged(d, texts) for d in ev["disagreements"])
        dtotal += len(ev["disagreements"])
    print(f"end to end (ingest + cluster): key facts in first 8 {found}/{total},")
    print(f"  joint {joint}/{total}; disagreements flagged {dfound}/{dtotal}")


def seed_article(path: Path) -> Article:
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines()]
    body = [ln for ln in lines if ln.strip()]
    title = ""
    for i, ln in enumerate(body):
        if ln.startswith("Copyright") and i > 0:
            title = body[i - 1]
            body = body[: i - 1]
            break
    dateline = None
    found, rest = split_leading_dateline(body[0])
    if found:
        dateline = Dateline(place=found[0], date_text=found[1], agency=found[2])
    elif not title:
        title, body = body[0], body[1:]
    return Article(
        id=path.stem, title=title, text="\n".join(body), source=path.stem, dateline=dateline
    )


def seeds(verbose: bool) -> None:
    paths = sorted((SHARED / "seeds").glob("*.txt"))
    articles = [seed_article(p) for p in paths]
    sheet = extract_facts(articles, {})
    print("seeds headline:", choose_headline(articles))
    for f in sheet.facts:
        print(f"  [{f.kind} x{f.source_count} {','.join(a[:3] for a in f.article_ids)}] {f.text}")
    for d in sheet.disagreements:
        print("  DIS", d.text)


def main() -> None:
    if not SHARED.exists():
        print(f"no shared data at {SHARED}; nothing to measure")
        return
    verbose = "--verbose" in sys.argv
    seeds(verbose)
    devset(verbose, "--misses" in sys.argv)
    end_to_end()


if __name__ == "__main__":
    main()
