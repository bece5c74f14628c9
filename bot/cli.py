"""`newsdigest` command line: cluster, digest, run, bench."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Sequence
from datetime import UTC, datetime

from digests.ingest import parse_feed, read_paths
from digests.models import Article, ReadProblem
from digests.pipeline import BatchResult, cluster_batch, make_digest
from digests.render import digest_view, render_json, render_markdown, render_text, story_json

log = logging.getLogger(__name__)

FORMATS = ("text", "markdown", "slack", "discord", "json")
# Third-party loggers that narrate their own recoverable trouble ("discarding data: None" for
# an empty page) at WARNING; we already report the skipped input in our own words.
QUIET_LOGGERS = ("trafilatura", "htmldate", "courlan", "justext", "charset_normalizer")
# Loggers whose warnings are about the bot's own operation (retries, missed jobs): kept.
TERSE_LOGGERS = ("httpx", "apscheduler", "discord", "slack_bolt", "alembic")


def positive_int(text: str) -> int:
    """argparse type: a whole number of at least 1 (a limit of 0 or -1 makes no digest)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be at least 1")
    return value


def package_version() -> str:
    """The installed distribution's version (pyproject.toml is the one place it is written)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("newsdigest")
    except PackageNotFoundError:
        return "unknown (not installed)"


def _is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


async def _read_feeds(urls: Sequence[str]) -> tuple[list[Article], list[ReadProblem]]:
    from bot.fetch import Fetcher, FetchError

    articles: list[Article] = []
    problems: list[ReadProblem] = []
    fetcher = Fetcher()
    try:
        for url in urls:
            try:
                # the operator typed this URL on their own machine: local feeds are fine
                result = await fetcher.fetch(url, allow_private=True)
            except FetchError as exc:
                problems.append(ReadProblem(url, str(exc)))
                continue
            parsed = parse_feed(result.body, result.url)
            articles.extend(parsed.articles)
            problems.extend(parsed.problems)
    finally:
        await fetcher.aclose()
    return articles, problems


def read_inputs(inputs: Sequence[str]) -> tuple[list[Article], list[ReadProblem]]:
    urls = [i for i in inputs if _is_url(i)]
    paths = [i for i in inputs if not _is_url(i)]
    result = read_paths(paths) if paths else None
    articles = list(result.articles) if result else []
    problems = list(result.problems) if result else []
    if urls:
        feed_articles, feed_problems = asyncio.run(_read_feeds(urls))
        articles.extend(feed_articles)
        problems.extend(feed_problems)
    return articles, problems


def _cluster_inputs(inputs: Sequence[str]) -> BatchResult | None:
    """Read and cluster; every skipped input is one line on stderr. None: nothing was read."""
    articles, problems = read_inputs(inputs)
    for problem in problems:
        print(f"newsdigest: skipped {problem}", file=sys.stderr)
    if not articles:
        print("newsdigest: no article could be read", file=sys.stderr)
        return None
    return cluster_batch(articles)


def cmd_cluster(args: argparse.Namespace) -> int:
    batch = _cluster_inputs(args.inputs)
    if batch is None:
        return 1
    if args.json:
        doc = {"stories": [story_json(s) for s in batch.stories]}
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    for number, story in enumerate(batch.stories, start=1):
        print(f"{number}. {story.headline}  [{story.id}]")
        print(f"   {len(story.sources)} source(s): {', '.join(s.name for s in story.sources)}")
        for article in story.articles:
            copy = batch.assignments[article.id].duplicate_of
            note = f" (copy of {copy})" if copy else ""
            if article.source_note:
                note += f" [{article.source_note}]"
            print(f"   - {article.id}: {article.title or '(untitled)'} — {article.source}{note}")
    return 0


def cmd_digest(args: argparse.Namespace) -> int:
    batch = _cluster_inputs(args.inputs)
    if batch is None:
        return 1
    digest = make_digest(
        batch.stories, title="News digest", now=datetime.now(UTC), limit=args.limit
    )
    view = digest_view(digest)
    if args.format == "json":
        print(render_json(digest))
    elif args.format == "markdown":
        sys.stdout.write(render_markdown(view))
    elif args.format == "slack":
        from digests.render_slack import render_digest_messages as slack_messages

        print(json.dumps(slack_messages(view), ensure_ascii=False, indent=2))
    elif args.format == "discord":
        from digests.render_discord import render_digest_messages as discord_messages

        print(json.dumps(discord_messages(view), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(render_text(view))
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from bot.app import run_bot
    from bot.settings import ConfigError, load_settings

    try:
        settings, path = load_settings(args.config)
    except ConfigError as exc:
        print(f"newsdigest: {exc}", file=sys.stderr)
        return 2
    return run_bot(settings, config_path=path, once=args.once)


def cmd_bench(args: argparse.Namespace) -> int:
    from bot.bench import run_bench
    from bot.bench_ops import run_ops_bench

    try:
        sizes = tuple(int(s) for s in args.sizes.split(",")) if args.sizes else (10_000, 100_000)
    except ValueError:
        print(
            f"newsdigest: --sizes takes whole numbers like 10000,100000: {args.sizes!r}",
            file=sys.stderr,
        )
        return 2
    run_bench(sys.stdout, sizes=sizes, baseline=not args.no_baseline)
    if not args.no_ops:
        run_ops_bench(sys.stdout, feeds=args.feeds, requests=args.requests, load=args.load)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsdigest",
        description="Group news from many outlets into stories and post digests to chat.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    parser.add_argument("--version", action="version", version=f"%(prog)s {package_version()}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("cluster", help="group articles into stories")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="file, directory or feed URL")
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.set_defaults(func=cmd_cluster)

    p = sub.add_parser("digest", help="print the digest that would be posted")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="file, directory or feed URL")
    p.add_argument("--format", choices=FORMATS, default="text")
    p.add_argument(
        "--limit", type=positive_int, default=10, help="stories in the digest (default 10)"
    )
    p.set_defaults(func=cmd_digest)

    p = sub.add_parser("run", help="run the bot (scheduler + chat platforms)")
    p.add_argument("--config", metavar="PATH", help="TOML config (default: NEWSDIGEST_CONFIG)")
    p.add_argument("--once", action="store_true", help="one poll + digest cycle, then exit")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("bench", help="benchmark the clusterer; prints name=value lines")
    p.add_argument("--sizes", help="comma-separated stream sizes (default 10000,100000)")
    p.add_argument("--no-baseline", action="store_true", help="skip the scikit-learn baseline")
    p.add_argument("--no-ops", action="store_true", help="skip the polling and ack benchmarks")
    p.add_argument("--feeds", type=int, default=1000, help="feeds in the polling benchmark")
    p.add_argument("--requests", type=int, default=200, help="requests in the ack benchmark")
    p.add_argument(
        "--load", type=int, default=2000, help="articles ingested while acks are timed (0: skip)"
    )
    p.set_defaults(func=cmd_bench)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if not args.verbose:
        for name in TERSE_LOGGERS:
            logging.getLogger(name).setLevel(logging.WARNING)
        for name in QUIET_LOGGERS:
            logging.getLogger(name).setLevel(logging.ERROR)
    try:
        code: int = args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    return code
