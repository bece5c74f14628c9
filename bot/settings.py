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
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

DEFAULT_DB_FILE = "newsdigest.db"
_DURATION = re.compile(r"^\s*(\d+)\s*(s|m|h|d)\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


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
        raise ValueError(f"{value!r} is too short: poll at most every 10 seconds")
    return seconds


def check_cron(expr: str, timezone: str | None = None) -> str:
    fields = expr.split()
    if len(fields) != 5:
        raise ValueError(f"{expr!r} is not a 5-field cron expression like '0 8 * * *'")
    try:
        CronTrigger.from_crontab(expr, timezone=timezone or "UTC")
    except ValueError as exc:
        raise ValueError(f"{expr!r} is not a valid cron expression: {exc}") from None
    return expr


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

    @model_validator(mode="after")
    def _cron(self) -> ChannelSettings:
        check_cron(self.schedule, self.timezone)
        return self

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
    def _cross(self) -> Settings:
        problems = []
        names = [s.name for s in self.sources]
        for dup in sorted({n for n in names if names.count(n) > 1}):
            problems.append(f"sources: the name {dup!r} is used twice")
        for i, channel in enumerate(self.channels):
            for name in channel.sources or []:
                if name not in names:
                    problems.append(f"channels[{i}].sources: no source is named {name!r}")
        if problems:
            raise ValueError("; ".join(problems))
        return self


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
    try:
        settings = Settings.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(_format_errors(exc)) from None
    db_url = env.get("NEWSDIGEST_DATABASE_URL")
    if db_url:
        settings = settings.model_copy(update={"storage": StorageSettings(url=db_url)})
    return settings, config_path
