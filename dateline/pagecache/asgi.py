"""The embedded tier's page cache: an ASGI layer in front of the Django application that
answers anonymous GET and HEAD requests for public pages from an in-process store, without
entering Django.

Django decides what may be stored: a response is kept only if it is marked ``public`` (see
``dateline.pagecache.middleware``), carries the surrogate keys of what it shows, sets no cookie
and varies on nothing but the address. Purges (``dateline.pagecache.actions.purge``) empty this
process's store at once; every process also follows the purge log in the database, a quarter
of a second apart, so a change made anywhere reaches all of them. A page also leaves the store
by age (``PAGE_CACHE_SECONDS``), the safety net for a change nothing purged.

When a page that was stored has left the store (a purge, its age), the first request for it
renders it again and the others for the same address wait for that render rather than each
rendering it too, so that a purge of a busy front costs one render, not one per reader.

Answers carry ``X-Cache: HIT`` (with ``Age``), ``MISS`` or ``BYPASS`` (a personal request).

With nginx in front (PAGE_CACHE_NGINX_PURGE_URL, see ``dateline.pagecache.shared``) every
public page this process answers is noted under its keys as nginx will hold it, and purges send
those addresses to nginx. A page that cannot be noted (rendered while a purge happened, or
without keys) goes out with ``X-Accel-Expires: 0``, so that nginx keeps nothing that no worker
would purge.
"""

import asyncio
import contextlib
import logging
import re
import time
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings

from dateline.pagecache.keys import KEYS_HEADER, is_personal
from dateline.pagecache.shared import nginx_purger, shared_address
from dateline.pagecache.store import Entry, PageStore

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.25
# How long a request waits for another's render of the same page before rendering it itself.
COALESCE_SECONDS = 5
CACHEABLE_STATUSES = frozenset({200, 301, 404, 410})
_KEYS_HEADER = KEYS_HEADER.lower().encode()
_NOT_SHARED = re.compile(rb"private|no-store|no-cache", re.IGNORECASE)
_SHARED_AGE = re.compile(rb"s-maxage=(\d+)", re.IGNORECASE)
_AGE = re.compile(rb"max-age=(\d+)", re.IGNORECASE)
# nginx keeps nothing with this header (and does not pass it on).
_NOT_FOR_NGINX = (b"x-accel-expires", b"0")

_store: PageStore | None = None


def local_store() -> PageStore | None:
    """Return this process's page store, or None if this process serves no pages."""
    return _store


class PurgeFollower:
    """Follows the purge log for one process: reads new purges every POLL_SECONDS in its own
    database thread and applies them to the store."""

    def __init__(self, store: PageStore):
        self.store = store
        self.last_id: int | None = None
        self.task: asyncio.Task | None = None
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dateline-purges")

    def start(self) -> None:
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._follow())

    async def _follow(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            try:
                await loop.run_in_executor(self.executor, self._read)
            except Exception:
                logger.exception("The page cache could not read the purge log")
                await asyncio.sleep(1)
            await asyncio.sleep(POLL_SECONDS)

    def _read(self) -> None:
        from django.db import connections

        from dateline.pagecache.models import Purge

        try:
            if self.last_id is None:
                # Starting: this store is empty, so only purges from now on matter.
                newest = Purge.objects.order_by("-pk").values_list("pk", flat=True).first()
                self.last_id = newest or 0
                return
            rows = list(
                Purge.objects.filter(pk__gt=self.last_id)
                .order_by("pk")
                .values_list("pk", "keys")[:500]
            )
        except Exception:
            connections.close_all()  # a broken connection is opened again on the next read
            raise
        for pk, keys in rows:
            self.store.purge(keys.split())
            self.last_id = pk


def _header(headers, name: bytes) -> bytes:
    for key, value in headers:
        if key == name:
            return value
    return b""


def _freshness(headers) -> int:
    """Return for how many seconds a response may be served from the store (0: not at all)."""
    cache_control = b", ".join(value for key, value in headers if key == b"cache-control")
    if b"public" not in cache_control.lower() or _NOT_SHARED.search(cache_control):
        return 0
    match = _SHARED_AGE.search(cache_control) or _AGE.search(cache_control)
    seconds = int(match.group(1)) if match else 0
    return min(seconds, settings.PAGE_CACHE_SECONDS)


def _storable(status: int, headers) -> int:
    if status not in CACHEABLE_STATUSES:
        return 0
    if not _header(headers, _KEYS_HEADER):
        return 0
    for key, value in headers:
        if key == b"set-cookie":
            return 0
        if key == b"vary" and any(
            part.strip().lower() not in (b"accept-encoding", b"") for part in value.split(b",")
        ):
            return 0
    return _freshness(headers)


async def _send_entry(send, entry: Entry, head: bool, extra=()) -> None:
    age = int(time.monotonic() - entry.stored_at)
    await send(
        {
            "type": "http.response.start",
            "status": entry.status,
            "headers": [
                *entry.headers,
                (b"content-length", str(len(entry.body)).encode()),
                (b"age", str(age).encode()),
                (b"x-cache", b"HIT"),
                *extra,
            ],
        }
    )
    await send({"type": "http.response.body", "body": b"" if head else entry.body})


def with_page_cache(app, *, max_bytes: int | None = None):
    """Wrap the Django ASGI application with the page cache (unless PAGE_CACHE is off)."""
    global _store
    if not settings.PAGE_CACHE:
        return app
    store = _store = PageStore(max_bytes or settings.PAGE_CACHE_MAX_BYTES)
    purger = nginx_purger()
    if purger is not None:
        store.forward = purger.forward
    follower = PurgeFollower(store)
    rendering: dict[tuple, asyncio.Future] = {}
    max_entry = store.max_bytes // 4

    async def application(scope, receive, send):
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await app(scope, receive, send)
            return
        headers = scope["headers"]
        personal = is_personal(
            _header(headers, b"cookie").decode("latin-1"), bool(_header(headers, b"authorization"))
        )
        label = b"BYPASS" if personal else b"MISS"
        follower.start()
        address = shared = None
        if not personal:
            proto = _header(headers, b"x-forwarded-proto") or scope.get("scheme", "http").encode()
            host = _header(headers, b"host")
            path = scope.get("raw_path") or scope["path"].encode()
            query = scope.get("query_string", b"")
            address = (proto, host.lower(), path, query)
            if purger is not None:
                shared = shared_address(proto, host, path, query)
            generation = store.generation
            entry = store.get(address)
            if entry is None and address in rendering:
                # A page that just left the store is being rendered again by another request:
                # wait for that render instead of rendering it once more per reader.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(asyncio.shield(rendering[address]), COALESCE_SECONDS)
                generation = store.generation
                entry = store.get(address)
            if entry is not None:
                extra = ()
                if shared is not None and not store.hand_out(shared, entry.keys, generation):
                    extra = (_NOT_FOR_NGINX,)  # purged since it was read: nginx must not keep it
                await _send_entry(send, entry, scope["method"] == "HEAD", extra)
                return
        generation = store.generation
        state = {"seconds": 0, "status": 0, "headers": [], "keys": "", "chunks": [], "size": 0}

        async def capture(message):
            if message["type"] == "http.response.start":
                # Django sends header names as it spells them; uvicorn lowercases them later.
                headers = [(k.lower(), v) for k, v in message.get("headers", [])]
                if address is not None and scope["method"] == "GET":
                    state["seconds"] = _storable(message["status"], headers)
                    state["keys"] = _header(headers, _KEYS_HEADER).decode("latin-1")
                headers = [(k, v) for k, v in headers if k != _KEYS_HEADER]
                state["status"] = message["status"]
                state["headers"] = [(k, v) for k, v in headers if k != b"content-length"]
                extra = [(b"x-cache", label)]
                if address is not None and purger is not None:
                    keys = frozenset(state["keys"].split())
                    if not (state["seconds"] and store.hand_out(shared, keys, generation)):
                        extra.append(_NOT_FOR_NGINX)
                message = {**message, "headers": [*headers, *extra]}
            elif message["type"] == "http.response.body" and state["seconds"]:
                body = message.get("body", b"")
                state["chunks"].append(body)
                state["size"] += len(body)
                if state["size"] > max_entry:
                    state["seconds"], state["chunks"] = 0, []
                elif not message.get("more_body", False):
                    now = time.monotonic()
                    entry = Entry(
                        status=state["status"],
                        headers=state["headers"],
                        body=b"".join(state["chunks"]),
                        keys=frozenset(state["keys"].split()),
                        stored_at=now,
                        expires_at=now + state["seconds"],
                    )
                    store.put(address, entry, generation)
            await send(message)

        leader = None
        if (
            address is not None
            and scope["method"] == "GET"
            and address not in rendering
            and store.was_stored(address)
        ):
            leader = rendering[address] = asyncio.get_running_loop().create_future()
        try:
            await app(scope, receive, capture)
        finally:
            if leader is not None:
                del rendering[address]
                leader.set_result(None)

    return application
