"""Text and metadata normalisation shared by every reader.

Everything here is total: junk in gives an empty/None result out, never an
exception, because one odd article must not stop a feed or a folder.
"""

from __future__ import annotations

import email.utils
import hashlib
import html
import logging
import re
import unicodedata
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from digests.models import Dateline
from digests.tokens import content_tokens

log = logging.getLogger(__name__)

__all__ = [
    "canonical_url",
    "clean_text",
    "clean_title",
    "copyright_outlet",
    "fingerprint",
    "host_of",
    "html_to_text",
    "is_headline_like",
    "parse_date",
    "parse_dateline",
    "short_title",
    "stable_id",
    "strip_boilerplate",
]

# --------------------------------------------------------------------------- characters

_LINE_BREAKS = {"\r\n": "\n", "\r": "\n", "\u2028": "\n", "\u2029": "\n", "\x85": "\n"}
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
# Bidi embeddings/overrides/isolates and marks: invisible, and a spoofing vector in titles.
_BIDI = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"


def _char_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for cp in list(range(0x00, 0x20)) + list(range(0x7F, 0xA0)):
        table[cp] = None
    table[ord("\n")] = "\n"
    table[ord("\t")] = " "
    table[0x0B] = "\n"
    table[0x0C] = "\n"
    for ch in _ZERO_WIDTH + _BIDI:
        table[ord(ch)] = None
    for ch in "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000":
        table[ord(ch)] = " "
    return table


_CHAR_TABLE = _char_table()
_SURROGATES = re.compile("[\ud800-\udfff]")
_LINE_BREAK_RE = re.compile("\r\n|[\r\u2028\u2029\x85]")
_SPACES = re.compile(r"[ ]{2,}")
_TAG = re.compile(r"<[^<>]{0,500}>")


def normalize_chars(text: str) -> str:
    """Line breaks to `\\n`, odd spaces to ' ', control/zero-width/bidi/surrogates removed.

    Keeps layout (blank lines, indentation) so callers can still see paragraphs.
    """
    if not text:
        return ""
    text = _LINE_BREAK_RE.sub("\n", text)
    text = text.translate(_CHAR_TABLE)
    if _SURROGATES.search(text):
        text = _SURROGATES.sub("", text)
    return unicodedata.normalize("NFC", text)


# Template markup a page left unrendered ("{{^adFree}}", "{% endif %}"): never content.
_TEMPLATE_TAG = re.compile(r"\{\{[^{}\n]{0,60}\}\}|\{%[^%\n]{0,60}%\}")


def strip_template_tags(text: str) -> str:
    """The text without template tags (each leaves a space; callers collapse spaces)."""
    return _TEMPLATE_TAG.sub(" ", text) if "{" in text else text


def clean_text(text: str) -> str:
    """Plain text with one paragraph per line: blank lines, padding and unrendered template
    tags removed."""
    text = strip_template_tags(normalize_chars(text))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def clean_title(title: str, *, max_len: int = 300) -> str:
    """One line, no markup: feed titles often carry tags and (double) entities."""
    if not title:
        return ""
    for _ in range(2):
        if "&" not in title:
            break
        title = html.unescape(title)
    title = _TAG.sub(" ", title)
    title = normalize_chars(title)
    title = " ".join(title.split())
    if len(title) > max_len:
        title = title[:max_len].rsplit(" ", 1)[0].rstrip(" ,;:-") + "…"
    return title


def short_title(text: str, *, max_len: int = 120) -> str:
    """A stand-in headline: the first sentence of `text`, cut at a word boundary. Lines
    before the prose that are only a timestamp or a label ("Summary") are passed over."""
    lines = [line for line in text.split("\n") if line.strip()] if text else []
    first = clean_title(lines[0] if lines else "", max_len=10_000)
    for line in lines[:6]:
        words = line.split()
        if len(words) >= 4 and not _timestamp_only(words):
            first = clean_title(line, max_len=10_000)
            break
    match = re.search(r"(?<=[a-z0-9)\"”'’][.!?])\s+(?=[A-Z\"“])", first)
    if match:
        first = first[: match.start()]
    if len(first) > max_len:
        first = first[:max_len].rsplit(" ", 1)[0].rstrip(" ,;:-") + "…"
    return first


# --------------------------------------------------------------------------- ids, hashes

_NON_WORD = re.compile(r"[\W_]+")


def fingerprint(text: str) -> str:
    """Hash of the text with case, punctuation and spacing ignored (exact-duplicate key)."""
    norm = _NON_WORD.sub(" ", normalize_chars(text).casefold()).strip()
    return hashlib.blake2b(norm.encode("utf-8", "replace"), digest_size=16).hexdigest()


# Fewer words than this ("Live updates", "Morning briefing") are no evidence that two items
# are one text: many outlets use them for different things.
MIN_FINGERPRINT_WORDS = 3


def article_fingerprint(title: str, text: str) -> str:
    """The exact-duplicate key of an article's headline and body, or "" (no key) when they
    hold too few words to be one outlet's text copied by another."""
    joined = f"{title}\n{text}"
    if len(content_tokens(joined)) < MIN_FINGERPRINT_WORDS:
        return ""
    return fingerprint(joined)


def stable_id(*parts: str) -> str:
    """A short id that is the same on every run for the same parts."""
    joined = "\x1f".join(parts)
    return "h" + hashlib.blake2b(joined.encode("utf-8", "replace"), digest_size=8).hexdigest()


# --------------------------------------------------------------------------- URLs

_TRACKING_KEYS = {
    "fbclid",
    "gclid",
    "dclid",
    "gclsrc",
    "msclkid",
    "yclid",
    "igshid",
    "mc_cid",
    "mc_eid",
    "ref",
    "ref_src",
    "ref_url",
    "referrer",
    "_ga",
    "_gl",
    "ocid",
    "cmpid",
    "smid",
    "sr_share",
    "guccounter",
    "guce_referrer",
    "guce_referrer_sig",
    "__twitter_impression",
    "wt_mc",
    "wt.mc_id",
    "at_medium",
    "at_campaign",
}
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_tracking(key: str, value: str) -> bool:
    k = key.lower()
    if k.startswith(("utm_", "utm-", "hsa_", "pk_", "mtm_")) or k in _TRACKING_KEYS:
        return True
    if k == "amp" and value.lower() in ("", "1", "true", "yes"):
        return True
    return k == "outputtype" and value.lower() == "amp"


def canonical_url(url: str) -> str:
    """One spelling per article URL so that re-posts and feed variants compare equal.

    Lowercases scheme and host, drops userinfo, default ports, fragments, tracking
    parameters and AMP variants; sorts what query remains; no trailing slash
    except for the root. Non-HTTP identifiers (tag:, urn:) come back trimmed.
    """
    url = (url or "").strip()
    if not url:
        return ""
    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            return url
        host = (parts.hostname or "").rstrip(".")
        if host.startswith("amp."):
            host = host[4:]
        try:
            port = parts.port
        except ValueError:
            port = None
        netloc = host
        if ":" in host:  # IPv6 literal
            netloc = f"[{host}]"
        if port is not None and port != _DEFAULT_PORTS.get(scheme):
            netloc = f"{netloc}:{port}"
        path = parts.path or "/"
        segments = [s for s in path.split("/") if s.lower() != "amp"]
        path = "/".join(segments) or "/"
        if not path.startswith("/"):
            path = "/" + path
        if path.lower().endswith(".amp.html"):
            path = path[: -len(".amp.html")] + ".html"
        elif path.lower().endswith(".amp"):
            path = path[: -len(".amp")]
        if len(path) > 1:
            path = path.rstrip("/") or "/"
        query = [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not _is_tracking(k, v)
        ]
        query.sort()
        return urlunsplit((scheme, netloc, path, urlencode(query), ""))
    except (ValueError, UnicodeError):
        return url


def host_of(url: str | None) -> str | None:
    """The lowercased host name of an http(s) URL, or None."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError:
        return None
    if not host or parts.scheme.lower() not in ("http", "https", "feed", ""):
        return None
    host = host.rstrip(".")
    return host or None


# --------------------------------------------------------------------------- dates

_MIN_YEAR, _MAX_YEAR = 1900, 2200
_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}
_MONTH_RE = r"(?P<mon>[A-Za-z]{3,9})\.?"
_TIME_RE = (
    r"(?:(?:\s*[,/|@-]\s*|\s+(?:at\s+)?)(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?"
    r"\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?(?:\s*(?P<tz>UTC|GMT|Z|[+-]\d{2}:?\d{2}))?)?"
)
_WEEKDAY = r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?\s+)?"
_TEXT_DATES = [
    re.compile(
        rf"^{_WEEKDAY}{_MONTH_RE}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}}){_TIME_RE}$"
    ),
    re.compile(
        rf"^{_WEEKDAY}(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH_RE},?\s+(?P<y>\d{{4}}){_TIME_RE}$"
    ),
    re.compile(rf"^(?P<y>\d{{4}})[/.](?P<m>\d{{1,2}})[/.](?P<d>\d{{1,2}}){_TIME_RE}$"),
]
_ISO_DAY = re.compile(r"^\d{4}-(\d{1,2})-(\d{1,2})")
_EPOCH = re.compile(r"^\d{9,11}(?:\.\d+)?$")


def _aware(dt: datetime) -> datetime | None:
    try:
        dt = dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)
    except (OverflowError, ValueError):
        return None
    return dt if _MIN_YEAR <= dt.year <= _MAX_YEAR else None


def _from_text(value: str) -> datetime | None:
    for pattern in _TEXT_DATES:
        m = pattern.match(value)
        if not m:
            continue
        g = m.groupdict()
        month = int(g["m"]) if g.get("m") else _MONTHS.get((g.get("mon") or "").lower())
        if not month:
            return None
        hour, minute, second = int(g["h"] or 0), int(g["mi"] or 0), int(g["s"] or 0)
        ampm = (g.get("ampm") or "").lower().replace(".", "")
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        try:
            dt = datetime(int(g["y"]), month, int(g["d"]), hour, minute, second)
        except ValueError:
            return None
        tz = g.get("tz")
        if tz and tz not in ("UTC", "GMT", "Z"):
            try:
                off = datetime.strptime(tz.replace(":", ""), "%z").tzinfo
                dt = dt.replace(tzinfo=off)
            except ValueError:
                return None
        return _aware(dt)
    return None


def parse_date(value: str | None) -> datetime | None:
    """Any common date spelling to an aware UTC datetime; naive times count as UTC."""
    if value is None or not isinstance(value, str):
        return None
    value = " ".join(normalize_chars(value).split())
    if not value or len(value) > 100:
        return None
    try:
        if _EPOCH.match(value):
            return _aware(datetime.fromtimestamp(float(value), UTC))
        ymd = _ISO_DAY.match(value)
        if ymd and not (1 <= int(ymd.group(1)) <= 12 and 1 <= int(ymd.group(2)) <= 31):
            return None
        iso = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value
        try:
            return _aware(datetime.fromisoformat(iso))
        except ValueError:
            pass
        found = _from_text(value)
        if found:
            return found
        try:
            rfc = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            rfc = None
        if rfc is not None:
            return _aware(rfc)
        return _feedparser_date(value)
    except (OverflowError, ValueError, OSError):
        return None


def _feedparser_date(value: str) -> datetime | None:
    """feedparser knows many odd feed dialects (W3DTF, asctime, Korean, Greek ...)."""
    try:
        from feedparser.datetimes import _parse_date

        parsed = _parse_date(value)
    except Exception:  # noqa: BLE001 - third-party date heuristics; junk means "no date"
        return None
    if not parsed:
        return None
    try:
        y, mo, d, h, mi, sec = (int(x) for x in parsed[:6])
        return _aware(datetime(y, mo, d, h, mi, sec, tzinfo=UTC))
    except (TypeError, ValueError):
        return None


# --------------------------------------------------------------------------- datelines

_AGENCY_NAMES = {
    "AP": "AP",
    "AFP": "AFP",
    "REUTERS": "Reuters",
    "UPI": "UPI",
    "YONHAP": "Yonhap",
    "XINHUA": "Xinhua",
    "KYODO": "Kyodo",
    "TASS": "TASS",
    "IANS": "IANS",
    "PTI": "PTI",
    "ANI": "ANI",
    "DPA": "dpa",
    "EFE": "EFE",
    "ANSA": "ANSA",
    "BERNAMA": "Bernama",
    "ANADOLU": "Anadolu",
    "AA": "Anadolu",
    "CNA": "CNA",
}
_NOT_PLACES = {
    "UPDATE",
    "UPDATED",
    "BREAKING",
    "BREAKING NEWS",
    "EXCLUSIVE",
    "WATCH",
    "ANALYSIS",
    "OPINION",
    "EDITOR'S NOTE",
    "NOTE",
    "CORRECTION",
    "PHOTO",
    "FILE PHOTO",
    "VIDEO",
    "LIVE",
    "FACT CHECK",
    "POSTED",
    "PUBLISHED",
    "LAST UPDATED",
    "BY",
    "SOURCE",
    "MONDAY",
    "TUESDAY",
    "WEDNESDAY",
    "THURSDAY",
    "FRIDAY",
    "SATURDAY",
    "SUNDAY",
    "TODAY",
    "YESTERDAY",
}
_MONTH_WORD = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_DATE_PART = (
    rf"(?:{_MONTH_WORD}\.?\s+\d{{1,2}}(?:,?\s+\d{{4}})?|\d{{1,2}}\s+{_MONTH_WORD}\.?(?:\s+\d{{4}})?"
    r"|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)"
)
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z.'’\-]*(?:\s+[A-Za-z][A-Za-z.'’\-]*){0,4}?)"
    r"(?P<region>\s*/[^/\n]{1,40}/)?"
    r"(?:\s*,\s*(?P<region2>[A-Z][A-Za-z.]+(?:\s+[A-Z][A-Za-z.]+)?)(?=\s*,))?"
    rf"(?:\s*,\s*(?P<date>{_DATE_PART}))?"
    r"\.?"
    r"(?:\s*\((?P<agency>[A-Za-z][A-Za-z .&\-]{0,28})\)|\s*/(?P<agency2>[A-Z][A-Za-z\-]{1,20})/)?"
    r"\.?"
    r"(?P<sep>\s*(?:--|[-—–:])\s*|(?<=[).])\s+(?=\S)|(?<=/)\s+(?=\S))"
)


def parse_dateline(text: str) -> tuple[Dateline | None, str]:
    """Split a wire dateline (`SEOUL, June 30 (AJP) -`) off the start of `text`.

    Returns the dateline and the text with only that prefix removed, so the body
    still opens with its first real sentence. Conservative: a capitalised word
    followed by a colon ("Update: ...") is not a dateline unless it is in capitals
    and not a known label.
    """
    if not text:
        return None, text or ""
    lead = text.lstrip()
    m = _DATELINE.match(lead[:200])
    if not m:
        return None, text
    place = m.group("place").strip()
    agency = m.group("agency") or m.group("agency2")
    date_text = m.group("date")
    sep = m.group("sep").strip()
    has_sep = bool(sep)
    caps = place.upper() == place and any(c.isalpha() for c in place)
    if place.upper().strip(" .") in _NOT_PLACES or len(place) > 40:
        return None, text
    rest = lead[m.end() :]
    if not rest or not (rest[0].isupper() or rest[0].isdigit() or rest[0] in "\"“'‘("):
        return None, text
    if caps:
        ok = has_sep or bool(agency) or (bool(date_text) and sep == "")
        if sep == "" and not agency:
            ok = False
    else:
        if sep == ":":
            ok = False
        else:
            ok = bool(date_text) and (bool(agency) or sep in ("-", "—", "–", "--"))
            ok = ok or (bool(agency) and sep in ("-", "—", "–", "--"))
    if not ok:
        return None, text
    if agency:
        agency = " ".join(agency.split())
        agency = _AGENCY_NAMES.get(agency.upper(), agency)
    region = (m.group("region") or "").strip(" /") or m.group("region2")
    full_place = f"{place}, {region}" if region else place
    return Dateline(place=full_place, date_text=date_text, agency=agency), rest


# --------------------------------------------------------------------------- boilerplate

_COPYRIGHT = re.compile(
    r"^(?:copyright\b\s*(?:[ⓒ©]|\(c\))?|[ⓒ©]|\(c\)(?=\s*\d{4}))\s*"
    r"(?:(?:\d{4})(?:\s*[-–]\s*\d{4})?\s*,?\s*)?(?P<outlet>.*?)"
    r"[\s.,;]*(?:all rights reserved\.?.*)?$",
    re.IGNORECASE,
)
_BOILERPLATE = re.compile(
    r"^(?:"
    r"(?:copyright\b|[ⓒ©]|\(c\)\s*\d{4}).{0,200}"
    r"|.{0,150}\ball rights reserved\b.{0,80}"
    r"|share (?:this|the) (?:article|story|post|page)\b.{0,80}"
    r"|share (?:on|via) (?:facebook|twitter|x|linkedin|whatsapp|email)\b.{0,40}"
    r"|(?:subscribe|sign up)\b.{0,60}\bnewsletters?\b.{0,80}"
    r"|follow us on\b.{0,100}"
    r"|click here (?:to|for)\b.{0,150}"
    r"|(?:advertisement|advertising|sponsored content|story continues below(?: advertisement)?"
    r"|scroll to continue(?: with content)?|continue reading(?: below)?)[\s.:]*"
    r"|(?:read more|also read|read also|see also|related|related articles|related stories"
    r"|recommended|more from [a-z ]{1,30})\s*:.{0,200}"
    r"|(?:related|related articles|related stories|recommended|recommended stories"
    r"|most read|trending now)[\s:]*"
    r"|(?:facebook|twitter|linkedin|whatsapp|email|print|reddit|telegram|copy link)"
    r"(?:\s*[|·,/]?\s*(?:facebook|twitter|x|linkedin|whatsapp|email|print|reddit|telegram"
    r"|copy link))*"
    r"|(?:we use cookies|this (?:website|site) uses cookies)\b.{0,200}"
    r"|\(?(?:reporting|writing|editing|additional reporting) by\b[^.]{0,150}\)?\.?"
    r"|download (?:the|our) app\b.{0,80}"
    r"|(?:listen to|watch) this (?:article|story)\b.{0,40}"
    r")$",
    re.IGNORECASE,
)


def is_boilerplate(line: str) -> bool:
    """True for a whole line that is site furniture rather than reporting."""
    line = line.strip()
    return bool(line) and len(line) <= 300 and bool(_BOILERPLATE.match(line))


def strip_boilerplate(text: str) -> str:
    """Drop whole lines that are copyright notices, share/subscribe prompts and the like.

    Line-based and conservative: a line is only dropped when all of it is furniture,
    so a sentence that merely mentions "advertisement" stays.
    """
    if not text:
        return ""
    return "\n".join(line for line in text.split("\n") if not is_boilerplate(line))


def copyright_outlet(text: str) -> str | None:
    """The outlet named by a copyright line ("Copyright ⓒ Aju Press ..." -> "Aju Press")."""
    for line in reversed(text.split("\n")):
        line = line.strip()
        if not line or len(line) > 200:
            continue
        m = _COPYRIGHT.match(line)
        if not m:
            continue
        outlet = re.split(r"\s*(?:\||\.\s|;|,\s*all\b)", m.group("outlet"), maxsplit=1)[0]
        outlet = clean_title(outlet).strip(" .,-–—:")
        outlet = re.sub(r"^by\s+", "", outlet, flags=re.IGNORECASE)
        if outlet and 2 <= len(outlet) <= 60 and any(c.isalpha() for c in outlet):
            return outlet
    return None


# --------------------------------------------------------------------------- headlines

_NOT_HEADLINE = re.compile(
    r"^(?:by|photo|photos|image|source|credit|credits|file|posted|published|updated|written by"
    r"|reporting by|editing by)\b\s*:?\s+\S",
    re.IGNORECASE,
)
_TERMINAL = (".", ",", ";", ":", "!", "…")
# What a timestamp line is made of ("Sunday, 4 February, 2024 UTC", "Updated 14:05 GMT").
_TIMESTAMP_WORD = re.compile(
    r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?|jan(?:uary)?|"
    r"feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|[ap]\.?m\.?|utc|gmt|[a-z]{1,2}[sd]t|ist|"
    r"at|on|updated|published|posted|last|[\d:/.,-]+(?:st|nd|rd|th|h)?)",
    re.IGNORECASE,
)


def _timestamp_only(words: list[str]) -> bool:
    return all(_TIMESTAMP_WORD.fullmatch(w.strip(",.()|")) for w in words if w.strip(",.()|"))


def is_headline_like(line: str) -> bool:
    """A short, unpunctuated, title-shaped line (not a dateline, date or URL)."""
    line = line.strip().lstrip("#").strip()
    if not (8 <= len(line) <= 200):
        return False
    words = line.split()
    if not (2 <= len(words) <= 30):
        return False
    stripped = line.rstrip("\"”'’)")
    if stripped.endswith(_TERMINAL) and not stripped.endswith(("...", "…")):
        return False
    if stripped.endswith(("...", "…")):
        return False
    if is_boilerplate(line) or re.match(r"^(?:https?://|www\.)\S+$", line):
        return False
    if parse_date(line) is not None or _timestamp_only(words):
        return False
    if _NOT_HEADLINE.match(line) or parse_dateline(line)[0] is not None:
        return False
    bare, rest = parse_dateline(line + " Xq")
    if bare is not None and rest == "Xq":
        return False
    letters = [c for c in line if c.isalpha()]
    if len(letters) < len(line) * 0.5:
        return False
    # Two full sentences in one line read as body text, not a headline.
    return not re.search(r"[a-z]{3,}[.!?]\s+[A-Z]", line)


# --------------------------------------------------------------------------- HTML

_DROP_TAGS = (
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "noscript",
    "template",
    "svg",
    "math",
    "form",
    "button",
    "input",
    "select",
    "textarea",
    "head",
    "meta",
    "link",
    "canvas",
    "audio",
    "video",
    "source",
    "track",
    "map",
)
_PAGE_FURNITURE = ("nav", "header", "footer", "aside", "menu", "dialog")
_BLOCK_TAGS = {
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "tr",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "figure",
    "figcaption",
    "hr",
    "address",
    "main",
    "center",
    "details",
    "summary",
}
_ACTIVE_MARKUP = re.compile(
    r"<(script|style|iframe|object|embed|applet|frame|frameset)\b[^>]*>.*?</\1\s*>"
    r"|</?(?:script|style|iframe|object|embed|applet|frame|frameset|meta|link|base|form)\b[^>]*>",
    re.IGNORECASE | re.DOTALL,
)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>", re.IGNORECASE)


def html_to_text(html_text: str, *, full_page: bool) -> str:
    """Readable plain text from HTML; never returns script, style or embedded content.

    Full pages go through trafilatura's main-content extraction (precision first)
    and fall back to a tag-level conversion when it finds nothing; feed snippets
    only need the tag-level conversion.
    """
    if not html_text or not html_text.strip():
        return ""
    html_text = _XML_DECL.sub("", normalize_chars(html_text), count=1)
    text = _trafilatura_text(html_text) if full_page else ""
    text = text or _lxml_text(html_text, drop_furniture=full_page)
    # Escaped markup in the source becomes literal tags in the text; never pass
    # active content on, even as text, since some renderers re-interpret it.
    return clean_text(_ACTIVE_MARKUP.sub("", text)) if "<" in text else text


def _trafilatura_text(html_text: str) -> str:
    try:
        import trafilatura

        out = trafilatura.extract(
            html_text,
            favor_precision=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            output_format="txt",
        )
    except Exception as exc:  # noqa: BLE001 - extractor failures fall back to lxml
        log.debug("trafilatura failed: %s", exc)
        return ""
    return clean_text(out or "")


def _lxml_text(html_text: str, *, drop_furniture: bool) -> str:
    try:
        import lxml.html

        root = (
            lxml.html.fromstring(f"<div>{html_text}</div>")
            if not drop_furniture
            else (lxml.html.document_fromstring(html_text))
        )
    except Exception:  # noqa: BLE001 - lxml rejects some inputs outright; strip tags instead
        return clean_text(html.unescape(_TAG.sub(" ", html_text)))
    drop = _DROP_TAGS + (_PAGE_FURNITURE if drop_furniture else ())
    for el in list(root.iter(*drop)):
        if el.getparent() is not None:
            el.drop_tree()
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.lower()
        if tag == "br":
            el.tail = "\n" + (el.tail or "")
        elif tag in _BLOCK_TAGS:
            el.text = "\n" + (el.text or "")
            el.tail = "\n" + (el.tail or "")
        elif tag in ("td", "th"):
            el.tail = " " + (el.tail or "")
    try:
        text = root.text_content()
    except Exception:  # noqa: BLE001
        return ""
    return clean_text(str(text))
