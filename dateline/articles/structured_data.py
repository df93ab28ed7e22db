"""schema.org NewsArticle for a story, as JSON-LD."""

from django.conf import settings
from django.utils.html import strip_tags

from dateline.articles.models import ArticlePage


def absolute(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else settings.SITE_URL + url


def photo_object(photo, caption: str, image_url: str) -> dict:
    data = {
        "@type": "ImageObject",
        "contentUrl": absolute(image_url),
        "url": absolute(photo.get_absolute_url()),
        "caption": caption,
        "width": photo.width,
        "height": photo.height,
    }
    if photo.credit_line:
        data["creditText"] = photo.credit_line.removeprefix("© ")
    if photo.copyright_notice:
        data["copyrightNotice"] = photo.copyright_notice
    if photo.photographer:
        data["creator"] = {"@type": "Person", "name": photo.photographer.name}
    return data


def news_article(story: ArticlePage, *, image_url: str = "") -> dict:
    """Return the NewsArticle object for ``story``; ``image_url`` is its lead photo's
    rendition as served to readers."""
    edition = story.edition
    data: dict = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": story.title[:110],
        "url": absolute(story.url),
        "mainEntityOfPage": absolute(story.url),
        "inLanguage": edition.language_code,
        "articleSection": [story.primary_section.name]
        + [s.name for s in story.further_sections.all()],
        "author": [
            {"@type": "Person", "name": b.person.name, "url": absolute(b.person.url_in(edition))}
            for b in story.bylines.all()
        ],
        "publisher": {
            "@type": "NewsMediaOrganization",
            "name": edition.site_name,
            "url": absolute(edition.url),
        },
    }
    if story.published_at:
        data["datePublished"] = story.published_at.isoformat()
    if story.modified_at:
        data["dateModified"] = story.modified_at.isoformat()
    if story.standfirst:
        data["description"] = story.standfirst
    if story.dateline_text:
        data["dateline"] = story.dateline_text.rstrip(" –")
    if story.lead_photo and image_url:
        data["image"] = photo_object(story.lead_photo, story.caption, image_url)
    keywords = [tag.name for tag in story.tags.all()]
    if keywords:
        data["keywords"] = keywords
    # schema.org's `correction` is for corrections only: update notes change dateModified.
    corrections = [c for c in story.corrections.all() if c.kind == "correction"]
    if corrections:
        data["correction"] = [correction_comment(story, c) for c in corrections]
    return data


def correction_comment(story: ArticlePage, correction) -> dict:
    """Return a correction as a schema.org CorrectionComment, addressed to its place in the
    story."""
    data = {
        "@type": "CorrectionComment",
        "text": strip_tags(correction.text),
        "datePublished": correction.published_at.isoformat(),
    }
    if correction.pk:
        data["url"] = absolute(f"{story.url}#correction-{correction.pk}")
    return data
