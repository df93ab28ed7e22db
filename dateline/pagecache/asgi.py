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

A signed-in reader is answered from the store like anyone else: public pages hold nothing
personal (see ``dateline.pagecache.keys``). The newsroom, previews and account pages are never
marked public, so they are never stored.

A stored page keeps its bytes as rendered and, for HTML, feeds and sitemaps, the same bytes
compressed with gzip and brotli, compressed once when it is stored; each reader gets the
encoding their ``Accept-Encoding`` prefers (``Vary: Accept-Encoding``), under an ``ETag`` of
its own (the page's, with ``-gzip`` or ``-br``, as RFC 9110 asks of different bytes). A request
whose ``If-None-Match`` (else ``If-Modified-Since``) matches the stored page gets 304.

Answers carry ``X-Cache: HIT`` (with ``Age``), ``MISS`` or ``BYPASS`` (a personal request).

With nginx in front (PAGE_CACHE_NGINX_PURGE_URL, see ``dateline.pagecache.shared``) every
public page this process answers is noted under its keys as nginx will hold it, and purges send
those addresses to nginx. A page that cannot be noted (rendered while a purge happened, or
without keys) goes out with ``X-Accel-Expires: 0``, so that nginx keeps nothing that no worker
would purge.
"""

import asyncio
import contextlib
import gzip
import logging
import re
import time
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

import brotli
from django.conf import settings
from django.utils.http import parse_http_date_safe

from dateline.pagecache.keys import KEYS_HEADER, is_personal
from dateline.pagecache.shared import nginx_purger, shared_address
from dateline.pagecache.store import Entry, PageStore, Variant

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
# What is compressed when stored: pages, feeds, sitemaps, JSON. Below MIN_COMPRESS bytes the
# framing costs more than it saves. The levels cost a few milliseconds for a 35 KB page (a
# fraction of its render), paid once per stored page, not per reader; brotli's higher
# qualities cost 15-40 times as much for 1-12 % fewer bytes.
_COMPRESSIBLE = re.compile(
    rb"\s*(text/|application/([a-z.+-]*\+)?(xml|json)\b|image/svg\+xml)", re.IGNORECASE
)
MIN_COMPRESS = 512
GZIP_LEVEL = 6
BROTLI_QUALITY = 5
_COMPRESSORS = (
    (b"br", lambda body: brotli.compress(body, quality=BROTLI_QUALITY)),
    (b"gzip", lambda body: gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)),
)
# What a 304 repeats of the page it stands for (RFC 9110, 15.4.5), besides Age and X-Cache.
_NOT_MODIFIED_HEADERS = frozenset(
    {b"cache-control", b"content-location", b"date", b"etag", b"expires", b"last-modified", b"vary"}
)

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


@lru_cache(maxsize=256)
def choose_encoding(accept_encoding: bytes) -> bytes:
    """Return the content coding to answer a request with this ``Accept-Encoding``: b"br",
    else b"gzip", else b"" (the bytes as rendered)."""
    accepted = set()
    for part in accept_encoding.lower().split(b","):
        name, _, parameters = part.partition(b";")
        quality = 1.0
        for parameter in parameters.split(b";"):
            key, _, value = parameter.strip().partition(b"=")
            if key == b"q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            accepted.add(name.strip())
    for coding in (b"br", b"gzip"):
        if coding in accepted or b"*" in accepted:
            return coding
    return b""


def _variant_etag(etag: bytes, coding: bytes) -> bytes:
    # Different bytes need a different strong validator (RFC 9110, 8.8.3.3).
    if not etag.endswith(b'"'):
        return b""
    return etag[:-1] + b"-" + coding + b'"'


def make_entry(status: int, headers, body: bytes, keys: frozenset[str], seconds: int) -> Entry:
    """Build the stored form of a response: its bytes and, for text over MIN_COMPRESS bytes
    that is not already encoded, the same compressed with each of _COMPRESSORS (kept only
    where smaller)."""
    headers = [(k, v) for k, v in headers if k != b"content-length"]
    etag = _header(headers, b"etag")
    variants = {b"": Variant(body, headers, etag)}
    if (
        len(body) >= MIN_COMPRESS
        and _COMPRESSIBLE.match(_header(headers, b"content-type"))
        and not _header(headers, b"content-encoding")
    ):
        varies = [v for k, v in headers if k == b"vary"]
        if not any(b"accept-encoding" in value.lower() for value in varies):
            varies.append(b"Accept-Encoding")
        common = [(k, v) for k, v in headers if k not in (b"vary", b"etag")]
        common.append((b"vary", b", ".join(varies)))
        variants[b""] = Variant(body, [*common, *([(b"etag", etag)] if etag else [])], etag)
        for coding, compress in _COMPRESSORS:
            packed = compress(body)
            if len(packed) < len(body):
                tag = _variant_etag(etag, coding)
                encoded = [*common, (b"content-encoding", coding)]
                if tag:
                    encoded.append((b"etag", tag))
                variants[coding] = Variant(packed, encoded, tag)
    for variant in variants.values():
        variant.headers.append((b"content-length", str(len(variant.body)).encode()))
    modified = _header(headers, b"last-modified")
    now = time.monotonic()
    return Entry(
        status=status,
        variants=variants,
        keys=keys,
        stored_at=now,
        expires_at=now + seconds,
        last_modified=parse_http_date_safe(modified.decode("latin-1")) if modified else None,
    )


def _not_modified(request: dict, entry: Entry, variant: Variant) -> bool:
    """Whether the request's validators match the stored page (RFC 9110, 13.1.2 and 13.1.3):
    ``If-None-Match`` by weak comparison, else ``If-Modified-Since``."""
    if entry.status != 200:
        return False
    if_none_match = request.get(b"if-none-match")
    if if_none_match is not None:
        if if_none_match.strip() == b"*":
            return True
        if not variant.etag:
            return False
        mine = variant.etag.removeprefix(b"W/")
        return any(tag.strip().removeprefix(b"W/") == mine for tag in if_none_match.split(b","))
    since = request.get(b"if-modified-since")
    if since is None or entry.last_modified is None:
        return False
    since_seconds = parse_http_date_safe(since.decode("latin-1"))
    return since_seconds is not None and entry.last_modified <= since_seconds


async def _send_entry(send, entry: Entry, request: dict, head: bool, label: bytes, extra=()):
    variant = entry.variants.get(choose_encoding(request.get(b"accept-encoding", b"")))
    if variant is None:
        variant = entry.variants[b""]
    age = (b"age", str(int(time.monotonic() - entry.stored_at)).encode())
    if _not_modified(request, entry, variant):
        headers = [(k, v) for k, v in variant.headers if k in _NOT_MODIFIED_HEADERS]
        await send(
            {
                "type": "http.response.start",
                "status": 304,
                "headers": [*headers, age, (b"x-cache", label), *extra],
            }
        )
        await send({"type": "http.response.body", "body": b""})
        return
    await send(
        {
            "type": "http.response.start",
            "status": entry.status,
            "headers": [*variant.headers, age, (b"x-cache", label), *extra],
        }
    )
    await send({"type": "http.response.body", "body": b"" if head else variant.body})


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
        request = dict(reversed(headers))  # the first of a repeated header, as Django reads it
        personal = is_personal(
            request.get(b"cookie", b"").decode("latin-1"), b"authorization" in request
        )
        label = b"BYPASS" if personal else b"MISS"
        follower.start()
        address = shared = None
        if not personal:
            proto = request.get(b"x-forwarded-proto") or scope.get("scheme", "http").encode()
            host = request.get(b"host", b"")
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
                await _send_entry(send, entry, request, scope["method"] == "HEAD", b"HIT", extra)
                return
        generation = store.generation
        state = {"seconds": 0, "keys": "", "start": None, "extra": [], "chunks": [], "size": 0}

        async def capture(message):
            if message["type"] == "http.response.start":
                # Django sends header names as it spells them; uvicorn lowercases them later.
                headers = [(k.lower(), v) for k, v in message.get("headers", [])]
                if address is not None and scope["method"] == "GET":
                    state["seconds"] = _storable(message["status"], headers)
                    state["keys"] = _header(headers, _KEYS_HEADER).decode("latin-1")
                headers = [(k, v) for k, v in headers if k != _KEYS_HEADER]
                extra = state["extra"]
                if address is not None and purger is not None:
                    keys = frozenset(state["keys"].split())
                    if not (state["seconds"] and store.hand_out(shared, keys, generation)):
                        extra.append(_NOT_FOR_NGINX)
                message = {**message, "headers": [*headers, (b"x-cache", label), *extra]}
                if state["seconds"]:
                    # Held until the whole body is in, then answered as the stored page is:
                    # compressed, and 304 for a reader who has it.
                    state["status"], state["headers"], state["start"] = (
                        message["status"],
                        headers,
                        message,
                    )
                    return
            elif message["type"] == "http.response.body" and state["seconds"]:
                body = message.get("body", b"")
                state["chunks"].append(body)
                state["size"] += len(body)
                if state["size"] > max_entry:
                    # Too large to store: it goes out as it comes.
                    state["seconds"] = 0
                    await send(state["start"])
                    message = {**message, "body": b"".join(state["chunks"])}
                    state["chunks"] = []
                elif message.get("more_body", False):
                    return
                else:
                    entry = make_entry(
                        state["status"],
                        state["headers"],
                        b"".join(state["chunks"]),
                        frozenset(state["keys"].split()),
                        state["seconds"],
                    )
                    store.put(address, entry, generation)
                    await _send_entry(send, entry, request, False, label, state["extra"])
                    return
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
