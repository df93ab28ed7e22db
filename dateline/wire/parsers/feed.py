"""Syndication feeds: RSS 0.9x, 1.0 (RDF) and 2.0 and Atom 1.0 through feedparser, and JSON
Feed 1.x, which feedparser does not read, from its JSON.

feedparser is lenient on purpose (a feed with a stray ``&`` still gives its entries), so only
what it cannot read at all is an error. Entity declarations are refused before it sees the
document: a feed has no use for them, and they are how XML bombs and external entities come.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from typing import Any

import feedparser
import nh3

from dateline.wire.parsers.base import (
    MAX_DOCUMENT_BYTES,
    ParsedItem,
    ParseError,
    PhotoRef,
    clean_text,
    content_id,
    parse_datetime,
    sanitise_html,
    text_to_html,
)
from dateline.wire.parsers.safexml import check_xml

FORMAT = "feed"
FEED_ROOTS = (b"<rss", b"<feed", b"<rdf:RDF", b"<RDF", b"<channel")
# Feeds carry no urgency: an entry gets the ordinary priority unless its headline or its
# categories mark it as agencies do (1 is the most urgent, as ninjs and NewsML-G2 urgency).
ORDINARY_PRIORITY = 5
PRIORITY_MARKS = {
    "flash": 1,
    "urgent": 2,
    "breaking": 2,
    "alert": 2,
    "bulletin": 3,
    "срочно": 2,
    "молния": 1,
    "عاجل": 2,
}
PRIORITY_MARK = re.compile(r"^\W*(\w+)\b", re.UNICODE)


def sniff(data: bytes, content_type: str = "") -> bool:
    head = data[:4096].lstrip()
    if head.startswith(b"{"):
        return b"jsonfeed.org" in head or "feed+json" in content_type
    return any(root in head for root in FEED_ROOTS) or any(
        kind in content_type for kind in ("rss", "atom", "rdf")
    )


def _time(struct) -> dt.datetime | None:
    if not struct:
        return None
    return dt.datetime.fromtimestamp(calendar.timegm(struct), tz=dt.UTC)


def language_code(value: Any) -> str:
    """Return a feed's language as a language code in lower case ("en-gb" for "en_GB")."""
    return clean_text(value).replace("_", "-").lower()[:16]


def entry_priority(title: str, categories: list[str]) -> int:
    """Return the priority of a feed entry from the marks agencies put in its headline
    ("URGENT: …", "FLASH — …") or its categories, else the ordinary priority."""
    marks = [m[1].casefold() for m in [PRIORITY_MARK.match(title)] if m]
    marks += [c.casefold().strip() for c in categories]
    found = [PRIORITY_MARKS[mark] for mark in marks if mark in PRIORITY_MARKS]
    return min(found, default=ORDINARY_PRIORITY)


def _entry(entry, feed_info: dict, url: str) -> ParsedItem | None:
    title = clean_text(entry.get("title"))
    content = entry.get("content") or []
    html_body = next(
        (c.get("value", "") for c in content if "html" in c.get("type", "")),
        "",
    ) or next((c.get("value", "") for c in content), "")
    summary_html = entry.get("summary", "")
    body = sanitise_html(html_body) if html_body else ""
    # The summary as one line of text, as the desk lists it.
    summary = clean_text(_strip_tags(summary_html)) if summary_html else ""
    if not body and summary_html:
        body = sanitise_html(summary_html)
    if not (title or body):
        return None
    link = entry.get("link", "")
    subjects = [clean_text(t.get("term") or t.get("label")) for t in entry.get("tags", [])]
    photos = []
    for media in entry.get("media_content", []) + entry.get("enclosures", []):
        kind = media.get("type", "") or media.get("medium", "")
        href = media.get("url") or media.get("href") or ""
        if href and ("image" in kind or not kind):
            photos.append(
                PhotoRef(
                    url=href,
                    caption=clean_text(entry.get("media_description", "")),
                    credit=clean_text((entry.get("media_credit") or [{}])[0].get("content")),
                    copyright=clean_text(entry.get("media_copyright", {}).get("content", ""))
                    if isinstance(entry.get("media_copyright"), dict)
                    else "",
                    width=int(media["width"]) if str(media.get("width", "")).isdigit() else None,
                    height=int(media["height"]) if str(media.get("height", "")).isdigit() else None,
                    content_type=kind,
                )
            )
    return ParsedItem(
        format=FORMAT,
        original_id=clean_text(entry.get("id")) or link or content_id(title, body),
        version=clean_text(entry.get("updated", "")),
        url=link or url,
        headline=title or clean_text(_strip_tags(body))[:120],
        byline=clean_text(entry.get("author")),
        summary=summary,
        body_html=body,
        subjects=subjects,
        language=language_code(entry.get("language") or feed_info.get("language")),
        priority=entry_priority(title, subjects),
        first_created=_time(entry.get("published_parsed")),
        version_created=_time(entry.get("updated_parsed") or entry.get("published_parsed")),
        agency=clean_text(feed_info.get("title")),
        copyright_notice=clean_text(entry.get("rights") or feed_info.get("rights")),
        photos=photos,
        raw=json.dumps(_plain(entry), ensure_ascii=False, default=str),
    )


def _strip_tags(html: str) -> str:
    return (
        nh3.clean(html, tags=set()).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    )


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if not k.endswith("_parsed")}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _json_feed(data: bytes, url: str) -> list[ParsedItem]:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ParseError(f"not a JSON Feed: {exc}") from None
    except RecursionError:
        raise ParseError("the JSON is nested too deeply") from None
    except ValueError:
        raise ParseError("not a JSON Feed: a number in it is too long") from None
    if not isinstance(document, dict) or "jsonfeed.org" not in str(document.get("version")):
        raise ParseError("not a JSON Feed: no https://jsonfeed.org/version/… in 'version'")
    entries = document.get("items")
    if not isinstance(entries, list):
        raise ParseError("the JSON Feed has no 'items' list")
    items = []
    for entry in entries:
        if not isinstance(entry, dict):
            raise ParseError("a JSON Feed item must be an object")
        title = clean_text(entry.get("title"))
        body = (
            sanitise_html(entry["content_html"])
            if isinstance(entry.get("content_html"), str)
            else text_to_html(entry["content_text"])
            if isinstance(entry.get("content_text"), str)
            else ""
        )
        if not (title or body):
            continue
        tags = [clean_text(t) for t in entry.get("tags") or [] if isinstance(t, str)]
        authors = entry.get("authors") or ([entry["author"]] if entry.get("author") else [])
        image = entry.get("image") or entry.get("banner_image")
        items.append(
            ParsedItem(
                format=FORMAT,
                original_id=clean_text(entry.get("id")) or content_id(title, body),
                url=clean_text(entry.get("url")) or url,
                headline=title or clean_text(_strip_tags(body))[:120],
                byline=", ".join(clean_text(a.get("name")) for a in authors if isinstance(a, dict)),
                summary=clean_text(entry.get("summary")),
                body_html=body,
                subjects=tags,
                language=language_code(entry.get("language") or document.get("language")),
                priority=entry_priority(title, tags),
                first_created=parse_datetime(entry.get("date_published")),
                version_created=parse_datetime(
                    entry.get("date_modified") or entry.get("date_published")
                ),
                version=clean_text(entry.get("date_modified")),
                agency=clean_text(document.get("title")),
                photos=[PhotoRef(url=image)] if isinstance(image, str) else [],
                raw=json.dumps(entry, ensure_ascii=False),
            )
        )
    return items


def parse(data: bytes, *, url: str = "") -> list[ParsedItem]:
    """Return the entries of an RSS, Atom or JSON feed; an empty feed gives no items."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ParseError(f"the document is larger than {MAX_DOCUMENT_BYTES // 2**20} MB")
    if data.lstrip()[:1] == b"{":
        return _json_feed(data, url)
    check_xml(data, allow_doctype=True)
    # Bytes, never a URL or a path: feedparser must not fetch or open anything itself.
    result = feedparser.parse(data, resolve_relative_uris=True, sanitize_html=True)
    version = result.get("version", "")
    if not version and not result.entries:
        reason = result.get("bozo_exception") or "no RSS, Atom or RDF feed found"
        raise ParseError(f"not a feed: {reason}")
    info = result.get("feed", {})
    return [item for item in (_entry(e, info, url) for e in result.entries) if item]
