"""Files made to hurt: each is refused with a reason an editor understands, and nothing of it
is stored. The upload form's tests reuse these files (HOSTILE_FILES)."""

import io
import os
import struct
import zlib
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from PIL import Image

from dateline.mediabank.actions import import_photo
from dateline.mediabank.models import Photo
from dateline.mediabank.validation import PhotoRejected, check_image

XMP_ENTITY_BOMB = b"""<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:description><rdf:Alt>
<rdf:li xml:lang="x-default">&lol4;</rdf:li></rdf:Alt></dc:description></rdf:Description>
</rdf:RDF></x:xmpmeta><?xpacket end="w"?>"""

XMP_EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/">
<photoshop:Headline>&secret;</photoshop:Headline></rdf:Description></rdf:RDF></x:xmpmeta>"""

SVG = b"""<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">
<script>alert(document.cookie)</script><rect width="100" height="100" fill="red"/></svg>"""


def png_declaring(width: int, height: int) -> bytes:
    """Return a tiny PNG whose header claims ``width`` × ``height`` pixels."""
    buffer = io.BytesIO()
    Image.new("1", (1, 1)).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def noisy_jpeg(size=(400, 300)) -> bytes:
    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def jpeg_with_xmp(packet: bytes) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (1, 2, 3)).save(buffer, "JPEG", xmp=packet)
    return buffer.getvalue()


# name → (file name, content, what the reason must say)
HOSTILE_FILES = {
    "decompression bomb": ("bomb.png", lambda: png_declaring(30000, 30000), "too many pixels"),
    "truncated jpeg": ("cut.jpg", lambda: noisy_jpeg()[:6000], "damaged or cut short"),
    "html named jpg": (
        "photo.jpg",
        lambda: b"<!DOCTYPE html><html><script>alert(1)</script></html>",
        "is an HTML page, not a JPEG, PNG, WebP, AVIF or GIF image",
    ),
    "svg": ("drawing.svg", lambda: SVG, "is an SVG drawing, not a JPEG"),
    "svg named png": ("drawing.png", lambda: SVG, "is an SVG drawing, not a JPEG"),
    "pdf named jpg": (
        "scan.jpg",
        lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        "a PDF document",
    ),
    "text named png": (
        "notes.png",
        lambda: b"Call the desk before 6pm.\n",
        "notes.png is not a JPEG, PNG, WebP, AVIF or GIF image",
    ),
    "xmp entity expansion": (
        "laughs.jpg",
        lambda: jpeg_with_xmp(XMP_ENTITY_BOMB),
        "XMP metadata that declares a DOCTYPE or entities",
    ),
    "xmp external entity": (
        "xxe.jpg",
        lambda: jpeg_with_xmp(XMP_EXTERNAL_ENTITY),
        "XMP metadata that declares a DOCTYPE or entities",
    ),
}


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize("kind", list(HOSTILE_FILES))
def test_it_refuses_a_hostile_file_saying_why_and_stores_nothing(db, settings, kind):
    name, content, reason = HOSTILE_FILES[kind]

    with pytest.raises(PhotoRejected) as refused:
        import_photo(io.BytesIO(content()), name=name)

    assert reason in refused.value.reason
    assert name in refused.value.reason
    assert Photo.objects.count() == 0
    assert stored_files(settings) == []


def test_it_refuses_a_bomb_from_its_header_without_decoding_it(db):
    # The declared size alone must decide: decoding would fail too, but with another reason.
    with pytest.raises(
        PhotoRejected,
        match=r"bomb.png has too many pixels: 900,000,000, where a photo may have at most "
        r"40,000,000 \(40 megapixels\)",
    ):
        check_image(io.BytesIO(png_declaring(30000, 30000)), "bomb.png")
    assert Image.MAX_IMAGE_PIXELS == 89_478_485


@override_settings(WAGTAILIMAGES_MAX_IMAGE_PIXELS=10**12)
def test_it_refuses_what_pillow_only_warns_about_and_leaves_pillows_limit_alone(db):
    limit = Image.MAX_IMAGE_PIXELS
    # 100 million pixels: above Pillow's warning threshold, below the one where it refuses.
    with pytest.raises(PhotoRejected, match=f"too many pixels: .* at most {limit:,}"):
        check_image(io.BytesIO(png_declaring(10_000, 10_000)), "big.png")
    assert limit == Image.MAX_IMAGE_PIXELS  # not lowered, not raised


@override_settings(WAGTAILIMAGES_MAX_IMAGE_PIXELS=1000)
def test_it_holds_to_the_pixel_limit_in_the_settings(db):
    small, large = io.BytesIO(), io.BytesIO()
    Image.new("RGB", (40, 25)).save(small, "PNG")
    Image.new("RGB", (40, 26)).save(large, "PNG")

    assert check_image(small, "small.png").width == 40
    with pytest.raises(PhotoRejected, match="large.png has too many pixels"):
        import_photo(large, name="large.png")
    assert Photo.objects.count() == 0


@override_settings(WAGTAILIMAGES_MAX_UPLOAD_SIZE=1000)
def test_it_refuses_a_file_over_the_size_limit(db, settings):
    content = noisy_jpeg((60, 60))
    assert len(content) > 1000

    with pytest.raises(PhotoRejected) as refused:
        import_photo(io.BytesIO(content), name="heavy.jpg")

    assert "heavy.jpg is " in refused.value.reason
    assert "larger than the 1000\xa0bytes a photo may be" in refused.value.reason
    assert Photo.objects.count() == 0
    assert stored_files(settings) == []


def test_it_refuses_an_empty_file(db):
    with pytest.raises(PhotoRejected, match="empty.jpg is empty"):
        import_photo(io.BytesIO(b""), name="empty.jpg")


def test_it_accepts_each_photo_format_and_names_it(db):
    for image_format in ("JPEG", "PNG", "WEBP", "AVIF", "GIF"):
        buffer = io.BytesIO(b"")
        Image.new("RGB", (30, 20), (9, 9, 9)).save(buffer, image_format)
        assert check_image(buffer, "x").format == image_format
        assert buffer.tell() == 0  # left ready for whoever reads it next


def test_it_ignores_metadata_it_cannot_read_and_keeps_the_rest(db):
    exif = Image.Exif()
    exif[0x013B] = "Ines Duarte"
    exif.get_ifd(0x8769)[0x9003] = "0000:00:00 00:00:00"
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (4, 5, 6)).save(
        buffer,
        "JPEG",
        exif=exif.tobytes(),
        xmp=b"<x:xmpmeta xmlns:x='adobe:ns:meta/'><unclosed>\xff\xfe",
    )

    result = import_photo(buffer, name="odd.jpg")

    assert result.created
    assert result.photo.photographer.name == "Ines Duarte"
    assert result.photo.date_created is None


def test_it_keeps_links_other_than_web_addresses_out_of_the_photo(db):
    packet = b"""<x:xmpmeta xmlns:x="adobe:ns:meta/">
    <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
    <rdf:Description xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/"
      xmpRights:WebStatement="javascript:alert(document.cookie)"/>
    </rdf:RDF></x:xmpmeta>"""

    photo = import_photo(io.BytesIO(jpeg_with_xmp(packet)), name="link.jpg").photo

    assert photo.licence_url == ""


def test_it_reports_each_hostile_file_from_the_command_and_stores_none(db, tmp_path, settings):
    for name, content, _reason in HOSTILE_FILES.values():
        folder = tmp_path / "incoming" / name.split(".")[1]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(content())
    out = io.StringIO()

    with pytest.raises(CommandError, match="9 files were rejected"):
        call_command("import-photos", str(tmp_path / "incoming"), stdout=out)

    lines = out.getvalue().splitlines()
    assert len(lines) == len(HOSTILE_FILES) + 1
    for name, _content, reason in HOSTILE_FILES.values():
        [line] = [line for line in lines if f"/{name}: rejected: " in line]
        assert reason in line
    assert lines[-1] == "Imported 0 photos, 0 duplicates, 9 rejected."
    assert Photo.objects.count() == 0
    assert stored_files(settings) == []
