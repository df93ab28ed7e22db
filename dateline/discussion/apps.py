from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionConfig(AppConfig):
    name = "dateline.discussion"
    label = "discussion"
    verbose_name = _("Discussion")

    def ready(self):
        from dateline.accounts.registry import account_deleting, register_exporter
        from dateline.discussion import actions

        register_exporter("comments", actions.export_comments)
        account_deleting.connect(actions.on_account_deleting)
