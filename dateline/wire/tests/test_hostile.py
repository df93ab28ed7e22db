"""Hostile input is refused within seconds and small memory, and other sources go on."""

import gzip
import io
import resource
import threading
import time

import pytest
from django.core.management import call_command

from dateline.wire.fetching import FetchError, fetch
from dateline.wire.ingest import ingest_source
from dateline.wire.models import WireItem, WireSource
from dateline.wire.parsers import ParseError, parse
from dateline.wire.sandbox import run_bounded
from tests.hostile.bounds import bounded
from tests.hostile.wire_runaways import hog, spin

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<ROOT><title>&lol4;</title></ROOT>"""
EXTERNAL = b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<ROOT><title>&xxe;</title></ROOT>"""
FEED = b"""<rss version="2.0"><channel><title>Herald</title><item><title>Fine story</title>
<guid>fine-1</guid><description>All is well.</description></item></channel></rss>"""


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.parametrize("fmt", ["newsml", "feed"])
@pytest.mark.parametrize("name, data", [("bomb", BILLION_LAUGHS), ("xxe", EXTERNAL)])
def test_it_refuses_entity_bombs_and_external_entities(fmt, name, data):
    for root in (b"ROOT",):
        document = data.replace(root, b"newsItem" if fmt == "newsml" else b"rss")
        started = time.monotonic()
        with pytest.raises(ParseError, match="refused"):
            parse(document, format=fmt)
        assert time.monotonic() - started < 2


@pytest.mark.parametrize("fmt", ["newsml", "feed"])
def test_it_refuses_deep_nesting(fmt):
    root = b"newsItem" if fmt == "newsml" else b"rss"
    document = b"<" + root + b">" + b"<a>" * 50_000 + b"</a>" * 50_000 + b"</" + root + b">"
    with pytest.raises(ParseError, match="nested more than"):
        parse(document, format=fmt)


def test_it_refuses_a_50_mb_feed_before_parsing_it(tmp_path):
    from dateline.wire.ingest import IngestError, parse_input

    path = tmp_path / "big.xml"
    item = b"<item><title>Filler</title><description>" + b"x" * 1000 + b"</description></item>"
    with path.open("wb") as handle:
        handle.write(b"<rss version='2.0'><channel>")
        for _ in range(50 * 1024):
            handle.write(item)
        handle.write(b"</channel></rss>")
    assert path.stat().st_size > 50 * 2**20
    started = time.monotonic()
    with pytest.raises(IngestError, match="larger than 10 MB"):
        parse_input(str(path))
    with pytest.raises(ParseError, match="larger than 10 MB"):
        parse(path.read_bytes(), format="feed")
    assert time.monotonic() - started < 5


def test_it_refuses_loopback_private_and_link_local_addresses():
    for url in (
        "http://127.0.0.1/feed",
        "http://localhost/feed",
        "http://10.0.0.8/feed",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://224.0.0.1/",
        "http://0.0.0.0/",
    ):
        with pytest.raises(FetchError, match="not a public address"):
            fetch(url)
    for url in ("file:///etc/passwd", "ftp://example.org/x", "gopher://x/"):
        with pytest.raises(FetchError, match="only http and https"):
            fetch(url)


def test_the_test_allowance_is_one_address_and_port(wire_server):
    base, routes = wire_server
    routes["/feed"] = (200, {"Content-Type": "application/rss+xml"}, FEED)
    assert fetch(f"{base}/feed").content == FEED
    other_port = "http://127.0.0.1:1/feed"
    with pytest.raises(FetchError, match="not a public address"):
        fetch(other_port)


def test_it_refuses_a_redirect_to_loopback(wire_server):
    base, routes = wire_server
    routes["/feed"] = (302, {"Location": "http://127.0.0.1:9/secret"}, b"")
    started = time.monotonic()
    with pytest.raises(FetchError, match="127.0.0.1, which is not a public address"):
        fetch(f"{base}/feed")
    assert time.monotonic() - started < 5


def test_it_refuses_a_gzip_bomb_quickly_and_in_small_memory(wire_server):
    base, routes = wire_server
    bomb = gzip.compress(b"\0" * (200 * 2**20), compresslevel=9)  # 200 MB inflated
    assert len(bomb) < 300_000
    routes["/bomb"] = (
        200,
        {"Content-Encoding": "gzip", "Content-Type": "application/rss+xml"},
        bomb,
    )
    before = _max_rss_mb()
    started = time.monotonic()
    with pytest.raises(FetchError, match="inflates to more than 10 MB"):
        fetch(f"{base}/bomb")
    assert time.monotonic() - started < 5
    assert _max_rss_mb() - before < 60


def test_it_stops_reading_an_endless_answer(wire_server):
    base, routes = wire_server

    def endless():
        while True:
            yield b"x" * 65536

    routes["/endless"] = (200, {"Content-Type": "text/html"}, endless)
    started = time.monotonic()
    with pytest.raises(FetchError, match="larger than 10 MB"):
        fetch(f"{base}/endless")
    assert time.monotonic() - started < 10


@pytest.mark.django_db
def test_a_hostile_source_fails_alone_and_the_others_are_ingested(wire_server, edition):
    base, routes = wire_server
    routes["/good"] = (200, {"Content-Type": "application/rss+xml"}, FEED)
    routes["/bomb"] = (200, {"Content-Type": "application/rss+xml"}, BILLION_LAUGHS)
    routes["/redirect"] = (302, {"Location": "http://10.1.2.3/"}, b"")
    bad = WireSource.objects.create(name="Bad", kind="feed", url=f"{base}/bomb", edition=edition)
    sneaky = WireSource.objects.create(
        name="Sneaky", kind="feed", url=f"{base}/redirect", edition=edition
    )
    good = WireSource.objects.create(name="Good", kind="feed", url=f"{base}/good", edition=edition)
    for source in (bad, sneaky, good):
        ingest_source(source)
    bad.refresh_from_db()
    sneaky.refresh_from_db()
    good.refresh_from_db()
    assert "refused" in bad.last_error
    assert "not a public address" in sneaky.last_error
    assert good.last_error == "" and good.last_success_at is not None
    assert list(WireItem.objects.values_list("headline", flat=True)) == ["Fine story"]


# --- Hard bounds on each parse, and polls side by side (issue 17, finding 4).


def test_a_parse_that_never_ends_is_stopped_at_the_deadline(settings):
    settings.WIRE_PARSE_SECONDS = 1
    outcome = bounded(run_bounded, spin)
    assert outcome.within_bounds, outcome.describe()
    assert "ParseError: refused: reading the document took longer than 1 s" in outcome.error


def test_a_parse_that_eats_memory_is_stopped_at_the_limit(settings):
    settings.WIRE_PARSE_MEGABYTES = 128
    outcome = bounded(run_bounded, hog)
    assert outcome.within_bounds, outcome.describe()
    assert "needs more than 128 MB" in outcome.error


def test_a_feed_with_an_attribute_flood_is_refused_quickly(tmp_path):
    from dateline.wire.ingest import IngestError, parse_input

    attributes = " ".join(f'a{i}="v"' for i in range(200_000))
    path = tmp_path / "flood.rss"
    path.write_text(
        f'<rss version="2.0"><channel><title>Herald</title><item {attributes}>'
        "<title>Flood</title></item></channel></rss>"
    )
    outcome = bounded(parse_input, str(path))
    assert outcome.within_bounds, outcome.describe()
    assert outcome.error.startswith(IngestError.__name__)
    assert "more than 256 attributes" in outcome.error


def test_a_page_of_900000_paragraphs_is_refused_quickly(tmp_path):
    from dateline.wire.ingest import parse_input

    path = tmp_path / "paragraphs.html"
    path.write_bytes(b"<html><body><article>" + b"<p>a</p>" * 900_000 + b"</article></body></html>")
    outcome = bounded(parse_input, str(path))
    assert outcome.within_bounds, outcome.describe()
    assert "more than 200,000 tags" in outcome.error


@pytest.mark.django_db
def test_sources_are_polled_side_by_side_each_with_its_own_deadline(wire_server, edition, settings):
    """A slow source is still answering when the next one is fetched: polls do not queue."""
    # The slow source's answer waits (up to 6 s) for the good one's fetch, within its own
    # deadline: polled one after another, the good one would only be fetched after it.
    settings.WIRE_FETCH_SECONDS = 8
    base, routes = wire_server
    good_fetched = threading.Event()
    seen = {}

    def good():
        good_fetched.set()
        yield FEED

    def slow():
        seen["good fetched meanwhile"] = good_fetched.wait(6)
        for _ in range(100):
            yield b" "
            time.sleep(0.5)

    routes["/slow"] = (200, {"Content-Type": "application/rss+xml"}, slow)
    routes["/good"] = (200, {"Content-Type": "application/rss+xml"}, good)
    slow_source = WireSource.objects.create(
        name="A slow agency", kind="feed", url=f"{base}/slow", edition=edition
    )
    good_source = WireSource.objects.create(
        name="B good agency", kind="feed", url=f"{base}/good", edition=edition
    )
    call_command("poll-wire", "--once", stdout=io.StringIO())
    slow_source.refresh_from_db()
    good_source.refresh_from_db()
    assert seen["good fetched meanwhile"]
    assert "took longer than 8 s" in slow_source.last_error
    assert good_source.last_error == ""
    assert list(WireItem.objects.values_list("headline", flat=True)) == ["Fine story"]


@pytest.mark.parametrize("part", ["headers", "body"])
def test_a_server_that_trickles_is_cut_off_at_the_total_deadline(trickler, part):
    # Each byte comes well within any socket timeout; only a total deadline stops the fetch.
    outcome = bounded(fetch, f"{trickler}/{part}", timeout=2)
    assert outcome.within_bounds, outcome.describe()
    assert outcome.error == "FetchError: refused: the answer took longer than 2 s"
