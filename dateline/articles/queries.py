"""Read-side queries over stories, each loading what its page shows in a fixed number of queries."""

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import cached_property

from dateline.articles.models import ArchivePage, ArticlePage, Correction

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
    at, keyed by id, loaded for cards in one go. Stories not (yet) visible are left out, so
    their cards do not show."""
    ids = {
        block.value["story"].pk
        for block in article.body
        if block.block_type in ("related", "read_more") and block.value["story"]
    }
    if not ids:
        return {}
    return {
        story.pk: story for story in ArticlePage.objects.visible().filter(pk__in=ids).for_cards()
    }


def stories_in_period(archive: ArchivePage, page_number) -> PaginatorPage:
    """Return a page of the visible stories filed under the date bucket ``archive``."""
    stories = ArticlePage.objects.visible().descendant_of(archive)
    return paginate(stories.for_cards().order_by("-published_at"), page_number)


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
