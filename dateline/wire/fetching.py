"""Fetch a document from the web without letting its address reach inside our network.

Only http and https; the host's every address must be public (no loopback, private,
link-local, multicast, reserved or unspecified address, IPv4 or IPv6, mapped or not); the
connection goes to the very address that was checked (so DNS cannot change its answer in
between), and every redirect is checked the same way. The answer is cut off at a size and at
a total time limit (however slowly the server trickles), and gzip is inflated in bounded
steps, so a small bomb cannot fill memory.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
import zlib
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from dateline.wire.parsers.base import MAX_DOCUMENT_BYTES

MAX_REDIRECTS = 5
TIMEOUT_SECONDS = 20.0
CHUNK = 64 * 1024
USER_AGENT = "Dateline wire ingest (+https://github.com/dateline)"

# (address, port) pairs a test may reach although they are not public. Only code can add to
# it (tests do, through monkeypatch); no setting, variable or input of a source can.
TEST_ALLOWANCE: frozenset[tuple[str, int]] = frozenset()


class FetchError(Exception):
    """The document cannot be fetched; the message says why."""


@dataclass
class Fetched:
    url: str  # the address the document came from, after redirects
    status: int
    content: bytes
    content_type: str
    etag: str = ""
    last_modified: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def resolve(url: str) -> tuple[str, str, int, str]:
    """Return (scheme, host, port, address) for ``url`` once its host is checked; raise
    FetchError for another scheme or a host with any address that is not public."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(f"refused: only http and https addresses are fetched, not {scheme!r}")
    host = parts.hostname
    if not host:
        raise FetchError("refused: the address has no host")
    if parts.username or parts.password:
        raise FetchError("refused: addresses with a user name or password are not fetched")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise FetchError("refused: the address has an invalid port") from None
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"the host {host!r} cannot be resolved: {exc}") from None
    addresses = sorted({info[4][0] for info in infos})
    if not addresses:
        raise FetchError(f"the host {host!r} has no address")
    for address in addresses:
        if not _public(address) and (address, port) not in TEST_ALLOWANCE:
            raise FetchError(
                f"refused: {host} resolves to {address}, which is not a public address"
            )
    return scheme, host, port, addresses[0]


class _Deadline:
    """One fetch's total time limit. Socket timeouts alone bound each wait, not the sum: a
    server that trickles a byte a second keeps every read alive. So a timer shuts the
    connection's socket down when the time is up, whatever it is waiting for (connecting,
    the TLS handshake, the headers or the body)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.ends = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def left(self) -> float:
        left = self.ends - time.monotonic()
        if left <= 0 or self.expired:
            raise self.error()
        return left

    def error(self) -> FetchError:
        return FetchError(f"refused: the answer took longer than {self.seconds:g} s")

    def watch(self, sock: socket.socket) -> socket.socket:
        with self._lock:
            if self.expired:
                sock.close()
                raise self.error()
            self._sockets.append(sock)
        return sock

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, deadline: _Deadline):
        super().__init__(host, port, timeout=min(deadline.left(), 10.0))
        self._address = address
        self._deadline = deadline

    def _dial(self) -> socket.socket:
        sock = socket.create_connection(
            (self._address, self.port), min(self._deadline.left(), self.timeout)
        )
        return self._deadline.watch(sock)

    def connect(self):
        self.sock = self._dial()


class _PinnedHTTPSConnection(_PinnedHTTPConnection):
    default_port = http.client.HTTPS_PORT

    def connect(self):
        sock = self._dial()
        # The certificate is checked against the host name, not the address we dialled.
        self.sock = self._deadline.watch(
            ssl.create_default_context().wrap_socket(sock, server_hostname=self.host)
        )


def _read(response, deadline: _Deadline, max_bytes: int) -> bytes:
    encoding = (response.getheader("Content-Encoding") or "").strip().lower()
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes and not encoding:
        raise FetchError(f"refused: the document is larger than {max_bytes // 2**20} MB")
    inflate = zlib.decompressobj(zlib.MAX_WBITS | 32) if encoding in ("gzip", "deflate") else None
    if encoding and inflate is None and encoding != "identity":
        raise FetchError(f"refused: unknown content encoding {encoding!r}")
    out = bytearray()
    received = 0
    while True:
        deadline.left()
        # read1: what has arrived, at most CHUNK; read() would wait to fill the chunk.
        chunk = response.read1(CHUNK)
        if not chunk:
            # The end of the body, or the deadline's timer shut the socket down.
            deadline.left()
            break
        received += len(chunk)
        if received > max_bytes:
            raise FetchError(f"refused: the document is larger than {max_bytes // 2**20} MB")
        if inflate is None:
            out += chunk
            continue
        # Inflate in bounded steps: never more than the room left, so a bomb stops here.
        data = chunk
        while data:
            room = max_bytes - len(out) + 1
            out += inflate.decompress(data, room)
            if len(out) > max_bytes:
                raise FetchError(
                    f"refused: the document inflates to more than {max_bytes // 2**20} MB"
                )
            data = inflate.unconsumed_tail
    if inflate is not None:
        out += inflate.flush()
        if len(out) > max_bytes:
            raise FetchError(f"refused: the document inflates to more than {max_bytes // 2**20} MB")
    return bytes(out)


def fetch(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    max_bytes: int = MAX_DOCUMENT_BYTES,
    timeout: float = TIMEOUT_SECONDS,
) -> Fetched:
    """Return the document at ``url``, following up to five redirects, each checked.

    ``timeout`` is the limit on the whole fetch: connecting, redirects, headers and body.
    With ``etag`` or ``last_modified`` the request is conditional, and an unchanged document
    comes back with status 304 and no content. Raise FetchError with the reason otherwise.
    """
    deadline = _Deadline(timeout)
    try:
        return _fetch(url, etag, last_modified, max_bytes, deadline)
    finally:
        deadline.cancel()


def _fetch(url: str, etag: str, last_modified: str, max_bytes: int, deadline: _Deadline) -> Fetched:
    for _hop in range(MAX_REDIRECTS + 1):
        scheme, host, port, address = resolve(url)
        connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
        connection = connection_class(host, port, address, deadline)
        parts = urlsplit(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = {
            "User-Agent": USER_AGENT,
            "Accept-Encoding": "gzip",
            "Accept": "application/atom+xml, application/rss+xml, application/xml, "
            "application/json, text/html;q=0.9, */*;q=0.5",
        }
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            if response.status in (301, 302, 303, 307, 308):
                location = response.getheader("Location")
                if not location:
                    raise FetchError(f"a redirect ({response.status}) without a Location")
                url = urljoin(url, location)
                continue
            if response.status == 304:
                return Fetched(url, 304, b"", "", etag, last_modified)
            if response.status != 200:
                raise FetchError(f"the server answered {response.status} {response.reason}")
            content = _read(response, deadline, max_bytes)
            return Fetched(
                url=url,
                status=200,
                content=content,
                content_type=(response.getheader("Content-Type") or "").lower(),
                etag=response.getheader("ETag") or "",
                last_modified=response.getheader("Last-Modified") or "",
            )
        except (OSError, http.client.HTTPException, zlib.error, ValueError) as exc:
            if deadline.expired:
                raise deadline.error() from None
            raise FetchError(f"the fetch failed: {exc}") from None
        finally:
            connection.close()
    raise FetchError(f"refused: more than {MAX_REDIRECTS} redirects")
