"""Imported by the bounded parser's server process (dateline.wire.sandbox) only: parse one
small document of each format, so that the caches the libraries fill on first use (compiled
XPath and regular expressions, trafilatura's settings) are filled once there, not again in
every parse's child; then keep the server's objects out of the garbage collector's sight."""

from __future__ import annotations

import contextlib
import gc

from dateline.wire.parsers import parse

SENTENCE = "The harbour reopened on Monday after a week of storms closed it to ferries. "
SAMPLES = {
    "feed": b'<rss version="2.0"><channel><title>Warm</title><item><title>Warm</title>'
    b"<guid>w-1</guid><description>Warm.</description></item></channel></rss>",
    "ninjs": b'{"uri": "urn:warm", "headline": "Warm", "body_html": "<p>Warm.</p>"}',
    "newsml": b'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:warm" '
    b'version="1"><contentMeta><headline>Warm</headline></contentMeta></newsItem>',
    "html": (
        "<html><head><title>Warm</title></head><body><article><h1>Warm</h1>"
        + f"<p>{SENTENCE * 3}</p>" * 4
        + "</article></body></html>"
    ).encode(),
    "page-text": ("Warm\n" + f"{SENTENCE}\n" * 6).encode(),
}

for _format, _data in SAMPLES.items():
    # A warm-up that fails must not stop the server: a parse would then find it cold.
    with contextlib.suppress(Exception):
        parse(_data, format=_format)

# What the server holds now is never freed: kept out of the collector's sight, it is not
# touched (so not copied) by every child's collections.
gc.freeze()
