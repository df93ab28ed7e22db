"""Django's Redis cache, for which Redis being away is a cache miss, not an error.

Everything that uses the cache (allauth's rate limits, chat presence, subscription limits, the
pruning guard of read counts) must keep working while Redis is down or restarting. Each call
that fails with a Redis error is logged (once per outage) and answered as if the cache were
empty: ``get`` returns the default, ``add`` says it stored (so a lock or a guard lets the
caller go on; rate limits are not enforced while Redis is away), ``incr`` returns the delta,
writes are dropped. After a failure Redis is not asked again for a second, so an outage costs
readers nothing; the next call after that tries again, and when Redis is back everything
resumes without a restart. Connections time out after half a second, so a Redis that hangs
is treated the same way.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 1.0
SOCKET_TIMEOUT = 0.5


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = {**params}
        options = {"socket_connect_timeout": SOCKET_TIMEOUT, "socket_timeout": SOCKET_TIMEOUT}
        options.update(params.get("OPTIONS") or {})
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._down_until = 0.0
        self._down = False
        self._lock = threading.Lock()

    def _call(self, fallback, method, *args, **kwargs):
        if self._down_until > time.monotonic():
            return fallback
        try:
            result = method(*args, **kwargs)
        except RedisError as error:
            with self._lock:
                self._down_until = time.monotonic() + RETRY_SECONDS
                if not self._down:
                    self._down = True
                    logger.warning("Redis is unavailable; the cache answers misses: %s", error)
            return fallback
        if self._down:
            with self._lock:
                if self._down:
                    self._down = False
                    logger.warning("Redis is back; the cache is in use again.")
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(True, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call(default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._call(False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._call({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._call(False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        return self._call(delta, super().incr, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call([], super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call(None, super().delete_many, keys, version)

    def clear(self):
        return self._call(False, super().clear)
