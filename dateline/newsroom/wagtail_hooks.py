import contextlib

from django.db.models import Sum
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.navigation import get_site_for_user
from wagtail.admin.site_summary import PagesSummaryItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.models import Page, Site

from dateline.articles.models import ArticlePage
from dateline.newsroom.access import (
    can_withdraw,
    moderates_comments,
    newsroom_stories,
    works_on_stories,
)
from dateline.newsroom.desk import newsroom_desk
from dateline.newsroom.views import withdraw


@hooks.register("register_admin_urls")
def register_newsroom_urls():
    return [path("stories/<int:story_id>/withdraw/", withdraw, name="dateline_withdraw_story")]


# --- Withdraw: in the story's action menu, in its header and in page listings.


class WithdrawMenuItem(ActionMenuItem):
    label = _("Withdraw…")
    name = "action-withdraw"
    icon_name = "warning"

    def is_shown(self, context):
        page = context.get("page")
        return (
            context["view"] == "edit"
            and isinstance(page, ArticlePage)
            and not context["locked_for_user"]
            and can_withdraw(context["request"].user, page)
        )

    def get_url(self, context):
        return reverse("dateline_withdraw_story", args=[context["page"].pk])


@hooks.register("register_page_action_menu_item")
def register_withdraw_menu_item():
    return WithdrawMenuItem(order=60)


class WithdrawButton(PageMenuItem):
    label = _("Withdraw…")
    icon_name = "warning"
    url_name = "dateline_withdraw_story"

    def is_shown(self, user):
        return isinstance(self.page, ArticlePage) and can_withdraw(user, self.page)


@hooks.register("register_page_header_buttons")
def page_header_withdraw_button(page, user, view_name, next_url=None):
    yield WithdrawButton(page=page.specific_deferred, priority=62)


@hooks.register("register_page_listing_more_buttons")
def page_listing_withdraw_button(page, user, next_url=None):
    yield WithdrawButton(page=page, priority=42)


# --- The dashboard on the newsroom's home page.


class NewsroomDeskPanel(Component):
    name = "dateline_newsroom_desk"
    template_name = "newsroom/desk_panel.html"
    order = 50  # before Wagtail's own panels (moderation 210+, recent edits 250)

    def __init__(self, desk, *, show_stories: bool):
        self.desk = desk
        self.show_stories = show_stories

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["desk"] = self.desk
        context["show_stories"] = self.show_stories
        return context


@hooks.register("construct_homepage_panels")
def add_newsroom_desk(request, panels):
    # Stories for those with rights on them, comments for moderators; photo editors have neither.
    stories, comments = works_on_stories(request.user), moderates_comments(request.user)
    if stories or comments:
        desk = newsroom_desk(
            newsroom_stories(request.user) if stories else ArticlePage.objects.none(),
            comments=comments,
        )
        panels.append(NewsroomDeskPanel(desk, show_stories=stories))


# --- The dashboard's page count, without counting every story.


def count_pages_below(page) -> int:
    """Return how many pages are below ``page``, from the numbers of children that the tree
    keeps on each page: the sum over the pages that have children (editions and date buckets,
    a few thousand however many stories there are; index ``newsroom_page_parents``) instead of
    a count of every page."""
    total = (
        Page.objects.filter(path__startswith=page.path, numchild__gt=0)
        .order_by()
        .aggregate(total=Sum("numchild"))["total"]
    )
    return total or 0


class PageCountSummaryItem(PagesSummaryItem):
    """Wagtail's "N Pages" on the dashboard, the same number, counted without reading every
    story (Wagtail's own item counts all the pages of the tree on each view of the dashboard)."""

    def get_context_data(self, parent_context):
        site_details = get_site_for_user(self.request.user)
        root_page = site_details["root_page"]
        page_count = 0
        if root_page:
            page_count = count_pages_below(root_page)
            if root_page.is_root():
                # As Wagtail's: link to the only site's home page when there is one site.
                with contextlib.suppress(Site.DoesNotExist, Site.MultipleObjectsReturned):
                    root_page = Site.objects.select_related("root_page").get().root_page
            else:
                page_count += 1  # the user's root page counts, as in Wagtail's item
        return {
            "root_page": root_page,
            "total_pages": page_count,
            "site_name": site_details["site_name"],
        }


@hooks.register("construct_homepage_summary_items", order=100)  # after Wagtail's own (0)
def count_pages_without_reading_stories(request, items):
    items[:] = [
        PageCountSummaryItem(request) if type(item) is PagesSummaryItem else item for item in items
    ]


# --- The page chooser: each row's status from two queries for the page, not three per row.


@hooks.register("construct_page_chooser_queryset")
def chooser_pages_with_their_status(pages, request):
    # What the status column asks of each page (a scheduled revision, a workflow in
    # progress), loaded for the whole page of rows as the explorer does.
    return pages.annotate_approved_schedule().prefetch_workflow_states()
