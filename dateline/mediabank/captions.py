"""A photo's captions in the languages the site speaks, the reader's own first.

A photo carries one caption, in the language its ``language`` field names. The stories that show
it may give it a caption of their own (a lead photo's caption, an image block's), in their
edition's language; those are the photo's captions in the other languages."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language_info


@dataclass(frozen=True)
class Caption:
    language: str  # a code of settings.LANGUAGES, or "" when unknown
    text: str

    @property
    def direction(self) -> str:
        """Return "rtl" or "ltr" for a known language, "auto" for an unknown one."""
        if not self.language:
            return "auto"
        return "rtl" if get_language_info(self.language)["bidi"] else "ltr"

    @property
    def language_name(self) -> str:
        return dict(settings.LANGUAGES).get(self.language, "")


def _story_caption(story, photo) -> str:
    """Return the caption ``story`` gives ``photo`` itself, or "" when it keeps the photo's."""
    if getattr(story, "lead_photo_id", None) == photo.pk and getattr(story, "lead_caption", ""):
        return story.lead_caption
    for block in getattr(story, "body", None) or []:
        value = block.value
        if isinstance(value, dict) or hasattr(value, "get"):
            shown = value.get("photo")
            if getattr(shown, "pk", shown) == photo.pk and value.get("caption"):
                return value["caption"]
    return ""


def photo_captions(photo, usages, reader_language: str) -> list[Caption]:
    """Return ``photo``'s captions, one per language: its own, then those that the published
    stories in ``usages`` (items with an ``edition``) give it in other languages; the caption
    in ``reader_language`` first, the others in the order of settings.LANGUAGES."""
    captions: dict[str, Caption] = {}
    if photo.caption:
        captions[photo.language] = Caption(photo.language, photo.caption)
    for story in usages:
        edition = getattr(story, "edition", None)
        # An edition's slug is its language code (Edition.clean), and needs no locale query.
        language = getattr(edition, "slug", "") or ""
        if not language or language in captions:
            continue
        text = _story_caption(story, photo)
        if text:
            captions[language] = Caption(language, text)
    order = [code for code, _name in settings.LANGUAGES]
    return sorted(
        captions.values(),
        key=lambda c: (
            c.language != reader_language,
            order.index(c.language) if c.language in order else len(order),
        ),
    )
