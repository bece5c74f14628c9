"""Reading articles from bytes, files, folders and feed documents.

Every entry point returns a `ReadResult`: the articles it could read and a
problem per file, line or feed it could not. Nothing here raises on bad input.
"""

from digests.ingest.feeds import parse_feed
from digests.ingest.files import SUPPORTED_EXTENSIONS, read_bytes, read_paths
from digests.ingest.records import record_to_article

__all__ = ["SUPPORTED_EXTENSIONS", "parse_feed", "read_bytes", "read_paths", "record_to_article"]
