"""One parser per wire format, each with the same interface (see ``base``): bytes in,
ParsedItems out, or a ParseError that says why."""

from __future__ import annotations

from types import ModuleType

from dateline.wire.parsers import feed, html_page, newsml, ninjs, page_text
from dateline.wire.parsers.base import (
    MAX_DOCUMENT_BYTES,
    MAX_ITEMS,
    ParsedItem,
    ParseError,
    PhotoRef,
)

# In the order formats are tried when none is named: the most specific first.
PARSERS: dict[str, ModuleType] = {
    module.FORMAT: module for module in (ninjs, newsml, feed, html_page, page_text)
}

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "PARSERS",
    "ParseError",
    "ParsedItem",
    "PhotoRef",
    "detect_format",
    "parse",
]


def detect_format(data: bytes, content_type: str = "") -> str:
    """Return the name of the format ``data`` is in; raise ParseError when none fits."""
    for name, module in PARSERS.items():
        if module.sniff(data, content_type):
            return name
    raise ParseError("the format is not one Dateline reads (feed, ninjs, NewsML-G2, HTML, text)")


def parse(
    data: bytes, *, format: str | None = None, url: str = "", content_type: str = ""
) -> list[ParsedItem]:
    """Return the items of ``data`` in ``format`` (detected when None)."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ParseError(f"the document is larger than {MAX_DOCUMENT_BYTES // 2**20} MB")
    name = format or detect_format(data, content_type)
    if name not in PARSERS:
        raise ParseError(f"unknown format {name!r}; known: {', '.join(PARSERS)}")
    items = PARSERS[name].parse(data, url=url)
    if len(items) > MAX_ITEMS:
        # A feed carries tens of items; storing 60,000 would hold the desk for minutes.
        raise ParseError(f"refused: the document has more than {MAX_ITEMS:,} items")
    return items
