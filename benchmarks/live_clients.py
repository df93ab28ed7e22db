"""The load generator of benchmarks/live.py: many idle Server-Sent Events clients in one
process, on raw asyncio sockets (a Protocol per connection, no HTTP library).

Driven through stdin and stdout, one JSON object per line, so that the clients never share a
process (or an interpreter lock) with the server under test:

- ``{"op": "connect", "port": 8000, "path": "/events/?channel=edition-en", "n": 1000}`` opens
  ``n`` more streams (``"at_once"``, 100 unless given, at a time) and answers
  ``{"connected": k, "failed": f, "error": "…", "seconds": s, "first_open": t}`` once each has
  received its ``stream-open`` event (or failed); ``t`` is when the first one had.
- ``{"op": "arm"}`` makes every stream wait for the next event whose type starts with
  ``breaking``; ``{"op": "collect", "timeout": 15}`` answers ``{"times": […], "missing": m,
  "closed": c}``: the ``time.monotonic()`` at which each stream had the whole event, how many
  open streams did not, and how many streams the server has closed since they opened.
- ``{"op": "close"}`` closes every stream.

Times are CLOCK_MONOTONIC, which on Linux is one clock for the whole machine: the
orchestrator and the publisher compare them with their own ``time.monotonic()``.
"""

import asyncio
import contextlib
import json
import sys
import time

from dateline.production.tier import raise_open_files_limit

OPEN_MARKER = b"event: stream-open"
EVENT_MARKER = b"event: breaking"
# Bytes kept from one read to the next, so that a marker split between two reads is found.
TAIL = 64
CONNECTING_AT_ONCE = 100


class Stream(asyncio.Protocol):
    """One idle reader: it notes when its stream opened and when the armed event arrived."""

    def __init__(self, request: bytes, opened: asyncio.Future, fleet: "Fleet"):
        self.request = request
        self.opened = opened
        self.fleet = fleet
        self.transport = None
        self.buffer = b""
        self.armed = False
        self.received: float | None = None
        self.lost = False

    def connection_made(self, transport):
        self.transport = transport
        transport.write(self.request)

    def data_received(self, data: bytes) -> None:
        now = time.monotonic()
        buffer = self.buffer + data
        if not self.opened.done():
            if OPEN_MARKER in buffer:
                self.opened.set_result(True)
                buffer = buffer[buffer.index(OPEN_MARKER) + len(OPEN_MARKER) :]
            self.buffer = buffer[-TAIL:]
            return
        if not self.armed:
            self.buffer = buffer[-TAIL:]
            return
        start = buffer.find(EVENT_MARKER)
        if start < 0:
            self.buffer = buffer[-TAIL:]
        elif buffer.find(b"\n\n", start) < 0:
            self.buffer = buffer[start:]  # the event has begun: wait for its end
        else:
            self.armed = False
            self.buffer = b""
            self.received = now
            self.fleet.arrived()

    def connection_lost(self, exc):
        self.lost = True
        if not self.opened.done():
            self.opened.set_exception(ConnectionError("closed before the stream opened"))
        if self.armed:
            self.armed = False
            self.fleet.arrived()


class Fleet:
    def __init__(self):
        self.streams: list[Stream] = []
        self.waiting = 0
        self.all_arrived = asyncio.Event()

    async def connect(
        self, port: int, path: str, n: int, deadline: float = 300, at_once: int = CONNECTING_AT_ONCE
    ) -> dict:
        """Open ``n`` streams, ``at_once`` at a time, giving up on those not open ``deadline``
        seconds from now."""
        loop = asyncio.get_running_loop()
        request = (
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            "Accept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n"
        ).encode()
        # Connections are opened a hundred at a time: the servers' listen backlogs stay short
        # and no tier is judged on how it copes with a connection storm.
        gate = asyncio.Semaphore(at_once)
        errors: list[str] = []
        first_open: list[float] = []
        started = loop.time()
        end = started + deadline

        async def one():
            async with gate:
                if loop.time() >= end:
                    errors.append(f"not open {deadline:.0f} s after the first")
                    return
                opened = loop.create_future()
                stream = Stream(request, opened, self)
                try:
                    async with asyncio.timeout_at(end):
                        await loop.create_connection(lambda: stream, "127.0.0.1", port)
                        await opened
                except (OSError, TimeoutError) as error:
                    if isinstance(error, TimeoutError):
                        errors.append(f"not open {deadline:.0f} s after the first")
                    else:
                        errors.append(f"{type(error).__name__}: {error}".strip())
                    if stream.transport is not None:
                        stream.transport.close()
                    return
                self.streams.append(stream)
                if not first_open:
                    first_open.append(time.monotonic())

        await asyncio.gather(*(one() for _ in range(n)))
        return {
            "connected": n - len(errors),
            "failed": len(errors),
            "error": errors[0] if errors else "",
            "seconds": loop.time() - started,
            "first_open": first_open[0] if first_open else None,
        }

    def arm(self) -> dict:
        self.all_arrived.clear()
        self.waiting = 0
        for stream in self.streams:
            stream.received = None
            stream.armed = not stream.lost
            self.waiting += stream.armed
        if not self.waiting:
            self.all_arrived.set()
        return {"armed": self.waiting}

    def arrived(self) -> None:
        self.waiting -= 1
        if self.waiting <= 0:
            self.all_arrived.set()

    async def collect(self, timeout: float) -> dict:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.all_arrived.wait(), timeout)
        times = [stream.received for stream in self.streams if stream.received is not None]
        for stream in self.streams:
            stream.armed = False
        closed = sum(stream.lost for stream in self.streams)
        return {
            "times": times,
            "missing": len(self.streams) - closed - len(times),
            "closed": closed,
        }

    async def close(self) -> dict:
        for stream in self.streams:
            if stream.transport is not None:
                stream.transport.close()
        self.streams = []
        await asyncio.sleep(0)
        return {"closed": True}


async def main() -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=1 << 20)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    fleet = Fleet()
    while line := await reader.readline():
        command = json.loads(line)
        op = command.pop("op")
        if op == "connect":
            answer = await fleet.connect(**command)
        elif op == "arm":
            answer = fleet.arm()
        elif op == "collect":
            answer = await fleet.collect(**command)
        elif op == "close":
            answer = await fleet.close()
        else:
            answer = {"error": f"unknown op {op!r}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
    await fleet.close()


if __name__ == "__main__":
    raise_open_files_limit()
    try:
        # The clients' own cost is in every figure, the baseline's too; uvloop keeps it small.
        import uvloop
    except ImportError:
        asyncio.run(main())
    else:
        uvloop.run(main())
