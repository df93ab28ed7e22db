from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionConfig(AppConfig):
    name = "dateline.discussion"
    label = "discussion"
    verbose_name = _("Discussion")

    def ready(self):
        from dateline.accounts.registry import account_deleting, register_exporter
        from dateline.discussion import actions
        from dateline.live.channels import hidden_pages, register_hidden_channels

        register_exporter("comments", actions.export_comments)
        # The comments of a page readers may not see (yet) are not streamed to them.
        register_hidden_channels("comments", hidden_pages)
        account_deleting.connect(actions.on_account_deleting)
