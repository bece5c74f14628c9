from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import ConfigError, check_cron, load_settings, parse_duration

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


def test_cross_checks_and_cron_are_listed_with_the_field_errors(tmp_path: Path) -> None:
    bad = """
[[sources]]
name = "wire"
url = "https://example.org/feed.xml"
poll = "often"

[[sources]]
name = "wire"
path = "inbox/"

[[channels]]
platform = "console"
id = "stdout"
schedule = "0 25 * * *"
sources = ["wire", "nope"]

[[channels]]
platform = "console"
id = "stdout"
schedule = "every day"

[slack]
port = 99999
"""
    with pytest.raises(ConfigError) as info:
        load_settings(write(tmp_path, bad), env={})
    assert info.value.problems == [
        "sources.0.poll: 'often' is not a duration like '20s', '10m', '1h'",
        "sources.1.name: 'wire' is already the name of sources.0",
        "channels.0.schedule: '0 25 * * *' is not a valid cron expression: "
        "hour '25' is out of range (allowed 0-23)",
        "channels.0.sources.1: no source is named 'nope'",
        "channels.1.schedule: 'every day' is not a 5-field cron expression like '0 8 * * *'",
        "channels.1: console:stdout is already configured as channels.0",
        "slack.port: Input should be less than or equal to 65535",
    ]


def test_cross_checks_alone_are_one_line_each(tmp_path: Path) -> None:
    text = (
        GOOD.replace('sources = ["wire"]', 'sources = ["ghost"]')
        + '\n[[sources]]\nname = "wire"\npath = "inbox/"\n'
        + '\n[[channels]]\nplatform = "slack"\nid = "C0123456"\n'
    )
    with pytest.raises(ConfigError) as info:
        load_settings(write(tmp_path, text), env={})
    assert info.value.problems == [
        "sources.1.name: 'wire' is already the name of sources.0",
        "channels.0.sources.0: no source is named 'ghost'",
        "channels.1: slack:C0123456 is already configured as channels.0",
    ]


def test_cron_problems_name_the_field_and_its_range() -> None:
    with pytest.raises(ValueError) as info:
        check_cron("99 99 * * *")
    message = str(info.value)
    assert "minute '99' is out of range (allowed 0-59)" in message
    assert "hour '99' is out of range (allowed 0-23)" in message
    assert "Error validating" not in message and "maximum value" not in message
    with pytest.raises(ValueError, match=r"day of month '0' is out of range \(allowed 1-31\)"):
        check_cron("0 8 0 * *")
    with pytest.raises(ValueError, match=r"day of week 'someday' is not valid \(allowed 0-7"):
        check_cron("0 8 * * someday")
    assert check_cron("*/15 8-18 1,15 jan-jun mon-fri") == "*/15 8-18 1,15 jan-jun mon-fri"


def test_bad_database_urls_stop_start_up(tmp_path: Path) -> None:
    text = GOOD.replace('"sqlite:///x.db"', '"mysql://news:s3cret@db.example/news"')
    with pytest.raises(ConfigError) as info:
        load_settings(write(tmp_path, text), env={"NEWSDIGEST_DATABASE_URL": "not a url"})
    [config_url, env_url] = info.value.problems
    assert config_url.startswith("storage.url: 'mysql://news:***@db.example/news' is not a")
    assert "s3cret" not in config_url
    assert env_url.startswith("NEWSDIGEST_DATABASE_URL: 'not a url' is not a database URL")
    good = write(tmp_path, GOOD)
    for url in ("sqlite://", "postgresql://u@h/db", "postgresql+psycopg://u@h/db"):
        settings, _ = load_settings(good, env={"NEWSDIGEST_DATABASE_URL": url})
        assert settings.storage.url == url


def test_short_poll_message_says_how_far_apart() -> None:
    with pytest.raises(ValueError, match="polls must be at least 10 seconds apart"):
        parse_duration("5s")
