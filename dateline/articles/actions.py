"""State changes of stories that have side effects. Each runs in one transaction; what other
apps must do afterwards (live events, purges, search) hangs on the ``story_published`` signal,
which is sent only after the transaction commits."""

import datetime as dt

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from wagtail.models import Page

from dateline.articles.models import ArchivePage, ArticlePage

# Sent after commit with ``story`` (an ArticlePage) when a story becomes visible to readers.
story_published = Signal()


def file_story(edition, when: dt.datetime) -> ArchivePage:
    """Return the day bucket of ``edition`` for ``when`` (in the edition's timezone), creating
    the year, month and day pages that are missing."""
    local = timezone.localtime(when, edition.tzinfo)
    # Fetched afresh: the tree code works out a new child's place from the parent's row.
    parent: Page = Page.objects.get(pk=edition.pk)
    levels = [
        (str(local.year), {"year": local.year}, str(local.year)),
        (f"{local.month:02d}", {"year": local.year, "month": local.month}, local.strftime("%Y-%m")),
        (
            f"{local.day:02d}",
            {"year": local.year, "month": local.month, "day": local.day},
            local.date().isoformat(),
        ),
    ]
    for slug, fields, title in levels:
        bucket = ArchivePage.objects.child_of(parent).filter(slug=slug).first()
        if bucket is None:
            bucket = parent.add_child(
                instance=ArchivePage(
                    title=title, slug=slug, locale_id=edition.locale_id, live=True, **fields
                )
            )
        parent = bucket
    return parent


def publish_story(story: ArticlePage, *, at: dt.datetime | None = None, user=None) -> ArticlePage:
    """Publish ``story``'s current content.

    With ``at`` in the future the story is scheduled: it stays invisible everywhere until then,
    when Wagtail's scheduler publishes it. With ``at`` in the past (an import of older stories)
    that becomes its publication time. Returns the story as stored.
    """
    with transaction.atomic():
        if at is not None and at > timezone.now():
            story.go_live_at = at
        story.save_revision(user=user, log_action=True).publish(user=user)
        if at is not None and at <= timezone.now():
            ArticlePage.objects.filter(pk=story.pk).update(published_at=at)
            Page.objects.filter(pk=story.pk).update(first_published_at=at, last_published_at=at)
    return ArticlePage.objects.get(pk=story.pk)


def announce_published(story_id: int) -> None:
    """Tell the other apps, once the transaction has committed, that a story went live."""

    def send():
        story = ArticlePage.objects.filter(pk=story_id).first()
        if story is not None and story.live:
            story_published.send(sender=ArticlePage, story=story)

    transaction.on_commit(send)
