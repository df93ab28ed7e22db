"""The two backends of the limits store (the cache alias ``limits``).

``DatabaseLimitsStore`` keeps entries in one table (limits.Counter). ``add`` is one
``INSERT ... ON CONFLICT DO UPDATE ... WHERE expired RETURNING`` and ``incr`` one
``UPDATE ... RETURNING``, both atomic on SQLite (3.35+) and PostgreSQL. Live entries are never
culled; expired ones are deleted every PRUNE_EVERY adds. ``RedisLimitsStore`` is Django's Redis
cache with short timeouts. Both raise LimitsUnavailable when they cannot answer, never a cache
miss: a limit that silently forgot its counts would let everyone through.
"""

from __future__ import annotations

import itertools
import json
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.redis import RedisCache
from django.db import DatabaseError, connection

from dateline.limits import LimitsUnavailable

PRUNE_EVERY = 200
FOREVER = 10**10  # seconds since the epoch, in the year 2286

_UPSERT = (
    "INSERT INTO limits_counter (bucket, hits, payload, expires_at) VALUES (%s, %s, %s, %s) "
    "ON CONFLICT (bucket) DO UPDATE SET hits = excluded.hits, payload = excluded.payload, "
    "expires_at = excluded.expires_at"
)
# add(): only an expired entry is replaced; RETURNING gives a row only when one was written.
_ADD = _UPSERT + " WHERE limits_counter.expires_at <= %s RETURNING bucket"
_SET = _UPSERT + " RETURNING bucket"


class DatabaseLimitsStore(BaseCache):
    def __init__(self, location, params):
        super().__init__(params)
        self._adds = itertools.count(1)

    def _run(self, sql: str, params) -> list:
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall() if cursor.description else []
        except DatabaseError as error:
            raise LimitsUnavailable(str(error)) from error

    def _expiry(self, timeout) -> float:
        expiry = self.get_backend_timeout(timeout)
        return FOREVER if expiry is None else float(expiry)

    @staticmethod
    def _columns(value) -> tuple[int | None, str]:
        if isinstance(value, int) and not isinstance(value, bool):
            return value, ""
        return None, json.dumps(value)

    def _upsert(self, key, value, timeout, *, only_if_expired: bool) -> bool:
        count, text = self._columns(value)
        params = [key, count, text, self._expiry(timeout)]
        if only_if_expired:
            rows = self._run(_ADD, [*params, time.time()])
        else:
            rows = self._run(_SET, params)
        return bool(rows)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        added = self._upsert(key, value, timeout, only_if_expired=True)
        if next(self._adds) % PRUNE_EVERY == 0:
            self.prune()
        return added

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> None:
        key = self.make_and_validate_key(key, version=version)
        self._upsert(key, value, timeout, only_if_expired=False)

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        rows = self._run(
            "SELECT hits, payload FROM limits_counter WHERE bucket = %s AND expires_at > %s",
            [key, time.time()],
        )
        if not rows:
            return default
        count, text = rows[0]
        return count if count is not None else json.loads(text)

    def incr(self, key, delta=1, version=None) -> int:
        key = self.make_and_validate_key(key, version=version)
        rows = self._run(
            "UPDATE limits_counter SET hits = hits + %s "
            "WHERE bucket = %s AND expires_at > %s AND hits IS NOT NULL RETURNING hits",
            [delta, key, time.time()],
        )
        if not rows:
            raise ValueError(f"Key '{key}' not found.")
        return rows[0][0]

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        rows = self._run(
            "UPDATE limits_counter SET expires_at = %s WHERE bucket = %s AND expires_at > %s "
            "RETURNING bucket",
            [self._expiry(timeout), key, time.time()],
        )
        return bool(rows)

    def delete(self, key, version=None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        rows = self._run("DELETE FROM limits_counter WHERE bucket = %s RETURNING bucket", [key])
        return bool(rows)

    def has_key(self, key, version=None) -> bool:
        return self.get(key, None, version=version) is not None

    def clear(self) -> None:
        self._run("DELETE FROM limits_counter", [])

    def prune(self) -> int:
        """Delete the expired entries; return how many there were."""
        rows = self._run(
            "DELETE FROM limits_counter WHERE expires_at <= %s RETURNING bucket", [time.time()]
        )
        return len(rows)


class RedisLimitsStore(RedisCache):
    """Django's Redis cache whose errors are LimitsUnavailable (never a miss)."""

    def __init__(self, server, params):
        params = {**params}
        options = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
        options.update(params.get("OPTIONS") or {})
        params["OPTIONS"] = options
        super().__init__(server, params)

    def _call(self, method, *args, **kwargs):
        from redis.exceptions import RedisError

        try:
            return method(*args, **kwargs)
        except RedisError as error:
            raise LimitsUnavailable(str(error)) from error

    def add(self, *args, **kwargs):
        return self._call(super().add, *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._call(super().get, *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._call(super().set, *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._call(super().incr, *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._call(super().delete, *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._call(super().touch, *args, **kwargs)
