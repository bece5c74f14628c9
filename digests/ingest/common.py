"""Pieces every reader shares: decoding bytes, finishing a body, naming the source."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import PurePath

from digests.models import UNKNOWN_SOURCE, Dateline
from digests.normalize import (
    clean_text,
    copyright_outlet,
    host_of,
    parse_dateline,
    strip_boilerplate,
)

MAX_TEXT = 100_000
"""Longest article body kept; longer texts are cut (a feed item is not a book)."""

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def decode_text(data: bytes, declared: str | None = None) -> tuple[str | None, str]:
    """Bytes to text, or (None, reason) when the bytes are not text at all.

    Order: byte-order mark, a declared charset, UTF-8, BOM-less UTF-16 (NULs in
    every other byte), then cp1252/latin-1 for legacy files. NUL bytes or many
    control characters mean a binary file.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec), ""
            except UnicodeDecodeError:
                return None, f"not valid {codec} despite its byte-order mark"
    if b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is None:
            return None, "binary file (contains NUL bytes)"
        return text, ""
    candidates = [declared] if declared else []
    candidates += ["utf-8", "cp1252", "latin-1"]
    for codec in candidates:
        try:
            text = data.decode(codec)  # type: ignore[arg-type]
        except (UnicodeDecodeError, LookupError, TypeError):
            continue
        if len(_CONTROL.findall(text[:4096])) > max(8, len(text[:4096]) // 20):
            return None, "binary file (mostly control characters)"
        return text, ""
    return None, "cannot be decoded as text"


def _utf16_without_bom(data: bytes) -> str | None:
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:4096]
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    codec = None
    if odd_nuls > half * 0.6 and even_nuls < half * 0.05:
        codec = "utf-16-le"
    elif even_nuls > half * 0.6 and odd_nuls < half * 0.05:
        codec = "utf-16-be"
    if codec is None:
        return None
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def stem_of(name: str) -> str:
    """A file's article id: its name without directory and extension."""
    try:
        path = PurePath(name)
        return path.stem or path.name or name
    except (TypeError, ValueError):
        return name


@dataclass(frozen=True)
class Body:
    text: str
    dateline: Dateline | None
    outlet: str | None


def finish_body(raw: str, *, cleaned: bool = False) -> Body:
    """Clean a body, remember its copyright outlet, drop furniture, split off the dateline."""
    text = raw if cleaned else clean_text(raw)
    outlet = copyright_outlet(text) if ("opyright" in text or "©" in text or "ⓒ" in text) else None
    text = strip_boilerplate(text)
    dateline, text = parse_dateline(text)
    if len(text) > MAX_TEXT:
        text = text[:MAX_TEXT].rsplit(" ", 1)[0]
    return Body(text=text, dateline=dateline, outlet=outlet)


def choose_source(
    named: str | None,
    *,
    outlet: str | None = None,
    dateline: Dateline | None = None,
    url: str | None = None,
    stem: str | None = None,
) -> tuple[str, str | None]:
    """The outlet to credit and, when it had to be guessed, a note saying how.

    Preference: an explicit source (record/feed/site name), the article's own
    copyright line, the dateline's agency, the URL host, the file name.
    """
    if named and named.strip():
        return named.strip(), None
    if outlet:
        return outlet, "outlet taken from the article's copyright line"
    if dateline is not None and dateline.agency:
        return dateline.agency, "no outlet named; source is the agency in the dateline"
    host = host_of(url)
    if host:
        return host.removeprefix("www."), "no outlet named; source is the URL host"
    if stem:
        return stem, "no outlet named in the article; source is the file name"
    return UNKNOWN_SOURCE, "no outlet named and nothing to guess it from"
