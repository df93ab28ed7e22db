from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from dateline.articles.models import ArticlePage
from dateline.wire import urls
from dateline.wire.access import can_use_wire_desk
from dateline.wire.actions import DRAFT_ACTION, IMPORT_ACTION
from dateline.wire.models import WireItem, WireSource


@hooks.register("register_admin_urls")
def register_wire_urls():
    return [path("wire/", include(urls, namespace="wire"))]


class WireDeskMenuItem(MenuItem):
    def is_shown(self, request):
        return can_use_wire_desk(request.user)


@hooks.register("register_admin_menu_item")
def register_wire_desk_menu_item():
    return WireDeskMenuItem(_("Wire desk"), reverse("wire:desk"), icon_name="list-ul", order=150)


class WireSourceViewSet(SnippetViewSet):
    model = WireSource
    icon = "link"
    menu_label = _("Wire sources")
    list_display = ["name", "kind", "edition", "poll_minutes", "active", "last_polled_at"]
    list_filter = ["kind", "active"]


register_snippet(WireSourceViewSet)


class WireSourceButton(PageMenuItem):
    label = _("From the wire")
    icon_name = "list-ul"
    url_name = "wire:story_source"


@hooks.register("register_page_header_buttons")
def page_header_wire_button(page, user, view_name, next_url=None):
    if (
        issubclass(page.specific_class or type(page), ArticlePage)
        and can_use_wire_desk(user)
        and WireItem.objects.filter(used_in_id=page.pk).exists()
    ):
        yield WireSourceButton(page=page, priority=70)


@hooks.register("register_log_actions")
def register_wire_log_actions(actions):
    @actions.register_action(DRAFT_ACTION)
    class DraftFormatter(LogFormatter):
        label = _("Draft from the wire")

        def format_message(self, log_entry):
            return _("Draft made from wire item %(provenance)s") % {
                "provenance": (log_entry.data or {}).get("provenance", "")
            }

    @actions.register_action(IMPORT_ACTION)
    class ImportFormatter(LogFormatter):
        label = _("Imported page")

        def format_message(self, log_entry):
            return _("Imported from %(origin)s") % {
                "origin": (log_entry.data or {}).get("origin", "")
            }
