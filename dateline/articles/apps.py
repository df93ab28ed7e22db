from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "dateline.articles"
    label = "articles"
    verbose_name = _("Articles")

    def ready(self):
        from dateline.articles import signal_handlers  # noqa: F401
        from dateline.articles.queries import stories_using_photo
        from dateline.mediabank.usage import register_usage_finder

        register_usage_finder(stories_using_photo)
