"""Purging the shared cache in front of the app: nginx's page cache in the production tier.

nginx keeps a public page under ``$scheme$http_host$request_uri``; a worker that answered it
(rendered, or from its own store) notes that address under the page's surrogate keys (see
``PageStore.hand_out``). When a purge by key reaches the worker (its own, or one it read in the
purge log), the addresses noted under those keys are sent to nginx as exact-key ``PURGE``
requests, one per content coding nginx may hold the page in, from this module's own thread,
never from the event loop:

    PURGE /en/?page=2 HTTP/1.1
    Host: news.example.org
    X-Dateline-Scheme: https
    X-Dateline-Encoding: br

nginx's purge server (ngx_cache_purge, on 127.0.0.1 only, see dateline.production.nginx)
rebuilds the key as ``$http_x_dateline_scheme$http_host$request_uri#$http_x_dateline_encoding``.
Every worker follows the purge log and purges what it handed out, so together they purge
whatever nginx holds.

Configured by PAGE_CACHE_NGINX_PURGE_URL (``http://127.0.0.1:<port>``, set by the production
tier); nothing is sent when it is unset. A purge that fails is logged, not raised: the page
then leaves nginx by age (its microcache)."""

import logging
import os
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from django.conf import settings

logger = logging.getLogger(__name__)

SCHEME_HEADER = b"X-Dateline-Scheme"
ENCODING_HEADER = b"X-Dateline-Encoding"
# The codings nginx keeps a page in (the page cache's: dateline.pagecache.asgi), b"" for none.
CODINGS = (b"", b"gzip", b"br")
TIMEOUT_SECONDS = 2.0
# nginx stores a response once it has all of it; a purge that arrives while a page handed out
# moments ago is still on its way in finds nothing. Pages handed out this recently are purged
# once more, this much later.
REPEAT_WITHIN = 1.0
REPEAT_AFTER = 0.5
_UNSAFE = (b" ", b"\r", b"\n", b"\t", b"\0")


def shared_address(scheme: bytes, host: bytes, raw_path: bytes, query: bytes) -> tuple:
    """The address of a request as nginx's cache key names it: the scheme, the Host header as
    the reader sent it (not lowercased) and the path and query exactly as they came."""
    return (scheme, host, raw_path + (b"?" + query if query else b""))


def purge_request(address: tuple, coding: bytes = b"") -> bytes | None:
    """The PURGE request that removes ``address`` in ``coding`` (one of CODINGS) from nginx's
    cache, or None for an address that cannot be written in a request line (and so cannot have
    reached nginx either)."""
    scheme, host, target = address
    if not target.startswith(b"/") or not host or not scheme:
        return None
    if any(bad in part for part in (scheme, host, target) for bad in _UNSAFE):
        return None
    encoding = ENCODING_HEADER + b": " + coding + b"\r\n" if coding else b""
    return (
        b"PURGE " + target + b" HTTP/1.1\r\n"
        b"Host: " + host + b"\r\n" + SCHEME_HEADER + b": " + scheme + b"\r\n" + encoding + b""
        b"Content-Length: 0\r\n\r\n"
    )


class NginxPurger:
    """Sends PURGE requests to nginx's purge server on 127.0.0.1 over one kept-alive
    connection, in its own thread."""

    def __init__(self, url: str):
        parts = urlsplit(url)
        if parts.scheme != "http" or parts.hostname != "127.0.0.1" or not parts.port:
            raise ValueError(f"{url!r} is not http://127.0.0.1:<port>")
        self.host, self.port = parts.hostname, parts.port
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dateline-nginx")
        self.sock: socket.socket | None = None
        self.buffer = b""
        self.sent = 0  # PURGE requests answered, for tests and the curious

    def forward(self, taken: list[tuple[tuple, float]]) -> None:
        """Queue the purge of ``taken`` ([(address, handed_at), …]); return at once."""
        self.executor.submit(self.purge, [address for address, _ in taken])
        now = time.monotonic()
        recent = [address for address, handed_at in taken if now - handed_at < REPEAT_WITHIN]
        if recent:
            timer = threading.Timer(REPEAT_AFTER, self.executor.submit, (self.purge, recent))
            timer.daemon = True
            timer.start()

    def purge(self, addresses: list[tuple]) -> int:
        """Purge ``addresses`` (in every coding) from nginx now (in the calling thread); return
        how many copies nginx held. Failures are logged."""
        held = 0
        try:
            for done, address in enumerate(addresses):
                for coding in CODINGS:
                    request = purge_request(address, coding)
                    if request is None:
                        break
                    try:
                        status = self._send(request)
                    except OSError as error:
                        logger.warning(
                            "Could not purge %d page(s) from nginx at %s:%s: %s",
                            len(addresses) - done,
                            self.host,
                            self.port,
                            error,
                        )
                        return held
                    self.sent += 1
                    if status == 200:
                        held += 1
                    elif status != 404:  # 404: nginx did not hold it
                        key = b"".join((*address, b"#", coding)).decode("latin-1")
                        logger.warning("nginx answered %s to the purge of %s", status, key)
        except Exception:
            logger.exception("The purge of nginx's page cache failed")
        return held

    def _send(self, request: bytes) -> int:
        # A kept-alive connection nginx has closed in the meantime fails once: open a new one.
        try:
            return self._exchange(request)
        except (OSError, ValueError):
            self._close()
        try:
            return self._exchange(request)
        except ValueError as error:
            self._close()
            raise OSError(str(error)) from error
        except OSError:
            self._close()
            raise

    def _exchange(self, request: bytes) -> int:
        if self.sock is None:
            self.sock = socket.create_connection((self.host, self.port), timeout=TIMEOUT_SECONDS)
            self.buffer = b""
        self.sock.sendall(request)
        while b"\r\n\r\n" not in self.buffer:
            self._receive()
        head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split()[1])
        length, close = 0, False
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection" and b"close" in value.lower():
                close = True
            elif name == b"transfer-encoding":
                raise ValueError("nginx answered a purge with a body of unknown length")
        while len(self.buffer) < length:
            self._receive()
        self.buffer = self.buffer[length:]
        if close:
            self._close()
        return status

    def _receive(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("nginx closed the connection")
        self.buffer += chunk

    def _close(self) -> None:
        if self.sock is not None:
            self.sock.close()
        self.sock, self.buffer = None, b""


def nginx_purger() -> NginxPurger | None:
    """The purger PAGE_CACHE_NGINX_PURGE_URL names (the setting, else the environment), or
    None when it is unset or not on 127.0.0.1 (logged)."""
    url = getattr(settings, "PAGE_CACHE_NGINX_PURGE_URL", None)
    if url is None:
        url = os.environ.get("PAGE_CACHE_NGINX_PURGE_URL", "")
    if not url:
        return None
    try:
        return NginxPurger(url)
    except ValueError as error:
        logger.error("PAGE_CACHE_NGINX_PURGE_URL ignored: nginx is not purged: %s", error)
        return None
