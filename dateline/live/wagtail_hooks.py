from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.views.generic.models import CreateView
from wagtail.admin.viewsets.model import ModelViewSet

from dateline.articles.models import ArticlePage
from dateline.live.models import BreakingNews, LiveCoveragePage, LiveEntry
from dateline.live.views import toggle_breaking


@hooks.register("register_admin_urls")
def register_live_urls():
    return [path("live/breaking/<int:story_id>/", toggle_breaking, name="dateline_breaking")]


class BreakingButton(PageMenuItem):
    icon_name = "warning"

    @cached_property
    def label(self):
        if BreakingNews.objects.active().filter(story_id=self.page.pk).exists():
            return _("End breaking news")
        return _("Mark as breaking news")

    @cached_property
    def url(self):
        return reverse("dateline_breaking", args=[self.page.pk])

    def is_shown(self, user):
        return self.page.live and self.page.permissions_for_user(user).can_publish()


class CoverageEntriesButton(PageMenuItem):
    icon_name = "list-ul"
    label = _("Live entries")

    @cached_property
    def url(self):
        return reverse("live_entries:index") + "?" + urlencode({"coverage": self.page.pk})

    def is_shown(self, user):
        return user.has_perm("live.add_liveentry") or user.has_perm("live.change_liveentry")


class AddEntryButton(PageMenuItem):
    icon_name = "plus"
    label = _("Add a live entry")

    @cached_property
    def url(self):
        return reverse("live_entries:add") + "?" + urlencode({"coverage": self.page.pk})

    def is_shown(self, user):
        return user.has_perm("live.add_liveentry")


@hooks.register("register_page_header_buttons")
def live_page_buttons(page, user, view_name, next_url=None):
    specific = page.specific_class
    if specific is ArticlePage:
        yield BreakingButton(page=page, priority=55)
    elif specific is LiveCoveragePage:
        yield AddEntryButton(page=page, priority=5)
        yield CoverageEntriesButton(page=page, priority=6)


class AddEntryView(CreateView):
    def get_initial(self):
        # "Add a live entry" on a coverage page opens the form with that coverage chosen.
        initial = super().get_initial()
        coverage = self.request.GET.get("coverage", "")
        if coverage.isdigit():
            initial["coverage"] = int(coverage)
        return initial


class LiveEntryViewSet(ModelViewSet):
    model = LiveEntry
    icon = "time"
    menu_label = _("Live entries")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["__str__", "coverage", "created_at", "is_key_event", "is_pinned"]
    list_filter = ["coverage", "is_key_event"]
    search_fields = ["title", "text"]
    ordering = ["-created_at"]
    name = "live_entries"
    add_view_class = AddEntryView


live_entry_viewset = LiveEntryViewSet()


@hooks.register("register_admin_viewset")
def register_live_entry_viewset():
    return live_entry_viewset
