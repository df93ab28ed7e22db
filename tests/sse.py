"""A small Server-Sent Events client for tests: one open connection, read event by event."""

import re
import socket
import time
from urllib.parse import urlsplit


class SSEClient:
    def __init__(self, url: str, last_event_id: str | None = None, timeout: float = 10):
        parts = urlsplit(url)
        self.sock = self.connect(parts.hostname, parts.port, timeout)
        request = f"GET {parts.path}?{parts.query} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        request += "Accept: text/event-stream\r\n"
        if last_event_id:
            request += f"Last-Event-ID: {last_event_id}\r\n"
        self.sock.sendall((request + "\r\n").encode())
        self.buffer = b""
        self.closed = False
        self.status = None

    def connect(self, host: str, port: int, timeout: float) -> socket.socket:
        return socket.create_connection((host, port), timeout=timeout)

    def _blocks(self, deadline):
        while time.monotonic() < deadline:
            match = re.search(rb"\r?\n\r?\n", self.buffer)
            if match:
                block, self.buffer = self.buffer[: match.start()], self.buffer[match.end() :]
                yield block
                continue
            self.sock.settimeout(max(0.05, min(0.5, deadline - time.monotonic())))
            try:
                chunk = self.sock.recv(65536)
            except TimeoutError:
                continue
            if not chunk:
                self.closed = True
                return
            self.buffer += chunk

    def next_event(self, timeout: float = 5, skip=("stream-open", "keep-alive")):
        """Return the next event as (type, id, data), or None if none came in time."""
        deadline = time.monotonic() + timeout
        for block in self._blocks(deadline):
            text = block.decode("utf-8", "replace")
            if text.startswith("HTTP/1.1 "):
                self.status = int(text.split()[1])
                # Chunked transfer: the rest of the stream has chunk sizes between events;
                # they parse as lines without a field name and are ignored below.
                continue
            fields = {}
            for line in text.splitlines():
                key, sep, value = line.partition(": ")
                if sep:
                    fields[key] = value
                elif line.startswith("event:") or line.startswith("data:"):
                    fields[line.rstrip(":")] = ""
            event = fields.get("event")
            if event is None or event in skip:
                continue
            return event, fields.get("id"), fields.get("data")
        return None

    def is_open(self) -> bool:
        """True while the server has not closed the connection."""
        self.sock.settimeout(0.2)
        try:
            chunk = self.sock.recv(65536, socket.MSG_PEEK)
        except TimeoutError:
            return True
        except OSError:
            return False
        return bool(chunk)

    def close(self):
        self.sock.close()
