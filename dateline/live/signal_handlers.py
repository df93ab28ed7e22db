"""What goes to the live stream, and when: always after the change has committed."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.text import Truncator
from wagtail.signals import page_published

from dateline.articles.actions import story_published
from dateline.live.channels import coverage_channel, edition_channel
from dateline.live.events import publish
from dateline.live.models import BreakingNews, LiveCoveragePage, LiveEntry
from dateline.live.newsfeed import story_item


@receiver(story_published)
def announce_story(sender, story, **kwargs):
    # Wagtail keeps the first publication time; later publishes are updates of the story.
    first = story.last_published_at is None or story.first_published_at == story.last_published_at
    publish(
        edition_channel(story.edition.language_code),
        "story" if first else "story-update",
        story_item(story),
    )


@receiver(post_save, sender=BreakingNews)
def announce_breaking(sender, instance, **kwargs):
    channel = edition_channel(instance.edition.language_code)
    if instance.ended_at is None:
        publish(channel, "breaking", {"flag": instance.pk, **story_item(instance.story)})
    else:
        publish(channel, "breaking-end", {"flag": instance.pk})


def entry_payload(entry: LiveEntry) -> dict:
    edition = entry.coverage.edition
    with translation.override(edition.language_code):
        html = render_to_string("live/entry.html", {"entry": entry, "edition": edition})
    return {
        "id": entry.pk,
        "anchor": entry.anchor,
        "html": html,
        "title": entry.title,
        "summary": entry.title or Truncator(strip_tags(entry.text)).words(12),
        "key_event": entry.is_key_event,
        "pinned": entry.is_pinned,
        "created_at": entry.created_at.isoformat(),
        "time": timezone.localtime(entry.created_at, edition.tzinfo).strftime("%H:%M"),
    }


@receiver(post_save, sender=LiveEntry)
def announce_entry(sender, instance, created, **kwargs):
    coverage = instance.coverage
    if coverage.live:
        kind = "entry" if created else "entry-update"
        publish(coverage_channel(coverage.pk), kind, entry_payload(instance))


@receiver(post_delete, sender=LiveEntry)
def announce_entry_deleted(sender, instance, **kwargs):
    coverage = LiveCoveragePage.objects.filter(pk=instance.coverage_id, live=True).first()
    if coverage is not None:
        publish(coverage_channel(coverage.pk), "entry-delete", {"id": instance.pk})


@receiver(page_published, sender=LiveCoveragePage)
def announce_coverage_state(sender, instance, **kwargs):
    if not instance.is_open:
        publish(coverage_channel(instance.pk), "ended", {"ended_at": instance.coverage_end})
