"""A story's slug: made from its headline, in Latin letters whatever the edition's script,
short, cut between words, and unique within its day's bucket."""

from django.utils.text import slugify
from wagtail.coreutils import string_to_ascii
from wagtail.models import Page

# Long enough for a headline's meaning, short enough for an address people share.
SLUG_MAX_LENGTH = 80


def slug_from_headline(headline: str, max_length: int = SLUG_MAX_LENGTH) -> str:
    """Return a Latin slug for ``headline``, at most ``max_length`` characters, ending on a
    word boundary. Other scripts are transliterated with anyascii (as Wagtail's own ASCII
    names are): "Портовые краны" gives "portovye-krany", "تعود الرافعات" gives "twd-lrft"."""
    slug = slugify(string_to_ascii(headline or ""))
    if len(slug) <= max_length:
        return slug
    cut = slug[: max_length + 1]
    # Cut at the last hyphen that leaves a word whole; a single long word is cut where it must.
    boundary = cut.rfind("-")
    return (cut[:boundary] if boundary > 0 else cut[:max_length]).strip("-")


def unique_story_slug(headline: str, parent: Page, page: Page | None = None) -> str:
    """Return a slug for ``headline`` that no other page under ``parent`` (the day's bucket)
    has: the headline's slug, or it with "-2", "-3"… kept within the length."""
    base = slug_from_headline(headline) or "story"
    slug, n = base, 1
    while not Page._slug_is_available(slug, parent, page):
        n += 1
        suffix = f"-{n}"
        slug = slug_from_headline(base, SLUG_MAX_LENGTH - len(suffix)) + suffix
    return slug
