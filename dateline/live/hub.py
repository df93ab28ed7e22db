"""The embedded tier's stream server: Server-Sent Events served by the app's own event loop.

django-eventstream stores every event with an id that grows per channel; this module serves
those stored events to browsers without holding a thread or a database connection per open
stream. One hub per process follows the log of the channels that have readers: it reads new
events once and hands them to every open stream in id order. A publish in this process rings it
at once; one from another process (the scheduler, a command, another app server) rings it
through the doorbell (``dateline.live.doorbell``: PostgreSQL's NOTIFY, or a datagram on SQLite);
it also looks at the log every ``LIVE_POLL_MS`` (250 ms), in case a ring was lost. All its
reads go through one database thread, so a process holds one connection for all its streams
(on PostgreSQL, one more listens for the doorbell).

A browser that reconnects with ``Last-Event-ID`` (or a page that opens its stream with the
newest id it rendered, as ``lastEventId``) gets exactly the events it missed, in order; if they
are no longer stored, it gets a ``stream-reset`` event and reloads what it shows.

Requests that come through Pushpin (the production tier) go to django-eventstream's own view
instead: see ``dateline.live.views.events``.
"""

import asyncio
import collections
import contextlib
import functools
import json
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from django.conf import settings
from django_eventstream.utils import make_id, sse_encode_event

from dateline.live.channels import (
    MAX_CHANNELS,
    is_public_channel,
    needs_visibility_check,
    refused_channels,
)

logger = logging.getLogger(__name__)

STREAM_PATH = "/events/"
KEEP_ALIVE_SECONDS = 20
# A reader who missed more than this gets a reset and reloads instead of a replay.
REPLAY_LIMIT = 500
# Events waiting for one slow reader before it falls back to reading the log itself.
QUEUE_LIMIT = 1000
PADDING = ":" + " " * 2048 + "\n\n"
OPEN = "event: stream-open\ndata:\n\n"
KEEP_ALIVE = b"event: keep-alive\ndata:\n\n"


@dataclass(frozen=True, slots=True)
class StoredEvent:
    channel: str
    id: int
    type: str
    data: str  # JSON text, as published


# --- reads of the log, run in the hub's one database thread


def _current_ids(names: list[str]) -> dict[str, int]:
    from django_eventstream.models import EventCounter

    return dict(EventCounter.objects.filter(name__in=names).values_list("name", "value"))


def _events_after(channel: str, after: int, limit: int) -> list[StoredEvent]:
    from django_eventstream.models import Event

    rows = (
        Event.objects.filter(channel=channel, eid__gt=after)
        .order_by("eid")
        .values_list("eid", "type", "data")[:limit]
    )
    # The storage keeps the published JSON text as a JSON string.
    return [StoredEvent(channel, eid, kind, json.loads(data)) for eid, kind, data in rows]


def _guarded(fn, *args):
    from django.db import connections

    try:
        return fn(*args)
    except Exception:
        # Drop a broken connection; the next read opens a new one.
        connections.close_all()
        raise


class Listener:
    """One open stream: what it has been sent, and what waits to be sent."""

    def __init__(self, channels: list[str], last_ids: dict[str, int]):
        self.channels = channels
        self.last_ids = last_ids
        self.pending: collections.deque[StoredEvent] = collections.deque()
        self.overflow = False
        self.closed = False
        self.wake = asyncio.Event()

    def push(self, event: StoredEvent) -> None:
        if len(self.pending) >= QUEUE_LIMIT:
            self.overflow = True
        else:
            self.pending.append(event)
        self.wake.set()

    def close(self) -> None:
        self.closed = True
        self.wake.set()


@dataclass
class ChannelState:
    last_id: int
    listeners: set = field(default_factory=set)


class Hub:
    def __init__(self):
        self.channels: dict[str, ChannelState] = {}
        self.loop: asyncio.AbstractEventLoop | None = None
        self.bell: asyncio.Event | None = None
        self.task: asyncio.Task | None = None
        self.doorbell: asyncio.Task | None = None
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dateline-live-db")

    async def read(self, fn, *args):
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, _guarded, fn, *args)

    def ring(self) -> None:
        """Wake the hub from any thread: an event was just stored by this process."""
        loop, bell = self.loop, self.bell
        if loop is not None and bell is not None and not loop.is_closed():
            loop.call_soon_threadsafe(bell.set)

    def _start(self) -> None:
        if self.task is None or self.task.done():
            self.loop = asyncio.get_running_loop()
            self.bell = asyncio.Event()
            self.task = self.loop.create_task(self._follow())
        if self.doorbell is None or self.doorbell.done():
            self.doorbell = self.loop.create_task(self._answer_doorbell())

    async def _answer_doorbell(self) -> None:
        from dateline.live.doorbell import listen

        try:
            # The bell of the moment: _start() makes a new one with a new follower.
            await listen(lambda: self.bell.set())
        except Exception:
            # The poll stands in; the next stream to subscribe starts the doorbell again.
            logger.exception("The live stream's doorbell failed")

    async def subscribe(self, channels: list[str], resume: dict[str, int]) -> Listener:
        """Register a stream for ``channels``. Channels without a position in ``resume``
        start from now."""
        self._start()
        while unknown := [name for name in channels if name not in self.channels]:
            # Another stream may leave (and drop a channel's state) while this one reads.
            current = await self.read(_current_ids, unknown)
            for name in unknown:
                self.channels.setdefault(name, ChannelState(current.get(name, 0)))
        # From here to the end nothing awaits, so every state is still there.
        listener = Listener(
            channels,
            {name: resume.get(name, self.channels[name].last_id) for name in channels},
        )
        for name in channels:
            self.channels[name].listeners.add(listener)
        return listener

    def unsubscribe(self, listener: Listener) -> None:
        for name in listener.channels:
            state = self.channels.get(name)
            if state is None:
                continue
            state.listeners.discard(listener)
            if not state.listeners:
                # Nobody follows it now: its position is read afresh when someone does.
                del self.channels[name]

    async def _follow(self) -> None:
        poll_seconds = settings.LIVE_POLL_MS / 1000
        while True:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(poll_seconds):
                    await self.bell.wait()
            self.bell.clear()
            names = [name for name, state in self.channels.items() if state.listeners]
            if not names:
                continue
            try:
                await self._advance(names)
            except Exception:
                logger.exception("The live stream could not read the event log")
                await asyncio.sleep(1)

    async def _advance(self, names: list[str]) -> None:
        current = await self.read(_current_ids, names)
        for name in names:
            target = current.get(name, 0)
            state = self.channels.get(name)
            while state is not None and state.last_id < target:
                events = await self.read(_events_after, name, state.last_id, REPLAY_LIMIT)
                if not events:
                    state.last_id = target
                    break
                for event in events:
                    state.last_id = event.id
                    for listener in list(state.listeners):
                        listener.push(event)
                state = self.channels.get(name)


HUB = Hub()


def ring() -> None:
    HUB.ring()


# --- the stream response


class BadStreamRequest(ValueError):
    pass


def parse_request(query_string: bytes, last_event_id: str | None) -> tuple[list, dict]:
    """Return the channels a stream asks for and the position to resume each from."""
    query = parse_qs(query_string.decode("latin-1"))
    channels = list(dict.fromkeys(query.get("channel", [])))
    if not channels:
        raise BadStreamRequest("No channel given.")
    if len(channels) > MAX_CHANNELS:
        raise BadStreamRequest(f"At most {MAX_CHANNELS} channels in one stream.")
    for name in channels:
        if not is_public_channel(name):
            raise BadStreamRequest(f"No such channel: {name[:80]!r}.")
    if not last_event_id:
        last_event_id = next((v for v in reversed(query.get("lastEventId", [])) if v), None)
    resume = {}
    if last_event_id:
        for part in last_event_id.split(","):
            name, _, number = part.rpartition(":")
            if not name or not number.isdigit() or len(number) > 18:
                raise BadStreamRequest("Last-Event-ID is not an event id of this stream.")
            if name in channels:
                resume[name] = int(number)
    return channels, resume


async def _replay(listener: Listener, names: list[str]) -> tuple[list[StoredEvent], list[str]]:
    """Read what ``listener`` missed on ``names`` from the log: the events, and the channels
    whose missed events are no longer all stored (those must be reset)."""
    current = await HUB.read(_current_ids, names)
    events, reset = [], []
    for name in names:
        after, newest = listener.last_ids[name], current.get(name, 0)
        if after == newest:
            continue
        missed = (
            [] if after > newest else await HUB.read(_events_after, name, after, REPLAY_LIMIT + 1)
        )
        if after > newest or not missed or missed[0].id != after + 1 or len(missed) > REPLAY_LIMIT:
            listener.last_ids[name] = newest
            reset.append(name)
        else:
            events.extend(missed)
    return events, reset


@functools.lru_cache(maxsize=256)
def _encode_event(event: StoredEvent, positions: tuple[tuple[str, int], ...]) -> bytes:
    """One event as it goes on the wire to a stream at ``positions``. Streams of the same
    channels at the same positions (most readers of a page) share one encoding."""
    return sse_encode_event(event.type, event.data, event_id=make_id(dict(positions))).encode()


def _encode(listener: Listener, events: list[StoredEvent]) -> bytes:
    body = []
    for event in events:
        if event.id <= listener.last_ids[event.channel]:
            continue  # already sent (a replay and the hub can overlap)
        listener.last_ids[event.channel] = event.id
        body.append(_encode_event(event, tuple(listener.last_ids.items())))
    return b"".join(body)


def _encode_reset(listener: Listener, names: list[str]) -> bytes:
    return sse_encode_event(
        "stream-reset",
        {"channels": names},
        event_id=make_id(listener.last_ids),
        json_encode=True,
    ).encode()


async def serve_stream(scope, receive, send) -> None:
    headers = dict(scope["headers"])
    if scope["method"] != "GET":
        await _plain(send, 405, "Streams are read with GET.\n", [(b"allow", b"GET")])
        return
    try:
        last_event_id = headers.get(b"last-event-id", b"").decode("latin-1") or None
        channels, resume = parse_request(scope.get("query_string", b""), last_event_id)
    except BadStreamRequest as error:
        await _plain(send, 400, f"{error}\n")
        return
    if needs_visibility_check(channels):
        # A chat room (say) readers may not see has a stream they may not read.
        refusal = await HUB.read(refused_channels, channels)
        if refusal is not None:
            status, message = refusal
            await _plain(send, status, f"{message}\n")
            return

    listener = await HUB.subscribe(channels, resume)

    async def watch_disconnect():
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                listener.close()
                return

    watcher = asyncio.get_running_loop().create_task(watch_disconnect())
    try:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"text/event-stream; charset=utf-8"),
                    (b"cache-control", b"no-cache, no-store"),
                    (b"x-accel-buffering", b"no"),
                ],
            }
        )
        events, reset = await _replay(listener, [name for name in channels if name in resume])
        body = (PADDING + OPEN).encode()
        if reset:
            body += _encode_reset(listener, reset)
        body += _encode(listener, events)
        await _chunk(send, body)
        while not listener.closed:
            try:
                # asyncio.timeout, unlike wait_for, makes no task per wait: at thousands of
                # streams per event that is most of the fan-out's cost.
                async with asyncio.timeout(KEEP_ALIVE_SECONDS):
                    await listener.wake.wait()
            except TimeoutError:
                await send({"type": "http.response.body", "body": KEEP_ALIVE, "more_body": True})
                continue
            listener.wake.clear()
            if listener.closed:
                break
            pending = list(listener.pending)
            listener.pending.clear()
            if listener.overflow:
                # This reader fell behind: it reads what it missed from the log itself.
                listener.overflow = False
                pending, reset = await _replay(listener, channels)
                if reset:
                    await _chunk(send, _encode_reset(listener, reset))
            body = _encode(listener, pending)
            if body:
                await _chunk(send, body)
    finally:
        HUB.unsubscribe(listener)
        watcher.cancel()
    await send({"type": "http.response.body", "body": b"", "more_body": False})


async def _chunk(send, body: bytes) -> None:
    await send({"type": "http.response.body", "body": body, "more_body": True})


async def _plain(send, status: int, text: str, extra_headers=()) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"cache-control", b"no-store"),
                *extra_headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": text.encode()})


def with_streams(django_app):
    """Wrap the Django ASGI application: stream requests are answered here, unless they come
    through Pushpin (signed with Grip-Sig), which django-eventstream's view answers."""
    grip = bool(getattr(settings, "GRIP_URL", None))

    async def application(scope, receive, send):
        if (
            scope["type"] == "http"
            and scope["path"] == STREAM_PATH
            and not (grip and any(name == b"grip-sig" for name, _ in scope["headers"]))
        ):
            await serve_stream(scope, receive, send)
        else:
            await django_app(scope, receive, send)

    return application
