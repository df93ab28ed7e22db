"""The screenshot comparison: what it lets through and what it catches."""

import io

from PIL import Image, ImageDraw

from . import imagediff


def page(offset=0, noise=0, height=400) -> Image.Image:
    """A page-like image: a white page with a dark block (a photo) and a line of 'text'."""
    image = Image.new("RGB", (300, height), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20 + offset, 140, 120 + offset), fill=(40, 50, 70))
    draw.rectangle((160, 30, 280, 36), fill=(20 + noise, 20 + noise, 20 + noise))
    return image


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_a_screenshot_matches_its_own_baseline_and_slight_colour_noise():
    baseline = imagediff.shrink(png(page()))
    assert imagediff.compare(baseline, imagediff.shrink(png(page()))).matches
    assert imagediff.compare(baseline, imagediff.shrink(png(page(noise=12)))).matches


def test_a_moved_block_fails_and_the_diff_shows_where_in_red():
    result = imagediff.compare(imagediff.shrink(png(page())), imagediff.shrink(png(page(30))))
    assert not result.matches
    assert result.fraction > 0.05
    # The block's old and new edges are red in the diff; the page far from it is not.
    assert result.diff.getpixel((80, 30)) == (230, 0, 0)
    assert result.diff.getpixel((250, 300)) != (230, 0, 0)


def test_a_page_that_grew_fails_even_where_the_pixels_are_alike():
    # One more row of a 1,000-row page is less than the pixels allowed to differ.
    result = imagediff.compare(
        imagediff.shrink(png(page(height=1000))), imagediff.shrink(png(page(height=1001)))
    )
    assert result.fraction < imagediff.ALLOWED_FRACTION
    assert not result.matches
    assert result.diff.size == (300, 1001)
