"""Counting reads for "most read"."""

import datetime as dt

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from dateline.fronts.models import ReadCount

# Hourly counts are kept this long, then deleted; most read looks back 24 hours.
KEEP_COUNTS = dt.timedelta(days=7)


def start_of_hour(when: dt.datetime) -> dt.datetime:
    return when.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)


def record_read(story_id: int, *, at: dt.datetime | None = None) -> None:
    """Add one read of the story ``story_id`` to the count of the hour of ``at`` (now by
    default). The caller has checked that the story is visible."""
    hour = start_of_hour(at or timezone.now())
    counts = ReadCount.objects.filter(story_id=story_id, hour=hour)
    if not counts.update(count=F("count") + 1):
        try:
            with transaction.atomic():
                ReadCount.objects.create(story_id=story_id, hour=hour, count=1)
        except IntegrityError:  # another request created the hour's row first
            counts.update(count=F("count") + 1)
    # Once an hour per process, drop counts nobody looks at any more.
    if cache.add(f"fronts:read-counts-pruned:{hour:%Y%m%d%H}", True, timeout=3600):
        ReadCount.objects.filter(hour__lt=hour - KEEP_COUNTS).delete()
