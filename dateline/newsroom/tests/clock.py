"""Moving a story's times into the past, as the clock would, so that tests need not wait."""

import datetime as dt

from django.utils import timezone

from dateline.articles.models import ArticlePage


def let_time_pass(story, *fields):
    """Move the story's scheduled times (``embargo_until``, ``go_live_at``, ``expire_at``) a
    second into the past, in its row and its latest revision, as the clock would; the
    schedule Wagtail approved moves with them."""
    past = timezone.now() - dt.timedelta(seconds=1)
    ArticlePage.objects.filter(pk=story.pk).update(**dict.fromkeys(fields, past))
    revision = ArticlePage.objects.get(pk=story.pk).latest_revision
    for name in fields:
        revision.content[name] = past.isoformat()
    revision.save()
    if "go_live_at" in fields:
        story.revisions.filter(approved_go_live_at__isnull=False).update(approved_go_live_at=past)
