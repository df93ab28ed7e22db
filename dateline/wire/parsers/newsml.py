"""IPTC NewsML-G2: news items (text, picture…), package items, and news messages holding them.

Elements are matched by local name, so a document in the NAR namespace and one without it
read alike. A package gives one item for itself (its groups' references listed in the body)
and one for each item it references, carrying the title and description the package holds.
"""

from __future__ import annotations

from django.utils.html import escape
from lxml import etree

from dateline.wire.parsers.base import (
    ParsedItem,
    ParseError,
    PhotoRef,
    clean_text,
    content_id,
    parse_datetime,
    priority,
    sanitise_html,
    strip_overrides,
)
from dateline.wire.parsers.safexml import local, parse_xml

FORMAT = "newsml"
ITEM_TAGS = {"newsItem", "packageItem"}


def sniff(data: bytes, content_type: str = "") -> bool:
    head = data[:4096]
    return "vnd.iptc.g2" in content_type or any(
        f"<{tag}".encode() in head or f":{tag}".encode() in head
        for tag in ("newsItem", "packageItem", "newsMessage")
    )


def _children(element, name: str) -> list:
    return [child for child in element if local(child.tag) == name]


def _child(element, *path: str):
    for name in path:
        if element is None:
            return None
        found = _children(element, name)
        element = found[0] if found else None
    return element


def _text(element) -> str:
    return clean_text("".join(element.itertext())) if element is not None else ""


def _name(element) -> str:
    """Return a concept's name (its first ``name`` child), else its qcode or literal."""
    if element is None:
        return ""
    name = _child(element, "name")
    if name is not None and _text(name):
        return _text(name)
    return element.get("literal") or element.get("qcode") or element.get("uri") or ""


def _qcode_value(element) -> str:
    qcode = element.get("qcode", "") if element is not None else ""
    return qcode.split(":", 1)[-1]


def _located(meta) -> str:
    located = _child(meta, "located")
    if located is None:
        return ""
    name = _name(located)
    if name == located.get("qcode"):
        name = _qcode_value(located)
    country = next(
        (
            _name(b) if _child(b, "name") is not None else _qcode_value(b)
            for b in _children(located, "broader")
            if "country" in (b.get("type", "") + b.get("qcode", ""))
            or b.get("qcode", "").startswith(("cntry:", "iso3166"))
        ),
        "",
    )
    return f"{name}, {country}" if country and country != name else name


def _body(item) -> str:
    content_set = _child(item, "contentSet")
    if content_set is None:
        return ""
    for inline in _children(content_set, "inlineXML"):
        # NITF keeps its text in body.content; XHTML in body. Either way: the text blocks.
        container = next(
            (e for e in inline.iter() if local(e.tag) in ("body.content", "body")),
            None,
        )
        if container is None:
            continue
        if local(container.tag) == "body":
            content = next((e for e in container if local(e.tag) == "body.content"), None)
            container = content if content is not None else container
        parts = []
        for element in container:
            name = local(element.tag)
            if name in ("body.head", "body.end"):
                continue
            # Namespaces dropped so that the sanitiser sees plain HTML tag names.
            copy = etree.fromstring(etree.tostring(element))
            for node in copy.iter():
                if isinstance(node.tag, str):
                    node.tag = local(node.tag)
            etree.cleanup_namespaces(copy)
            parts.append(etree.tostring(copy, encoding="unicode", with_tail=False))
        html = sanitise_html("".join(parts))
        if html:
            return html
    for inline in _children(content_set, "inlineData"):
        text = (inline.text or "").strip()
        if text:
            # Plain text: escaped, or a "<script>" in it would be markup on the desk.
            return "".join(
                f"<p>{escape(' '.join(strip_overrides(p).split()))}</p>"
                for p in text.split("\n\n")
                if p.strip()
            )
    return ""


def _photos(item) -> list[PhotoRef]:
    content_set = _child(item, "contentSet")
    if content_set is None:
        return []
    meta = _child(item, "contentMeta")
    rights = _child(item, "rightsInfo")
    caption = (
        next(
            (_text(d) for d in _children(meta, "description") if "caption" in d.get("role", "")),
            "",
        )
        if meta is not None
        else ""
    )
    creator = _child(meta, "creator") if meta is not None else None
    remotes = _children(content_set, "remoteContent")

    def width(element) -> int:
        try:
            return int(element.get("width") or 0)
        except ValueError:
            return 0

    remotes.sort(key=width, reverse=True)
    if not remotes:
        return []
    best = remotes[0]
    return [
        PhotoRef(
            url=best.get("href", "").strip(),
            caption=caption,
            credit=_text(_child(meta, "creditline")) if meta is not None else "",
            photographer=_name(creator),
            copyright=_text(_child(rights, "copyrightNotice")),
            width=width(best) or None,
            height=int(best.get("height")) if (best.get("height") or "").isdigit() else None,
            content_type=best.get("contenttype", ""),
        )
    ]


def _linked_photos(item_meta) -> list[PhotoRef]:
    """Return the pictures that ``itemMeta`` links to (rel ``irel:associatedWith``, item class
    picture or graphic), with the caption (the link's title), photographer, credit line and
    rights the link carries; the address is that of the picture's own item."""
    if item_meta is None:
        return []
    photos = []
    for link in _children(item_meta, "link"):
        if link.get("rel") != "irel:associatedWith":
            continue
        if _qcode_value(_child(link, "itemClass")) not in ("picture", "graphic"):
            continue
        rights = _child(link, "rightsInfo")
        photos.append(
            PhotoRef(
                url=link.get("href", "").strip(),
                caption=_text(_child(link, "title")),
                credit=_text(_child(link, "creditline")) or _text(_child(rights, "usageTerms")),
                photographer=_text(_child(link, "by")),
                copyright=_text(_child(rights, "copyrightNotice")),
                content_type=link.get("contenttype", ""),
            )
        )
    return photos


def _news_item(item, url: str) -> ParsedItem:
    meta = _child(item, "contentMeta")
    item_meta = _child(item, "itemMeta")
    rights = _child(item, "rightsInfo")
    if meta is None and item_meta is None:
        raise ParseError(f"the {local(item.tag)} has neither itemMeta nor contentMeta")
    kind = _qcode_value(_child(item_meta, "itemClass")) or "text"
    headline = _text(_child(meta, "headline")) if meta is not None else ""
    headline = headline or _text(_child(item_meta, "title"))
    body = _body(item)
    descriptions = _children(meta, "description") if meta is not None else []
    summary = next(
        (_text(d) for d in descriptions if "summary" in d.get("role", "")),
        _text(descriptions[0]) if descriptions else "",
    )
    if not headline and kind == "picture":
        headline = summary[:120]
    if not (headline or body):
        raise ParseError(f"the {local(item.tag)} {item.get('guid', '')} has no headline or body")
    byline = _text(_child(meta, "by")) if meta is not None else ""
    if not byline and meta is not None:
        byline = ", ".join(
            _name(c) for c in _children(meta, "creator") if _child(c, "name") is not None
        )
    nitf_byline = next((e for e in item.iter() if local(e.tag) == "byline"), None)
    if not byline and nitf_byline is not None:
        byline = clean_text(nitf_byline.text)
    language = _child(meta, "language")
    lang = language.get("tag", "") if language is not None else ""
    lang = lang or item.get("{http://www.w3.org/XML/1998/namespace}lang", "")
    link = next(
        (
            e.get("href", "")
            # (the first iterable is built before any condition is tested)
            for e in (_children(item_meta, "link") if item_meta is not None else [])
            if e.get("rel", "") in ("irel:canonical", "irel:self")
        ),
        "",
    )
    info_source = _child(meta, "infoSource") if meta is not None else None
    provider = _child(item_meta, "provider")
    agency = _name(info_source) if info_source is not None else ""
    if agency.startswith(("http://", "https://")):
        agency = ""
    agency = agency or (_name(provider).split(":", 1)[-1] if provider is not None else "")
    subjects = []
    if meta is not None:
        for element in _children(meta, "subject") + _children(meta, "keyword"):
            name = _text(element) if local(element.tag) == "keyword" else _name(element)
            if name and name not in subjects:
                subjects.append(name)
    return ParsedItem(
        format=FORMAT,
        original_id=item.get("guid") or content_id(headline, body),
        version=item.get("version", ""),
        url=link or url,
        kind=kind,
        headline=headline,
        slugline=_text(_child(meta, "slugline")) if meta is not None else "",
        byline=byline,
        dateline=_text(_child(meta, "dateline")) if meta is not None else "",
        located=_located(meta) if meta is not None else "",
        summary=summary,
        body_html=body,
        subjects=subjects,
        language=lang,
        priority=priority(_text(_child(meta, "urgency")) if meta is not None else None),
        pubstatus=_qcode_value(_child(item_meta, "pubStatus")) or "usable",
        first_created=parse_datetime(_text(_child(item_meta, "firstCreated"))),
        version_created=parse_datetime(_text(_child(item_meta, "versionCreated"))),
        agency=agency,
        copyright_holder=_name(_child(rights, "copyrightHolder")),
        copyright_notice=_text(_child(rights, "copyrightNotice")),
        usage_terms=_text(_child(rights, "usageTerms")),
        photos=_photos(item) if kind in ("picture", "graphic") else _linked_photos(item_meta),
        raw=etree.tostring(item, encoding="unicode"),
    )


def _package(item, url: str) -> list[ParsedItem]:
    package = _news_item_meta_only(item, url)
    refs = [e for e in item.iter() if local(e.tag) == "itemRef"]
    items = [package]
    lines = []
    for ref in refs:
        residref = ref.get("residref") or ref.get("href") or ""
        title = _text(_child(ref, "title"))
        description = _text(_child(ref, "description"))
        kind = _qcode_value(_child(ref, "itemClass")) or "text"
        lines.append(f"<li>{title or residref}</li>")
        if not residref or not (title or description):
            continue
        items.append(
            ParsedItem(
                format=FORMAT,
                original_id=residref,
                version=ref.get("version", ""),
                url=ref.get("href", "") if ref.get("href", "").startswith("http") else url,
                kind=kind,
                headline=title or description[:120],
                summary=description,
                pubstatus=_qcode_value(_child(ref, "pubStatus")) or "usable",
                agency=package.agency,
                language=package.language,
                photos=[PhotoRef(url=ref.get("href", ""), caption=description)]
                if kind == "picture"
                else [],
                raw=etree.tostring(ref, encoding="unicode"),
            )
        )
    package.body_html = sanitise_html(f"<ul>{''.join(lines)}</ul>") if lines else ""
    return items


def _news_item_meta_only(item, url: str) -> ParsedItem:
    meta = _child(item, "contentMeta")
    item_meta = _child(item, "itemMeta")
    if item_meta is None:
        raise ParseError("the packageItem has no itemMeta")
    headline = (_text(_child(meta, "headline")) if meta is not None else "") or _text(
        _child(item_meta, "title")
    )
    provider = _child(item_meta, "provider")
    return ParsedItem(
        format=FORMAT,
        original_id=item.get("guid") or content_id(headline),
        version=item.get("version", ""),
        url=url,
        kind="composite",
        headline=headline or item.get("guid", ""),
        pubstatus=_qcode_value(_child(item_meta, "pubStatus")) or "usable",
        first_created=parse_datetime(_text(_child(item_meta, "firstCreated"))),
        version_created=parse_datetime(_text(_child(item_meta, "versionCreated"))),
        agency=_name(provider).split(":", 1)[-1] if provider is not None else "",
        raw=etree.tostring(item, encoding="unicode"),
    )


def parse(data: bytes, *, url: str = "") -> list[ParsedItem]:
    """Return the items of a NewsML-G2 newsItem, packageItem or newsMessage."""
    root = parse_xml(data)
    if local(root.tag) in ITEM_TAGS:
        found = [root]
    elif local(root.tag) == "newsMessage":
        found = [e for e in root.iter() if local(e.tag) in ITEM_TAGS]
    else:
        raise ParseError(
            f"not a NewsML-G2 item: the root element is <{local(root.tag)}>, "
            "not newsItem, packageItem or newsMessage"
        )
    if not found:
        raise ParseError("the newsMessage holds no items")
    items: list[ParsedItem] = []
    for element in found:
        if local(element.tag) == "packageItem":
            items.extend(_package(element, url))
        else:
            items.append(_news_item(element, url))
    return items
