"""TOML configuration -> validated settings. Secrets come only from the environment.

A bad configuration is the one thing that stops start-up, so validation collects
every problem and reports them all at once, each naming its key.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.cron import CronTrigger
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from sqlalchemy.engine import make_url

from bot.cron import apscheduler_crontab

DEFAULT_DB_FILE = "newsdigest.db"
_DURATION = re.compile(r"^\s*(\d+)\s*(s|m|h|d)\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# The five crontab fields: name, allowed numbers, allowed names (APScheduler 3 counts the week
# from Monday = 0).
_CRON_FIELDS = (
    ("minute", 0, 59, ""),
    ("hour", 0, 23, ""),
    ("day of month", 1, 31, ""),
    ("month", 1, 12, " or jan-dec"),
    ("day of week", 0, 7, " or sun-sat"),
)
_CRON_NUMBER = re.compile(r"(?<![/\d])\d+")  # a value, not the step of "*/15"
_DATABASE_HINT = "use sqlite:///PATH or postgresql+psycopg://USER@HOST/DB"
_DATABASE_DRIVERS = frozenset({"sqlite", "sqlite+pysqlite", "postgresql+psycopg"})
# Validation context flag: load_settings reports the cross-checks itself, with the field errors.
_CROSS_CHECKED = "cross_checked"


class ConfigError(Exception):
    """Every problem of a configuration, one per line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("invalid configuration:\n" + "\n".join(f"  - {p}" for p in problems))
        self.problems = problems


def parse_duration(value: str | int) -> int:
    """'20s', '10m', '1h', '1d' -> seconds."""
    if isinstance(value, int) and not isinstance(value, bool):
        seconds = value
    else:
        match = _DURATION.match(str(value))
        if not match:
            raise ValueError(f"{value!r} is not a duration like '20s', '10m', '1h'")
        seconds = int(match.group(1)) * _UNITS[match.group(2)]
    if seconds < 10:
        raise ValueError(f"{value!r} is too short: polls must be at least 10 seconds apart")
    return seconds


def _cron_field_problem(index: int, value: str) -> str | None:
    """What is wrong with one crontab field, in our words: APScheduler's own message names no
    field and, checking all five at once, can report the minute's '99' against the hour's 23."""
    name, low, high, names = _CRON_FIELDS[index]
    probe = ["*"] * 5
    probe[index] = value
    try:
        CronTrigger.from_crontab(apscheduler_crontab(" ".join(probe)), timezone="UTC")
    except ValueError:
        pass
    else:
        return None
    if any(len(n) > 4 or not low <= int(n) <= high for n in _CRON_NUMBER.findall(value)):
        return f"{name} {value!r} is out of range (allowed {low}-{high}{names})"
    return f"{name} {value!r} is not valid (allowed {low}-{high}{names}, *, lists, ranges, */N)"


def check_cron(expr: str, timezone: str | None = None) -> str:
    """A 5-field crontab expression, or ValueError naming each wrong field and its range."""
    fields = expr.split()
    if len(fields) != 5:
        raise ValueError(f"{expr!r} is not a 5-field cron expression like '0 8 * * *'")
    problems = [p for i, value in enumerate(fields) if (p := _cron_field_problem(i, value))]
    if not problems:
        try:
            CronTrigger.from_crontab(apscheduler_crontab(expr), timezone=timezone or "UTC")
        except ValueError:
            problems = ["its fields do not combine into a schedule"]
    if problems:
        raise ValueError(f"{expr!r} is not a valid cron expression: {'; '.join(problems)}")
    return expr


def check_database_url(url: str) -> str:
    """Catch a database URL that can never work at start-up, not at the first connection."""
    from digests.store import mask_url, normalize_url

    shown = mask_url(url)
    try:
        parsed = make_url(normalize_url(url))
    except Exception:  # ArgumentError, ValueError: both mean "not a URL"
        raise ValueError(f"{shown!r} is not a database URL; {_DATABASE_HINT}") from None
    if parsed.drivername not in _DATABASE_DRIVERS:
        raise ValueError(f"{shown!r} is not a supported database; {_DATABASE_HINT}")
    return url


def check_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{name!r} is not a known time zone (e.g. 'Europe/Berlin')") from None
    return name


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StorageSettings(_Strict):
    url: str = f"sqlite:///{DEFAULT_DB_FILE}"

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return check_database_url(value)


class SourceSettings(_Strict):
    name: str = Field(min_length=1)
    url: str | None = None
    path: str | None = None
    poll: str | int = "10m"
    allow_private: bool = False

    @field_validator("poll")
    @classmethod
    def _poll(cls, value: str | int) -> str | int:
        parse_duration(value)
        return value

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not value.lower().startswith(("http://", "https://")):
            raise ValueError(f"{value!r} must start with http:// or https://")
        return value

    @model_validator(mode="after")
    def _one_of(self) -> SourceSettings:
        if (self.url is None) == (self.path is None):
            raise ValueError("give exactly one of 'url' (a feed) or 'path' (a folder of articles)")
        return self

    @property
    def poll_seconds(self) -> int:
        return parse_duration(self.poll)


class ChannelSettings(_Strict):
    platform: Literal["slack", "discord", "console", "file"]
    id: str = Field(min_length=1)
    schedule: str = "0 8 * * *"
    timezone: str = "UTC"
    sources: list[str] | None = None
    empty_message: bool = False
    max_stories: int = Field(default=10, ge=1, le=50)
    # Optional "breaking" rule (0 = off): a story reaching this many distinct sources within
    # `breaking_minutes` of its first report is posted at once, not at the scheduled time.
    breaking_sources: int = Field(default=0, ge=0, le=50)
    breaking_minutes: int = Field(default=60, ge=1, le=1440)

    @field_validator("id", mode="before")
    @classmethod
    def _id(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str) -> str:
        return check_timezone(value)

    @field_validator("schedule")
    @classmethod
    def _cron(cls, value: str) -> str:
        # A field check (not a model check), so it is reported beside the other fields' problems.
        return check_cron(value)

    @property
    def key(self) -> str:
        return f"{self.platform}:{self.id}"


class SlackSettings(_Strict):
    port: int = Field(default=3000, ge=0, le=65535)
    admins: list[str] = []


class DiscordSettings(_Strict):
    guilds: list[int] = []


class Settings(_Strict):
    storage: StorageSettings = StorageSettings()
    sources: list[SourceSettings] = []
    channels: list[ChannelSettings] = []
    slack: SlackSettings = SlackSettings()
    discord: DiscordSettings = DiscordSettings()

    @model_validator(mode="after")
    def _cross(self, info: ValidationInfo) -> Settings:
        if info.context and info.context.get(_CROSS_CHECKED):
            return self
        problems = cross_problems(self.model_dump())
        if problems:
            raise ValueError("; ".join(problems))
        return self


def cross_problems(data: Mapping[str, Any]) -> list[str]:
    """Problems between entries: duplicate source names and channels, unknown sources.

    Works on the raw TOML data, tolerating entries that are themselves invalid, so that these
    are listed together with the field errors rather than only once every field is right.
    """
    problems = []
    sources = data.get("sources")
    named: dict[str, int] = {}
    for i, source in enumerate(sources if isinstance(sources, list) else []):
        name = source.get("name") if isinstance(source, Mapping) else None
        if not isinstance(name, str) or not name:
            continue
        if name in named:
            problems.append(
                f"sources.{i}.name: {name!r} is already the name of sources.{named[name]}"
            )
        else:
            named[name] = i
    channels = data.get("channels")
    seen: dict[str, int] = {}
    for i, channel in enumerate(channels if isinstance(channels, list) else []):
        if not isinstance(channel, Mapping):
            continue
        platform, ident = channel.get("platform"), channel.get("id")
        if isinstance(ident, int) and not isinstance(ident, bool):
            ident = str(ident)
        if isinstance(platform, str) and isinstance(ident, str) and ident:
            key = f"{platform}:{ident}"
            if key in seen:
                problems.append(
                    f"channels.{i}: {key} is already configured as channels.{seen[key]}"
                )
            else:
                seen[key] = i
        wanted = channel.get("sources")
        for j, name in enumerate(wanted if isinstance(wanted, list) else []):
            if isinstance(name, str) and name not in named:
                problems.append(f"channels.{i}.sources.{j}: no source is named {name!r}")
    return problems


def _format_errors(exc: ValidationError) -> list[str]:
    problems = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "config"
        if err["type"] == "extra_forbidden":
            problems.append(f"{where}: unknown key")
        else:
            message = err["msg"].removeprefix("Value error, ")
            problems.append(f"{where}: {message}")
    return problems


def _in_file_order(problems: list[str]) -> list[str]:
    """Problems grouped by section and entry (storage, sources.0, sources.1, channels.0, ...);
    the stable sort keeps each entry's own order."""
    sections = list(Settings.model_fields)

    def key(problem: str) -> tuple[int, int]:
        parts = problem.split(":", 1)[0].split(".")
        rank = sections.index(parts[0]) if parts[0] in sections else len(sections)
        entry = int(parts[1]) if len(parts) > 1 and parts[1].isdecimal() else -1
        return rank, entry

    return sorted(problems, key=key)


def load_settings(
    path: str | Path | None = None, env: Mapping[str, str] | None = None
) -> tuple[Settings, Path | None]:
    """Read the config (the argument, else NEWSDIGEST_CONFIG, else the embedded default)."""
    env = os.environ if env is None else env
    chosen = path or env.get("NEWSDIGEST_CONFIG") or None
    raw: dict[str, Any] = {}
    config_path: Path | None = None
    if chosen:
        config_path = Path(chosen)
        try:
            raw = tomllib.loads(config_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError([f"{config_path}: no such file"]) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError([f"{config_path}: cannot read ({exc})"]) from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError([f"{config_path}: not valid TOML ({exc})"]) from None
    problems = cross_problems(raw)
    settings: Settings | None = None
    try:
        settings = Settings.model_validate(raw, context={_CROSS_CHECKED: True})
    except ValidationError as exc:
        problems = _format_errors(exc) + problems
    problems = _in_file_order(problems)
    db_url = env.get("NEWSDIGEST_DATABASE_URL")
    if db_url:
        try:
            check_database_url(db_url)
        except ValueError as exc:
            problems.append(f"NEWSDIGEST_DATABASE_URL: {exc}")
    if problems or settings is None:
        raise ConfigError(problems)
    if db_url:
        settings = settings.model_copy(update={"storage": StorageSettings(url=db_url)})
    return settings, config_path
