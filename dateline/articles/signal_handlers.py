from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from dateline.articles.actions import announce_published
from dateline.articles.listings import sync_listings
from dateline.articles.models import ArticlePage


@receiver(page_published, sender=ArticlePage)
def on_story_published(sender, instance, **kwargs):
    # Wagtail sends this for every publish: an editor's, an import's, the scheduler's.
    sync_listings([instance.pk])
    announce_published(instance.pk)


@receiver(page_unpublished, sender=ArticlePage)
def on_story_unpublished(sender, instance, **kwargs):
    sync_listings([instance.pk])
