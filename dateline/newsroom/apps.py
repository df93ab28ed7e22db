from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    name = "dateline.newsroom"
    label = "newsroom"
    verbose_name = _("Newsroom")

    def ready(self):
        from dateline.newsroom.explorer import bound_user_filters, scope_page_listings

        bound_user_filters()
        scope_page_listings()
