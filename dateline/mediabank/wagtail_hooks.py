from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from dateline.mediabank.models import LicenceRequest


class LicenceRequestViewSet(SnippetViewSet):
    model = LicenceRequest
    icon = "mail"
    menu_label = _("Licence requests")
    add_to_admin_menu = True
    menu_order = 230
    list_display = ["name", "organisation", "email", "photo", "created_at", "handled"]
    list_filter = ["handled"]
    search_fields = ["name", "organisation", "email", "intended_use"]


register_snippet(LicenceRequestViewSet)
