"""State changes of stories that have side effects. Each runs in one transaction; what other
apps must do afterwards (live events, purges, search) hangs on the ``story_published`` signal,
which is sent only after the transaction commits."""

import datetime as dt

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Page

from dateline.articles.listings import sync_listings
from dateline.articles.models import ArchivePage, ArticlePage

# Sent after commit with ``story`` (an ArticlePage) when a story becomes visible to readers.
story_published = Signal()
# Sent after commit with ``story`` when a story is withdrawn: it has left every public surface.
story_withdrawn = Signal()
WITHDRAW_ACTION = "dateline.withdraw"


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
            sync_listings([story.pk])
    return ArticlePage.objects.get(pk=story.pk)


def announce_published(story_id: int) -> None:
    """Tell the other apps, once the transaction has committed, that a story went live."""

    def send():
        # Wagtail also sends page_published when it only schedules a revision; a story under
        # embargo or withdrawn is not visible either. Only a story readers now see is news.
        story = ArticlePage.objects.visible().filter(pk=story_id).first()
        if story is not None:
            story_published.send(sender=ArticlePage, story=story)

    transaction.on_commit(send)


def withdraw_story(story: ArticlePage, *, user=None, reason: str = "") -> ArticlePage:
    """Withdraw ``story`` for good: take it off every public surface, cancel any scheduled
    publication, and keep it in the newsroom marked withdrawn (when, by whom, ``reason``).

    Its address then answers 410 Gone with a notice, if readers ever saw it (404 if not).
    The caller checks that ``user`` may do this (newsroom.access.can_withdraw). Withdrawing a
    story twice changes nothing. Returns the story as stored.
    """
    with transaction.atomic():
        story = ArticlePage.objects.select_for_update().get(pk=story.pk)
        if story.withdrawn_at:
            return story
        now = timezone.now()
        story.revisions.update(approved_go_live_at=None)
        ArticlePage.objects.filter(pk=story.pk).update(
            withdrawn_at=now, withdrawn_by=user, withdrawal_reason=reason, go_live_at=None
        )
        story.refresh_from_db()
        if story.live:
            # Permission was checked by the caller; the withdrawal is what gets logged.
            story.unpublish(log_action=False)
        log(instance=story, action=WITHDRAW_ACTION, user=user, data={"reason": reason})
        transaction.on_commit(lambda: story_withdrawn.send(sender=ArticlePage, story=story))
    return ArticlePage.objects.get(pk=story.pk)
