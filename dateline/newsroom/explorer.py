"""The page explorer's "Owner" and "Edited by" filters, with choices that do not read every page.

Wagtail lists the choices as the users among the distinct owners of all pages (and the distinct
authors of all edits), which reads every story's row on each view of the explorer: 50 ms at
100,000 stories on PostgreSQL, growing with the archive. The same users are found here by
asking, for each user, whether one page (one edit) is theirs, through the index on the owner
(the author): a probe per user, however many stories there are.

Wagtail offers no hook for a filter's choices, so ``NewsroomConfig.ready()`` sets them on its
filter sets (a KeyError at start-up if a Wagtail upgrade renames them);
``dateline/newsroom/tests/test_admin_at_scale.py`` fails if the explorer scans the pages again.
"""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from wagtail.admin.views.pages.listing import GenericPageFilterSet, PageFilterSet
from wagtail.models import Page, PageLogEntry


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
