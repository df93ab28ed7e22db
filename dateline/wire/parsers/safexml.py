"""XML as wires send it, read with entity expansion, DTDs and network access off.

A document is first streamed through defusedxml's SAX reader, which refuses DTDs (so entity
bombs and external entities never expand) and lets us refuse deep nesting without building
anything; only then does lxml build the tree, with entities and network still off.
"""

from __future__ import annotations

import re
import xml.sax
from xml.sax.handler import ContentHandler

import defusedxml.sax
from defusedxml import DefusedXmlException
from lxml import etree

from dateline.wire.parsers.base import MAX_DEPTH, MAX_DOCUMENT_BYTES, ParseError

MAX_ATTRIBUTES = 256


class _DepthGuard(ContentHandler):
    def __init__(self, max_depth: int):
        super().__init__()
        self.depth = 0
        self.max_depth = max_depth

    def startElement(self, name, attrs):  # noqa: N802 - SAX's name
        self.depth += 1
        if self.depth > self.max_depth:
            raise ParseError(f"the XML is nested more than {self.max_depth} levels deep")
        if len(attrs) > MAX_ATTRIBUTES:
            # feedparser spends minutes on an element with 200,000 attributes; no wire
            # format needs more than a handful.
            raise ParseError(f"refused: an element has more than {MAX_ATTRIBUTES} attributes")

    def endElement(self, name):  # noqa: N802 - SAX's name
        self.depth -= 1


def check_xml(data: bytes, *, allow_doctype: bool = False, max_depth: int = MAX_DEPTH) -> None:
    """Raise ParseError if ``data`` declares entities (or, unless ``allow_doctype``, has a
    DTD at all), is nested deeper than ``max_depth``, has an element with more than
    MAX_ATTRIBUTES attributes or is too large. Ill-formed XML passes:
    the caller's parser reports it in its own words."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ParseError(f"the document is larger than {MAX_DOCUMENT_BYTES // 2**20} MB")
    try:
        defusedxml.sax.parseString(
            data,
            _DepthGuard(max_depth),
            forbid_dtd=not allow_doctype,
            forbid_entities=True,
            forbid_external=not allow_doctype,
        )
    except DefusedXmlException as exc:
        raise ParseError(f"refused: the XML declares a DTD or entities ({exc})") from None
    except xml.sax.SAXParseException:
        return
    except ValueError:
        # expat reads only single-byte encodings and UTF-8/16: check a UTF-8 copy instead.
        declared = re.match(rb"<\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]+)", data.lstrip())
        if not declared:
            raise ParseError("the XML's character encoding cannot be read") from None
        try:
            text = data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            raise ParseError("the XML's character encoding cannot be read") from None
        text = re.sub(r"^(\s*<\?xml[^>]*encoding=[\"'])[A-Za-z0-9._-]+", r"\1utf-8", text)
        check_xml(text.encode("utf-8"), allow_doctype=allow_doctype, max_depth=max_depth)


def parse_xml(data: bytes) -> etree._Element:
    """Return the root element of ``data``; raise ParseError for a DTD, entities, deep
    nesting or XML that is not well-formed."""
    check_xml(data)
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        return etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"not well-formed XML: {exc}") from None


def local(tag) -> str:
    """Return an element's tag without its namespace."""
    return etree.QName(tag).localname if isinstance(tag, str) else ""
