from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediabankConfig(AppConfig):
    name = "dateline.mediabank"
    label = "mediabank"
    verbose_name = _("Media bank")

    def ready(self):
        from dateline.mediabank import signal_handlers  # noqa: F401
