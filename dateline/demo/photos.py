"""Generated demo photos: landscapes drawn from a file name, so that the demo needs no
photos from elsewhere and the same name always gives the same picture."""

import hashlib
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

WIDTH, HEIGHT = 1600, 1000

PALETTES = [
    ((23, 42, 84), (236, 150, 92)),  # dusk
    ((70, 130, 180), (200, 225, 240)),  # clear day
    ((40, 40, 56), (120, 110, 140)),  # overcast
    ((12, 20, 40), (60, 80, 140)),  # night
    ((120, 160, 200), (250, 220, 170)),  # morning
    ((90, 60, 110), (240, 170, 120)),  # sunset
]


def _mix(a, b, t):
    return tuple(int(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def draw_photo(name: str) -> Image.Image:
    """Return a landscape picture that depends only on ``name``."""
    rng = random.Random(hashlib.sha256(name.encode()).digest())
    top, bottom = rng.choice(PALETTES)
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    for y in range(HEIGHT):
        draw.line([(0, y), (WIDTH, y)], fill=_mix(top, bottom, y / HEIGHT))
    # A sun or moon.
    cx, cy, r = rng.randint(200, WIDTH - 200), rng.randint(120, HEIGHT // 2), rng.randint(40, 110)
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=_mix(bottom, (255, 250, 230), 0.7))
    # Ranges of hills, further ones paler.
    for layer in range(rng.randint(2, 4)):
        base = HEIGHT * (0.55 + 0.12 * layer)
        shade = _mix((20, 30, 35), bottom, 0.55 - 0.15 * layer)
        points = [(0, HEIGHT)]
        x = 0
        while x <= WIDTH:
            points.append((x, base - rng.randint(0, 140)))
            x += rng.randint(80, 220)
        points += [(WIDTH, base - rng.randint(0, 100)), (WIDTH, HEIGHT)]
        draw.polygon(points, fill=shade)
    # A skyline in front, sometimes.
    if rng.random() < 0.6:
        x = rng.randint(0, 200)
        while x < WIDTH:
            w, h = rng.randint(40, 120), rng.randint(80, 360)
            draw.rectangle([x, HEIGHT - h, x + w, HEIGHT], fill=(18, 20, 26))
            for wy in range(HEIGHT - h + 12, HEIGHT - 10, 24):
                for wx in range(x + 8, x + w - 8, 18):
                    if rng.random() < 0.3:
                        draw.rectangle([wx, wy, wx + 6, wy + 10], fill=(250, 214, 120))
            x += w + rng.randint(4, 40)
    return image.filter(ImageFilter.GaussianBlur(0.6))


def make_photo(path: Path) -> bool:
    """Write the picture for ``path``'s name to ``path`` unless it exists; return whether
    it was written."""
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    draw_photo(path.stem).save(path, "JPEG", quality=85, optimize=True)
    return True
