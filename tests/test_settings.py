from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import ConfigError, load_settings, parse_duration

GOOD = """
[storage]
url = "sqlite:///x.db"

[[sources]]
name = "wire"
url = "https://example.org/feed.xml"
poll = "20s"

[[channels]]
platform = "slack"
id = "C0123456"
schedule = "0 8 * * *"
timezone = "Europe/Berlin"
sources = ["wire"]

[slack]
port = 3000
admins = ["U1"]

[discord]
guilds = [123456789012345678]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_contract_keys_load(tmp_path: Path) -> None:
    settings, path = load_settings(write(tmp_path, GOOD), env={})
    assert path is not None
    assert settings.sources[0].poll_seconds == 20
    assert settings.channels[0].key == "slack:C0123456"
    assert settings.discord.guilds == [123456789012345678]


def test_env_overrides(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    settings, _ = load_settings(
        None, env={"NEWSDIGEST_CONFIG": str(path), "NEWSDIGEST_DATABASE_URL": "sqlite:///y.db"}
    )
    assert settings.storage.url == "sqlite:///y.db"


def test_every_problem_listed(tmp_path: Path) -> None:
    bad = """
[storage]
url = "sqlite:///x.db"
colour = "blue"

[[sources]]
name = "wire"
url = "ftp://example.org/feed.xml"
poll = "soon"

[[channels]]
platform = "teams"
id = "x"

[[channels]]
platform = "console"
id = "stdout"
schedule = "every morning"
timezone = "Mars/Olympus"
"""
    with pytest.raises(ConfigError) as info:
        load_settings(write(tmp_path, bad), env={})
    text = "\n".join(info.value.problems)
    assert "storage.colour: unknown key" in text
    assert "sources.0.url" in text
    assert "sources.0.poll" in text
    assert "channels.0.platform" in text
    assert "Mars/Olympus" in text
    assert len(info.value.problems) >= 5


def test_unknown_source_name_and_missing_file(tmp_path: Path) -> None:
    text = GOOD.replace('sources = ["wire"]', 'sources = ["wire", "ghost"]')
    with pytest.raises(ConfigError, match="ghost"):
        load_settings(write(tmp_path, text), env={})
    with pytest.raises(ConfigError, match="no such file"):
        load_settings(tmp_path / "none.toml", env={})
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(write(tmp_path, "[storage"), env={})


def test_durations() -> None:
    assert parse_duration("10m") == 600
    assert parse_duration("1h") == 3600
    with pytest.raises(ValueError):
        parse_duration("5s")


def test_example_config_is_valid() -> None:
    root = Path(__file__).resolve().parents[1]
    settings, _ = load_settings(root / "config" / "example.toml", env={})
    assert settings.sources
