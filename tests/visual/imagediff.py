"""Comparing a screenshot with its baseline, with Pillow.

A pixel differs when one of its channels differs by more than PIXEL_THRESHOLD (out of 255); a
screenshot matches when at most ALLOWED_FRACTION of its pixels differ. Both images go through
the same reduction before they are compared (baselines are stored reduced, see shrink), so the
reduction alone never makes a difference."""

import io
from dataclasses import dataclass

from PIL import Image, ImageChops

PIXEL_THRESHOLD = 40
ALLOWED_FRACTION = 0.002  # 0.2 % of the pixels: anti-aliasing and photo noise, not a moved block
# Baselines are stored as palette PNGs of this many colours: some tens of kilobytes a page.
COLOURS = 256


def shrink(png: bytes) -> Image.Image:
    """Return the screenshot reduced as baselines are stored: a palette of COLOURS colours,
    no dithering (so that the same input always gives the same pixels)."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return image.quantize(COLOURS, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)


def save(image: Image.Image, path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "PNG", optimize=True)


@dataclass
class Comparison:
    differing: int
    total: int
    diff: Image.Image | None  # the differing pixels in red over a faded copy of the baseline
    same_size: bool = True

    @property
    def fraction(self) -> float:
        return self.differing / self.total if self.total else 0.0

    @property
    def matches(self) -> bool:
        return self.same_size and self.fraction <= ALLOWED_FRACTION


def compare(baseline: Image.Image, actual: Image.Image) -> Comparison:
    """Compare two images. Images of different sizes never match (a page that grew or shrank);
    they are compared on the larger canvas, where what one of them lacks counts as different."""
    base, act = baseline.convert("RGB"), actual.convert("RGB")
    size = (max(base.width, act.width), max(base.height, act.height))
    if base.size != size:
        base = _padded(base, size)
    if act.size != size:
        act = _padded(act, size)
    # The largest channel difference of each pixel, then a 0/255 mask of those above the threshold.
    delta = ImageChops.difference(base, act).split()
    largest = ImageChops.lighter(ImageChops.lighter(delta[0], delta[1]), delta[2])
    mask = largest.point(lambda value: 255 if value > PIXEL_THRESHOLD else 0)
    differing = mask.histogram()[255]
    same_size = baseline.size == actual.size
    diff = None
    if differing or not same_size:
        faded = Image.blend(base, Image.new("RGB", size, "white"), 0.7)
        diff = Image.composite(Image.new("RGB", size, (230, 0, 0)), faded, mask)
    return Comparison(differing, size[0] * size[1], diff, same_size)


def _padded(image: Image.Image, size) -> Image.Image:
    canvas = Image.new("RGB", size, (255, 0, 255))
    canvas.paste(image, (0, 0))
    return canvas
