"""What every wire parser returns, and the helpers they share.

A parser is a module with ``FORMAT`` (its name), ``sniff(data, content_type) -> bool`` and
``parse(data, *, url="") -> list[ParsedItem]``; it raises ParseError with a reason a person
can act on, never anything else.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

import nh3
from django.utils.html import escape

from dateline.text import single_line

# The largest document any parser accepts; the fetcher stops reading at the same size.
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# The most items one document may give, and the most blocks an imported page's article may
# have: a feed carries tens of items, an article tens of paragraphs.
MAX_ITEMS = 1000
MAX_BLOCKS = 2000
# Nesting deeper than this is refused before a parser sees the document.
MAX_DEPTH = 200

# The explicit overrides make the text after them read in the other direction, whatever its
# letters are: a body never needs them (embeddings and isolates stay, for quotes in Arabic or
# Hebrew inside a Latin paragraph).
OVERRIDES = re.compile("[\u202d\u202e]")

# "footer" holds a quote's attribution (<blockquote><p>…</p><footer>…</footer>).
BODY_TAGS = {
    "p", "br", "h2", "h3", "h4", "blockquote", "footer", "ul", "ol", "li", "a", "b", "strong", "i",
    "em", "figure", "figcaption", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


class ParseError(Exception):
    """The input is not a document this parser reads; the message says why."""


@dataclass
class PhotoRef:
    """A photo an item carries or points at, with its credits."""

    url: str = ""
    caption: str = ""
    credit: str = ""
    photographer: str = ""
    copyright: str = ""
    width: int | None = None
    height: int | None = None
    content_type: str = ""


@dataclass
class ParsedItem:
    """One item from a wire document, before it is stored as a WireItem."""

    format: str
    original_id: str
    headline: str
    version: str = ""
    url: str = ""
    kind: str = "text"  # text, picture, composite (a package), video…
    slugline: str = ""
    byline: str = ""
    dateline: str = ""
    located: str = ""
    summary: str = ""
    body_html: str = ""
    subjects: list[str] = field(default_factory=list)
    language: str = ""
    priority: int | None = None  # 1 (flash) … 9, as ninjs urgency and NewsML-G2 urgency
    pubstatus: str = "usable"
    first_created: dt.datetime | None = None
    version_created: dt.datetime | None = None
    agency: str = ""
    copyright_holder: str = ""
    copyright_notice: str = ""
    usage_terms: str = ""
    photos: list[PhotoRef] = field(default_factory=list)
    raw: str = ""

    def as_json(self) -> dict[str, Any]:
        """Return the item as JSON-ready data (times in ISO 8601), the raw payload left out."""
        data = dataclasses.asdict(self)
        data.pop("raw")
        for key in ("first_created", "version_created"):
            if data[key] is not None:
                data[key] = data[key].isoformat()
        return data


def sanitise_html(html: str) -> str:
    """Return ``html`` cut down to the body tags a story may hold: no scripts, styles,
    attributes other than a link's address, or addresses other than http, https and mailto."""
    cleaned = nh3.clean(
        html,
        tags=BODY_TAGS,
        clean_content_tags={"script", "style", "template", "noscript", "iframe", "object"},
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return strip_overrides(cleaned).strip()


def strip_overrides(text: str) -> str:
    """Return ``text`` without the bidi overrides U+202D and U+202E (a body's text)."""
    return OVERRIDES.sub("", text)


def text_to_html(text: str) -> str:
    """Return plain ``text`` as paragraphs, one per blank-line (or line) separated block."""
    blocks = re.split(r"\n\s*\n", text.strip()) if "\n\n" in text else text.strip().split("\n")
    return "".join(
        f"<p>{escape(' '.join(strip_overrides(b).split()))}</p>" for b in blocks if b.strip()
    )


def clean_text(value: Any) -> str:
    """Return ``value`` as one line of text with its whitespace collapsed and no bidi
    controls ('' for None): what every single-line field of an item is made with."""
    if value is None:
        return ""
    return single_line(str(value))


def parse_datetime(value: Any) -> dt.datetime | None:
    """Return an aware datetime from an ISO 8601 text (a naive one is taken as UTC), else None."""
    if not value or not isinstance(value, str):
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed


def content_id(*parts: str) -> str:
    """Return a stable id made from ``parts``, for items that carry no id of their own."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]
    return f"sha256:{digest}"


def priority(value: Any) -> int | None:
    """Return an urgency/priority 1–9 from ``value``, or None."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= 9 else None
