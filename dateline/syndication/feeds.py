"""RSS feeds of an edition and of its sections."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from dateline.fronts.queries import edition_stories, section_stories
from dateline.sections.models import Section

FEED_SIZE = 30


class EditionFeed(Feed):
    def get_object(self, request, lang):
        if request.edition is None:
            raise Http404("No such edition")
        return request.edition

    def title(self, edition):
        return edition.site_name

    def link(self, edition):
        return f"/{edition.slug}/"

    def description(self, edition):
        return edition.tagline

    def items(self, edition):
        return edition_stories(edition).order_by("-published_at")[:FEED_SIZE]

    def item_title(self, story):
        return story.title

    def item_description(self, story):
        return story.standfirst

    def item_link(self, story):
        return story.url

    def item_pubdate(self, story):
        return story.published_at

    def item_updateddate(self, story):
        return story.modified_at

    def item_categories(self, story):
        return [story.primary_section.name]


class SectionFeed(EditionFeed):
    def get_object(self, request, lang, section_slug):
        edition = super().get_object(request, lang)
        return get_object_or_404(Section, edition=edition, slug=section_slug)

    def title(self, section):
        return _("%(section)s — %(site)s") % {
            "section": section.name,
            "site": section.edition.site_name,
        }

    def link(self, section):
        return section.url

    def description(self, section):
        return section.description or section.edition.tagline

    def items(self, section):
        return section_stories(section).order_by("-published_at")[:FEED_SIZE]
