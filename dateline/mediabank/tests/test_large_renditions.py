"""A large original's renditions are made from a reduced decoding of it: they look the same
(size, crop around the focal point, orientation) and cost a bounded amount of memory."""

import io
import re

import pytest
from PIL import Image, ImageDraw

from dateline.mediabank.actions import import_photo
from dateline.mediabank.models import RENDITION_HEIGHT, RENDITION_WIDTH
from dateline.mediabank.renditions import RENDITIONS
from tests.hostile.bounds import bounded

RED, GREEN, BLUE = (220, 0, 0), (0, 200, 0), (0, 0, 220)


def striped(size=(6000, 4000), fmt="PNG") -> bytes:
    """Three vertical stripes: red, green, blue."""
    image = Image.new("RGB", size, RED)
    draw = ImageDraw.Draw(image)
    third = size[0] // 3
    draw.rectangle([third, 0, 2 * third, size[1]], fill=GREEN)
    draw.rectangle([2 * third, 0, size[0], size[1]], fill=BLUE)
    buffer = io.BytesIO()
    image.save(buffer, fmt, **({"quality": 80} if fmt == "JPEG" else {}))
    return buffer.getvalue()


def centre(rendition) -> tuple:
    with rendition.file.open("rb") as handle, Image.open(handle) as image:
        rgb = image.convert("RGB")
        return rgb.getpixel((rgb.width // 2, rgb.height // 2))


def close(colour, expected) -> bool:
    return all(abs(a - b) < 40 for a, b in zip(colour, expected, strict=True))


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_a_crop_of_a_large_photo_centres_on_its_focal_point(db, fmt):
    photo = import_photo(io.BytesIO(striped(fmt=fmt)), name=f"big.{fmt.lower()}").photo
    # In the green stripe, whose x doubled would land in the blue one.
    photo.focal_point_x, photo.focal_point_y = 2500, 2000
    photo.focal_point_width = photo.focal_point_height = 100
    photo.save()

    rendition = photo.get_rendition("fill-100x100-c100")

    assert (rendition.width, rendition.height) == (100, 100)
    assert close(centre(rendition), GREEN), centre(rendition)


def test_a_large_photos_renditions_keep_their_sizes(db):
    photo = import_photo(io.BytesIO(striped((7200, 4800))), name="big.png").photo
    assert (
        photo.get_rendition("width-2400").width,
        photo.get_rendition("max-1600x1600").width,
    ) == (
        2400,
        1600,
    )
    fill = photo.get_rendition("fill-1200x675")
    assert (fill.width, fill.height) == (1200, 675)


def test_the_reduced_decoding_keeps_what_the_largest_rendition_needs():
    widths, heights = [], []
    for named in RENDITIONS.values():
        for size in named.sizes:
            numbers = [int(n) for n in re.findall(r"\d+", size)]
            if size.startswith("width-"):
                widths.append(numbers[0])
            elif size.startswith("height-"):
                heights.append(numbers[0])
            else:
                widths.append(numbers[0])
                heights.append(numbers[1])
    assert max(widths) <= RENDITION_WIDTH
    assert max(heights) <= RENDITION_HEIGHT


def make(photo, spec):
    return photo.get_rendition(spec).width


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "P"])
def test_a_rendition_of_the_largest_accepted_png_stays_within_bounds(db, settings, mode):
    width, height = 8000, settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS // 8000
    image = Image.linear_gradient("L").resize((width, height)).convert(mode)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    photo = import_photo(io.BytesIO(buffer.getvalue()), name="largest.png").photo

    outcome = bounded(make, photo, "format-webp|fill-1200x675")

    assert outcome.error == "", outcome.traceback
    assert outcome.value == 1200
    assert outcome.within_bounds, outcome.describe()


def test_a_polyglots_comment_does_not_reach_its_public_copies(db):
    html = b"<html><script>alert(document.cookie)</script></html>"
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), (10, 90, 30)).save(buffer, "JPEG", comment=html)
    photo = import_photo(io.BytesIO(buffer.getvalue()), name="polyglot.jpg").photo
    for spec in ("format-jpeg|width-300", "format-webp|width-300", "format-png|width-300"):
        with photo.get_rendition(spec).file.open("rb") as handle:
            assert b"<script" not in handle.read(), spec


def test_a_16_bit_grey_png_gets_every_kind_of_public_copy(db):
    buffer = io.BytesIO()
    Image.linear_gradient("L").resize((600, 400)).convert("I").point(lambda v: v * 256).convert(
        "I;16"
    ).save(buffer, "PNG")
    photo = import_photo(io.BytesIO(buffer.getvalue()), name="grey16.png").photo
    for spec in ("format-jpeg|width-300", "format-webp|fill-100x100", "width-200"):
        rendition = photo.get_rendition(spec)
        with rendition.file.open("rb") as handle, Image.open(handle) as image:
            low, high = image.convert("L").getextrema()
            assert high - low > 100, spec  # a gradient still, not clipped to white
