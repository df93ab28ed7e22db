from django.db.models import Q
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from dateline.articles.actions import announce_published
from dateline.articles.listings import sync_listings
from dateline.articles.models import ArticlePage
from dateline.mediabank.models import Photo
from dateline.mediabank.renditions import ensure_renditions


def make_story_renditions(story: ArticlePage) -> int:
    """Make the public copies that ``story``'s page and its cards ask for and that are
    missing: of its lead photo, the photos in its body and the lead photos of the stories its
    related cards show. Return how many were made now (none when its photos came in through
    import_photo or an upload, which make them; see ensure_renditions)."""
    ids = story.referenced_photos()
    cards = [
        block.value["story"].pk
        for block in story.body
        if block.block_type in ("related", "read_more") and block.value["story"]
    ]
    query = Q(pk__in=ids)
    if cards:
        query |= Q(pk__in=ArticlePage.objects.filter(pk__in=cards).values("lead_photo_id"))
    return ensure_renditions(Photo.objects.filter(query))


@receiver(page_published, sender=ArticlePage)
def on_story_published(sender, instance, **kwargs):
    # Wagtail sends this for every publish: an editor's, an import's, the scheduler's (and
    # when a revision is only scheduled: its copies are then ready before it goes live).
    # The copies first, synchronously: readers learn of the story after this.
    make_story_renditions(instance)
    sync_listings([instance.pk])
    announce_published(instance.pk)


@receiver(page_unpublished, sender=ArticlePage)
def on_story_unpublished(sender, instance, **kwargs):
    sync_listings([instance.pk])
