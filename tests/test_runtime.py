"""`newsdigest run`: the embedded default, the one-scheduler lock, missed digests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.runtime import AlreadyRunning, missed_run, scheduler_lock


def bot_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    env.pop("NEWSDIGEST_CONFIG", None)
    env.pop("NEWSDIGEST_DATABASE_URL", None)
    env["HOME"] = str(tmp_path)
    return env


def run_bot(tmp_path: Path, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """`newsdigest run ...` in its own process, in `tmp_path`, with no chat tokens."""
    return subprocess.run(
        [sys.executable, "-m", "bot", "run", *args],
        cwd=tmp_path,
        env=bot_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_run_once_embedded_default_prints_a_digest(tmp_path: Path) -> None:
    done = run_bot(tmp_path, "--once")
    assert done.returncode == 0, done.stderr
    assert "News digest" in done.stdout
    assert "1. " in done.stdout and "sources:" in done.stdout
    assert (tmp_path / "newsdigest.db").exists()
    assert "Traceback" not in done.stderr
    # a second cycle finds nothing new and posts nothing twice
    again = run_bot(tmp_path, "--once")
    assert again.returncode == 0, again.stderr
    assert "News digest" not in again.stdout
    assert "console:stdout: no new stories since its last digest" in again.stderr


def test_run_keeps_polling_until_interrupted_and_refuses_a_second_scheduler(
    tmp_path: Path,
) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=bot_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 120
        seen = ""
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            seen += line
            if "sources:" in line:
                break
        assert "News digest" in seen
        second = run_bot(tmp_path, "--once", timeout=120)
        assert second.returncode == 1
        assert "already" in second.stderr
        assert proc.poll() is None  # still running
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "Traceback" not in err


def test_bad_config_stops_start_up_listing_problems(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text('[storage]\nurl = 3\nflavour = "x"\n', encoding="utf-8")
    done = run_bot(tmp_path, "--config", str(config), timeout=60)
    assert done.returncode == 2
    assert "storage.flavour: unknown key" in done.stderr
    assert "storage.url" in done.stderr


def test_sqlite_lock_is_exclusive(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    with scheduler_lock(url), pytest.raises(AlreadyRunning), scheduler_lock(url):
        pass
    with scheduler_lock(url):
        pass


def test_postgres_lock_is_exclusive() -> None:
    url = os.environ.get("NEWSDIGEST_TEST_DATABASE_URL")
    if not url:
        pytest.skip("NEWSDIGEST_TEST_DATABASE_URL not set")
    with scheduler_lock(url), pytest.raises(AlreadyRunning), scheduler_lock(url):
        pass


def test_missed_run_within_grace_posts_once() -> None:
    now = datetime(2026, 3, 29, 8, 30, tzinfo=UTC)  # DST change day in Europe
    assert missed_run("0 10 * * *", "Europe/Berlin", None, now)  # 10:00 CEST = 08:00 UTC
    assert not missed_run(
        "0 10 * * *", "Europe/Berlin", datetime(2026, 3, 29, 8, 5, tzinfo=UTC), now
    )
    assert not missed_run("0 6 * * *", "UTC", None, now)  # too long ago
