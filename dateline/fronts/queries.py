"""What the home front and the section fronts show."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Sum, prefetch_related_objects
from django.utils import timezone

from dateline.articles.listings import newest_listed
from dateline.articles.models import ArticlePage, StoryListing, photo_copies
from dateline.fronts.actions import start_of_hour
from dateline.fronts.models import ReadCount

# The lead's secondaries: a row of cards under it (three fit a row at every width it has).
SECONDARY_COUNT = 3
# The "Latest" rail beside the lead shows as many of these as fit beside the lead and its
# secondaries (site.css clips the rest whole): enough for a tall lead, never a void under it.
LATEST_COUNT = 12
# How many of the newest stories the secondaries and the latest are chosen from.
LATEST_POOL = 40
RAIL_COUNT = 4
# A section front's first page: the lead, its secondaries, a grid of cards, then a list.
SECTION_GRID_COUNT = 4
RAIL_KINDS = [ArticlePage.Kind.OFFBEAT, ArticlePage.Kind.FEATURE, ArticlePage.Kind.ANALYSIS]
MOST_READ_COUNT = 5
MOST_READ_WINDOW = dt.timedelta(hours=24)
# How far back a section's listings go (its front, its pages, its feed, its "most read").
SECTION_DEPTH = 1000


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
    secondaries: list[ArticlePage] = field(default_factory=list)
    grid: list[ArticlePage] = field(default_factory=list)


def edition_stories(edition):
    return ArticlePage.objects.visible().filter(edition=edition).for_cards()


def listed_stories(edition, kind: str, target_id: int, *, newest: int = SECTION_DEPTH):
    """Return the ``newest`` visible stories of ``edition`` on a list (a section's, a tag's, a
    person's: ``StoryListing.Kind``), loaded for cards, for listing newest first."""
    ids = newest_listed(edition, kind, target_id, newest)
    # The ids are the edition's already. With the edition in the query as well, SQLite (which
    # has no statistics) would rather walk the edition's time index than look the ids up.
    return ArticlePage.objects.visible().filter(pk__in=ids).for_cards()


def section_stories(section, *, newest: int = SECTION_DEPTH):
    """Return the ``newest`` visible stories whose primary or further section is ``section``."""
    return listed_stories(section.edition_id, StoryListing.Kind.SECTION, section.pk, newest=newest)


def home_front(edition) -> Front:
    """Return the home front: the newest top story (else the newest story), the news and
    opinion after it (the first few as its secondaries, the rest as the latest), and a rail
    per kind."""
    # The lists are read without the edition (every story here is the edition's: it is set on
    # each at the end, rather than built again for each story and its section) and without
    # their photos' renditions, loaded at the end for the stories shown, in one query.
    stories = (
        ArticlePage.objects.visible()
        .filter(edition=edition)
        .select_related("primary_section", "lead_photo", "lead_photo__photographer")
        .order_by("-published_at")
    )
    # One query for the newest stories (the lead among them when no story is a top story),
    # split here: the news and opinion after the lead give the secondaries and the latest, and
    # a small edition's latest is topped up with the newest of the other kinds (they still show
    # in their own rails below), so that the rail is not left half empty beside the lead.
    newest = list(stories[: LATEST_POOL + 1])
    top = stories.filter(is_top_story=True).first() or (newest[0] if newest else None)
    pool = [s for s in newest if s != top][:LATEST_POOL]
    news = [s for s in pool if s.kind in (ArticlePage.Kind.NEWS, ArticlePage.Kind.OPINION)]
    secondaries, latest = news[:SECONDARY_COUNT], news[SECONDARY_COUNT:][:LATEST_COUNT]
    shown = {s.pk for s in secondaries + latest} | ({top.pk} if top else set())
    if len(latest) < LATEST_COUNT:
        latest = [s for s in pool if s not in secondaries][:LATEST_COUNT]
    rails = [
        Rail(kind, label, list(stories.filter(kind=kind).exclude(pk__in=shown)[:RAIL_COUNT]))
        for kind, label in ((k, ArticlePage.Kind(k).label) for k in RAIL_KINDS)
    ]
    front = Front(
        top=top,
        secondaries=secondaries,
        latest=latest,
        rails=[r for r in rails if r.stories],
        most_read=most_read(stories),
    )
    cards = [*secondaries, *latest, *front.most_read, *(s for r in front.rails for s in r.stories)]
    cards += [top] if top else []
    for story in cards:
        story.edition = edition
        if story.primary_section.edition_id == edition.pk:
            story.primary_section.edition = edition
    photos = [story.lead_photo for story in cards if story.lead_photo]
    prefetch_related_objects(photos, photo_copies("renditions", "card_lead", "card"))
    return front


def section_front(section, first_page, stories=None) -> Front:
    """Return the front of ``section``: the stories of ``first_page`` (its first page of
    stories, newest first) laid out as the lead, its secondaries, a grid and the rest as the
    latest, so that page 2 goes on where the front ends; and the most read of ``stories``
    (section_stories(section) by default)."""
    stories = stories if stories is not None else section_stories(section)
    page = list(first_page)
    grid_end = 1 + SECONDARY_COUNT + SECTION_GRID_COUNT
    return Front(
        top=page[0] if page else None,
        secondaries=page[1 : 1 + SECONDARY_COUNT],
        grid=page[1 + SECONDARY_COUNT : grid_end],
        latest=page[grid_end:],
        most_read=most_read(stories),
    )


def most_read(stories, *, now=None, limit: int = MOST_READ_COUNT) -> list[ArticlePage]:
    """Return the ``stories`` (a queryset of visible stories) read most over the last 24 hours,
    most read first: the counts of the current hour and the 23 before it."""
    since = start_of_hour(now or timezone.now()) - MOST_READ_WINDOW + dt.timedelta(hours=1)
    # Start from the window's counts (bounded by readership) and check each story against
    # ``stories``: "story in (all the stories)" would read the whole archive first.
    totals = (
        ReadCount.objects.filter(
            Exists(stories.order_by().values("pk").filter(pk=OuterRef("story"))),
            hour__gte=since,
        )
        .values("story")
        .annotate(reads=Sum("count"))
        .order_by("-reads", "story")[:limit]
    )
    ids = [row["story"] for row in totals]
    loaded = stories.in_bulk(ids)
    return [loaded[pk] for pk in ids if pk in loaded]
