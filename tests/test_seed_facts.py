"""The reference story's key facts, as issue 4 lists them, through `newsdigest cluster --json`.

Reads the two seed articles from ../shared (skips, saying so, when they are absent); asserts
only on our own output, in words of our own choosing.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from typing import Any

import pytest

from tests.conftest import shared_path


@pytest.fixture(scope="module")
def story() -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "cluster", str(shared_path("seeds")), "--json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    [only] = json.loads(done.stdout)["stories"]
    return dict(only)


def _fact(story: dict[str, Any], *patterns: str) -> dict[str, Any]:
    """The first fact whose text matches every pattern (case-insensitive)."""
    for f in story["facts"]:
        if all(re.search(p, f["text"], re.IGNORECASE) for p in patterns):
            return dict(f)
    raise AssertionError(f"no fact matches {patterns}: {[f['text'] for f in story['facts']]}")


def test_the_meeting_who_where_when_and_the_venue(story: dict[str, Any]) -> None:
    both = {a["id"] for a in story["articles"]}
    meeting = _fact(story, r"Kim Jong[- ]?Un", "Lyubimova", "Pyongyang", "June 29")
    assert set(meeting["article_ids"]) == both  # stated by both seeds: cites both
    assert meeting["source_count"] == 2
    _fact(story, "Workers' Party", "Central Committee", "headquarters")


def test_the_ambassador_is_one_person_under_both_spellings(story: dict[str, Any]) -> None:
    who = _fact(story, "Ambassador", "Aleksandr Matsegora", "Alexandr Matsegora")
    assert who["kind"] == "who" and len(who["article_ids"]) == 2


def test_treaty_anniversary_and_cultural_agreement(story: dict[str, Any]) -> None:
    _fact(story, "first anniversary|one year since", "treaty|partnership")
    _fact(story, "Sung Jong Gyu", "Lyubimova", "2025", "2027")


def test_troops_and_casualties_with_who_says_so(story: dict[str, Any]) -> None:
    troops = _fact(story, "11,000", "troops")
    assert re.search(r"20%", troops["text"]) and "Umerov" in troops["text"], troops["text"]
    _fact(story, "6,000", "casualties", r"U\.?K\.? defen[cs]e intelligence")


def test_a_quote_with_its_speaker(story: dict[str, Any]) -> None:
    quotes = [f for f in story["facts"] if f["kind"] == "quote"]
    assert quotes and any("Kim" in f["text"] for f in quotes), story["facts"]
