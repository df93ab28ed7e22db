"""The newsroom's view of the newsletters: Settings → Newsletters lists every list with its
confirmed subscribers and its last issue, and lets the newsroom add a section's digest or
alerts, rename a list, change a digest's send time or pause a list."""

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from dateline.subscriptions.models import Newsletter
from dateline.subscriptions.sending import recipients


class SubscribersColumn(Column):
    def get_value(self, instance):
        return recipients(instance).count()


class LastIssueColumn(Column):
    def get_value(self, instance):
        issue = instance.issues.order_by("-created_at").first()
        if issue is None:
            return "—"
        sent = issue.deliveries.filter(status="sent").count()
        return _("%(when)s: %(status)s, %(sent)s sent") % {
            "when": date_format(localtime(issue.created_at), "SHORT_DATETIME_FORMAT"),
            "status": issue.get_status_display(),
            "sent": sent,
        }


class NewsletterViewSet(ModelViewSet):
    model = Newsletter
    icon = "mail"
    menu_label = gettext_lazy("Newsletters")
    add_to_settings_menu = True
    name = "newsletters"
    url_prefix = "newsletters"
    copy_view_enabled = False
    form_fields = ["edition", "kind", "section", "title", "send_time", "is_active"]
    list_display = [
        Column("display_title", label=gettext_lazy("Newsletter")),
        "edition",
        "kind",
        "send_time",
        "is_active",
        SubscribersColumn("subscribers", label=gettext_lazy("Confirmed subscribers")),
        LastIssueColumn("last_issue", label=gettext_lazy("Last issue")),
    ]
    list_filter = ["edition", "kind", "is_active"]


@hooks.register("register_admin_viewset")
def register_newsletter_viewset():
    return NewsletterViewSet()
