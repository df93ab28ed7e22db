from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "dateline.search"
    label = "dateline_search"
    verbose_name = _("Search")

    def ready(self):
        from dateline.search import signal_handlers  # noqa: F401 (connects the receivers)
