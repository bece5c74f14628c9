"""The `newsdigest` command line, run as a user would (its own process)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import shared_path

MEETING_A = """\
Harbour council approves new ferry line to Lunden Island

The Port Avelin harbour council voted 9 to 2 on Tuesday to approve a new ferry line to
Lunden Island, council chair Mira Okonjo said.
The line will carry up to 400 passengers a day from March, the council said.
"""

MEETING_B = """\
PORT AVELIN, Nov. 24 (Coastline Wire) - The harbour council of Port Avelin approved a ferry line
to Lunden Island on Tuesday after a 9-2 vote, chair Mira Okonjo told reporters.
Up to 400 passengers a day will use the Lunden Island ferry line from March.
Ferry line to Lunden Island wins council approval
Copyright (c) 2026 Coastline Wire. All rights reserved.
"""


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def test_cluster_json_contract(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(MEETING_A, encoding="utf-8")
    (tmp_path / "b.txt").write_text(MEETING_B, encoding="utf-8")
    done = run_cli("cluster", str(tmp_path), "--json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert set(doc) == {"stories"}
    [story] = doc["stories"]
    assert {a["id"] for a in story["articles"]} == {"a", "b"}
    for key in ("id", "headline", "articles", "sources", "facts", "disagreements"):
        assert key in story
    for article in story["articles"]:
        assert set(article) >= {"id", "source", "title", "url", "published"}
    assert "Coastline Wire" in story["sources"]
    assert all("Copyright" not in f["text"] for f in story["facts"])
    for fact in story["facts"]:
        assert fact["kind"] in {"when", "where", "who", "number", "quote", "event", "other"}
        assert fact["article_ids"]


def test_every_article_once_and_ids_stable(tmp_path: Path) -> None:
    records = [
        {
            "id": f"r{i}",
            "title": f"Storm {i} hits town {i}",
            "text": f"Storm {i} text. " * 5,
            "source": f"Outlet {i}",
        }
        for i in range(6)
    ]
    path = tmp_path / "items.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    first = json.loads(run_cli("cluster", str(path), "--json").stdout)
    second = json.loads(run_cli("cluster", str(path), "--json").stdout)
    ids = [a["id"] for s in first["stories"] for a in s["articles"]]
    assert sorted(ids) == sorted(r["id"] for r in records)
    assert first == second


def test_bad_inputs_are_reported_and_skipped(tmp_path: Path) -> None:
    good = tmp_path / "good.jsonl"
    good.write_text(
        json.dumps(
            {
                "id": "ok1",
                "title": "A bridge opens",
                "text": "The bridge opened.",
                "source": "Town Post",
            }
        )
        + "\n{not json\n",
        encoding="utf-8",
    )
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02\xff" * 50)
    notfeed = tmp_path / "page.xml"
    notfeed.write_text("<config><a>1</a></config>", encoding="utf-8")
    missing = tmp_path / "nope.txt"
    done = run_cli("cluster", str(good), str(binary), str(notfeed), str(missing), "--json")
    assert done.returncode == 0, done.stderr
    ids = [a["id"] for s in json.loads(done.stdout)["stories"] for a in s["articles"]]
    assert ids == ["ok1"]
    err = done.stderr
    assert "good.jsonl:2" in err
    assert "blob.txt" in err
    assert "page.xml" in err
    assert "nope.txt" in err
    assert "Traceback" not in err


def test_nothing_readable_exits_1(tmp_path: Path) -> None:
    done = run_cli("cluster", str(tmp_path / "missing.txt"))
    assert done.returncode == 1
    assert "missing.txt" in done.stderr
    assert "Traceback" not in done.stderr


def test_usage_error_exits_2() -> None:
    done = run_cli("cluster")
    assert done.returncode == 2
    done = run_cli("digest", "x", "--format", "pdf")
    assert done.returncode == 2


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "slack", "discord"])
def test_digest_formats(tmp_path: Path, fmt: str) -> None:
    (tmp_path / "a.txt").write_text(MEETING_A, encoding="utf-8")
    (tmp_path / "b.txt").write_text(MEETING_B, encoding="utf-8")
    done = run_cli("digest", str(tmp_path), "--format", fmt)
    assert done.returncode == 0, done.stderr
    assert "Lunden" in done.stdout
    if fmt in ("json", "slack", "discord"):
        json.loads(done.stdout)


def test_seeds_form_one_story() -> None:
    seeds = shared_path("seeds")
    done = run_cli("cluster", str(seeds), "--json")
    assert done.returncode == 0, done.stderr
    stories = json.loads(done.stdout)["stories"]
    assert len(stories) == 1
    articles = {a["id"]: a for a in stories[0]["articles"]}
    assert len(articles) == 2
    seed_001 = next(a for i, a in articles.items() if i.startswith("001"))
    assert seed_001["title"] == (
        "Kim Jong Un meets Russian culture minister, pushes for stronger cultural ties"
    )
    assert "Aju" in seed_001["source"] or "AJP" in seed_001["source"]
    seed_000 = next(a for i, a in articles.items() if i.startswith("000"))
    assert "file name" in seed_000["source_note"]  # a guessed source says so
    assert "Copyright" not in json.dumps(stories)


def test_ecbplus_every_article_once() -> None:
    data = shared_path("data", "ecbplus-subtopics", "ecbplus.jsonl")
    done = run_cli("cluster", str(data), "--json")
    assert done.returncode == 0, done.stderr
    ids = [a["id"] for s in json.loads(done.stdout)["stories"] for a in s["articles"]]
    gold = [
        json.loads(line)["id"] for line in data.read_text(encoding="utf-8").splitlines() if line
    ]
    assert sorted(ids) == sorted(gold)


RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Coastline Wire</title><link>https://coastline.example/</link>
<item><title>Harbour council approves ferry line to Lunden Island</title>
<link>https://coastline.example/ferry?utm_source=rss</link><guid>ferry-1</guid>
<pubDate>Tue, 24 Nov 2026 10:00:00 GMT</pubDate>
<description>Short teaser.</description>
<content:encoded><![CDATA[<p>The Port Avelin harbour council voted 9 to 2 on Tuesday to approve
a ferry line to Lunden Island.</p><script>alert(1)</script>]]></content:encoded></item>
</channel></rss>
"""


def test_cluster_reads_a_feed_url(tmp_path: Path) -> None:
    import http.server
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            if self.path != "/feed.xml":
                self.send_error(404)
                return
            body = RSS.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        done = run_cli("cluster", f"{base}/feed.xml", f"{base}/missing.xml", "--json")
    finally:
        server.shutdown()
    assert done.returncode == 0, done.stderr
    [story] = json.loads(done.stdout)["stories"]
    [article] = story["articles"]
    assert article["id"] == "ferry-1"
    assert story["sources"] == ["Coastline Wire"]
    assert "utm_source" not in (article["url"] or "")
    assert "alert" not in json.dumps(story)
    assert "missing.xml" in done.stderr and "404" in done.stderr


@pytest.mark.parametrize("limit", ["0", "-1", "two"])
def test_digest_limit_below_one_is_a_usage_error(tmp_path: Path, limit: str) -> None:
    (tmp_path / "a.txt").write_text(MEETING_A, encoding="utf-8")
    done = run_cli("digest", str(tmp_path), "--limit", limit)
    assert done.returncode == 2
    assert "--limit" in done.stderr and repr(limit) in done.stderr
    assert done.stdout == ""


def test_version_prints_the_installed_version() -> None:
    from importlib.metadata import version

    done = run_cli("--version")
    assert done.returncode == 0
    assert done.stdout.strip() == f"newsdigest {version('newsdigest')}"


def test_empty_page_is_skipped_without_library_warnings(tmp_path: Path) -> None:
    (tmp_path / "empty.html").write_text("<html></html>", encoding="utf-8")
    (tmp_path / "a.txt").write_text(MEETING_A, encoding="utf-8")
    done = run_cli("cluster", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [
        f"newsdigest: skipped {tmp_path / 'empty.html'}: no article text found in the page"
    ]


def test_run_lists_every_config_problem_at_once(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text(
        """
[[sources]]
name = "wire"
path = "inbox/"
poll = "5s"

[[sources]]
name = "wire"
path = "inbox2/"

[[channels]]
platform = "console"
id = "stdout"
schedule = "0 25 * * *"
sources = ["nope"]
""",
        encoding="utf-8",
    )
    done = run_cli("run", "--config", str(config), "--once", cwd=tmp_path)
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert lines[0] == "newsdigest: invalid configuration:"
    assert lines[1:] == [
        "  - sources.0.poll: '5s' is too short: polls must be at least 10 seconds apart",
        "  - sources.1.name: 'wire' is already the name of sources.0",
        "  - channels.0.schedule: '0 25 * * *' is not a valid cron expression: "
        "hour '25' is out of range (allowed 0-23)",
        "  - channels.0.sources.0: no source is named 'nope'",
    ]
