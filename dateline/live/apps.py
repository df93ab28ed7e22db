from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "dateline.live"
    label = "live"
    verbose_name = _("Live")

    def ready(self):
        from dateline.live import signal_handlers  # noqa: F401
        from dateline.live.channels import hidden_pages, register_hidden_channels

        # Entries written on a live page before it is published are not read by readers.
        register_hidden_channels("coverage", hidden_pages)
