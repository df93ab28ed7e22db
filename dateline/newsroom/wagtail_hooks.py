from django.templatetags.static import static
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.menus.pages import PageMenuItem

from dateline.articles.models import ArticlePage
from dateline.newsroom.access import (
    can_withdraw,
    moderates_comments,
    newsroom_stories,
    works_on_stories,
)
from dateline.newsroom.desk import newsroom_desk
from dateline.newsroom.views import withdraw
from dateline.wire.access import can_use_wire_desk


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
    order = 50  # before Wagtail's own panels (locked pages 300)

    def __init__(self, desk, *, show_stories: bool, links=()):
        self.desk = desk
        self.show_stories = show_stories
        self.links = list(links)

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["desk"] = self.desk
        context["show_stories"] = self.show_stories
        context["links"] = self.links
        context["now"] = timezone.now()
        return context


def newsroom_links(request, *, stories: bool, comments: bool) -> list[tuple[str, str, str]]:
    """Return the dashboard's shortcuts for ``request.user``: (label, address, icon)."""
    links = []
    if stories:
        links.append((_("New story"), reverse("dateline_new_story"), "plus"))
    if can_use_wire_desk(request.user):
        links.append((_("Wire desk"), reverse("wire:desk"), "list-ul"))
    if request.user.has_perm("live.add_liveentry") or request.user.has_perm(
        "live.change_liveentry"
    ):
        links.append((_("Live entries"), reverse("live_entries:index"), "time"))
    if comments:
        links.append((_("Comments"), reverse("dateline_comments"), "comment"))
    return links


# Wagtail's own panels that tell a newsroom nothing its desk does not say better: the
# submissions to review and one's own in review (the desk lists every edition's, with
# times), and "Your most recent edits" (a page list with no state or edition). Locked pages
# stay: who holds a lock on a story is news to the desk.
GENERIC_PANELS = {
    "workflow_objects_to_moderate",
    "user_objects_in_workflow_moderation",
    "recent_edits",
    "whats_new_in_wagtail_version",
}


@hooks.register("construct_homepage_panels")
def add_newsroom_desk(request, panels):
    panels[:] = [panel for panel in panels if getattr(panel, "name", "") not in GENERIC_PANELS]
    # Stories for those with rights on them, comments for moderators; photo editors have neither.
    stories, comments = works_on_stories(request.user), moderates_comments(request.user)
    if stories or comments:
        desk = newsroom_desk(
            newsroom_stories(request.user) if stories else ArticlePage.objects.none(),
            comments=comments,
        )
        panels.append(
            NewsroomDeskPanel(
                desk,
                show_stories=stories,
                links=newsroom_links(request, stories=stories, comments=comments),
            )
        )


@hooks.register("construct_homepage_summary_items")
def no_generic_summary(request, items):
    # "N Pages, N Images, N Documents" counts the tree's pages, date buckets included: no
    # figure an editor works from. The desk's counts are the day's.
    items.clear()


@hooks.register("insert_global_admin_css")
def newsroom_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("newsroom/newsroom.css"))


# --- The page chooser: each row's status from two queries for the page, not three per row.


@hooks.register("construct_page_chooser_queryset")
def chooser_pages_with_their_status(pages, request):
    # What the status column asks of each page (a scheduled revision, a workflow in
    # progress), loaded for the whole page of rows as the explorer does.
    return pages.annotate_approved_schedule().prefetch_workflow_states()
