"""The blocks a story's body is made of."""

import copy
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

PARAGRAPH_FEATURES = ["bold", "italic", "link"]


def in_body_order(objects: dict, values: list) -> list:
    """Return ``objects`` (by id) in the order of the ids ``values``, None where one is
    missing, a copy for an id met again (the contract of Wagtail's ChooserBlock.bulk_to_python).
    """
    result, seen = [], set()
    for pk in values:
        obj = objects.get(pk)
        result.append(copy.copy(obj) if obj is not None and pk in seen else obj)
        seen.add(pk)
    return result


class PhotoChooserBlock(ImageChooserBlock):
    """A photo in the body: loaded with its photographer (the credit line), all the body's
    photos in one query."""

    def bulk_to_python(self, values):
        return in_body_order(
            self.model_class.objects.select_related("photographer").in_bulk(values), values
        )


class StoryChooserBlock(blocks.PageChooserBlock):
    """A story a card or a link points at: loaded with what its card shows and whether readers
    may see it (``readable``), all the body's choices of a block type in one query, so that
    the story page does not load them again for its cards (queries.story_cards_for)."""

    def bulk_to_python(self, values):
        stories = self.model_class.objects.with_readable().for_cards().prefetch_related(None)
        return in_body_order(stories.in_bulk(values), values)


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(label=_("attribution"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        template = "articles/blocks/quote.html"
        label = _("Quote")


class ImageBlock(blocks.StructBlock):
    photo = PhotoChooserBlock(label=_("photo"))
    caption = blocks.CharBlock(
        label=_("caption"),
        required=False,
        max_length=500,
        help_text=_("Leave empty to use the photo's own caption."),
    )

    class Meta:
        icon = "image"
        template = "articles/blocks/image.html"
        label = _("Image")


class RelatedStoryBlock(blocks.StructBlock):
    """A card for another story: its photo, section and headline, where the editor puts it."""

    story = StoryChooserBlock(page_type="articles.ArticlePage", label=_("story"))

    class Meta:
        icon = "doc-full"
        template = "articles/blocks/related_story.html"
        label = _("Related story card")


class ReadMoreBlock(blocks.StructBlock):
    story = StoryChooserBlock(page_type="articles.ArticlePage", label=_("story"))
    label = blocks.CharBlock(
        label=_("label"),
        required=False,
        max_length=60,
        help_text=_('Defaults to "Read more".'),
    )

    class Meta:
        icon = "link"
        template = "articles/blocks/read_more.html"
        label = _("Read-more link")


# Hosts whose players we frame; anything else is shown as a link to the original.
FRAMED_PLAYERS = {
    "www.youtube.com": "youtube",
    "youtube.com": "youtube",
    "youtu.be": "youtube",
    "vimeo.com": "vimeo",
}


class EmbedValue(blocks.StructValue):
    def host(self) -> str:
        return urlsplit(self["url"]).hostname or ""

    def player_url(self) -> str:
        """Return the privacy-friendly player address for a known video host, else ''."""
        parts = urlsplit(self["url"])
        kind = FRAMED_PLAYERS.get(parts.hostname or "")
        if kind == "youtube":
            if parts.hostname == "youtu.be":
                video = parts.path.strip("/")
            else:
                query = dict(p.split("=", 1) for p in parts.query.split("&") if "=" in p)
                video = query.get("v", "")
            if video.replace("-", "").replace("_", "").isalnum():
                return f"https://www.youtube-nocookie.com/embed/{video}"
        if kind == "vimeo":
            video = parts.path.strip("/").split("/")[0]
            if video.isdigit():
                return f"https://player.vimeo.com/video/{video}"
        return ""


class EmbedBlock(blocks.StructBlock):
    """Outside content by address. No oEmbed fetch happens: video players we know are framed
    (click-free, no cookies), anything else becomes a link card."""

    url = blocks.URLBlock(label=_("address"))
    title = blocks.CharBlock(label=_("title"), required=False, max_length=200)
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=500)

    class Meta:
        icon = "media"
        template = "articles/blocks/embed.html"
        label = _("Embed")
        value_class = EmbedValue


class StoryBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        features=PARAGRAPH_FEATURES,
        label=_("Paragraph"),
        template="articles/blocks/paragraph.html",
    )
    quote = QuoteBlock()
    image = ImageBlock()
    related = RelatedStoryBlock()
    read_more = ReadMoreBlock()
    embed = EmbedBlock()
