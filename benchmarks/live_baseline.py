"""The baseline of benchmarks/live.py: a minimal Server-Sent Events server on plain asyncio
streams (the standard library's event loop, no framework, no database).

It answers ``GET /events/…`` with the stream the app sends (the same headers, 2 KB of padding,
a ``stream-open`` event, chunked transfer encoding) and keeps the writer; ``POST /publish``
writes one event to every open stream, then answers 204. So the publishing request returns
once the fan-out has been handed to the kernel, as the app's does once its event is stored.

Run: ``python -m benchmarks.live_baseline PAYLOAD_JSON``; it binds a free port on 127.0.0.1
and prints ``{"port": …}`` on stdout.
"""

import asyncio
import json
import sys

from dateline.production.tier import raise_open_files_limit

HEADERS = (
    b"HTTP/1.1 200 OK\r\n"
    b"Content-Type: text/event-stream; charset=utf-8\r\n"
    b"Cache-Control: no-cache, no-store\r\n"
    b"X-Accel-Buffering: no\r\n"
    b"Transfer-Encoding: chunked\r\n\r\n"
)
# As dateline.live.hub starts its streams.
PADDING = ":" + " " * 2048 + "\n\n"
OPEN = "event: stream-open\ndata:\n\n"


def chunk(text: str) -> bytes:
    data = text.encode()
    return b"%x\r\n%s\r\n" % (len(data), data)


class Server:
    def __init__(self, payload: str):
        self.payload = payload
        self.streams: set[asyncio.StreamWriter] = set()
        self.last_id = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            method, target, _ = head.split(b"\r\n", 1)[0].split(b" ", 2)
            if method == b"GET" and target.startswith(b"/events/"):
                writer.write(HEADERS + chunk(PADDING + OPEN))
                self.streams.add(writer)
                await reader.read()  # an idle reader sends nothing until it goes
            elif method == b"POST" and target == b"/publish":
                self.publish()
                writer.write(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
                await writer.drain()
            else:
                writer.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                await writer.drain()
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError, OSError):
            pass
        finally:
            self.streams.discard(writer)
            writer.close()

    def publish(self) -> None:
        self.last_id += 1
        frame = chunk(f"event: breaking\nid: edition-en:{self.last_id}\ndata: {self.payload}\n\n")
        for stream in self.streams:
            stream.write(frame)


async def main(payload: str) -> None:
    server = Server(payload)
    listener = await asyncio.start_server(server.handle, "127.0.0.1", 0, backlog=2048)
    port = listener.sockets[0].getsockname()[1]
    sys.stdout.write(json.dumps({"port": port}) + "\n")
    sys.stdout.flush()
    async with listener:
        await listener.serve_forever()


if __name__ == "__main__":
    raise_open_files_limit()
    asyncio.run(main(sys.argv[1]))
