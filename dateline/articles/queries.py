"""Read-side queries over stories, each loading what its page shows in a fixed number of queries."""

import datetime as dt

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.functional import cached_property
from taggit.models import Tag

from dateline.articles.models import (
    ArchivePage,
    ArticlePage,
    ArticleTag,
    Byline,
    Correction,
)
from dateline.editions.models import Edition
from dateline.people.models import Person

PAGE_SIZE = 20
# Listings of stories (the archive, sections, tags, authors) go back this many pages: counting
# every story of a large archive, or skipping to its far end with OFFSET, reads every row on
# the way. Older stories are in the date archives (/en/2019/03/), one period at a time.
MAX_PAGES = 50


class CappedPaginator(Paginator):
    """A paginator that counts at most ``max_pages`` pages of a queryset (the newest rows, as
    ordered), so that its cost does not grow with the table."""

    def __init__(self, object_list, per_page, max_pages: int = MAX_PAGES, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.max_pages = max_pages

    @cached_property
    def count(self) -> int:
        if not isinstance(self.object_list, QuerySet):
            return super().count
        return self.object_list.values("pk")[: self.per_page * self.max_pages].count()


def paginate(queryset, page_number, per_page: int = PAGE_SIZE) -> PaginatorPage:
    """Return the requested page of ``queryset``, up to MAX_PAGES pages back; a bad or
    out-of-range number gives the nearest valid page rather than an error."""
    return CappedPaginator(queryset, per_page).get_page(page_number)


def stories_using_photo(photo) -> list[ArticlePage]:
    """Return the published stories that show ``photo``, newest first."""
    return list(
        ArticlePage.objects.visible()
        .filter(photos=photo)
        .select_related("edition")
        .order_by("-published_at")[:50]
    )


def photos_in_visible_stories(section=None):
    """Return a queryset of the ids of the photos that published stories show (stories of
    ``section``, primary or further, when given)."""
    stories = ArticlePage.objects.visible()
    if section is not None:
        stories = stories.filter(Q(primary_section=section) | Q(further_sections=section))
    return ArticlePage.photos.through.objects.filter(articlepage__in=stories.values("pk")).values(
        "photo_id"
    )


def story_cards_for(article: ArticlePage) -> dict[int, ArticlePage]:
    """Return the visible stories that ``article``'s related cards and read-more links point
    at, keyed by id, loaded for cards but for their photos' renditions (the story page loads
    the few it shows with its own photos'). Stories not (yet) visible are left out, so their
    cards do not show."""
    chosen = {
        block.value["story"].pk: block.value["story"]
        for block in article.body
        if block.block_type in ("related", "read_more") and block.value["story"]
    }
    if any(not hasattr(story, "readable") for story in chosen.values()):
        # Chosen in a form (the preview of unsaved changes), not loaded by StoryChooserBlock.
        cards = ArticlePage.objects.with_readable().for_cards().prefetch_related(None)
        chosen = cards.in_bulk(list(chosen))
    return {pk: story for pk, story in chosen.items() if story.readable}


def period_bounds(archive: ArchivePage, tz) -> tuple[dt.datetime, dt.datetime]:
    """Return the start and end (exclusive) of the year, month or day of ``archive`` in the
    timezone ``tz``, as aware datetimes."""
    year, month, day = archive.year, archive.month or 1, archive.day or 1
    start = dt.date(year, month, day)
    if archive.day:
        end = start + dt.timedelta(days=1)
    elif archive.month:
        end = dt.date(year + month // 12, month % 12 + 1, 1)
    else:
        end = dt.date(year + 1, 1, 1)
    return (
        timezone.make_aware(dt.datetime.combine(start, dt.time()), tz),
        timezone.make_aware(dt.datetime.combine(end, dt.time()), tz),
    )


def stories_in_period(archive: ArchivePage, page_number, edition=None) -> PaginatorPage:
    """Return a page of ``edition``'s visible stories published in the year, month or day of
    the date bucket ``archive`` (in the edition's timezone), newest first.

    Stories are filed under the day they are first filed, so this is the same list as the
    bucket's descendants but for a story published on another day than it was filed; it reads
    the edition's time index over the period instead of every story of a year in the tree
    (``descendant_of`` is a path prefix match, which SQLite cannot serve from an index, and a
    year of a large archive holds a hundred thousand stories to sort)."""
    if edition is None or not archive.path.startswith(edition.path):
        edition = Edition.objects.get(
            path=archive.path[: -_bucket_level(archive) * archive.steplen]
        )
    start, end = period_bounds(archive, edition.tzinfo)
    stories = ArticlePage.objects.visible().filter(
        edition_id=edition.pk, published_at__gte=start, published_at__lt=end
    )
    return paginate(stories.for_cards().order_by("-published_at"), page_number)


def _bucket_level(archive: ArchivePage) -> int:
    """Return how many levels below its edition ``archive`` is: 1 for a year, 3 for a day."""
    return 1 + (archive.month is not None) + (archive.day is not None)


def corrections_in(edition, now=None):
    """Return the corrections and update notes of ``edition``'s visible stories whose time has
    come, newest first, each with its story loaded."""
    now = now or timezone.now()
    return (
        Correction.objects.filter(
            article__in=ArticlePage.objects.visible(now).filter(edition=edition).values("pk"),
            published_at__lte=now,
        )
        .select_related("article", "article__edition", "article__primary_section")
        .order_by("-published_at", "-pk")
    )


def _visible_in(edition, column: str):
    stories = ArticlePage.objects.visible().filter(pk=OuterRef(column))
    return stories.filter(edition=edition) if edition is not None else stories


def visible_tags(edition=None):
    """Return the tags that a story readers may see carries (a story of ``edition``, when
    given): a tag that only drafts, scheduled or withdrawn stories carry is no tag to a reader
    (its page, its feeds and the API's filter answer as for a tag that does not exist). Each
    tag walks its own tagged stories and stops at the first visible one."""
    tagged = ArticleTag.objects.filter(tag=OuterRef("pk")).filter(
        Exists(_visible_in(edition, "content_object_id"))
    )
    return Tag.objects.filter(Exists(tagged))


def visible_people(edition=None):
    """Return the people in the byline of a story readers may see (a story of ``edition``,
    when given). A reporter or editor whose stories are all unpublished, and newsroom staff
    who have written none, have no page for readers."""
    bylines = Byline.objects.filter(person=OuterRef("pk")).filter(
        Exists(_visible_in(edition, "article_id"))
    )
    return Person.objects.filter(Exists(bylines))
