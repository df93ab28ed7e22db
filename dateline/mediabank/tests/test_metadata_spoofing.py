"""Text a file carries cannot spoof what a reader or an editor sees: bidirectional controls and
invisible format characters are removed from every field read from IPTC-IIM, XMP and EXIF,
one-line fields are folded onto one line, and a caption is kept to a sane length."""

import io
from xml.sax.saxutils import escape

import pytest
from PIL import Image

from dateline.mediabank.actions import import_photo
from dateline.mediabank.metadata import MAX_CAPTION_LENGTH, read_metadata

RLO, PDF, LRI, PDI, RLM, ZWSP = "\u202e", "\u202c", "\u2066", "\u2069", "\u200f", "\u200b"
SPOOFING = set(
    "\u061c\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u2060"
)


def spoof_free(text: str) -> bool:
    return not SPOOFING & set(text)


def xmp_packet(**fields: str) -> bytes:
    ns = {
        "dc": "http://purl.org/dc/elements/1.1/",
        "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    }
    body = ""
    for key, value in fields.items():
        prefix, name = key.split("_", 1)
        value = escape(value)
        if prefix == "dc" and name == "subject":
            value = f"<rdf:Bag><rdf:li>{value}</rdf:li></rdf:Bag>"
        elif prefix == "dc" and name == "creator":
            value = f"<rdf:Seq><rdf:li>{value}</rdf:li></rdf:Seq>"
        elif prefix == "dc":
            value = f'<rdf:Alt><rdf:li xml:lang="x-default">{value}</rdf:li></rdf:Alt>'
        body += f"<{prefix}:{name}>{value}</{prefix}:{name}>"
    xmlns = " ".join(f'xmlns:{k}="{v}"' for k, v in ns.items())
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f'<rdf:Description rdf:about="" {xmlns}>{body}</rdf:Description></rdf:RDF></x:xmpmeta>'
    ).encode()


def iim_segment(datasets: list[tuple[int, str]]) -> bytes:
    """An APP13 segment holding IPTC-IIM record 2 datasets, UTF-8 declared."""
    iim = b"\x1c\x01\x5a\x00\x03\x1b%G"  # 1:90 coded character set: UTF-8
    for number, text in datasets:
        data = text.encode()
        iim += bytes([0x1C, 2, number]) + len(data).to_bytes(2, "big") + data
    if len(iim) % 2:
        iim += b"\x00"
    block = b"8BIM\x04\x04\x00\x00" + len(iim).to_bytes(4, "big") + iim
    payload = b"Photoshop 3.0\x00" + block
    return b"\xff\xed" + (len(payload) + 2).to_bytes(2, "big") + payload


def jpeg_with(group: str, creator: str, caption: str) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", (64, 48), (120, 60, 30))
    if group == "XMP":
        packet = xmp_packet(
            dc_creator=creator,
            dc_description=caption,
            photoshop_Headline=f"Head{RLO}line",
            photoshop_City=f"Ki{ZWSP}ev",
            photoshop_Credit=f"Test{RLO}wire",
            dc_subject=f"pro{RLO}test",
        )
        image.save(buffer, "JPEG", xmp=packet)
        return buffer.getvalue()
    if group == "EXIF":
        exif = Image.Exif()
        exif[0x013B] = creator.encode()
        exif[0x010E] = caption.encode()
        image.save(buffer, "JPEG", exif=exif.tobytes())
        return buffer.getvalue()
    image.save(buffer, "JPEG")
    data = buffer.getvalue()
    segment = iim_segment(
        [
            (80, creator),
            (120, caption),
            (105, f"Head{RLO}line"),
            (90, f"Ki{ZWSP}ev"),
            (110, f"Test{RLO}wire"),
            (25, f"pro{RLO}test"),
        ]
    )
    return data[:2] + segment + data[2:]


@pytest.mark.parametrize("group", ["IPTC", "XMP", "EXIF"])
def test_bidi_controls_are_removed_from_every_block(db, group):
    creator = f"Jane {RLO}eoD{PDF}"
    caption = f"Protest in the square{RLM}\n{LRI}gpj.exe{PDI} second line{ZWSP}"

    photo = import_photo(io.BytesIO(jpeg_with(group, creator, caption)), name="x.jpg").photo

    assert photo.photographer.name == "Jane eoD"
    assert photo.caption == "Protest in the square\ngpj.exe second line"
    if group != "EXIF":
        assert photo.headline == "Headline"
        assert photo.city == "Kiev"
        assert photo.credit_text == "Testwire"
        assert [t.name for t in photo.tags.all()] == ["protest"]
    for value in (photo.title, photo.caption, photo.headline, photo.photographer.name):
        assert spoof_free(value)


def read(packet: bytes):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48)).save(buffer, "JPEG", xmp=packet)
    buffer.seek(0)
    return read_metadata(buffer)


def test_one_line_fields_are_folded_and_the_caption_keeps_its_lines():
    metadata = read(
        xmp_packet(
            photoshop_Headline="Storm\nhits\tthe coast",
            dc_creator="Ana\u2028Lima",
            dc_description="First line.\nSecond line.",
        )
    )
    assert metadata.headline == "Storm hits the coast"
    assert metadata.creator == "Ana Lima"
    assert metadata.caption == "First line.\nSecond line."


def test_scripts_that_need_joiners_keep_them():
    metadata = read(xmp_packet(dc_description="می\u200cخواهم", dc_creator="مریم"))
    assert metadata.caption == "می\u200cخواهم"
    assert metadata.creator == "مریم"


def test_a_huge_caption_is_cut_to_a_sane_length(db):
    buffer = io.BytesIO()
    caption = "word " * 50_000
    packet = (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:description><rdf:Alt>'
        f'<rdf:li xml:lang="x-default">{caption}</rdf:li></rdf:Alt></dc:description>'
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    Image.new("RGB", (40, 30)).save(buffer, "PNG", pnginfo=_xmp_chunk(packet))
    photo = import_photo(io.BytesIO(buffer.getvalue()), name="long.png").photo
    assert len(photo.caption) == MAX_CAPTION_LENGTH
    assert photo.caption.endswith("…")


def _xmp_chunk(packet: str):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_itxt("XML:com.adobe.xmp", packet)
    return info
