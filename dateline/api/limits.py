"""Rate limits of the read API, counted in Django's cache.

Each client (an API key, or an anonymous address) has a counter per clock minute (a fixed
window): the first request of a minute creates it, each request adds one, and a request past
the client's limit is refused with the seconds left in that minute. Refused requests count too,
so a client that retries before its time stays refused. With Redis (``REDIS_URL``) every worker
and server shares the counters; with the local-memory cache each process counts for itself.

When the cache cannot be reached (Redis down or restarting) requests are let through: the API
keeps answering, unlimited, and the outage is logged once a minute per process.
"""

import ipaddress
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60
_last_outage_warning = 0.0


@dataclass(frozen=True)
class Refusal:
    limit: int
    retry_after: int  # whole seconds, at least 1


def count_request(bucket: str, limit: int, *, now: float | None = None) -> Refusal | None:
    """Count one request of ``bucket`` in the current minute; return None while it is within
    ``limit``, else a Refusal that says when to come back."""
    now = time.time() if now is None else now
    window = int(now // WINDOW_SECONDS)
    counter = f"api:rate:{bucket}:{window}"
    try:
        # add() is a no-op when the counter exists; incr() is atomic in Redis and in locmem.
        cache.add(counter, 0, timeout=WINDOW_SECONDS * 2)
        count = cache.incr(counter)
    except Exception as error:
        _warn_outage(error)
        return None
    if count <= limit:
        return None
    retry_after = math.ceil((window + 1) * WINDOW_SECONDS - now)
    return Refusal(limit=limit, retry_after=max(1, retry_after))


def _warn_outage(error: Exception) -> None:
    global _last_outage_warning
    now = time.monotonic()
    if now - _last_outage_warning >= WINDOW_SECONDS or _last_outage_warning == 0.0:
        _last_outage_warning = now
        logger.warning(
            "API rate limits are not enforced: the cache cannot be reached (%s: %s)",
            type(error).__name__,
            error,
        )


def anonymous_bucket(address: str) -> str:
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


def anonymous_limit() -> int:
    return settings.API_ANONYMOUS_REQUESTS_PER_MINUTE
