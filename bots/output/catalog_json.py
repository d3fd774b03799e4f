"""A Babel extractor for the JSON label files (form labels, Discord option descriptions, button
labels): every string a person reads becomes a msgid, so `pybabel extract` finds them.

Keys are never words a person reads, nor are the values of the keys in `_CODE` (a form's
field key, argument and option names, the file's own `_` note for developers), nor a list of
command words (a form's `command`), nor values without a letter (`1000`, `5`). Registered in
babel.cfg under `[extractors]`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import IO

_CODE = {"_", "key", "arg", "option"}
_WORDS = re.compile(r"[^\W\d_]")


def labels(data: object, key: str | None = None) -> Iterator[str]:
    """The user-facing strings of a parsed JSON label file, in file order."""
    if key in _CODE:
        return
    if isinstance(data, dict):
        for inner, value in data.items():
            yield from labels(value, inner)
    elif isinstance(data, list) and key != "command":
        for value in data:
            yield from labels(value, key)
    elif isinstance(data, str) and _WORDS.search(data):
        yield data


def extract(fileobj: IO[bytes], keywords: object, comment_tags: object,
            options: dict) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Babel's extractor protocol: (line number, function, message, comments)."""
    text = fileobj.read().decode("utf-8")
    lines = text.splitlines()
    for message in labels(json.loads(text)):
        quoted = json.dumps(message, ensure_ascii=False)
        line = next((number for number, row in enumerate(lines, start=1) if quoted in row), 0)
        yield line, None, message, []
