"""Local servers that hostile wire material is fetched from, registered as fixtures for the
whole suite (conftest.py's ``pytest_plugins``). Each is reachable through the fetcher's test
allowance only, one address and port: everything else on loopback stays refused.

- ``wire_server``: answers the routes a test sets, ``routes[path] = (status, headers, body)``,
  where the body is bytes, a file (``Path``) or a function yielding chunks (an endless or slow
  answer).
- ``trickler``: answers a byte every 0.2 s for as long as the client waits, at ``/headers`` its
  headers, at any other path its body after complete headers.
"""

import http.server
import socket
import threading
from pathlib import Path

import pytest

from dateline.wire import fetching


class _Routes(http.server.BaseHTTPRequestHandler):
    routes: dict = {}

    def do_GET(self):  # noqa: N802 - http.server's name
        if self.path not in self.routes:
            self.send_error(404)
            return
        status, headers, body = self.routes[self.path]
        if isinstance(body, Path):
            body = body.read_bytes()
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        if isinstance(body, bytes):
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.end_headers()
        for chunk in body():
            try:
                self.wfile.write(chunk)
            except OSError:
                return

    def log_message(self, *args):
        pass


@pytest.fixture
def wire_server(monkeypatch):
    """Yield the server's address (``http://127.0.0.1:PORT``) and its routes."""
    _Routes.routes = {}
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Routes)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    port = httpd.server_address[1]
    monkeypatch.setattr(fetching, "TEST_ALLOWANCE", frozenset({("127.0.0.1", port)}))
    yield f"http://127.0.0.1:{port}", _Routes.routes
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def trickler(monkeypatch):
    """Yield the address of a server that sends one byte every 0.2 s, without end."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    monkeypatch.setattr(fetching, "TEST_ALLOWANCE", frozenset({("127.0.0.1", port)}))
    stop = threading.Event()

    def answer(connection):
        with connection:
            request = connection.recv(65536)
            if b" /headers " in request:
                drip = iter(b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 60_000)
            else:
                connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n\r\n")
                drip = iter(lambda: 32, None)  # spaces, for ever
            for byte in drip:
                if stop.wait(0.2):
                    return
                try:
                    connection.sendall(bytes([byte]))
                except OSError:
                    return

    def serve():
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=answer, args=(connection,), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    yield f"http://127.0.0.1:{port}"
    stop.set()
    listener.close()
