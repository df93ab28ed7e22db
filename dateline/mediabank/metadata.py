"""Read what a photographer or an agency wrote into an image file: IPTC-IIM, XMP and EXIF.

Where several of them carry a field, XMP wins over IPTC-IIM, which wins over EXIF: that is the
order in which the IPTC photo metadata standard says to trust them, newest first.
Metadata is written by many tools, some of them careless, so anything that cannot be read is
ignored; the one exception is an XMP packet that declares a DOCTYPE or entities, which has no
business in a photo and is how "billion laughs" attacks expand a few bytes into gigabytes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, IptcImagePlugin

from dateline.mediabank.models import DigitalSourceType
from dateline.mediabank.validation import PhotoRejected
from dateline.text import single_line, strip_bidi_controls

RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DC = "{http://purl.org/dc/elements/1.1/}"
PHOTOSHOP = "{http://ns.adobe.com/photoshop/1.0/}"
IPTC_CORE = "{http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/}"
IPTC_EXT = "{http://iptc.org/std/Iptc4xmpExt/2008-02-29/}"
XMP_RIGHTS = "{http://ns.adobe.com/xap/1.0/rights/}"
PLUS = "{http://ns.useplus.org/ldf/xmp/1.0/}"
EXIF_NS = "{http://ns.adobe.com/exif/1.0/}"
XMP_APP1_PREFIX = b"http://ns.adobe.com/xap/1.0/\x00"
DIGITAL_SOURCE_TYPE_PREFIX = "cv.iptc.org/newscodes/digitalsourcetype/"

# EXIF tags (IFD0, the Exif IFD and the GPS IFD).
EXIF_ARTIST, EXIF_COPYRIGHT, EXIF_DESCRIPTION = 0x013B, 0x8298, 0x010E
EXIF_IFD, GPS_IFD = 0x8769, 0x8825
EXIF_DATE_TIME_ORIGINAL, EXIF_OFFSET_TIME_ORIGINAL = 0x9003, 0x9011
GPS_LATITUDE, GPS_LONGITUDE = 2, 4

# IPTC-IIM datasets (record, number).
IIM_CHARSET = (1, 90)
IIM_KEYWORDS, IIM_DATE, IIM_TIME = (2, 25), (2, 55), (2, 60)
IIM_BYLINE, IIM_CITY, IIM_COUNTRY_CODE, IIM_COUNTRY = (2, 80), (2, 90), (2, 100), (2, 101)
IIM_HEADLINE, IIM_CREDIT, IIM_SOURCE, IIM_COPYRIGHT = (2, 105), (2, 110), (2, 115), (2, 116)
IIM_CAPTION = (2, 120)
IIM_UTF8 = b"\x1b%G"  # ISO 2022 escape sequence for UTF-8, the only one worth knowing today

MAX_KEYWORD_LENGTH = 100  # django-taggit's tag name length
MAX_CAPTION_LENGTH = 2000  # IPTC-IIM's Caption/Abstract holds at most 2,000 octets
# Every text field of PhotoMetadata but the caption, which may have several lines.
SINGLE_LINE_FIELDS = (
    "creator",
    "credit_line",
    "copyright_notice",
    "headline",
    "alt_text",
    "city",
    "country",
    "country_code",
    "licence_url",
    "licensor_url",
    "source",
    "digital_source_type",
)
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass
class PhotoMetadata:
    """The photo desk's fields found in a file; empty where the file says nothing."""

    creator: str = ""
    credit_line: str = ""
    copyright_notice: str = ""
    caption: str = ""
    headline: str = ""
    alt_text: str = ""
    date_created: dt.datetime | None = None  # always timezone-aware
    city: str = ""
    country: str = ""
    country_code: str = ""
    keywords: list[str] = field(default_factory=list)
    licence_url: str = ""
    licensor_url: str = ""
    source: str = ""
    digital_source_type: str = ""  # a DigitalSourceType code, e.g. "digitalCapture"
    has_gps: bool = False


def read_metadata(fileobj: IO[bytes], *, name: str | None = None) -> PhotoMetadata:
    """Return the metadata embedded in the image in ``fileobj`` (seekable; left at its start).

    Fields no block carries, or that cannot be read, are left empty; a broken block never
    hides the others. Raise PhotoRejected (naming the file ``name`` in the reason) only when
    the XMP packet declares a DOCTYPE or entities.
    """
    found: dict[str, dict[str, Any]] = {}
    try:
        fileobj.seek(0)
        with Image.open(fileobj) as image:
            for kind, reader in (("xmp", _read_xmp), ("iim", _read_iim), ("exif", _read_exif)):
                found[kind] = _guarded(reader, image)
    except Exception:  # The file is not an image at all: check_image says why, not this.
        return PhotoMetadata()
    finally:
        fileobj.seek(0)
    if found["xmp"].pop("hostile", False):
        raise PhotoRejected(
            _(
                "%(name)s carries XMP metadata that declares a DOCTYPE or entities, which "
                "could expand without limit; such files are refused."
            )
            % {"name": name or _("The file")}
        )
    metadata = PhotoMetadata()
    for kind in ("exif", "iim", "xmp"):  # later ones overwrite: XMP wins over IIM over EXIF
        for key, value in found[kind].items():
            if value:
                setattr(metadata, key, value)
    return as_fields(metadata)


def as_fields(metadata: PhotoMetadata) -> PhotoMetadata:
    """Return ``metadata`` fit to become a photo's fields: the one place where text from a file
    is cleaned. Bidirectional controls and invisible format characters (which could make a
    credit read as someone else's, or reverse a caption) are removed from every field; a
    one-line field is folded onto one line; the caption keeps its lines but no more than
    MAX_CAPTION_LENGTH characters (IPTC's own limit for a caption)."""
    for name in SINGLE_LINE_FIELDS:
        setattr(metadata, name, single_line(getattr(metadata, name)))
    caption = strip_bidi_controls(metadata.caption).strip()
    if len(caption) > MAX_CAPTION_LENGTH:
        caption = caption[: MAX_CAPTION_LENGTH - 1].rstrip() + "…"
    metadata.caption = caption
    metadata.keywords = _keywords([single_line(k) for k in metadata.keywords])
    return metadata


def _guarded(reader: Callable[[Image.Image], dict[str, Any]], image: Image.Image) -> dict:
    # Pillow and the metadata writers out there disagree in many small ways (a missing
    # terminator, a length that lies, a tag of the wrong type), and each shows up as a
    # different exception: a block that cannot be read counts as absent.
    try:
        return reader(image)
    except Exception:
        return {}


# --- XMP


def _read_xmp(image: Image.Image) -> dict[str, Any]:
    packet = _xmp_packet(image)
    if not packet:
        return {}
    try:
        root = fromstring(packet, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        return {"hostile": True}
    except (ParseError, ValueError):
        return {}
    xmp = _XmpIndex(root)
    return {
        "creator": xmp.text(DC + "creator"),
        "copyright_notice": xmp.text(DC + "rights"),
        "caption": xmp.text(DC + "description"),
        "keywords": _keywords(xmp.texts(DC + "subject")),
        "headline": xmp.text(PHOTOSHOP + "Headline"),
        "credit_line": xmp.text(PHOTOSHOP + "Credit"),
        "city": xmp.text(PHOTOSHOP + "City"),
        "country": xmp.text(PHOTOSHOP + "Country"),
        "source": xmp.text(PHOTOSHOP + "Source"),
        "date_created": _iso_datetime(xmp.text(PHOTOSHOP + "DateCreated")),
        "country_code": _country_code(xmp.text(IPTC_CORE + "CountryCode")),
        "alt_text": xmp.text(IPTC_CORE + "AltTextAccessibility"),
        "licence_url": _web_address(xmp.text(XMP_RIGHTS + "WebStatement")),
        # A licensor is a structure inside plus:Licensor; its address is the part we keep.
        "licensor_url": _web_address(xmp.text(PLUS + "LicensorURL")),
        "digital_source_type": _digital_source_type(xmp.text(IPTC_EXT + "DigitalSourceType")),
        "has_gps": bool(xmp.text(EXIF_NS + "GPSLatitude") or xmp.text(EXIF_NS + "GPSLongitude")),
    }


def _xmp_packet(image: Image.Image) -> bytes:
    packet = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp")
    if not packet:
        for marker, data in getattr(image, "applist", []):
            if marker == "APP1" and data.startswith(XMP_APP1_PREFIX):
                packet = data[len(XMP_APP1_PREFIX) :]
                break
    if isinstance(packet, str):
        packet = packet.encode("utf-8")
    return (packet or b"").strip(b"\x00 \t\r\n")


class _XmpIndex:
    """Every property in an XMP tree by its qualified name, whether written as an element or
    as an attribute of rdf:Description (writers use both)."""

    def __init__(self, root: Any) -> None:
        self.elements: dict[str, list[Any]] = defaultdict(list)
        self.attributes: dict[str, list[str]] = defaultdict(list)
        for element in root.iter():
            self.elements[element.tag].append(element)
            for key, value in element.attrib.items():
                self.attributes[key].append(value)

    def text(self, tag: str) -> str:
        """Return the first non-empty value of ``tag``: from a language alternative the
        default language, from a list its first item."""
        for element in self.elements.get(tag, []):
            values = _alternatives(element)
            if values:
                return values[0]
        for value in self.attributes.get(tag, []):
            if _clean(value):
                return _clean(value)
        return ""

    def texts(self, tag: str) -> list[str]:
        """Return every value of ``tag`` (the items of a list)."""
        for element in self.elements.get(tag, []):
            values = _alternatives(element)
            if values:
                return values
        return [v for v in map(_clean, self.attributes.get(tag, [])) if v]


def _alternatives(element: Any) -> list[str]:
    resource = element.get(RDF + "resource")
    if resource:
        return [_clean(resource)]
    for container in element:
        if container.tag not in (RDF + "Alt", RDF + "Seq", RDF + "Bag"):
            continue
        items = container.findall(RDF + "li")
        if container.tag == RDF + "Alt":
            # The language the writer marked as default first, as the XMP specification asks.
            items.sort(key=lambda li: li.get(XML_LANG) != "x-default")
        return [t for t in (_clean(li.get(RDF + "resource") or li.text) for li in items) if t]
    text = _clean(element.text)
    return [text] if text else []


# --- IPTC-IIM


def _read_iim(image: Image.Image) -> dict[str, Any]:
    datasets = IptcImagePlugin.getiptcinfo(image)  # type: ignore[arg-type]
    if not datasets:
        return {}
    charset = datasets.get(IIM_CHARSET) or b""
    utf8 = IIM_UTF8 in (charset if isinstance(charset, bytes) else b"".join(charset))

    def texts(key: tuple[int, int]) -> list[str]:
        value = datasets.get(key)
        values = value if isinstance(value, list) else [value] if value else []
        return [t for t in (_clean(_decode_iim(v, utf8)) for v in values) if t]

    def text(key: tuple[int, int]) -> str:
        found = texts(key)
        return found[0] if found else ""

    return {
        "creator": text(IIM_BYLINE),
        "credit_line": text(IIM_CREDIT),
        "copyright_notice": text(IIM_COPYRIGHT),
        "caption": text(IIM_CAPTION),
        "headline": text(IIM_HEADLINE),
        "date_created": _iim_datetime(text(IIM_DATE), text(IIM_TIME)),
        "city": text(IIM_CITY),
        "country": text(IIM_COUNTRY),
        "country_code": _country_code(text(IIM_COUNTRY_CODE)),
        "keywords": _keywords(texts(IIM_KEYWORDS)),
        "source": text(IIM_SOURCE),
    }


def _decode_iim(value: bytes, utf8: bool) -> str:
    # Files that do not declare their character set are mostly UTF-8 today and Latin-1 from
    # older software; UTF-8 almost never decodes by accident, so trying it first is safe.
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("utf-8" if utf8 else "latin-1", "replace")


def _iim_datetime(date: str, time: str) -> dt.datetime | None:
    match = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", date)
    if not match:
        return None
    time_match = re.fullmatch(r"(\d{2})(\d{2})(\d{2})(?:([+-])(\d{2})(\d{2}))?", time)
    if time_match:
        hour, minute, second, sign, off_h, off_m = time_match.groups()
        offset = f"{sign}{off_h}:{off_m}" if sign else ""
        return _iso_datetime(f"{date[:4]}-{date[4:6]}-{date[6:]}T{hour}:{minute}:{second}{offset}")
    return _iso_datetime(f"{date[:4]}-{date[4:6]}-{date[6:]}")


# --- EXIF


def _read_exif(image: Image.Image) -> dict[str, Any]:
    if image.format == "PNG" and "exif" not in image.info:
        # Pillow would decode every pixel to look for an eXIf chunk after the image data, where
        # no common writer puts it (160 MB and seconds for 40 megapixels).
        return {}
    exif = image.getexif()
    if not exif:
        return {}
    details = exif.get_ifd(EXIF_IFD)
    gps = exif.get_ifd(GPS_IFD)
    taken = _exif_text(details.get(EXIF_DATE_TIME_ORIGINAL))
    offset = _exif_text(details.get(EXIF_OFFSET_TIME_ORIGINAL))
    date_created = None
    match = re.fullmatch(r"(\d{4}):(\d{2}):(\d{2})[ T](\d{2}:\d{2}:\d{2})", taken)
    if match:
        year, month, day, time = match.groups()
        if not re.fullmatch(r"[+-]\d{2}:\d{2}", offset):
            offset = ""
        date_created = _iso_datetime(f"{year}-{month}-{day}T{time}{offset}")
    return {
        "creator": _exif_text(exif.get(EXIF_ARTIST)),
        # EXIF separates the photographer's and the editor's copyright with a NUL.
        "copyright_notice": _exif_text(exif.get(EXIF_COPYRIGHT), first_part=True),
        "caption": _exif_text(exif.get(EXIF_DESCRIPTION)),
        "date_created": date_created,
        "has_gps": GPS_LATITUDE in gps or GPS_LONGITUDE in gps,
    }


def _exif_text(value: object, *, first_part: bool = False) -> str:
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if not isinstance(value, str):
        return ""
    if first_part:
        value = value.split("\x00")[0]
    # EXIF says ASCII, Pillow reads it as Latin-1, and cameras and exiftool write UTF-8:
    # undo the misreading when the bytes are UTF-8.
    with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
        value = value.encode("latin-1").decode("utf-8")
    return _clean(value)


# --- Values


def _clean(value: object) -> str:
    if not isinstance(value, str):
        return ""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return CONTROL_CHARACTERS.sub("", value).strip()


def _keywords(values: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for value in values:
        keyword = " ".join(value.split())
        if keyword and len(keyword) <= MAX_KEYWORD_LENGTH:
            seen.setdefault(keyword.casefold(), keyword)
    return list(seen.values())


def _country_code(value: str) -> str:
    code = value.strip().upper()
    return code if re.fullmatch(r"[A-Z]{2,3}", code) else ""


def _web_address(value: str) -> str:
    # Only web addresses: a file could otherwise put a javascript: link on the photo page.
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        return ""
    return value if len(value) <= 200 else ""


def _digital_source_type(value: str) -> str:
    code = value.rstrip("/").rsplit("/", 1)[-1]
    is_iptc_uri = DIGITAL_SOURCE_TYPE_PREFIX in value or "/" not in value
    return code if is_iptc_uri and code in DigitalSourceType.values else ""


def _iso_datetime(value: str) -> dt.datetime | None:
    """Return an aware datetime from an ISO 8601 date or date-time (XMP's form). Without an
    offset, the time is taken to be in the site's time zone: the best guess there is."""
    value = value.strip()
    if re.fullmatch(r"\d{4}(-\d{2})?", value):
        value = (value + "-01-01")[:10]
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if timezone.is_naive(parsed):
        try:
            parsed = timezone.make_aware(parsed)
        except (ValueError, OverflowError):
            return None
    return parsed
