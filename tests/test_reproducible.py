"""The same input gives the same digest in every run, whatever the interpreter's hash seed.

Python salts string hashes per process, so anything that breaks ties by the order a set
happens to iterate in (a `Counter.most_common` over counts filled from a token set, say)
changes facts and their citations from one run to the next. Only a separate process shows it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import shared_path

pytestmark = pytest.mark.shared


def _cluster_json(path: Path, seed: int) -> str:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "cluster", str(path), "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return done.stdout


def test_cluster_output_does_not_depend_on_the_hash_seed() -> None:
    pages = shared_path("data", "pages-devset", "articles.jsonl")
    first = _cluster_json(pages, 1)
    assert '"facts"' in first
    for seed in (2, 3):
        assert _cluster_json(pages, seed) == first, f"hash seed {seed} changed the output"
