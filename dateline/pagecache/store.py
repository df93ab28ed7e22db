"""The in-process page store: whole responses by address, each under the surrogate keys of
what it shows, dropped by key when that changes, by age, and least recently used first when
the store is full."""

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from dateline.pagecache.keys import EVERYTHING

DEPARTED_LIMIT = 10_000


@dataclass(slots=True)
class Entry:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    keys: frozenset[str]
    stored_at: float  # time.monotonic()
    expires_at: float  # time.monotonic()

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(name) + len(value) for name, value in self.headers) + 200


class PageStore:
    """Thread-safe: the event loop reads and stores, purges come from any thread."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.entries: OrderedDict[tuple, Entry] = OrderedDict()
        self.by_key: dict[str, set[tuple]] = {}
        self.bytes = 0
        # Goes up with every purge: a page rendered while one happened is not stored, since
        # it may show what the purge removed.
        self.generation = 0
        # Addresses that were stored and have left (purged, aged, evicted): pages worth
        # waiting for when one request is already rendering them again.
        self.departed: OrderedDict[tuple, None] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, address: tuple) -> Entry | None:
        with self.lock:
            entry = self.entries.get(address)
            if entry is None:
                return None
            if entry.expires_at <= time.monotonic():
                self._drop(address)
                return None
            self.entries.move_to_end(address)
            return entry

    def put(self, address: tuple, entry: Entry, generation: int) -> bool:
        """Store ``entry`` unless a purge happened since ``generation`` was read, or it is
        larger than a quarter of the store. Return whether it was stored."""
        size = entry.size
        with self.lock:
            if generation != self.generation or size > self.max_bytes // 4:
                return False
            if address in self.entries:
                self._drop(address)
            self.entries[address] = entry
            self.bytes += size
            for key in entry.keys:
                self.by_key.setdefault(key, set()).add(address)
            while self.bytes > self.max_bytes and self.entries:
                self._drop(next(iter(self.entries)))
            return True

    def purge(self, keys) -> int:
        """Drop every page stored under any of ``keys`` ("*" drops all); return how many."""
        with self.lock:
            self.generation += 1
            if EVERYTHING in keys:
                count = len(self.entries)
                self.entries.clear()
                self.by_key.clear()
                self.bytes = 0
                return count
            addresses = set()
            for key in keys:
                addresses |= self.by_key.get(key, set())
            for address in addresses:
                self._drop(address)
            return len(addresses)

    def was_stored(self, address: tuple) -> bool:
        return address in self.departed

    def __len__(self) -> int:
        return len(self.entries)

    def _drop(self, address: tuple) -> None:
        entry = self.entries.pop(address, None)
        if entry is None:
            return
        self.departed[address] = None
        if len(self.departed) > DEPARTED_LIMIT:
            self.departed.popitem(last=False)
        self.bytes -= entry.size
        for key in entry.keys:
            holders = self.by_key.get(key)
            if holders is not None:
                holders.discard(address)
                if not holders:
                    del self.by_key[key]
