"""Readers for the demo: plausible reads of the demo stories over the last hours, counted
through the fronts app's own ``record_read``, so that "Most read" has its list on a fresh
demo as it would on a site with readers."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from django.db import transaction
from django.utils import timezone

from dateline.articles.models import ArticlePage
from dateline.editions.models import Edition
from dateline.fronts.actions import record_read

# The most read story gets about this many reads in the demo's day; the others fewer, as a
# handful of stories take most of a site's reads.
TOP_READS = 120
HOURS = 20
# Read stories per section at most: a section's most read (five stories) keeps room for a
# story a reader opens on the demo, which then shows up there.
PER_SECTION = 3


def record_demo_reads(edition: Edition, *, now: dt.datetime | None = None, seed: int = 7) -> int:
    """Record reads of some of ``edition``'s visible stories over the last ``HOURS`` hours
    (at most ``PER_SECTION`` stories of any section, primary or further), a few stories read
    much more than the rest (the same each run, from ``seed``); return how many reads were
    recorded."""
    now = now or timezone.now()
    chance = random.Random(f"{edition.slug}:{seed}")  # noqa: S311 (not for security)
    stories = list(
        ArticlePage.objects.filter(edition=edition)
        .visible(now)
        .prefetch_related("further_sections")
        .order_by("pk")
    )
    chance.shuffle(stories)
    read, per_section = [], Counter()
    for story in stories:
        sections = {story.primary_section_id} | {s.pk for s in story.further_sections.all()}
        if all(per_section[section] < PER_SECTION for section in sections):
            read.append(story.pk)
            per_section.update(sections)
    recorded = 0
    with transaction.atomic():
        for rank, story_id in enumerate(read, start=1):
            reads = max(2, round(TOP_READS / rank**0.8 * chance.uniform(0.8, 1.2)))
            for _ in range(reads):
                at = now - dt.timedelta(minutes=chance.randrange(HOURS * 60))
                record_read(story_id, at=at)
            recorded += reads
    return recorded
