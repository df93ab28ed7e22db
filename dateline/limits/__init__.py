"""Rate limits: one store, one way to count, for everything that limits readers.

Counters live in the limits store, the cache alias ``limits`` (settings.CACHES), and nowhere
else: in the database on the embedded tier (``store.DatabaseLimitsStore``: an atomic upsert,
expired windows pruned, live ones never culled) and in Redis with ``REDIS_URL``
(``store.RedisLimitsStore``). Nothing else writes there, so no amount of anonymous traffic
elsewhere (chat heartbeats filling the default cache, say) can evict a counter. allauth's limits
on signing in, signing up and resetting a password are kept there too (``apps.LimitsConfig``).

``hit()`` counts one event of a bucket in a fixed window and refuses past the limit; refused
events count too. ``first_time()`` says whether a key is new in its window (a read counted
once per address and story). When the store cannot be reached both raise LimitsUnavailable,
and each caller decides: signing in and up fail closed (``middleware``), the read API fails
open (``dateline.api.limits``), anonymous beacons are not counted.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import time
from dataclasses import dataclass

from django.core.cache import caches

ALIAS = "limits"


class LimitsUnavailable(Exception):
    """The limits store cannot be reached (Redis down or restarting, database locked)."""


@dataclass(frozen=True)
class Refusal:
    limit: int
    retry_after: int  # whole seconds, at least 1


def _key(text: str) -> str:
    if len(text) <= 180:
        return text
    return text[:100] + ":" + hashlib.sha256(text.encode()).hexdigest()


def hit(bucket: str, limit: int, seconds: int, *, now: float | None = None) -> Refusal | None:
    """Count one event of ``bucket`` in the current window of ``seconds``; return None while
    the window holds at most ``limit`` events, else a Refusal that says when to come back.
    Atomic in both stores: concurrent requests never pass together past the limit."""
    now = time.time() if now is None else now
    window = int(now // seconds)
    key = _key(f"limit:{bucket}:{seconds}:{window}")
    store = caches[ALIAS]
    store.add(key, 0, seconds * 2)
    try:
        count = store.incr(key)
    except ValueError:  # expired between add and incr
        store.add(key, 1, seconds * 2)
        count = 1
    if count <= limit:
        return None
    retry_after = math.ceil((window + 1) * seconds - now)
    return Refusal(limit=limit, retry_after=max(1, retry_after))


def first_time(key: str, seconds: int, *, now: float | None = None) -> bool:
    """Return True the first time ``key`` is seen in the current window of ``seconds``,
    False after (atomic: of concurrent callers, one gets True)."""
    now = time.time() if now is None else now
    window = int(now // seconds)
    return bool(caches[ALIAS].add(_key(f"once:{key}:{seconds}:{window}"), 1, seconds * 2))


def address_bucket(address: str) -> str:
    """Return the bucket of an anonymous client at ``address``: the address itself for IPv4,
    its /64 network for IPv6 (one household or server has a whole /64 to pick from)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return f"ip:{address[:64]}"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return f"ip:{ip.ipv4_mapped}"
        return f"ip:{ipaddress.ip_network(f'{ip}/64', strict=False)}"
    return f"ip:{ip}"


def client_bucket(request) -> str:
    """The bucket of the client that sent ``request`` (REMOTE_ADDR: behind nginx, the
    production tier passes the reader's address through)."""
    return address_bucket(request.META.get("REMOTE_ADDR") or "unknown")
