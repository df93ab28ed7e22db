"""Hostile images through every entry point that takes an image: the newsroom's upload
(Wagtail's add view, signed in), the importer (`dateline import-photos`) and the making of
renditions. None may cause a 5xx, a traceback, more than 10 s or more than 256 MB; each refused
file gets a reason that names it, and an accepted one gets its renditions within the same
bounds. The stored files are in corpus/images/ (see its README); large ones come from recipes.
"""

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils.html import escape
from PIL import Image

from dateline.mediabank.actions import import_photo
from dateline.mediabank.renditions import make_renditions
from dateline.mediabank.validation import PhotoRejected
from tests.hostile.bounds import MEGABYTES, SECONDS, bounded, corpus

NOT_A_PHOTO = "not a JPEG, PNG, WebP, AVIF or GIF image"
TOO_MANY = "has too many pixels"
REFUSED = "refused"  # any clear refusal (the reason depends on where the decoder gives up)

# What each stored file must come to: None is accepted, else a part of the reason.
STORED = {
    "cut-short.jpg": "is damaged or cut short",
    "cut-short.png": "is damaged or cut short",
    "drawing-named-photo.png": "is an SVG drawing, not a JPEG",
    "drawing-with-script.svg": "is an SVG drawing, not a JPEG",
    "empty.png": "is empty",
    "exif-bidi-huge.jpg": None,
    "page-named-photo.jpg": "is an HTML page, not a JPEG",
    "paint.bmp": NOT_A_PHOTO,
    "png-named.jpg": None,
    "polyglot-html.jpg": None,
    "random-bytes.jpg": NOT_A_PHOTO,
    "scan.tif": NOT_A_PHOTO,
}


# --- Recipes: (file name, bytes, what it must come to)


def _encode(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def png_header_bomb():
    data = bytearray(_encode(Image.new("1", (1, 1)), "PNG"))
    data[16:24] = struct.pack(">II", 30000, 30000)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return "header-bomb.png", bytes(data), TOO_MANY


def png_real_bomb():
    # 81 megapixels of one colour: a few kB on disk, 324 MB decoded as RGBA.
    return "real-bomb.png", _encode(Image.new("1", (9000, 9000)), "PNG"), TOO_MANY


def png_one_row_too_many():
    return "one-row-too-many.png", _encode(Image.new("1", (8000, 5001)), "PNG"), TOO_MANY


def jpeg_header_bomb():
    data = bytearray(_encode(Image.new("RGB", (16, 16)), "JPEG"))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", 60000, 60000)
    return "header-bomb.jpg", bytes(data), TOO_MANY


def webp_canvas_bomb():
    # A small picture on a declared 16,000 × 16,000 canvas (VP8X).
    exif = Image.Exif()
    exif[0x010E] = "x"
    data = bytearray(_encode(Image.new("RGB", (16, 16)), "WEBP", exif=exif.tobytes()))
    assert data[12:16] == b"VP8X"
    data[24:27] = (16000 - 1).to_bytes(3, "little")
    data[27:30] = (16000 - 1).to_bytes(3, "little")
    return "canvas-bomb.webp", bytes(data), REFUSED


def avif_header_bomb():
    data = bytearray(_encode(Image.new("RGB", (16, 16)), "AVIF"))
    ispe = data.index(b"ispe")
    data[ispe + 8 : ispe + 16] = struct.pack(">II", 20000, 20000)
    return "header-bomb.avif", bytes(data), REFUSED


def gif_frames(count: int, size: int) -> bytes:
    # Every frame differs (a dot moves), or Pillow would merge them into one.
    frames = []
    for n in range(count):
        frame = Image.new("L", (size, size), 30)
        frame.putpixel((n % size, (n // size) % size), 250)
        frames.append(frame)
    return _encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=20)


def gif_too_many_frames():
    return "5000-frames.gif", gif_frames(5000, 90), TOO_MANY


def gif_thousands_of_frames():
    return "2000-frames.gif", gif_frames(2000, 64), None


def largest_png():
    # The largest photo the archive takes (40 megapixels), with transparency: 4 bytes a pixel.
    image = Image.linear_gradient("L").resize((8000, 5000)).convert("RGBA")
    return "largest.png", _encode(image, "PNG"), None


def largest_jpeg():
    image = Image.linear_gradient("L").resize((8000, 5000)).convert("RGB")
    return "largest.jpg", _encode(image, "JPEG", quality=80), None


def cmyk_jpeg():
    return "cmyk.jpg", _encode(Image.new("CMYK", (300, 200), (0, 80, 80, 10)), "JPEG"), None


def sixteen_bit_png():
    return "16-bit.png", _encode(Image.new("I;16", (600, 400), 40000), "PNG"), None


RECIPES = [
    png_header_bomb,
    png_real_bomb,
    png_one_row_too_many,
    jpeg_header_bomb,
    webp_canvas_bomb,
    avif_header_bomb,
    gif_too_many_frames,
    gif_thousands_of_frames,
    largest_png,
    largest_jpeg,
    cmyk_jpeg,
    sixteen_bit_png,
]


def cases() -> list:
    stored = [
        pytest.param(lambda p=path: (p.name, p.read_bytes(), STORED[p.name]), id=path.name)
        for path in corpus("images")
    ]
    return stored + [pytest.param(recipe, id=recipe.__name__) for recipe in RECIPES]


def test_every_stored_file_says_what_it_must_come_to():
    assert sorted(STORED) == [p.name for p in corpus("images")]


# --- Entry points, each run in a bounded child


def upload(client: Client, name: str, data: bytes):
    response = client.post(
        "/admin/images/add/", {"title": name, "file": SimpleUploadedFile(name, data)}
    )
    return response.status_code, response.content.decode()


def run_import_command(path: Path):
    out = io.StringIO()
    try:
        call_command("import-photos", str(path), stdout=out)
    except CommandError as error:
        return out.getvalue(), str(error)
    return out.getvalue(), ""


def import_and_render(name: str, data: bytes):
    try:
        photo = import_photo(io.BytesIO(data), name=name).photo
    except PhotoRejected as refused:
        return "refused", refused.reason
    made = make_renditions([photo])
    leaked = []
    for rendition in photo.renditions.all():
        with rendition.file.open("rb") as handle:
            if b"<script" in handle.read():
                leaked.append(rendition.file.name)
    return "accepted", made, leaked


def assert_bounded(outcome, where: str):
    assert not outcome.traceback, f"{where}: {outcome.traceback}"
    assert outcome.within_bounds, f"{where}: {outcome.describe()}"


@pytest.fixture
def newsroom(db, django_user_model):
    django_user_model.objects.create_superuser("desk", "desk@example.com", "pw")
    client = Client()
    client.force_login(django_user_model.objects.get(username="desk"))
    return client


@pytest.mark.parametrize("case", cases())
def test_the_newsroom_upload(newsroom, case):
    name, data, expected = case()

    outcome = bounded(upload, newsroom, name, data)

    assert_bounded(outcome, "upload")
    status, page = outcome.value
    assert status < 500
    if expected is None:
        if name.endswith(".jpg") and b"PNG" in data[:8]:
            # Wagtail's form holds the name to the content: the desk is told, nothing stored.
            assert status == 200 and "extension does not match" in page
        else:
            assert status == 302, page[:2000]
    else:
        assert status == 200
        assert escape(name) in page
        if expected is not REFUSED:
            assert escape(expected) in page


@pytest.mark.parametrize("case", cases())
def test_the_import_command(db, tmp_path, case):
    name, data, expected = case()
    path = tmp_path / name
    path.write_bytes(data)

    outcome = bounded(run_import_command, path)

    assert_bounded(outcome, "import-photos")
    out, error = outcome.value
    if expected is None:
        assert error == "" and "imported as photo" in out, out
    else:
        assert "1 file was rejected" in error
        assert f"{name}: rejected: " in out
        if expected is not REFUSED:
            assert expected in out


@pytest.mark.parametrize("case", cases())
def test_import_and_renditions(db, case):
    name, data, expected = case()

    # Every public copy of a photo (29 of them) is made in one go: the memory bound holds for
    # all of them together, the time bound for each (the encoders' time grows with their
    # number, not with the file; on a loaded machine the set of a 6 MP photo takes 10 s).
    outcome = bounded(import_and_render, name, data, seconds=SECONDS * 30)

    assert not outcome.traceback, outcome.traceback
    assert not outcome.killed and outcome.peak_mb <= MEGABYTES, outcome.describe()
    if expected is None:
        verdict, made, leaked = outcome.value
        assert verdict == "accepted" and made > 0
        assert outcome.seconds / made <= SECONDS, outcome.describe()
        assert leaked == []  # a polyglot's HTML does not survive into a public copy
    else:
        assert outcome.seconds <= SECONDS, outcome.describe()
        verdict, reason = outcome.value[:2]
        assert verdict == "refused" and name in reason, outcome.value
        if expected is not REFUSED:
            assert expected in reason
