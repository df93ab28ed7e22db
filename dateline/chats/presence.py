"""How many readers are in a room now, without knowing who they are.

Each open room page sends a heartbeat every 20 seconds with a random token it made for its tab
(nothing about the reader). Time is cut into 30-second slots; a tab counts once per slot, with
``cache.add`` (atomic) guarding a per-slot counter that ``cache.incr`` (atomic) raises. Every tab
still open heartbeats in every full slot, so the larger of this slot's and the last slot's
counts is the number of tabs seen in the last 30 to 60 seconds. Atomic operations keep it exact
under concurrent heartbeats, where a stored list of tokens would lose some.
"""

import re
import time

from django.core.cache import cache

SLOT_SECONDS = 30
HEARTBEAT_SECONDS = 20
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def valid_token(token) -> bool:
    return isinstance(token, str) and bool(_TOKEN.fullmatch(token))


def _counter(room_id: int, slot: int) -> str:
    return f"chat-presence:{room_id}:{slot}"


def readers_here(room_id: int) -> int:
    slot = int(time.time() // SLOT_SECONDS)
    counts = cache.get_many([_counter(room_id, slot), _counter(room_id, slot - 1)])
    return max(counts.values(), default=0)


def heartbeat(room_id: int, token: str) -> int:
    """Count the tab ``token`` as in the room now; return the number of readers here."""
    slot = int(time.time() // SLOT_SECONDS)
    keep = SLOT_SECONDS * 3
    if cache.add(f"{_counter(room_id, slot)}:{token}", 1, keep):
        counter = _counter(room_id, slot)
        cache.add(counter, 0, keep)
        try:
            cache.incr(counter)
        except ValueError:  # expired between the two calls
            cache.add(counter, 1, keep)
    return readers_here(room_id)
