from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PageCacheConfig(AppConfig):
    name = "dateline.pagecache"
    label = "pagecache"
    verbose_name = _("Page cache")

    def ready(self):
        from dateline.pagecache import signal_handlers  # noqa: F401
