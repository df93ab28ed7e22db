"""When the page cache is purged, and of what.

Purges are by surrogate key, not by address. Every page of an edition carries the edition's
newsfeed (its latest headlines), the breaking-news banner and the strip of open live coverage,
and fronts, sections, tags, author pages, archives, feeds and sitemaps all list stories: a
story that is published, updated, corrected, unpublished or withdrawn can show on any page of
its edition, under addresses no list of URLs would name (page 7 of a tag, a feed with a query).
So a story's change purges its edition (``edition:<lang>``) and the pages outside the editions
(``global``: the sitemap index); a new live entry purges its coverage page alone
(``page:<id>``), which is what changes many times a minute during a breaking story. Sections,
people, places and photos are edited rarely and show everywhere: they purge everything.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from taggit.models import Tag
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from dateline.articles.actions import story_withdrawn
from dateline.editions.translations import translation_ids
from dateline.live.models import BreakingNews, LiveEntry
from dateline.mediabank.models import Photo
from dateline.pagecache.actions import purge
from dateline.pagecache.keys import EVERYTHING, GLOBAL, edition_key, page_key
from dateline.people.models import Person
from dateline.sections.models import Place, Section


def purge_page_edition(page) -> None:
    locale = getattr(page, "locale", None)
    keys = [GLOBAL, page_key(page.pk)]
    if locale is not None:
        keys.append(edition_key(locale.language_code))
    # Its translations in other editions link to it (language switcher, "Also in", hreflang).
    keys += [page_key(pk) for pk in translation_ids(page)]
    purge(keys)


@receiver(page_published)
@receiver(page_unpublished)
def page_changed(sender, instance, **kwargs):
    purge_page_edition(instance)


@receiver(story_withdrawn)
def story_was_withdrawn(sender, story, **kwargs):
    purge_page_edition(story)


@receiver(post_delete)
def page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        purge_page_edition(instance)


@receiver(post_save, sender=BreakingNews)
@receiver(post_delete, sender=BreakingNews)
def breaking_news_changed(sender, instance, **kwargs):
    purge([edition_key(instance.edition.language_code)])


@receiver(post_save, sender=LiveEntry)
@receiver(post_delete, sender=LiveEntry)
def live_entry_changed(sender, instance, **kwargs):
    purge([page_key(instance.coverage_id)])


@receiver(post_save, sender=Section)
@receiver(post_delete, sender=Section)
@receiver(post_save, sender=Person)
@receiver(post_delete, sender=Person)
@receiver(post_save, sender=Place)
@receiver(post_delete, sender=Place)
@receiver(post_save, sender=Tag)
@receiver(post_delete, sender=Tag)
@receiver(post_delete, sender=Photo)
def shown_everywhere_changed(sender, instance, **kwargs):
    purge([EVERYTHING])


@receiver(post_save, sender=Photo)
def photo_changed(sender, instance, created, **kwargs):
    # A new photo is on no page yet; an edited one (caption, credit) may be on any.
    if not created:
        purge([EVERYTHING])
