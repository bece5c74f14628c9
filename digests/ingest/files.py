"""Files and folders of articles: dispatch by extension, report instead of raise."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path, PurePath

from digests.ingest.feeds import parse_feed
from digests.ingest.html import parse_html_page
from digests.ingest.records import read_json, read_jsonl
from digests.ingest.textfile import parse_text
from digests.models import Article, ReadProblem, ReadResult

log = logging.getLogger(__name__)

SUPPORTED_EXTENSIONS = (".txt", ".md", ".html", ".htm", ".json", ".jsonl", ".xml", ".rss", ".atom")
MAX_FILE_BYTES = 64 * 1024 * 1024


def read_bytes(data: bytes, name: str, origin: str = "") -> ReadResult:
    """Articles from one file's bytes; `name`'s extension picks the reader."""
    ext = PurePath(name).suffix.lower() if name else ""
    where = origin or name
    try:
        if ext in (".txt", ".md"):
            return parse_text(data, name, origin, markdown=ext == ".md")
        if ext in (".html", ".htm"):
            return parse_html_page(data, name, origin)
        if ext == ".json":
            return read_json(data, name, origin)
        if ext == ".jsonl":
            return read_jsonl(data, name, origin)
        if ext in (".xml", ".rss", ".atom"):
            return parse_feed(data, origin or name, None)
    except Exception as exc:  # noqa: BLE001 - a reader bug must cost one file, not the run
        log.exception("reading %s failed", where)
        return ReadResult(problems=(ReadProblem(where, f"could not be read: {exc}"),))
    reason = f"unsupported file type {ext!r}" if ext else "no file extension"
    return ReadResult(problems=(ReadProblem(where, reason),))


def read_paths(paths: Sequence[str | Path]) -> ReadResult:
    """Articles from files and folders (recursively, in sorted order).

    Inside folders, hidden and unsupported files are skipped silently; a file
    named explicitly that cannot be read is always a problem.
    """
    articles: list[Article] = []
    problems: list[ReadProblem] = []
    for raw in paths:
        path = Path(raw)
        try:
            if path.is_dir():
                files = _folder_files(path)
                if not files:
                    problems.append(ReadProblem(str(raw), "folder holds no article files"))
            elif path.exists():
                files = [path]
            else:
                problems.append(ReadProblem(str(raw), "no such file or directory"))
                continue
        except OSError as exc:
            problems.append(ReadProblem(str(raw), exc.strerror or str(exc)))
            continue
        for file in files:
            result = _read_file(file)
            articles.extend(result.articles)
            problems.extend(result.problems)
    return ReadResult(tuple(articles), tuple(problems))


def _folder_files(folder: Path) -> list[Path]:
    found: list[Path] = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.suffix.lower() in SUPPORTED_EXTENSIONS and path.is_file():
            found.append(path)
    return found


def _read_file(path: Path) -> ReadResult:
    where = str(path)
    if path.suffix.lower() not in SUPPORTED_EXTENSIONS:
        ext = path.suffix.lower()
        reason = f"unsupported file type {ext!r}" if ext else "no file extension"
        return ReadResult(problems=(ReadProblem(where, reason),))
    try:
        if not path.is_file():
            return ReadResult(problems=(ReadProblem(where, "not a regular file"),))
        if path.stat().st_size > MAX_FILE_BYTES:
            return ReadResult(problems=(ReadProblem(where, "file too large"),))
        data = path.read_bytes()
    except OSError as exc:
        return ReadResult(problems=(ReadProblem(where, f"unreadable: {exc.strerror or exc}"),))
    if not data.strip():
        return ReadResult(problems=(ReadProblem(where, "empty file"),))
    return read_bytes(data, where, where)
