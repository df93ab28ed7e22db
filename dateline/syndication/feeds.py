"""RSS 2.0 and Atom feeds of an edition, its sections, tags and authors.

Each feed lists the newest visible stories with their lead photo as a Media RSS ``media:content``
(with its credit, copyright and caption), and answers a conditional GET with 304 when nothing in
it changed since the reader's copy.
"""

import hashlib

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import get_conditional_response
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext as _

from dateline.articles.models import StoryListing
from dateline.articles.queries import visible_people, visible_tags
from dateline.articles.structured_data import absolute
from dateline.fronts.queries import edition_stories, listed_stories, section_stories
from dateline.mediabank.renditions import single_spec
from dateline.sections.models import Section

FEED_SIZE = 30
# The rendition feeds carry: the story page's Open Graph image, made ahead
# (mediabank/renditions.py).
FEED_IMAGE = single_spec("share")
MEDIA_NS = "http://search.yahoo.com/mrss/"


class MediaRssMixin:
    """Add Media RSS elements (``media:content`` with credit, copyright and caption) to items
    whose ``media`` keyword holds a dict made by ``BaseStoryFeed.item_extra_kwargs``."""

    def root_attributes(self):
        attrs = super().root_attributes()
        attrs["xmlns:media"] = MEDIA_NS
        return attrs

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        media = item.get("media")
        if not media:
            return
        handler.startElement(
            "media:content",
            {
                "url": media["url"],
                "type": "image/jpeg",
                "medium": "image",
                "width": str(media["width"]),
                "height": str(media["height"]),
            },
        )
        if media["title"]:
            handler.addQuickElement("media:title", media["title"], {"type": "plain"})
        if media["caption"]:
            handler.addQuickElement("media:description", media["caption"], {"type": "plain"})
        for role, name in media["credits"]:
            attrs = {"scheme": "urn:ebu", "role": role} if role else {}
            handler.addQuickElement("media:credit", name, attrs)
        if media["copyright"]:
            handler.addQuickElement("media:copyright", media["copyright"])
        handler.endElement("media:content")


class MediaRssFeed(MediaRssMixin, Rss201rev2Feed):
    pass


class MediaAtomFeed(MediaRssMixin, Atom1Feed):
    pass


def photo_media(photo, caption: str) -> dict:
    """Return what a feed item says about ``photo``: its public copy, caption and credits."""
    rendition = photo.get_rendition(FEED_IMAGE)
    credits = []
    if photo.photographer:
        credits.append(("photographer", photo.photographer.name))
    if photo.agency:
        credits.append(("distributor", photo.agency))
    if not credits and photo.credit_line:
        credits.append(("", photo.credit_line))
    return {
        "url": absolute(rendition.url),
        "width": rendition.width,
        "height": rendition.height,
        "title": photo.title if photo.title != caption else "",
        "caption": caption,
        "credits": credits,
        "copyright": photo.copyright_notice or photo.credit_line,
    }


class BaseStoryFeed(Feed):
    """A feed of stories. Subclasses say which object the URL names (``get_object``), its
    stories (``stories``), its title, page and description, and where the feed lives
    (``feed_path``)."""

    feed_type = MediaRssFeed

    def __call__(self, request, *args, **kwargs):
        # Conditional GET: the validators come from the ids and times of the stories the feed
        # would list, one small query, so a reader polling an unchanged feed costs no rendering.
        if request.edition is None:
            raise Http404("No such edition")
        obj = self.get_object(request, *args, **kwargs)
        versions = list(
            self.newest_first(obj)
            .prefetch_related(None)
            .values_list("pk", "published_at", "last_published_at")[:FEED_SIZE]
        )
        etag, last_modified = self.validators(request, obj, versions)
        response = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if response is None:
            response = HttpResponse(content_type=self.feed_type.content_type)
            self.get_feed(obj, request).write(response, "utf-8")
        response.headers["ETag"] = etag
        if last_modified:
            response.headers["Last-Modified"] = http_date(last_modified)
        response.headers["Cache-Control"] = "public, max-age=300"
        return response

    def validators(self, request, obj, versions) -> tuple[str, float | None]:
        """Return the ETag and the Last-Modified time (a timestamp, or None for an empty feed)
        for a feed listing the stories in ``versions`` (id, published_at, last_published_at)."""
        times = [t for _pk, *pair in versions for t in pair if t]
        fingerprint = "|".join(
            [request.path, request.LANGUAGE_CODE, self.feed_type.__name__, repr(versions)]
        )
        etag = quote_etag(hashlib.sha256(fingerprint.encode()).hexdigest()[:32])
        return etag, (int(max(times).timestamp()) if times else None)

    # --- the feed

    def get_object(self, request, lang):
        return request.edition

    def stories(self, obj):
        raise NotImplementedError

    def feed_path(self, obj) -> str:
        raise NotImplementedError

    def feed_url(self, obj):
        path = self.feed_path(obj)
        return absolute(path + "atom/" if self.feed_type is MediaAtomFeed else path)

    def newest_first(self, obj):
        return self.stories(obj).order_by("-published_at", "-pk")

    def items(self, obj):
        return self.newest_first(obj).prefetch_related("bylines__person", "tags")[:FEED_SIZE]

    def feed_copyright(self, obj):
        return self.edition(obj).site_name

    def edition(self, obj):
        return obj

    # --- each story

    def item_title(self, story):
        return story.title

    def item_description(self, story):
        return story.standfirst

    def item_link(self, story):
        return absolute(story.url)

    def item_pubdate(self, story):
        return story.published_at

    def item_updateddate(self, story):
        # Corrections are published with a new revision, so last_published_at covers them.
        return max(t for t in (story.published_at, story.last_published_at) if t)

    def item_author_name(self, story):
        return ", ".join(b.person.name for b in story.bylines.all()) or None

    def item_categories(self, story):
        return [story.primary_section.name, *(tag.name for tag in story.tags.all())]

    def item_extra_kwargs(self, story):
        if not story.lead_photo:
            return {}
        return {"media": photo_media(story.lead_photo, story.caption)}


class EditionFeed(BaseStoryFeed):
    def title(self, edition):
        return edition.site_name

    def link(self, edition):
        return absolute(f"/{edition.slug}/")

    def description(self, edition):
        return edition.tagline

    def subtitle(self, edition):
        return edition.tagline

    def stories(self, edition):
        return edition_stories(edition)

    def feed_path(self, edition):
        return f"/{edition.slug}/feed/"


class SectionFeed(BaseStoryFeed):
    def get_object(self, request, lang, section_slug):
        return get_object_or_404(
            Section.objects.select_related("edition"), edition=request.edition, slug=section_slug
        )

    def edition(self, section):
        return section.edition

    def title(self, section):
        return _("%(section)s — %(site)s") % {
            "section": section.name,
            "site": section.edition.site_name,
        }

    def link(self, section):
        return absolute(section.url)

    def description(self, section):
        return section.description or section.edition.tagline

    def subtitle(self, section):
        return self.description(section)

    def stories(self, section):
        return section_stories(section)

    def feed_path(self, section):
        return f"{section.url}feed/"


class TagFeed(BaseStoryFeed):
    """The stories of an edition with a tag. The object is the pair (edition, tag)."""

    def get_object(self, request, lang, tag_slug):
        return request.edition, get_object_or_404(visible_tags(request.edition), slug=tag_slug)

    def edition(self, obj):
        return obj[0]

    def title(self, obj):
        edition, tag = obj
        return _("%(tag)s — %(site)s") % {"tag": tag.name, "site": edition.site_name}

    def link(self, obj):
        edition, tag = obj
        return absolute(f"/{edition.slug}/tags/{tag.slug}/")

    def description(self, obj):
        edition, tag = obj
        return _("Stories tagged %(tag)s") % {"tag": tag.name}

    def subtitle(self, obj):
        return self.description(obj)

    def stories(self, obj):
        edition, tag = obj
        return listed_stories(edition, StoryListing.Kind.TAG, tag.pk)

    def feed_path(self, obj):
        edition, tag = obj
        return f"/{edition.slug}/tags/{tag.slug}/feed/"


class AuthorFeed(BaseStoryFeed):
    """The stories of an edition with a person in their bylines. The object is the pair
    (edition, person)."""

    def get_object(self, request, lang, person_slug):
        return request.edition, get_object_or_404(visible_people(request.edition), slug=person_slug)

    def edition(self, obj):
        return obj[0]

    def title(self, obj):
        edition, person = obj
        return _("%(name)s — %(site)s") % {"name": person.name, "site": edition.site_name}

    def link(self, obj):
        edition, person = obj
        return absolute(person.url_in(edition))

    def description(self, obj):
        edition, person = obj
        return _("Stories by %(name)s") % {"name": person.name}

    def subtitle(self, obj):
        return self.description(obj)

    def stories(self, obj):
        edition, person = obj
        return listed_stories(edition, StoryListing.Kind.PERSON, person.pk)

    def feed_path(self, obj):
        edition, person = obj
        return f"{person.url_in(edition)}feed/"


def atom(feed_class: type[BaseStoryFeed]) -> BaseStoryFeed:
    """Return a view serving ``feed_class`` as Atom 1.0 instead of RSS 2.0."""
    return type(feed_class.__name__ + "Atom", (feed_class,), {"feed_type": MediaAtomFeed})()
