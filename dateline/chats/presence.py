"""How many readers are in a room now, without knowing who they are.

Each open room page sends a heartbeat every 20 seconds with a random token it made for its tab
(nothing about the reader). Time is cut into 30-second slots; a tab counts once per slot, with
``cache.add`` (atomic) guarding a per-slot counter that ``cache.incr`` (atomic) raises. Every tab
still open heartbeats in every full slot, so the larger of this slot's and the last slot's
counts is the number of tabs seen in the last 30 to 60 seconds. Atomic operations keep it exact
under concurrent heartbeats, where a stored list of tokens would lose some.

Heartbeats are anonymous writes, so they are bounded twice: an address may send
HEARTBEATS_PER_MINUTE (counted in the limits store, dateline.limits; a heartbeat past it is
refused and counts nothing), and a room counts at most TOKENS_PER_SLOT tabs a slot (tokens past
it are not stored; the count shows the cap). Neither lets a client fill the cache with tokens.
"""

import re
import time

from django.core.cache import cache

from dateline import limits

SLOT_SECONDS = 30
HEARTBEAT_SECONDS = 20
# A tab heartbeats three times a minute: this is some 40 tabs behind one address (a newsroom or
# an office behind one NAT), far more than one reader opens.
HEARTBEATS_PER_MINUTE = 120
TOKENS_PER_SLOT = 5000
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def valid_token(token) -> bool:
    return isinstance(token, str) and bool(_TOKEN.fullmatch(token))


def _counter(room_id: int, slot: int) -> str:
    return f"chat-presence:{room_id}:{slot}"


def readers_here(room_id: int) -> int:
    slot = int(time.time() // SLOT_SECONDS)
    counts = cache.get_many([_counter(room_id, slot), _counter(room_id, slot - 1)])
    return max(counts.values(), default=0)


def heartbeat(room_id: int, token: str, client: str) -> int:
    """Count the tab ``token`` of the client bucket ``client`` as in the room now; return the
    number of readers here. Past the address's limit raise HeartbeatRefused (nothing is
    counted then)."""
    try:
        refusal = limits.hit(f"presence:{client}", HEARTBEATS_PER_MINUTE, 60)
    except limits.LimitsUnavailable:
        return readers_here(room_id)  # not counted; the room works as before
    if refusal is not None:
        raise HeartbeatRefused(refusal)
    slot = int(time.time() // SLOT_SECONDS)
    keep = SLOT_SECONDS * 3
    counter = _counter(room_id, slot)
    if (cache.get(counter) or 0) >= TOKENS_PER_SLOT:
        return readers_here(room_id)
    if cache.add(f"{counter}:{token}", 1, keep):
        cache.add(counter, 0, keep)
        try:
            cache.incr(counter)
        except ValueError:  # expired between the two calls
            cache.add(counter, 1, keep)
    return readers_here(room_id)


class HeartbeatRefused(Exception):
    def __init__(self, refusal: limits.Refusal):
        super().__init__(refusal)
        self.refusal = refusal
