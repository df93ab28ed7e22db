"""What the home front and the section fronts show."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, Sum
from django.utils import timezone

from dateline.articles.models import ArticlePage
from dateline.fronts.actions import start_of_hour
from dateline.fronts.models import ReadCount

LATEST_COUNT = 12
RAIL_COUNT = 4
RAIL_KINDS = [ArticlePage.Kind.OFFBEAT, ArticlePage.Kind.FEATURE, ArticlePage.Kind.ANALYSIS]
MOST_READ_COUNT = 5
MOST_READ_WINDOW = dt.timedelta(hours=24)


@dataclass
class Rail:
    kind: str
    label: str
    stories: list[ArticlePage]


@dataclass
class Front:
    top: ArticlePage | None
    latest: list[ArticlePage]
    rails: list[Rail] = field(default_factory=list)
    most_read: list[ArticlePage] = field(default_factory=list)


def edition_stories(edition):
    return ArticlePage.objects.visible().filter(edition=edition).for_cards()


def section_stories(section):
    """Stories whose primary or further section is ``section``."""
    in_section = Q(primary_section=section) | Q(
        pk__in=ArticlePage.further_sections.through.objects.filter(section=section).values(
            "articlepage_id"
        )
    )
    return ArticlePage.objects.visible().filter(in_section).for_cards()


def home_front(edition) -> Front:
    """Return the home front: the newest top story (else the newest story), the latest
    stories after it, and a rail per kind."""
    stories = edition_stories(edition).order_by("-published_at")
    top = stories.filter(is_top_story=True).first() or stories.first()
    rest = stories.exclude(pk=top.pk) if top else stories
    latest = list(
        rest.filter(kind__in=[ArticlePage.Kind.NEWS, ArticlePage.Kind.OPINION])[:LATEST_COUNT]
    )
    shown = {s.pk for s in latest} | ({top.pk} if top else set())
    rails = [
        Rail(kind, label, list(stories.filter(kind=kind).exclude(pk__in=shown)[:RAIL_COUNT]))
        for kind, label in ((k, ArticlePage.Kind(k).label) for k in RAIL_KINDS)
    ]
    return Front(
        top=top,
        latest=latest,
        rails=[r for r in rails if r.stories],
        most_read=most_read(edition_stories(edition)),
    )


def section_front(section) -> Front:
    stories = section_stories(section).order_by("-published_at")
    top = stories.first()
    latest = list(stories.exclude(pk=top.pk)[:LATEST_COUNT]) if top else []
    return Front(top=top, latest=latest, most_read=most_read(section_stories(section)))


def most_read(stories, *, now=None, limit: int = MOST_READ_COUNT) -> list[ArticlePage]:
    """Return the ``stories`` (a queryset of visible stories) read most over the last 24 hours,
    most read first: the counts of the current hour and the 23 before it."""
    since = start_of_hour(now or timezone.now()) - MOST_READ_WINDOW + dt.timedelta(hours=1)
    totals = (
        ReadCount.objects.filter(hour__gte=since, story__in=stories.values("pk"))
        .values("story")
        .annotate(reads=Sum("count"))
        .order_by("-reads", "story")[:limit]
    )
    ids = [row["story"] for row in totals]
    loaded = stories.in_bulk(ids)
    return [loaded[pk] for pk in ids if pk in loaded]
