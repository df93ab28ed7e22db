"""An article's web page (HTML): trafilatura finds the body and the metadata; what it leaves
out that a story needs is added here: the lead photo's caption and credit, the dateline,
quotations and read-more links."""

from __future__ import annotations

import re

import lxml.html
import trafilatura
from lxml import etree

from dateline.wire.parsers.article import (
    READ_MORE,
    Block,
    PageArticle,
    split_dateline,
    split_quote,
    tidy_article,
)
from dateline.wire.parsers.base import MAX_DOCUMENT_BYTES, ParsedItem, ParseError, clean_text
from dateline.wire.parsers.page_text import article_item

FORMAT = "html"
MAX_TAGS = 200_000
MAX_ATTRIBUTES = 256
# A tag this long is an inline image's address or an attribute flood; only those are counted.
LONG_TAG = re.compile(rb"<[A-Za-z][^<>]{16384,}>")


def sniff(data: bytes, content_type: str = "") -> bool:
    head = data[:2048].lstrip().lower()
    return (
        "html" in content_type
        or head.startswith((b"<!doctype html", b"<html"))
        or (b"<html" in head or b"<body" in head or b"<head" in head)
    )


def _decode(data: bytes) -> str:
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ParseError(f"the document is larger than {MAX_DOCUMENT_BYTES // 2**20} MB")
    if data.count(b"<") > MAX_TAGS:
        # An article page has a few thousand tags; 900,000 paragraphs cost trafilatura
        # minutes and a gigabyte before it could say there is no article.
        raise ParseError(f"refused: the page has more than {MAX_TAGS:,} tags")
    for tag in LONG_TAG.finditer(data):
        if tag.group().count(b"=") > MAX_ATTRIBUTES:
            raise ParseError(f"refused: an element has more than {MAX_ATTRIBUTES} attributes")
    match = re.search(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_-]+)", data[:4096], re.IGNORECASE)
    for encoding in ([match.group(1).decode()] if match else []) + ["utf-8"]:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", errors="replace")


def _lead_photo(tree, article: PageArticle) -> None:
    """Fill the lead photo's caption, credit and alt text from the page's first figure."""
    figures = tree.xpath("//article//figure | //main//figure | //figure")
    for figure in figures[:3]:
        image = figure.xpath(".//img")
        caption = figure.xpath(".//figcaption")
        if not image:
            continue
        article.photo_alt = clean_text(image[0].get("alt"))
        article.photo_url = article.photo_url or image[0].get("src", "")
        credit = figure.xpath(
            ".//*[contains(@class, 'credit') or contains(@class, 'copyright') "
            "or contains(@class, 'author')]"
        )
        if credit:
            article.photo_credit = clean_text(credit[0].text_content())
        if caption:
            text = clean_text(caption[0].text_content())
            if article.photo_credit:
                text = clean_text(text.replace(article.photo_credit, ""))
            if not article.photo_credit:
                found = re.search(r"\(?((?:©|Photo:|Credit:|Image:)[^()]+)\)?\s*$", text)
                if found:
                    article.photo_credit = clean_text(found.group(1))
                    text = clean_text(text[: found.start()])
            article.photo_caption = text
        return


def read_html_page(html: str, *, url: str = "") -> PageArticle:
    """Return the article of an HTML page; raise ParseError when no article body is found."""
    try:
        document = trafilatura.bare_extraction(
            html,
            url=url or None,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            deduplicate=False,
        )
    except (ValueError, etree.ParserError) as exc:
        raise ParseError(f"the page cannot be read: {exc}") from None
    if document is None or document.body is None or len(clean_text(document.text).split()) < 8:
        raise ParseError("no article body found on the page")
    article = PageArticle(
        headline=clean_text(document.title),
        standfirst="",
        bylines=[clean_text(a) for a in (document.author or "").split(";") if a.strip()],
        tags=[clean_text(t) for t in (document.tags or []) if t.strip()][:20],
        section=clean_text((document.categories or [""])[0]),
        site_name=clean_text(document.sitename),
        language=clean_text(document.language),
        published=clean_text(document.date),
        photo_url=document.image or "",
    )
    for element in document.body:
        tag = element.tag
        text = clean_text(element.xpath("string()"))
        if not text:
            continue
        if tag == "head" and text.casefold() == article.headline.casefold():
            continue  # the headline again, above the body
        if tag == "quote":
            quote = split_quote(text)
            article.blocks.append(
                Block("quote", quote[0], attribution=quote[1]) if quote else Block("quote", text)
            )
            continue
        if tag == "list":
            for item in element:
                item_text = clean_text(item.xpath("string()"))
                if item_text:
                    article.blocks.append(Block("paragraph", item_text))
            continue
        read_more = READ_MORE.match(text)
        if read_more and len(text) < 200:
            article.blocks.append(
                Block(
                    "read_more",
                    read_more.group("headline").strip(),
                    label=read_more.group("label").strip(),
                )
            )
        elif not any(b.kind == "paragraph" for b in article.blocks) and split_dateline(text)[0]:
            place, agency, rest = split_dateline(text)
            article.dateline_place, article.dateline_agency = place, agency
            article.blocks.append(Block("paragraph", rest))
        else:
            article.blocks.append(Block("paragraph", text))
    try:
        tree = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        tree = None
    if tree is not None:
        _lead_photo(tree, article)
    return tidy_article(article)


def parse(data: bytes, *, url: str = "") -> list[ParsedItem]:
    """Return the one article of an HTML page."""
    html = _decode(data)
    article = read_html_page(html, url=url)
    return [article_item(article, format=FORMAT, url=url, raw=html)]
