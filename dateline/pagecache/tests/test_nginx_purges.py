"""Purging nginx's cache from the page cache: the address a page is noted under is nginx's
cache key ($scheme$http_host$request_uri, with the content coding) exactly, a purge by key sends
one PURGE per address noted under it and coding, to 127.0.0.1, and a page that no worker could
purge is marked for nginx not to keep. (Through a running nginx: tests/test_prod_tier.py.)"""

import logging
import socket
import threading
import time

import pytest

from dateline.pagecache import asgi
from dateline.pagecache.shared import CODINGS, NginxPurger, purge_request, shared_address
from dateline.pagecache.store import PageStore
from tests.apart import run_apart


def test_an_address_is_purged_under_the_key_nginx_stored_it_under():
    # The Host as the reader sent it (not lowercased), the path and query as they came.
    address = shared_address(b"https", b"News.Example.org:8443", b"/en/caf%C3%A9/", b"page=2&x")
    assert address == (b"https", b"News.Example.org:8443", b"/en/caf%C3%A9/?page=2&x")
    assert purge_request(address) == (
        b"PURGE /en/caf%C3%A9/?page=2&x HTTP/1.1\r\n"
        b"Host: News.Example.org:8443\r\n"
        b"X-Dateline-Scheme: https\r\n"
        b"Content-Length: 0\r\n\r\n"
    )
    assert purge_request(address, b"br") == (
        b"PURGE /en/caf%C3%A9/?page=2&x HTTP/1.1\r\n"
        b"Host: News.Example.org:8443\r\n"
        b"X-Dateline-Scheme: https\r\n"
        b"X-Dateline-Encoding: br\r\n"
        b"Content-Length: 0\r\n\r\n"
    )
    assert shared_address(b"https", b"h", b"/en/", b"") == (b"https", b"h", b"/en/")
    # What cannot be written in a request line is not sent.
    assert purge_request((b"https", b"h", b"/a b")) is None
    assert purge_request((b"https", b"h\r\nX: y", b"/")) is None
    assert purge_request((b"https", b"", b"/")) is None


def test_a_purge_by_key_forwards_the_addresses_handed_out_under_it():
    store = PageStore(1024 * 1024)
    forwarded = []
    store.forward = forwarded.append
    front, story, sitemap = (b"https", b"h", b"/en/"), (b"https", b"h", b"/en/s/"), (b"x",)
    store.hand_out(front, frozenset({"edition:en"}))
    store.hand_out(story, frozenset({"edition:en", "page:7"}))
    store.hand_out(sitemap, frozenset({"global"}))
    store.purge(["page:7"])
    assert [address for address, _ in forwarded.pop()] == [story]
    store.purge(["page:7"])  # nginx no longer holds it from this worker
    assert forwarded == []
    store.purge(["edition:en", "global"])
    assert sorted(address for address, _ in forwarded.pop()) == sorted([front, sitemap])
    store.hand_out(front, frozenset({"edition:en"}))
    store.purge(["*"])
    assert [address for address, _ in forwarded.pop()] == [front]
    # Read before a purge: not noted (its page may show what the purge removed).
    generation = store.generation
    store.purge(["page:1"])
    assert not store.hand_out(front, frozenset({"edition:en"}), generation)


class FakeNginx:
    """A purge server on 127.0.0.1 that records the requests and answers 200 for the keys it
    holds, 404 for the others; it closes the connection after ``close_after`` answers."""

    def __init__(self, held=(), close_after=None):
        self.held = set(held)
        self.requests = []
        self.connections = 0
        self.close_after = close_after
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self.answer, args=(connection,), daemon=True).start()

    def answer(self, connection):
        buffer, answered = b"", 0
        with connection:
            while True:
                while b"\r\n\r\n" not in buffer:
                    chunk = connection.recv(65536)
                    if not chunk:
                        return
                    buffer += chunk
                request, _, buffer = buffer.partition(b"\r\n\r\n")
                self.requests.append(request + b"\r\n\r\n")
                lines = request.split(b"\r\n")
                headers = dict(line.split(b": ", 1) for line in lines[1:])
                key = b"".join(
                    (
                        headers[b"X-Dateline-Scheme"],
                        headers[b"Host"],
                        lines[0].split()[1],
                        b"#",
                        headers.get(b"X-Dateline-Encoding", b""),
                    )
                )
                body = b"purged" if key in self.held else b"not found"
                status = b"200 OK" if key in self.held else b"404 Not Found"
                self.held.discard(key)
                connection.sendall(
                    b"HTTP/1.1 "
                    + status
                    + b"\r\nContent-Length: "
                    + str(len(body)).encode()
                    + b"\r\n\r\n"
                    + body
                )
                answered += 1
                if answered == self.close_after:
                    return

    def close(self):
        self.listener.close()


def test_the_purger_sends_exact_purges_to_nginx_over_one_connection():
    nginx = FakeNginx(held={b"httpsh/en/#br", b"httpsh/en/#", b"httpsH:1/en/s/?p=2#gzip"})
    purger = NginxPurger(f"http://127.0.0.1:{nginx.port}")
    addresses = [
        (b"https", b"h", b"/en/"),
        (b"https", b"H:1", b"/en/s/?p=2"),
        (b"https", b"h", b"/x"),
    ]
    assert purger.purge(addresses) == 3
    assert nginx.requests == [purge_request(a, coding) for a in addresses for coding in CODINGS]
    assert nginx.connections == 1
    assert nginx.held == set()
    nginx.close()


def test_the_purger_opens_a_new_connection_when_nginx_closed_the_last():
    nginx = FakeNginx(held={b"httpsh/1#", b"httpsh/2#gzip"}, close_after=len(CODINGS))
    purger = NginxPurger(f"http://127.0.0.1:{nginx.port}")
    assert purger.purge([(b"https", b"h", b"/1")]) == 1
    assert purger.purge([(b"https", b"h", b"/2")]) == 1
    assert nginx.connections == 2
    nginx.close()


def test_a_page_handed_out_just_before_its_purge_is_purged_once_more():
    # nginx may still be taking it in when the first PURGE arrives.
    nginx = FakeNginx()
    purger = NginxPurger(f"http://127.0.0.1:{nginx.port}")
    just_now, long_ago = (b"https", b"h", b"/new"), (b"https", b"h", b"/old")
    purger.forward([(just_now, time.monotonic()), (long_ago, time.monotonic() - 60)])
    deadline = time.monotonic() + 10
    while len(nginx.requests) < 3 * len(CODINGS) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert nginx.requests == [
        purge_request(a, coding) for a in (just_now, long_ago, just_now) for coding in CODINGS
    ]
    nginx.close()


def test_a_failed_purge_is_logged_not_raised(caplog):
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    listener.close()  # nothing listens there now
    purger = NginxPurger(f"http://127.0.0.1:{port}")
    with caplog.at_level(logging.WARNING, logger="dateline.pagecache.shared"):
        assert purger.purge([(b"https", b"h", b"/en/")]) == 0
    assert "Could not purge 1 page(s) from nginx" in caplog.text


def test_purges_go_to_127_0_0_1_only():
    for url in ("http://10.0.0.2:8081", "http://localhost:8081", "https://127.0.0.1:8081", "x"):
        with pytest.raises(ValueError):
            NginxPurger(url)


def run_request(application, path, query=b"", host=b"News.Example:8443"):
    scope = {
        "type": "http",
        "method": "GET",
        "scheme": "http",
        "path": path.decode(),
        "raw_path": path,
        "query_string": query,
        "headers": [(b"host", host), (b"x-forwarded-proto", b"https")],
    }
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    run_apart(application(scope, receive, send))
    return dict(sent[0]["headers"])


@pytest.fixture
def cache_in_front_of(settings, monkeypatch):
    """Wrap an ASGI app with the page cache, with a purger whose purges are recorded."""
    purged = []
    monkeypatch.setattr(asgi.PurgeFollower, "start", lambda self: None)
    monkeypatch.setattr(asgi, "_store", None)
    settings.PAGE_CACHE = True
    settings.PAGE_CACHE_NGINX_PURGE_URL = "http://127.0.0.1:9"
    monkeypatch.setattr(NginxPurger, "forward", lambda self, taken: purged.extend(taken))

    def wrap(app):
        return asgi.with_page_cache(app, max_bytes=1024 * 1024), purged

    return wrap


def page_app(during_render=None):
    async def app(scope, receive, send):
        if during_render is not None:
            during_render()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"Content-Type", b"text/html"),
                    (b"Cache-Control", b"public, max-age=0, s-maxage=60"),
                    (b"X-Dateline-Cache-Keys", b"edition:en page:3"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": b"<p>front</p>"})

    return app


def test_a_worker_purges_from_nginx_what_it_answered_rendered_or_from_its_store(
    cache_in_front_of,
):
    application, purged = cache_in_front_of(page_app())
    headers = run_request(application, b"/en/caf%C3%A9/", b"page=2")
    assert headers[b"x-cache"] == b"MISS"
    assert b"x-accel-expires" not in headers
    assert run_request(application, b"/en/caf%C3%A9/", b"page=2")[b"x-cache"] == b"HIT"
    asgi.local_store().purge(["page:3"])
    assert [address for address, _ in purged] == [
        (b"https", b"News.Example:8443", b"/en/caf%C3%A9/?page=2")
    ]
    # Answered from the store (stored by an earlier request) and purged again.
    run_request(application, b"/en/", host=b"h")
    purged.clear()
    assert run_request(application, b"/en/", host=b"h")[b"x-cache"] == b"HIT"
    asgi.local_store().purge(["edition:en"])
    assert [address for address, _ in purged] == [(b"https", b"h", b"/en/")]


def test_a_page_rendered_while_a_purge_happened_is_not_for_nginx(cache_in_front_of):
    application, purged = cache_in_front_of(
        page_app(during_render=lambda: asgi.local_store().purge(["page:99"]))
    )
    headers = run_request(application, b"/en/")
    assert headers[b"x-accel-expires"] == b"0"
    asgi.local_store().purge(["edition:en"])
    assert purged == []
