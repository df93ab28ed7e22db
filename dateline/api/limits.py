"""Rate limits of the read API, counted in the limits store (dateline.limits).

Each client (an API key, or an anonymous address) has a counter per clock minute (a fixed
window): the first request of a minute creates it, each request adds one, and a request past
the client's limit is refused with the seconds left in that minute. Refused requests count too,
so a client that retries before its time stays refused. The store is Redis with ``REDIS_URL``
(every worker and server shares the counters) and the database otherwise; nothing else writes
there, so other traffic cannot evict a counter.

When the store cannot be reached (Redis down or restarting) requests are let through: the API
is read-only, serves only published work, and its pages are cheap and cached, so keeping
partners' feeds flowing during an outage is worth more than the limit; the outage is logged
once a minute per process. (Signing in and up fail closed instead: dateline.limits.)
"""

import logging
import time

from django.conf import settings

from dateline import limits
from dateline.limits import Refusal

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60
_last_outage_warning = 0.0

__all__ = ["Refusal", "anonymous_bucket", "anonymous_limit", "count_request"]


def count_request(bucket: str, limit: int, *, now: float | None = None) -> Refusal | None:
    """Count one request of ``bucket`` in the current minute; return None while it is within
    ``limit``, else a Refusal that says when to come back."""
    now = time.time() if now is None else now
    try:
        return limits.hit(f"api:{bucket}", limit, WINDOW_SECONDS, now=now)
    except limits.LimitsUnavailable as error:
        _warn_outage(error)
        return None


def _warn_outage(error: Exception) -> None:
    global _last_outage_warning
    now = time.monotonic()
    if now - _last_outage_warning >= WINDOW_SECONDS or _last_outage_warning == 0.0:
        _last_outage_warning = now
        logger.warning(
            "API rate limits are not enforced: the limits store cannot be reached (%s: %s)",
            type(error).__name__,
            error,
        )


def anonymous_bucket(address: str) -> str:
    """Return the bucket of an anonymous client at ``address`` (dateline.limits)."""
    return limits.address_bucket(address)


def anonymous_limit() -> int:
    return settings.API_ANONYMOUS_REQUESTS_PER_MINUTE
