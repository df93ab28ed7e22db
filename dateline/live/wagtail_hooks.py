import django_filters
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic.models import CreateView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet

from dateline.articles.models import ArticlePage
from dateline.editions.models import Edition
from dateline.live.models import BreakingNews, LiveCoveragePage, LiveEntry
from dateline.live.views import toggle_breaking
from dateline.newsroom.templatetags.newsroom_tags import desk_time


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


# --- The live entries list, as a live desk reads it.


def entry_time(entry: LiveEntry):
    """Return the entry's time, 24-hour, in its coverage's edition's time zone, which it
    names: the list may mix editions, whose clocks differ."""
    return desk_time(entry.created_at, entry.coverage.edition, zone=True)


def entry_coverage(entry: LiveEntry):
    edition = entry.coverage.edition
    return format_html(
        '<bdi>{}</bdi> <small class="w-text-text-context">({})</small>',
        entry.coverage.title,
        edition.language_code if edition else "",
    )


FLAGS = [
    ("is_pinned", "thumbtack", _("Pinned")),
    ("is_key_event", "circle-check", _("Key event")),
    ("photo_id", "image", _("Photo")),
    ("embed_url", "media", _("Embed")),
]


def entry_flags(entry: LiveEntry):
    """Return the entry's flags as icons with their names (pinned, key event, photo,
    embed): what an editor scans the list for."""
    return format_html_join(
        " ",
        '<span class="live-entry-flag"><svg class="icon icon-{}" aria-hidden="true">'
        '<use href="#icon-{}"></use></svg>{}</span>',
        ((icon, icon, label) for field, icon, label in FLAGS if getattr(entry, field)),
    )


class LiveEntryFilterSet(WagtailFilterSet):
    edition = django_filters.ModelChoiceFilter(
        field_name="coverage__edition",
        queryset=Edition.objects.order_by("path"),
        label=_("Edition"),
    )
    coverage = django_filters.ModelChoiceFilter(
        queryset=LiveCoveragePage.objects.order_by("-first_published_at"),
        label=_("Live coverage"),
    )
    is_key_event = django_filters.BooleanFilter(label=_("Key event"))

    class Meta:
        model = LiveEntry
        fields = ["edition", "coverage", "is_key_event"]

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        # The list of a coverage (or of an edition) offers that edition's coverage only:
        # opened from an English live page, it never lists Russian or Arabic ones.
        data = data or {}
        edition = data.get("edition", "")
        coverage = data.get("coverage", "")
        if not edition.isdigit() and coverage.isdigit():
            edition = str(
                LiveCoveragePage.objects.filter(pk=int(coverage))
                .values_list("edition_id", flat=True)
                .first()
                or ""
            )
        if edition.isdigit():
            self.filters["coverage"].queryset = self.filters["coverage"].queryset.filter(
                edition_id=int(edition)
            )


class EntryIndexView(IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("coverage", "coverage__edition", "coverage__edition__locale")
        )

    @cached_property
    def columns(self):
        title = self._get_title_column_class(TitleColumn)(
            "title",
            label=_("Entry"),
            accessor=lambda entry: format_html("<bdi>{}</bdi>", str(entry)),
            get_url=lambda entry: self.get_edit_url(entry) or self.get_inspect_url(entry),
            sort_key="title",
        )
        return [
            Column(
                "created_at",
                label=_("Time"),
                accessor=entry_time,
                sort_key="created_at",
                classname="newsroom-list__time",
            ),
            title,
            Column("coverage", label=_("Live coverage"), accessor=entry_coverage),
            Column("flags", label=_("Flags"), accessor=entry_flags),
        ]


class LiveEntryViewSet(ModelViewSet):
    model = LiveEntry
    icon = "time"
    menu_label = _("Live entries")
    menu_order = 210
    add_to_admin_menu = True
    filterset_class = LiveEntryFilterSet
    search_fields = ["title", "text"]
    ordering = ["-created_at"]
    name = "live_entries"
    add_view_class = AddEntryView
    index_view_class = EntryIndexView


live_entry_viewset = LiveEntryViewSet()


@hooks.register("register_admin_viewset")
def register_live_entry_viewset():
    return live_entry_viewset
