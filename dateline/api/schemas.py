"""What the read API answers with, as django-ninja schemas (and so in the OpenAPI document)."""

import datetime as dt

from ninja import Schema

from dateline.articles.models import ArticlePage
from dateline.articles.structured_data import absolute
from dateline.syndication import content


class EditionOut(Schema):
    language: str
    name: str
    tagline: str
    time_zone: str
    url: str


class SectionOut(Schema):
    slug: str
    name: str
    url: str


class TagOut(Schema):
    slug: str
    name: str


class PersonOut(Schema):
    slug: str
    name: str
    url: str


class RenditionOut(Schema):
    name: str
    href: str
    width: int
    height: int
    content_type: str


class PhotoOut(Schema):
    id: int
    uri: str
    title: str
    caption: str
    alt_text: str
    credit: str
    copyright_notice: str
    photographer: str | None
    agency: str
    licence_url: str
    width: int
    height: int
    page_url: str
    renditions: list[RenditionOut]
    ninjs_url: str
    newsml_url: str


class CorrectionOut(Schema):
    kind: str
    text: str
    published_at: dt.datetime


class StoryOut(Schema):
    id: int
    uri: str
    url: str
    edition: str
    kind: str
    headline: str
    standfirst: str
    section: SectionOut
    further_sections: list[SectionOut]
    tags: list[TagOut]
    bylines: list[PersonOut]
    dateline: str
    published_at: dt.datetime
    modified_at: dt.datetime
    lead_photo: PhotoOut | None
    ninjs_url: str
    ninjs3_url: str
    newsml_url: str


class StoryDetailOut(StoryOut):
    body_html: str
    photos: list[PhotoOut]
    corrections: list[CorrectionOut]


class StoryPage(Schema):
    items: list[StoryOut]
    next_cursor: str | None
    next: str | None


class PhotoPage(Schema):
    items: list[PhotoOut]
    next_cursor: str | None
    next: str | None


class NewsfeedItem(Schema):
    id: int
    headline: str
    url: str
    section: str
    kind: str
    published_at: dt.datetime
    api_url: str


class ErrorOut(Schema):
    detail: str


# --- building them


def edition_out(edition) -> dict:
    return {
        "language": edition.language_code,
        "name": edition.site_name,
        "tagline": edition.tagline,
        "time_zone": edition.time_zone,
        "url": absolute(f"/{edition.slug}/"),
    }


def section_out(section) -> dict:
    return {"slug": section.slug, "name": section.name, "url": absolute(section.url)}


def photo_out(photo, caption: str = "") -> dict:
    use = content.PhotoUse("picture", photo, caption or photo.caption)
    return {
        "id": photo.pk,
        "uri": content.photo_guid(photo),
        "title": photo.title,
        "caption": use.caption,
        "alt_text": photo.default_alt_text,
        "credit": photo.credit_line,
        "copyright_notice": photo.copyright_notice,
        "photographer": use.photographer or None,
        "agency": photo.agency,
        "licence_url": photo.licence_url,
        "width": photo.width,
        "height": photo.height,
        "page_url": use.page_url,
        "renditions": [
            {
                "name": r.name,
                "href": r.href,
                "width": r.width,
                "height": r.height,
                "content_type": r.content_type,
            }
            for r in use.renditions
        ],
        "ninjs_url": absolute(f"/api/photos/{photo.pk}.ninjs.json"),
        "newsml_url": absolute(f"/api/photos/{photo.pk}.newsml.xml"),
    }


def story_out(story: ArticlePage) -> dict:
    edition = story.edition
    return {
        "id": story.pk,
        "uri": content.story_guid(story),
        "url": absolute(story.url),
        "edition": edition.language_code,
        "kind": story.kind,
        "headline": story.title,
        "standfirst": story.standfirst,
        "section": section_out(story.primary_section),
        "further_sections": [section_out(s) for s in story.further_sections.all()],
        "tags": [{"slug": t.slug, "name": t.name} for t in story.tags.all()],
        "bylines": [
            {
                "slug": b.person.slug,
                "name": b.person.name,
                "url": absolute(b.person.url_in(edition)),
            }
            for b in story.bylines.all()
        ],
        "dateline": story.dateline_text.rstrip(" –"),
        "published_at": story.published_at,
        "modified_at": content.last_change(story),
        "lead_photo": photo_out(story.lead_photo, story.caption) if story.lead_photo else None,
        "ninjs_url": absolute(f"/api/stories/{story.pk}.ninjs.json"),
        "ninjs3_url": absolute(f"/api/stories/{story.pk}.ninjs3.json"),
        "newsml_url": absolute(f"/api/stories/{story.pk}.newsml.xml"),
    }


def story_detail_out(story: ArticlePage) -> dict:
    from lxml import etree

    elements = content.body_elements(story)
    return story_out(story) | {
        "body_html": "".join(
            etree.tostring(el, method="html", encoding="unicode") for el in elements
        ),
        "photos": [photo_out(use.photo, use.caption) for use in content.photo_uses(story)],
        "corrections": [
            {"kind": c.kind, "text": c.text, "published_at": c.published_at}
            for c in story.corrections.all()
        ],
    }
