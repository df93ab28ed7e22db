"""Counting reads for "most read"."""

import datetime as dt

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from dateline import limits
from dateline.fronts.models import ReadCount

# Hourly counts are kept this long, then deleted; most read looks back 24 hours.
KEEP_COUNTS = dt.timedelta(days=7)
# An address's reads count once per story an hour, and for at most this many stories an hour.
READ_WINDOW_SECONDS = 3600
STORIES_PER_ADDRESS_PER_HOUR = 60


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


def count_read(story_id: int, client: str) -> bool:
    """Count a read of ``story_id`` by the client bucket ``client`` (dateline.limits): once per
    story an hour, and for at most STORIES_PER_ADDRESS_PER_HOUR stories an hour. Return False
    when the client is past that cap (nothing is counted). A repeated read is not counted and
    not refused. When the limits store is away, reads are not counted (most read can wait).
    The address is kept only as a keyed hash, in the limits store, for the hour."""
    reader = salted_hmac("dateline.fronts.reads", client).hexdigest()[:24]
    try:
        if not limits.first_time(f"read:{reader}:{story_id}", READ_WINDOW_SECONDS):
            return True
        if limits.hit(f"reads:{reader}", STORIES_PER_ADDRESS_PER_HOUR, READ_WINDOW_SECONDS):
            return False
    except limits.LimitsUnavailable:
        return True
    record_read(story_id)
    return True
