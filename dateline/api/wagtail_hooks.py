"""API keys in the newsroom: Settings → API keys, for those with the api.*_apikey permissions
(the Administrators group). A new key's secret is shown once, on the page that follows its
creation; afterwards the newsroom sees only its first characters."""

from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views.generic import CreateView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log

from dateline.api.actions import set_new_key
from dateline.api.models import ApiKey


class IssueKeyView(CreateView):
    def save_instance(self):
        instance = self.form.save(commit=False)
        self.issued_key = set_new_key(instance)
        instance.created_by = self.request.user
        instance.save()
        log(instance=instance, action="wagtail.create", content_changed=True)
        return instance

    def save_action(self):
        response = TemplateResponse(
            self.request,
            "api/admin/key_issued.html",
            {
                "api_key": self.object,
                "key": self.issued_key,
                "index_url": self.get_success_url(),
                "edit_url": self.get_edit_url(),
            },
        )
        # The page holds the secret: no cache, no back-button copy.
        add_never_cache_headers(response)
        return response


class ApiKeyViewSet(ModelViewSet):
    model = ApiKey
    icon = "key"
    menu_label = _("API keys")
    add_to_settings_menu = True
    name = "api_keys"
    url_prefix = "api-keys"
    add_view_class = IssueKeyView
    copy_view_enabled = False
    form_fields = ["name", "partner", "contact_email", "requests_per_minute", "active", "notes"]
    list_display = [
        "partner",
        "name",
        "shown_part",
        "requests_per_minute",
        "active",
        "last_used_at",
    ]
    list_filter = ["active"]
    search_fields = ["partner", "name", "contact_email"]


@hooks.register("register_admin_viewset")
def register_api_key_viewset():
    return ApiKeyViewSet()
