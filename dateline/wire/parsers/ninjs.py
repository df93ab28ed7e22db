"""IPTC ninjs 1.x, 2.x and 3.x: one item (or a JSON list of items) per document.

ninjs 3 spells the names of ninjs 2 in camelCase (``versionCreated``, ``altIds``), so keys are
read in lower case and one reader serves both. ninjs 1.x has single values (``headline``,
``body_html``, ``byline``) and associations and renditions as objects keyed by name; 2.x and 3.x
have lists with roles (``headlines``, ``bodies``, ``by``).
"""

from __future__ import annotations

import json
from typing import Any

from dateline.wire.parsers.base import (
    MAX_DOCUMENT_BYTES,
    ParsedItem,
    ParseError,
    PhotoRef,
    clean_text,
    content_id,
    parse_datetime,
    priority,
    sanitise_html,
    text_to_html,
)

FORMAT = "ninjs"
NINJS_KEYS = {"headline", "headlines", "body_html", "bodies", "versioncreated", "pubstatus"}


def _lower_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k).lower(): _lower_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_lower_keys(v) for v in value]
    return value


def _load(data: bytes) -> Any:
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ParseError(f"the document is larger than {MAX_DOCUMENT_BYTES // 2**20} MB")
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ParseError("not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise ParseError(f"not valid JSON: {exc.msg} (line {exc.lineno})") from None
    except RecursionError:
        raise ParseError("the JSON is nested too deeply") from None
    except ValueError:
        # Python refuses to read an integer of more than 4,300 digits (a CPU trap).
        raise ParseError("not valid JSON: a number in it is too long") from None


def sniff(data: bytes, content_type: str = "") -> bool:
    head = data.lstrip()[:1]
    if head not in (b"{", b"["):
        return False
    try:
        document = _lower_keys(_load(data))
    except (ParseError, RecursionError):
        return "ninjs" in content_type
    first = document[0] if isinstance(document, list) and document else document
    return isinstance(first, dict) and "uri" in first and bool(NINJS_KEYS & set(first))


def _role_value(entries: Any, roles: tuple[str, ...] = ()) -> str:
    """Return the value of the entry with the first of ``roles`` (else the first entry)."""
    if isinstance(entries, str):
        return entries
    if not isinstance(entries, list):
        return ""
    entries = [e for e in entries if isinstance(e, dict) and isinstance(e.get("value"), str)]
    for role in roles:
        for entry in entries:
            if entry.get("role") == role:
                return entry["value"]
    return entries[0]["value"] if entries else ""


def _with_role(entries: Any, role: str) -> str:
    """Return the value of the entry whose role is ``role``, or ''."""
    if not isinstance(entries, list):
        return ""
    for entry in entries:
        if isinstance(entry, dict) and entry.get("role") == role:
            return str(entry.get("value") or "")
    return ""


def _names(entries: Any) -> list[str]:
    if isinstance(entries, str):
        return [clean_text(entries)] if entries.strip() else []
    if isinstance(entries, dict):
        entries = [entries]
    if not isinstance(entries, list):
        return []
    names = []
    for entry in entries:
        if isinstance(entry, dict):
            name = entry.get("name") or entry.get("literal") or entry.get("code")
        else:
            name = entry
        if isinstance(name, str) and name.strip():
            names.append(clean_text(name))
    return names


def _body(item: dict) -> str:
    if isinstance(item.get("body_html"), str):
        return sanitise_html(item["body_html"])
    if isinstance(item.get("body_text"), str):
        return text_to_html(item["body_text"])
    bodies = item.get("bodies")
    if isinstance(bodies, list):
        html = [b for b in bodies if isinstance(b, dict) and "html" in str(b.get("contenttype"))]
        html = html or [b for b in bodies if isinstance(b, dict) and b.get("role") == "html"]
        if html and isinstance(html[0].get("value"), str):
            return sanitise_html(html[0]["value"])
        text = _role_value(bodies, ("main", "text"))
        if text:
            return text_to_html(text)
    return ""


def _renditions(value: Any) -> list[dict]:
    if isinstance(value, dict):  # 1.x: {"original": {...}, "thumbnail": {...}}
        return [dict(v, name=k) for k, v in value.items() if isinstance(v, dict)]
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _photo(association: dict) -> PhotoRef | None:
    if association.get("type") not in ("picture", "graphic", None):
        return None
    renditions = _renditions(association.get("renditions"))
    # The largest rendition we are told of, else the association's own address.
    renditions.sort(key=lambda r: -(r.get("width") or 0) if isinstance(r.get("width"), int) else 0)
    best = renditions[0] if renditions else {}
    url = best.get("href") or association.get("uri") or ""
    if not isinstance(url, str):
        url = ""
    descriptions = association.get("descriptions") or association.get("description_text")
    return PhotoRef(
        url=url,
        caption=clean_text(
            _role_value(descriptions, ("caption", "summary")) or association.get("body_text")
        ),
        credit=clean_text(_with_role(descriptions, "creditline") or association.get("usageterms")),
        photographer=", ".join(_names(association.get("by") or association.get("byline"))),
        copyright=clean_text(association.get("copyrightnotice")),
        width=best.get("width") if isinstance(best.get("width"), int) else None,
        height=best.get("height") if isinstance(best.get("height"), int) else None,
        content_type=clean_text(best.get("mimetype") or best.get("contenttype")),
    )


def _item(item: Any, raw: str, url: str) -> ParsedItem:
    if not isinstance(item, dict):
        raise ParseError("a ninjs item must be a JSON object")
    original = _lower_keys(item)
    item = original
    headline = clean_text(_role_value(item.get("headlines"), ("main",)) or item.get("headline"))
    descriptions = item.get("descriptions")
    summary = _role_value(descriptions, ("summary", "caption")) or item.get("description_text")
    body = _body(item)
    if not (headline or body or summary):
        raise ParseError("the ninjs item has no headline, body or description")
    if not headline and item.get("type") == "picture":
        headline = clean_text(summary)[:120]
    associations = item.get("associations") or []
    if isinstance(associations, dict):  # 1.x
        associations = [dict(v, name=k) for k, v in associations.items() if isinstance(v, dict)]
    photos = [
        photo
        for photo in (_photo(a) for a in associations if isinstance(a, dict))
        if photo is not None
    ]
    if item.get("type") == "picture" and not photos:
        photo = _photo(item)
        if photo:
            photos.append(photo)
    places = _names(item.get("places")) or _names(item.get("place"))
    located = clean_text(item.get("located")) or (places[0] if places else "")
    infosources = _names(item.get("infosources"))
    uri = item.get("uri") or item.get("guid")
    renditions = _renditions(item.get("renditions"))
    link = next((r.get("href") for r in renditions if isinstance(r.get("href"), str)), "") or (
        uri if isinstance(uri, str) and uri.startswith(("http://", "https://")) else ""
    )
    return ParsedItem(
        format=FORMAT,
        original_id=clean_text(uri) or content_id(headline, body),
        version=clean_text(item.get("version")),
        url=link or url,
        kind=clean_text(item.get("type")) or "text",
        headline=headline,
        slugline=clean_text(item.get("slugline")),
        byline=", ".join(_names(item.get("by") or item.get("byline"))),
        located=located,
        summary=clean_text(summary),
        body_html=body,
        subjects=_names(item.get("subjects") or item.get("subject")),
        language=clean_text(item.get("language")),
        priority=priority(item.get("urgency") or item.get("priority")),
        pubstatus=clean_text(item.get("pubstatus")) or "usable",
        first_created=parse_datetime(item.get("firstcreated")),
        version_created=parse_datetime(item.get("versioncreated")),
        agency=infosources[0] if infosources else clean_text(item.get("copyrightholder")),
        copyright_holder=clean_text(item.get("copyrightholder")),
        copyright_notice=clean_text(item.get("copyrightnotice")),
        usage_terms=clean_text(item.get("usageterms")),
        photos=photos,
        raw=raw,
    )


def parse(data: bytes, *, url: str = "") -> list[ParsedItem]:
    """Return the items of a ninjs document (one object, or a list of them)."""
    document = _load(data)
    if isinstance(document, dict):
        return [_item(document, data.decode("utf-8-sig"), url)]
    if isinstance(document, list) and document:
        return [_item(i, json.dumps(i, ensure_ascii=False), url) for i in document]
    raise ParseError("a ninjs document must be a JSON object or a list of them")
