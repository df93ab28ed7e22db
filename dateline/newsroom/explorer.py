"""The page explorer's "Owner" and "Edited by" filters, with choices that do not read every page;
its listings and the page search keep an editor's pages by the edition's tree path.

Wagtail lists the choices as the users among the distinct owners of all pages (and the distinct
authors of all edits), which reads every story's row on each view of the explorer: 50 ms at
100,000 stories on PostgreSQL, growing with the archive. The same users are found here by
asking, for each user, whether one page (one edit) is theirs, through the index on the owner
(the author): a probe per user, however many stories there are.

Wagtail offers no hook for a filter's choices, so ``NewsroomConfig.ready()`` sets them on its
filter sets (a KeyError at start-up if a Wagtail upgrade renames them);
``dateline/newsroom/tests/test_admin_at_scale.py`` fails if the explorer scans the pages again.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef
from wagtail.admin.views.pages.listing import (
    ExplorableIndexView,
    GenericPageFilterSet,
    IndexView,
    PageFilterSet,
)
from wagtail.admin.views.pages.search import SearchView, page_filter_search
from wagtail.models import Page, PageLogEntry

from dateline.newsroom.access import explorable_pages


def page_owners(request):
    """The users who own a page (Wagtail's choices for "Owner")."""
    return get_user_model().objects.filter(Exists(Page.objects.filter(owner=OuterRef("pk"))))


def page_editors(request):
    """The users who edited a page (Wagtail's choices for "Edited by")."""
    return get_user_model().objects.filter(
        Exists(PageLogEntry.objects.filter(user=OuterRef("pk"), action="wagtail.edit"))
    )


def bound_user_filters() -> None:
    for filterset in (PageFilterSet, GenericPageFilterSet):
        filterset.base_filters["owner"].queryset = page_owners
        filterset.base_filters["edited_by"].queryset = page_editors


# The explorer's listings and the page search keep a user's pages by explorable_pages() (its
# note says why) instead of Wagtail's `pk IN (subquery)`. Wagtail offers no hook for the base
# queryset of these views, so each method below is Wagtail 7.4's with that one filter changed,
# and NewsroomConfig.ready() sets them on the views; ``test_admin_at_scale.py`` fails if an
# editor's explorer reads every page of the edition again.


def filtered_by_permissions(view) -> bool:
    """Whether ``view`` narrows its pages to the user's (always, unless searching with
    WAGTAILADMIN_PAGE_SEARCH_FILTER_BY_PERMISSIONS off)."""
    return (not view.is_searching) or getattr(
        settings, "WAGTAILADMIN_PAGE_SEARCH_FILTER_BY_PERMISSIONS", True
    )


def index_pages(self):
    pages = self.model.objects.filter(depth__gt=1)
    if filtered_by_permissions(self):
        pages = explorable_pages(self.request.user, pages)
    return self.annotate_queryset(pages)


def explorer_pages(self):
    manager = self.model._default_manager
    if self.is_searching or self.is_filtering:
        if self.is_searching_whole_tree:
            pages = manager.all()
        else:
            pages = manager.descendant_of(self.parent_page)
    else:
        pages = manager.child_of(self.parent_page)
    if filtered_by_permissions(self):
        pages = explorable_pages(self.request.user, pages)
    return self.annotate_queryset(pages)


def searched_pages(self):
    self.all_pages = Page.objects.all()
    if getattr(settings, "WAGTAILADMIN_PAGE_SEARCH_FILTER_BY_PERMISSIONS", True):
        self.all_pages = explorable_pages(self.request.user, self.all_pages)
    pages = self.all_pages
    if self.show_locale_labels:
        pages = pages.select_related("locale")
    if self.ordering:
        pages = pages.order_by(self.ordering)
    if self.selected_content_type:
        pages = pages.filter(content_type=self.selected_content_type)
    pages = self.annotate_queryset(pages)
    pages, self.all_pages = page_filter_search(
        self.search_query, pages, self.all_pages, self.ordering
    )
    if pages.supports_facet:
        self.content_types = [
            (ContentType.objects.get_for_id(content_type_id), count)
            for content_type_id, count in self.all_pages.facet("content_type_id").items()
        ]
    return pages


def scope_page_listings() -> None:
    IndexView.get_base_queryset = index_pages
    ExplorableIndexView.get_base_queryset = explorer_pages
    SearchView.get_queryset = searched_pages
