"""Reading everything a seized database would hand over, as bytes, to search it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine, make_url


def stored_bytes(engine: Engine) -> bytes:
    """SQLite: the database file and its WAL, as on disk. PostgreSQL: every row of every table."""
    url = make_url(str(engine.url))
    if url.get_backend_name() == "sqlite":
        path = Path(url.database)
        parts = [path.read_bytes()]
        for suffix in ("-wal", "-journal"):
            extra = Path(str(path) + suffix)
            if extra.exists():
                parts.append(extra.read_bytes())
        return b"".join(parts)
    chunks = []
    with engine.connect() as conn:
        for table in inspect(engine).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                for value in row:
                    chunks.append(bytes(value) if isinstance(value, (bytes, memoryview))
                                  else str(value).encode())
    return b"\n".join(chunks)


def leaks(haystack: bytes, needles: list[str]) -> list[str]:
    """The needles found in the bytes, in UTF-8 or UTF-16 (as SQLite may store text)."""
    return [n for n in needles
            if n.encode() in haystack or n.encode("utf-16-le") in haystack]
