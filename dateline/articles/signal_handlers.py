from django.dispatch import receiver
from wagtail.signals import page_published

from dateline.articles.actions import announce_published
from dateline.articles.models import ArticlePage


@receiver(page_published, sender=ArticlePage)
def on_story_published(sender, instance, **kwargs):
    # Wagtail sends this for every publish: an editor's, an import's, the scheduler's.
    announce_published(instance.pk)
