from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubscriptionsConfig(AppConfig):
    name = "dateline.subscriptions"
    label = "subscriptions"
    verbose_name = _("Subscriptions")

    def ready(self):
        from dateline.accounts.registry import account_deleting, register_exporter
        from dateline.subscriptions import actions, signal_handlers  # noqa: F401

        register_exporter("follows", actions.export_follows)
        account_deleting.connect(actions.on_account_deleting)
