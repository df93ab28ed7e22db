"""Many live-stream readers that behave like browsers' EventSource, for the fault runs
(benchmarks/stream_faults.py, tests/test_prod_faults.py).

Each reader is one raw asyncio connection (a Protocol, no HTTP library) that keeps the id of
every event it receives. When the server closes its stream, it opens it again after a short
delay with ``Last-Event-ID`` set to the last id it had, as EventSource does, and counts the
drop. The fleet runs its own event loop in a background thread, so a test or a benchmark
drives it with plain calls.
"""

import asyncio
import random
import threading
import time
from collections.abc import Iterable

OPEN_MARKER = "stream-open"
IGNORED = {"stream-open", "keep-alive"}
CONNECTING_AT_ONCE = 200
# EventSource waits about this long before it reconnects; a little jitter spreads the fleet.
RETRY_SECONDS = 1.0
# A stream not open this long after its connection is closed and opened again.
OPEN_SECONDS = 60


class Reader(asyncio.Protocol):
    def __init__(self, fleet: "Fleet", number: int):
        self.fleet = fleet
        self.number = number
        self.transport = None
        self.buffer = b""
        self.headers_done = False
        self.status = 0
        self.last_id = ""
        self.received: list[tuple[str, str]] = []  # (event type, event id)
        self.opens: list[float] = []  # time.monotonic() of each stream-open
        self.drops = 0
        self.errors: list[str] = []
        self.opened = asyncio.Event()
        self.closing = False
        self.settled: asyncio.Future | None = None  # True when an attempt opened its stream

    # --- the connection

    def request(self) -> bytes:
        fleet = self.fleet
        lines = [
            f"GET {fleet.path} HTTP/1.1",
            f"Host: 127.0.0.1:{fleet.port}",
            "Accept: text/event-stream",
            "Cache-Control: no-cache",
        ]
        if self.last_id:
            lines.append(f"Last-Event-ID: {self.last_id}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode()

    def connection_made(self, transport):
        self.transport = transport
        self.buffer = b""
        self.headers_done = False
        transport.write(self.request())

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if not self.headers_done:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buffer[:end].decode("latin-1")
            self.buffer = self.buffer[end + 4 :]
            self.headers_done = True
            self.status = int(head.split()[1])
            if self.status != 200:
                self.errors.append(f"HTTP {self.status}")
                self.transport.close()
                return
        # Chunked transfer: the chunk sizes are lines of their own, never "event:" or "id:".
        while (end := self.buffer.find(b"\n\n")) >= 0:
            block, self.buffer = self.buffer[:end], self.buffer[end + 2 :]
            kind = event_id = None
            for line in block.decode("utf-8", "replace").split("\n"):
                line = line.rstrip("\r")
                if line.startswith("event:"):
                    kind = line[6:].strip()
                elif line.startswith("id:"):
                    event_id = line[3:].strip()
            if kind == OPEN_MARKER:
                self.opens.append(time.monotonic())
                self.opened.set()
                if self.settled is not None and not self.settled.done():
                    self.settled.set_result(True)
            elif kind and kind not in IGNORED:
                self.received.append((kind, event_id or ""))
            if event_id:
                self.last_id = event_id

    def connection_lost(self, exc):
        self.transport = None
        if self.closing:
            return
        if self.settled is not None and not self.settled.done():
            self.settled.set_result(False)  # an attempt that failed: connect() tries again
            return
        # A stream that was open, closed by the server: a drop. The reader comes back.
        self.drops += 1
        self.opened.clear()
        self.fleet.loop.create_task(self.reconnect())

    async def reconnect(self) -> None:
        await asyncio.sleep(RETRY_SECONDS * (0.5 + random.random()))  # noqa: S311
        await self.fleet.connect(self)


class Fleet:
    """Readers of ``path`` at 127.0.0.1:``port`` (plain HTTP)."""

    def __init__(self, port: int, path: str):
        self.port = port
        self.path = path
        self.readers: list[Reader] = []
        self.loop = asyncio.new_event_loop()
        self.gate: asyncio.Semaphore | None = None
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def _call(self, coroutine, timeout: float | None = None):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    async def connect(self, reader: Reader) -> None:
        """Connect ``reader`` and return once its stream is open, trying again (as a browser
        does) after a refused connection, an answer that is not a stream, or no open within
        OPEN_SECONDS. A failed attempt is not a drop."""
        if self.gate is None:
            self.gate = asyncio.Semaphore(CONNECTING_AT_ONCE)
        while not reader.closing:
            async with self.gate:
                reader.settled = self.loop.create_future()
                try:
                    await self.loop.create_connection(lambda: reader, "127.0.0.1", self.port)
                    # Hold a place until the stream opens, so that opens are not a storm.
                    async with asyncio.timeout(OPEN_SECONDS):
                        opened = await reader.settled
                except (OSError, TimeoutError) as error:
                    reader.errors.append(f"{type(error).__name__}: {error}")
                    opened = False
                    if not reader.settled.done():
                        reader.settled.set_result(False)
                    if reader.transport is not None:
                        reader.transport.close()
                if opened:
                    return
            await asyncio.sleep(RETRY_SECONDS * (0.5 + random.random()))  # noqa: S311

    def open(self, n: int, timeout: float = 300) -> float:
        """Open ``n`` more readers; return the seconds until every one had its stream open."""

        async def run():
            start = time.monotonic()
            new = [Reader(self, len(self.readers) + i) for i in range(n)]
            self.readers += new
            await asyncio.gather(*(self.connect(reader) for reader in new))
            return time.monotonic() - start

        return self._call(run(), timeout)

    def wait_all_open(self, since: float, timeout: float) -> float | None:
        """Wait until every reader has opened its stream after ``since`` (time.monotonic());
        return the seconds from ``since`` to the last such open, or None at the timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            reopened = [
                next((t for t in reader.opens if t > since), None) for reader in self.readers
            ]
            if all(t is not None for t in reopened):
                return max(reopened) - since
            time.sleep(0.1)
        return None

    def wait_received(self, count: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(len(reader.received) >= count for reader in self.readers):
                return True
            time.sleep(0.1)
        return False

    def id_sequences(self, kind: str) -> list[list[str]]:
        return [[i for k, i in reader.received if k == kind] for reader in self.readers]

    def drops(self) -> int:
        return sum(reader.drops for reader in self.readers)

    def close(self) -> None:
        def shut():
            for reader in self.readers:
                reader.closing = True
                if reader.transport is not None:
                    reader.transport.close()

        self.loop.call_soon_threadsafe(shut)
        time.sleep(0.2)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


def summary(sequences: Iterable[list[str]], expected: list[str]) -> tuple[int, int]:
    """Return how many readers received exactly ``expected`` and how many did not."""
    exact = wrong = 0
    for sequence in sequences:
        if sequence == expected:
            exact += 1
        else:
            wrong += 1
    return exact, wrong
