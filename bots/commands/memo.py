"""What commands may keep between requests: things made once per snapshot, reused until the next.

A threshold report and its chart change only when a snapshot is taken, yet a
lead may ask for them many times in an hour; each is made on the first request
after a snapshot and kept here, by a key that names everything it was made
from. Bounded, least recently used first out, and safe to share between the
threads that run commands.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterator, MutableMapping


class Memo(MutableMapping):
    """A small least-recently-used mapping shared by threads."""

    def __init__(self, limit: int = 256):
        self.limit = limit
        self._items: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()

    def __getitem__(self, key: Hashable) -> object:
        with self._lock:
            value = self._items[key]
            self._items.move_to_end(key)
            return value

    def __setitem__(self, key: Hashable, value: object) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.limit:
                self._items.popitem(last=False)

    def __delitem__(self, key: Hashable) -> None:
        with self._lock:
            del self._items[key]

    def __iter__(self) -> Iterator[Hashable]:
        with self._lock:
            return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)
