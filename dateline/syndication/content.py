"""What the partner formats (ninjs, NewsML-G2) say about a story and its photos, shared by both:
stable identifiers, the body as clean XHTML with absolute addresses, the photos with their
public copies, credits and rights.
"""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.text import slugify
from django.utils.translation import gettext
from lxml import etree
from lxml import html as lxml_html
from wagtail.rich_text import expand_db_html

from dateline.articles.models import ArticlePage
from dateline.articles.queries import story_cards_for
from dateline.articles.structured_data import absolute
from dateline.mediabank.renditions import single_spec

# Public copies offered to partners, by IPTC rendition name (named and made ahead in
# mediabank/renditions.py). Originals stay private.
RENDITIONS = {"web": single_spec("partner_web"), "thumbnail": single_spec("partner_thumbnail")}
DIGITAL_SOURCE_TYPE_CV = "http://cv.iptc.org/newscodes/digitalsourcetype/"


def tag_uri(kind: str, pk: int, since: dt.datetime) -> str:
    """Return a stable identifier (RFC 4151 tag URI) for an object of this site."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"tag:{host},{since.year}:{kind}:{pk}"


def story_guid(story: ArticlePage) -> str:
    return tag_uri("story", story.pk, story.first_published_at or story.published_at)


def photo_guid(photo) -> str:
    return tag_uri("photo", photo.pk, photo.created_at)


def story_version(story: ArticlePage) -> int:
    """Return a number that grows with each published revision of the story."""
    return story.live_revision_id or 1


def last_change(story: ArticlePage) -> dt.datetime:
    return max(t for t in (story.published_at, story.last_published_at) if t)


@dataclass
class Rendition:
    name: str
    href: str
    width: int
    height: int
    content_type: str = "image/jpeg"


@dataclass
class PhotoUse:
    """A photo as a story shows it: the role it plays, the caption the story gives it."""

    role: str  # "featureimage" for the lead photo, "image1", "image2"… for the body's
    photo: object
    caption: str

    @property
    def renditions(self) -> list[Rendition]:
        found = []
        for name, spec in RENDITIONS.items():
            rendition = self.photo.get_rendition(spec)
            found.append(
                Rendition(name, absolute(rendition.url), rendition.width, rendition.height)
            )
        return found

    @property
    def photographer(self) -> str:
        return self.photo.photographer.name if self.photo.photographer else ""

    @property
    def copyright_holder(self) -> str:
        return self.photo.agency or self.photographer

    @property
    def copyright_notice(self) -> str:
        return self.photo.copyright_notice or self.photo.credit_line

    @property
    def page_url(self) -> str:
        return absolute(self.photo.get_absolute_url())


def photo_uses(story: ArticlePage) -> list[PhotoUse]:
    """Return the lead photo and the body's photos, in the order a reader meets them, each
    once."""
    uses, seen = [], set()
    if story.lead_photo:
        uses.append(PhotoUse("featureimage", story.lead_photo, story.caption))
        seen.add(story.lead_photo.pk)
    n = 0
    for block in story.body:
        if block.block_type == "image" and block.value["photo"]:
            photo = block.value["photo"]
            if photo.pk in seen:
                continue
            seen.add(photo.pk)
            n += 1
            caption = block.value.get("caption") or photo.caption
            uses.append(PhotoUse(f"image{n}", photo, caption))
    return uses


def body_elements(story: ArticlePage) -> list[etree._Element]:
    """Return the story's body as HTML elements (no namespace) with absolute addresses:
    paragraphs, quotes, figures with caption and credit, links to related stories that readers
    can see, and embeds as links."""
    cards = story_cards_for(story)
    elements: list[etree._Element] = []
    for block in story.body:
        kind, value = block.block_type, block.value
        if kind == "paragraph":
            elements += _rich_text(value.source)
        elif kind == "quote":
            quote = etree.Element("blockquote")
            etree.SubElement(quote, "p").text = value["text"]
            if value["attribution"]:
                etree.SubElement(quote, "footer").text = value["attribution"]
            elements.append(quote)
        elif kind == "image" and value["photo"]:
            photo = value["photo"]
            rendition = photo.get_rendition(RENDITIONS["web"])
            figure = etree.Element("figure")
            etree.SubElement(
                figure,
                "img",
                src=absolute(rendition.url),
                alt=photo.default_alt_text,
                width=str(rendition.width),
                height=str(rendition.height),
            )
            caption = etree.SubElement(figure, "figcaption")
            caption.text = value.get("caption") or photo.caption
            if photo.credit_line:
                caption.text += " "
                etree.SubElement(caption, "small").text = photo.credit_line
            elements.append(figure)
        elif kind in ("related", "read_more") and value["story"]:
            card = cards.get(value["story"].pk)
            if card is None:
                continue  # not visible to readers (yet)
            paragraph = etree.Element("p", {"class": kind.replace("_", "-")})
            if kind == "read_more":
                label = etree.SubElement(paragraph, "strong")
                label.text = (value["label"] or gettext("Read more")) + ":"
                label.tail = " "
            etree.SubElement(paragraph, "a", href=absolute(card.url)).text = card.title
            elements.append(paragraph)
        elif kind == "embed":
            paragraph = etree.Element("p", {"class": "embed"})
            etree.SubElement(paragraph, "a", href=value["url"]).text = (
                value["title"] or value["url"]
            )
            if value["caption"]:
                paragraph[-1].tail = " — " + value["caption"]
            elements.append(paragraph)
    return elements


def _rich_text(source: str) -> list[etree._Element]:
    fragments = lxml_html.fragments_fromstring(expand_db_html(source) or "<p></p>")
    elements = []
    for fragment in fragments:
        if isinstance(fragment, str):
            if fragment.strip():
                p = etree.Element("p")
                p.text = fragment
                elements.append(p)
            continue
        for link in fragment.iter("a"):
            if link.get("href", "").startswith("/"):
                link.set("href", absolute(link.get("href")))
        elements.append(etree.fromstring(etree.tostring(fragment)))  # plain XML elements
    return elements


def word_count(elements: list[etree._Element]) -> tuple[int, int]:
    """Return the characters and words of the body's text, leaving out figure captions."""
    text = " ".join("".join(el.itertext()) for el in elements if el.tag != "figure")
    return len(text), len(text.split())


def located(story: ArticlePage) -> str:
    """Return the name of the story's dateline place as it is spelt ("Tokyo"): the upper case
    of the printed dateline ("TOKYO (Agency) –") is its style, not its name."""
    return story.dateline_place.name if story.dateline_place else ""


def slugline(story: ArticlePage) -> str:
    return slugify(story.slug).upper().replace("-", " ")[:64]
