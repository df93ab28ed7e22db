"""The public copies (renditions) of photos: every size and format a public page, a feed or a
partner export asks for, named in one place, and made ahead of readers.

Templates ask for them by name (``{% photo_picture photo "card" … %}``, ``{% photo_image … %}``
in ``mediabank/templatetags/photos.py``) and code through ``rendition(photo, name)``. Nothing
else names a filter spec, so what is made ahead (``make_renditions``) is exactly what pages
ask for: when a photo is added or its file or focal point changes (``signal_handlers``), and
again, for the story's photos, when a story is published (``articles.signal_handlers``), a
reader never waits for an image to be resized and encoded.

A size larger than the photo is not made twice: Wagtail never enlarges, so ``width-2400`` of a
photo 1600 pixels wide would be a second copy at 1600, and a second srcset candidate with the
same width. ``specs(photo, name)`` leaves such a spec out, for the templates and for
``make_renditions`` alike.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from wagtail.images.models import Filter, SourceImageIOError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class NamedRendition:
    """One use of a photo: its sizes (Wagtail resize operations, smallest first) in each of
    its formats (the first formats are offered to browsers that read them, the last is the
    fallback every browser reads)."""

    sizes: tuple[str, ...]
    formats: tuple[str, ...] = ("webp", "jpeg")
    purpose: str = ""

    def all_specs(self) -> list[str]:
        """Every filter spec of this use, as Wagtail's picture tag would spell them: format
        first, so that the same copy asked for by two uses is one rendition."""
        return [f"format-{fmt}|{size}" for fmt in self.formats for size in self.sizes]


RENDITIONS: dict[str, NamedRendition] = {
    # Story pages.
    "story_lead": NamedRendition(
        ("width-480", "width-800", "width-1200", "width-1600"),
        purpose="a story's lead photo",
    ),
    "story_photo": NamedRendition(
        ("width-480", "width-800", "width-1200"), purpose="a photo in a story's body"
    ),
    "share": NamedRendition(
        ("fill-1200x675",),
        formats=("jpeg",),
        purpose="og:image, feeds' media:content, the Google News sitemap",
    ),
    "live_entry": NamedRendition(
        ("width-800",), formats=("jpeg",), purpose="a photo in a live entry"
    ),
    # Cards on fronts and lists.
    "card_lead": NamedRendition(
        ("fill-480x270", "fill-800x450", "fill-1200x675"), purpose="a front's lead card"
    ),
    "card": NamedRendition(("fill-320x180", "fill-640x360"), purpose="a story card"),
    "related_card": NamedRendition(
        ("fill-240x160", "fill-480x320"), purpose="a related-story card inside a story"
    ),
    # The media bank.
    "bank_thumbnail": NamedRendition(
        ("fill-320x240", "fill-640x480"), purpose="the media bank's and a photographer's grid"
    ),
    "bank_photo": NamedRendition(
        ("width-800", "width-1600", "width-2400"), purpose="a photo's own page"
    ),
    "bank_licence": NamedRendition(("width-480", "width-800"), purpose="the licence request"),
    "bank_structured_data": NamedRendition(
        ("max-1600x1600",), formats=("jpeg",), purpose="a photo page's ImageObject"
    ),
    # Partner exports (ninjs, NewsML-G2), by IPTC rendition name.
    "partner_web": NamedRendition(("width-1200",), formats=("jpeg",), purpose="ninjs, NewsML-G2"),
    "partner_thumbnail": NamedRendition(
        ("fill-320x180",), formats=("jpeg",), purpose="ninjs, NewsML-G2"
    ),
}

_WIDTH = re.compile(r"^width-(\d+)$")
_FILL = re.compile(r"^fill-(\d+)x(\d+)(?:-c\d+)?$")


def _output_width(size: str, width: int, height: int) -> int | None:
    """Return the width Wagtail gives a copy made by ``size`` of a photo this large (it
    never enlarges), or None when it is not worked out here (every such spec is kept)."""
    if match := _WIDTH.match(size):
        return min(int(match.group(1)), width)
    if match := _FILL.match(size):
        target_width, target_height = int(match.group(1)), int(match.group(2))
        crop_width = min(width, height * target_width / target_height)
        return min(target_width, round(crop_width))
    return None


def named(name: str) -> NamedRendition:
    try:
        return RENDITIONS[name]
    except KeyError:
        raise KeyError(f"No rendition is named {name!r}: see mediabank/renditions.py") from None


def specs(photo, name: str) -> list[str]:
    """Return the filter specs of the use ``name`` for ``photo``: all of them, less each size
    that would come out no wider than a smaller size of the same format already does."""
    use = named(name)
    width, height = getattr(photo, "width", 0) or 0, getattr(photo, "height", 0) or 0
    if not (width and height):
        return use.all_specs()
    kept = []
    for fmt in use.formats:
        widths: set[int] = set()
        for size in use.sizes:
            out = _output_width(size, width, height)
            if out is not None:
                if out in widths:
                    continue
                widths.add(out)
            kept.append(f"format-{fmt}|{size}")
    return kept


def single_spec(name: str) -> str:
    """Return the one filter spec of a use that has a single size and format."""
    found = named(name).all_specs()
    if len(found) != 1:
        raise ValueError(f"The rendition {name!r} has {len(found)} specs, not one")
    return found[0]


def rendition(photo, name: str):
    """Return ``photo``'s copy for the single-size use ``name`` (made now if it is missing)."""
    return photo.get_rendition(single_spec(name))


def photo_specs(photo) -> list[str]:
    """Return every filter spec any public page or export asks of ``photo``, each once."""
    return list(dict.fromkeys(spec for name in RENDITIONS for spec in specs(photo, name)))


def missing_specs(photo) -> list[str]:
    """Return the filter specs of ``photo`` that have no rendition yet."""
    wanted = [Filter(spec=spec) for spec in photo_specs(photo)]
    existing = {
        (spec, key) for spec, key in photo.renditions.values_list("filter_spec", "focal_point_key")
    }
    return [f.spec for f in wanted if (f.spec, f.get_cache_key(photo)) not in existing]


def make_renditions(photos: Iterable) -> int:
    """Make every public copy that ``photos`` lack (see the module's docstring); return how
    many were made. A photo whose file cannot be read is logged and skipped: its pages show
    a broken image, as they would have anyway."""
    made = 0
    for photo in photos:
        missing = missing_specs(photo)
        if not missing:
            continue
        try:
            photo.get_renditions(*missing)
        except SourceImageIOError:
            logger.warning("Photo %s: its file cannot be read; no copies made", photo.pk)
            continue
        made += len(missing)
    return made


def make_renditions_after_commit(photo) -> None:
    """Make ``photo``'s missing copies once the current transaction commits (at once outside
    one), so that a photo that is rolled back leaves no files and the work holds no lock."""
    pk = photo.pk

    def make():
        from dateline.mediabank.models import Photo

        make.done = True
        fresh = Photo.objects.filter(pk=pk).first()
        if fresh is not None:
            make_renditions([fresh])

    make.photo_pk, make.done = pk, False
    transaction.on_commit(make)


def _queued_photo_ids() -> set:
    connection = transaction.get_connection()
    return {
        func.photo_pk
        for _, func, *_ in getattr(connection, "run_on_commit", ())
        if hasattr(func, "photo_pk") and not func.done
    }


def ensure_renditions(photos: Iterable) -> int:
    """Make the copies ``photos`` lack now, except for a photo whose copies are already
    queued for this transaction's commit (one added in it): those are made then, before
    whatever is queued after them, such as the page cache's purge of a publish. Return how
    many were made now."""
    queued = _queued_photo_ids()
    return make_renditions(photo for photo in photos if photo.pk not in queued)
