"""Decide whether a file is a photo the archive may keep, before anything is stored.

The check judges a file by its content, never by its name, and decodes it completely, so that
a file which would break Wagtail's renditions later is refused at the door instead.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from PIL import Image, UnidentifiedImageError

# Pillow's names for the formats the archive keeps. MPO is how Pillow names a JPEG that
# carries a second picture (many cameras write one); it is still a JPEG file.
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "AVIF", "GIF")
FORMAT_ALIASES = {"MPO": "JPEG"}

# What a refused file most often turns out to be, by its first bytes (lower-cased), so that
# the reason can say so. An SVG may open with an XML declaration, so it is looked for first.
_KNOWN_CONTENT = (
    (b"%pdf", gettext_lazy("a PDF document")),
    (b"<svg", gettext_lazy("an SVG drawing")),
    (b"<!doctype html", gettext_lazy("an HTML page")),
    (b"<html", gettext_lazy("an HTML page")),
    (b"<?xml", gettext_lazy("an XML document")),
    (b"pk\x03\x04", gettext_lazy("a ZIP archive")),
)


class PhotoRejected(Exception):
    """A file the archive refuses; ``reason`` says why, in words an editor understands."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class CheckedImage:
    format: str  # one of ACCEPTED_FORMATS
    width: int
    height: int


def check_image(fileobj: IO[bytes], name: str) -> CheckedImage:
    """Return the format and size of the image in ``fileobj`` (called ``name`` in messages).

    Raise PhotoRejected when the file is larger than WAGTAILIMAGES_MAX_UPLOAD_SIZE, is not
    really a JPEG, PNG, WebP, AVIF or GIF, has more than WAGTAILIMAGES_MAX_IMAGE_PIXELS pixels
    (checked from its header, before decoding), or cannot be decoded to the last pixel.
    ``fileobj`` must be seekable; it is left at its start.
    """
    try:
        size = _size(fileobj)
        max_size = getattr(settings, "WAGTAILIMAGES_MAX_UPLOAD_SIZE", None)
        if max_size is not None and size > max_size:
            raise PhotoRejected(
                _("%(name)s is %(size)s, larger than the %(limit)s a photo may be.")
                % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(max_size)}
            )
        if size == 0:
            raise PhotoRejected(_("%(name)s is empty.") % {"name": name})
        return _decode(fileobj, name)
    finally:
        fileobj.seek(0)


def _size(fileobj: IO[bytes]) -> int:
    fileobj.seek(0, 2)
    size = fileobj.tell()
    fileobj.seek(0)
    return size


def _decode(fileobj: IO[bytes], name: str) -> CheckedImage:
    max_pixels = getattr(settings, "WAGTAILIMAGES_MAX_IMAGE_PIXELS", None)

    def too_many_pixels(limit: int | None, size: str) -> PhotoRejected:
        limit = limit or 0
        return PhotoRejected(
            _(
                "%(name)s has too many pixels: %(size)s, where a photo may have at most "
                "%(limit)s (%(megapixels)s megapixels). Make it smaller and send it again."
            )
            % {
                "name": name,
                "size": size,
                "limit": f"{limit:,}",
                "megapixels": f"{limit / 1_000_000:g}",
            }
        )

    # Pillow warns of a decompression bomb rather than refusing it, unless it is twice its limit;
    # the warning becomes an error here instead of lowering Pillow's global limit, which other
    # code relies on. (catch_warnings is process-wide; at worst another thread decoding at the
    # same moment sees the same warning as an error too.)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(fileobj, formats=ACCEPTED_FORMATS) as image:
                image_format = FORMAT_ALIASES.get(image.format or "", image.format or "")
                width, height = image.size
                frames = getattr(image, "n_frames", 1)
                # Counted as Wagtail counts them, so that its own upload check never disagrees.
                if max_pixels is not None and width * height * frames > max_pixels:
                    raise too_many_pixels(max_pixels, _dimensions(width, height, frames))
                for frame in range(frames):
                    image.seek(frame)
                    image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as bomb:
            # Pillow judged from the header alone; the lower limit is one the file surely breaks.
            limits = [n for n in (max_pixels, Image.MAX_IMAGE_PIXELS) if n is not None]
            declared = re.search(r"\((\d+) pixels\)", str(bomb))
            size = (
                f"{int(declared.group(1)):,}"
                if declared
                else _("more than %(limit)s") % {"limit": f"{Image.MAX_IMAGE_PIXELS:,}"}
            )
            raise too_many_pixels(min(limits, default=None), size) from None
        except UnidentifiedImageError:
            fileobj.seek(0)
            raise PhotoRejected(_not_a_photo(name, fileobj.read(512))) from None
        except PhotoRejected:
            raise
        # Pillow signals damaged data with whatever its decoder trips over (OSError for a
        # truncated file, but also ValueError, SyntaxError, struct.error, EOFError...): any of
        # them means the file cannot be shown, which is all an editor needs to know.
        except Exception:
            raise PhotoRejected(
                _("%(name)s is damaged or cut short: it cannot be read to the end.")
                % {"name": name}
            ) from None
    return CheckedImage(format=image_format, width=width, height=height)


def _dimensions(width: int, height: int, frames: int) -> str:
    if frames > 1:
        return ngettext(
            "%(frames)s frame of %(width)s × %(height)s",
            "%(frames)s frames of %(width)s × %(height)s",
            frames,
        ) % {"frames": f"{frames:,}", "width": f"{width:,}", "height": f"{height:,}"}
    return f"{width:,} × {height:,}"


def _not_a_photo(name: str, head: bytes) -> str:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<svg" in start:
        start = b"<svg"
    what = next((label for magic, label in _KNOWN_CONTENT if start.startswith(magic)), None)
    if what is not None:
        return _("%(name)s is %(what)s, not a JPEG, PNG, WebP, AVIF or GIF image.") % {
            "name": name,
            "what": what,
        }
    return _("%(name)s is not a JPEG, PNG, WebP, AVIF or GIF image.") % {"name": name}
