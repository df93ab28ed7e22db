"""The in-process page store: whole responses by address, each under the surrogate keys of
what it shows, dropped by key when that changes, by age, and least recently used first when
the store is full.

Beside it, the addresses this process handed to the shared cache in front (nginx), under the
same keys: a purge by key takes them too and passes them to ``forward`` (the nginx purger),
since nginx keeps what a worker sent it whether or not the worker still stores it."""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from dateline.pagecache.keys import EVERYTHING

DEPARTED_LIMIT = 10_000
# Addresses remembered as held by the shared cache; past this the oldest are forgotten (and
# leave nginx by its own age limit, the microcache).
SHARED_LIMIT = 50_000


@dataclass(slots=True)
class Variant:
    """One encoding of a stored page (identity, gzip or br): its body and every header it is
    sent with but ``Age`` and ``X-Cache``."""

    body: bytes
    headers: list[tuple[bytes, bytes]]
    etag: bytes  # b"" when the page has none


@dataclass(slots=True)
class Entry:
    status: int
    # By content coding: b"" (identity), b"gzip", b"br"; compressed once, when stored.
    variants: dict[bytes, Variant]
    keys: frozenset[str]
    stored_at: float  # time.monotonic()
    expires_at: float  # time.monotonic()
    last_modified: float | None = None  # seconds since the epoch, from Last-Modified

    @property
    def size(self) -> int:
        return (
            sum(
                len(variant.body) + sum(len(name) + len(value) for name, value in variant.headers)
                for variant in self.variants.values()
            )
            + 200
        )


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
        # Addresses (as the shared cache keys them) handed to the shared cache: their keys and
        # when they were last handed out (time.monotonic()).
        self.shared: OrderedDict[tuple, tuple[frozenset[str], float]] = OrderedDict()
        self.shared_by_key: dict[str, set[tuple]] = {}
        # Called, outside the lock, with [(address, handed_at), …] of the shared addresses a
        # purge took; it must not block (the nginx purger queues them for its thread).
        self.forward: Callable[[list[tuple[tuple, float]]], None] | None = None
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

    def hand_out(self, address: tuple, keys: frozenset[str], generation: int | None = None) -> bool:
        """Note that the shared cache in front may now keep the response at ``address`` (as
        that cache keys it), which shows ``keys``. With ``generation``, only if no purge
        happened since it was read (the response may show what the purge removed; the caller
        then tells the shared cache not to keep it). Return whether it was noted."""
        with self.lock:
            if generation is not None and generation != self.generation:
                return False
            old = self.shared.pop(address, None)
            if old is not None:
                self._unindex_shared(address, old[0])
            self.shared[address] = (keys, time.monotonic())
            for key in keys:
                self.shared_by_key.setdefault(key, set()).add(address)
            while len(self.shared) > SHARED_LIMIT:
                oldest, (old_keys, _) = self.shared.popitem(last=False)
                self._unindex_shared(oldest, old_keys)
            return True

    def purge(self, keys) -> int:
        """Drop every page stored under any of ``keys`` ("*" drops all); return how many.
        The shared cache's addresses under those keys go to ``forward``."""
        with self.lock:
            self.generation += 1
            if EVERYTHING in keys:
                count = len(self.entries)
                self.entries.clear()
                self.by_key.clear()
                self.bytes = 0
                shared = list(self.shared.items())
                self.shared.clear()
                self.shared_by_key.clear()
            else:
                addresses = set()
                for key in keys:
                    addresses |= self.by_key.get(key, set())
                for address in addresses:
                    self._drop(address)
                count = len(addresses)
                taken = set()
                for key in keys:
                    taken |= self.shared_by_key.get(key, set())
                shared = []
                for address in taken:
                    address_keys, handed_at = self.shared.pop(address)
                    self._unindex_shared(address, address_keys)
                    shared.append((address, (address_keys, handed_at)))
        if shared and self.forward is not None:
            self.forward([(address, handed_at) for address, (_, handed_at) in shared])
        return count

    def was_stored(self, address: tuple) -> bool:
        return address in self.departed

    def __len__(self) -> int:
        return len(self.entries)

    def _unindex_shared(self, address: tuple, keys) -> None:
        for key in keys:
            holders = self.shared_by_key.get(key)
            if holders is not None:
                holders.discard(address)
                if not holders:
                    del self.shared_by_key[key]

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
